import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";

/** `npm start` (and `prepare`, `npm run sandbox`) build only when a source changed since the last build, and say so. */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A project of one source file, built with this repository's TypeScript. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), "aci-migrate-stale-"));
  dirs.push(root);
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "main.ts"), "export const answer: number = 42;\n");
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext", target: "es2022", strict: true } }));
  writeFileSync(
    join(root, "tsconfig.build.json"),
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { rootDir: "src", outDir: "dist" }, include: ["src"] }),
  );
  mkdirSync(join(root, "node_modules"));
  symlinkSync(repoPath("node_modules/typescript"), join(root, "node_modules", "typescript"));
  return root;
}

const buildIfStale = (root: string) => spawnSync(process.execPath, [repoPath("scripts/build-if-stale.mjs"), root], { encoding: "utf8" });

describe("build-if-stale", () => {
  it("builds the first time, not again while nothing changed, and again once a source is newer, naming it", { timeout: 60_000 }, () => {
    const root = project();
    const first = buildIfStale(root);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toBe("Building aci-migrate (no build yet)…\n");
    expect(existsSync(join(root, "dist", "main.js"))).toBe(true);

    const second = buildIfStale(root);
    expect([second.status, second.stderr]).toEqual([0, ""]);

    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, "src", "main.ts"), later, later);
    const third = buildIfStale(root);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr).toBe(`Building aci-migrate (${join("src", "main.ts")} changed since the last build)…\n`);
  });

  it("a build that fails leaves no stamp, so the next start tries again", { timeout: 60_000 }, () => {
    const root = project();
    writeFileSync(join(root, "src", "main.ts"), "export const answer: number = 'not a number';\n");
    const failed = buildIfStale(root);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain("The build failed (tsc's errors are above)");
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(buildIfStale(root).stderr).toContain("Building aci-migrate (no build yet)");
  });
});
