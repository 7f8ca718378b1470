import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";

/**
 * README's "Putting aci-migrate on PATH" block, run line by line as written, against a global prefix of the
 * test's own (npm's global folder is not touched; `prepare` does not rebuild dist/ under the other tests).
 */
describe("README: putting aci-migrate on PATH", () => {
  it("npm link puts aci-migrate on PATH, and unlink takes it away", { timeout: 120_000 }, () => {
    const readme = readFileSync(repoPath("README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Putting `aci-migrate` on PATH"));
    const block = section.slice(section.indexOf("```bash\n") + 8, section.indexOf("\n```", section.indexOf("```bash\n")));
    const lines = block
      .split("\n")
      .map((l) => l.replace(/\s+#.*$/, "").trim())
      .filter(Boolean);
    expect(lines).toEqual(["npm link", "aci-migrate --version", "npm unlink -g azureml-aci-migrate"]);
    const prefix = mkdtempSync(join(tmpdir(), "aci-migrate-prefix-"));
    const env = { ...process.env, NPM_CONFIG_PREFIX: prefix, npm_config_ignore_scripts: "true", PATH: `${join(prefix, "bin")}:${process.env.PATH ?? ""}` };
    const run = (line: string) => execFileSync("sh", ["-c", line], { cwd: repoPath("."), env, encoding: "utf8" });
    try {
      run(lines[0]!);
      expect(run(lines[1]!).trim()).toBe(JSON.parse(readFileSync(repoPath("package.json"), "utf8")).version);
      run(lines[2]!);
      expect(() => run("command -v aci-migrate")).toThrow();
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
