import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCodeFolder } from "../../src/azure/code-snapshot.js";
import { repoPath } from "../helpers/fixtures.js";
import { documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { readFileSync } from "node:fs";

const root = mkdtempSync(join(tmpdir(), "aci-migrate-codedirs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SCORE = readFileSync(repoPath("samples/v1-cli-json/src/score.py"));
let n = 0;
function folder(build: (dir: string) => void): string {
  const dir = join(root, `code-${++n}`);
  mkdirSync(dir);
  build(dir);
  return dir;
}

describe("a code folder's links", () => {
  it("a link to a file inside the folder is followed and uploaded as that file", async () => {
    const dir = folder((d) => {
      mkdirSync(join(d, "src"));
      writeFileSync(join(d, "src", "score.py"), SCORE);
      symlinkSync("src/score.py", join(d, "score.py"));
    });
    const code = await readCodeFolder(dir, "score.py");
    expect(code.files.map((f) => f.path)).toEqual(["score.py", "src/score.py"]);
    expect(code.totalBytes).toBe(2 * SCORE.length);
  });

  it("a linked folder inside is followed; a link back up is a loop and refused", async () => {
    const ok = folder((d) => {
      mkdirSync(join(d, "lib"));
      writeFileSync(join(d, "lib", "util.py"), "x = 1\n");
      writeFileSync(join(d, "score.py"), SCORE);
      symlinkSync("lib", join(d, "vendored"));
    });
    expect((await readCodeFolder(ok, "score.py")).files.map((f) => f.path)).toEqual(["lib/util.py", "score.py", "vendored/util.py"]);
    const loop = folder((d) => {
      mkdirSync(join(d, "sub"));
      writeFileSync(join(d, "score.py"), SCORE);
      symlinkSync("..", join(d, "sub", "up"));
    });
    await expect(readCodeFolder(loop, "score.py")).rejects.toThrow(/sub\/up points back at a folder that contains it \(a loop\)/);
  });

  it("links that leave the folder or dangle are refused, naming the link", async () => {
    const outside = join(root, "outside.py");
    writeFileSync(outside, SCORE);
    const leaving = folder((d) => symlinkSync(outside, join(d, "score.py")));
    await expect(readCodeFolder(leaving, "score.py")).rejects.toThrow(/score\.py points outside the folder/);
    const dangling = folder((d) => {
      writeFileSync(join(d, "score.py"), SCORE);
      symlinkSync("missing.py", join(d, "helper.py"));
    });
    await expect(readCodeFolder(dangling, "score.py")).rejects.toThrow(/helper\.py points at nothing/);
  });

  it("a folder without the scoring script is refused", async () => {
    const empty = folder(() => undefined);
    await expect(readCodeFolder(empty, "score.py")).rejects.toThrow(/has no score\.py \(it holds no files at all\)/);
  });
});

describe("migrate --code-dir", () => {
  const sandbox = useAttachedSandbox({ speed: 1000 });
  const migrate = (service: string, codeDir: string) =>
    runBin(["--sandbox", "--state-dir", sandbox.stateDir, "migrate", "-w", "ml-batch-eastus", "--service", service, "--code-dir", codeDir, "--yes", "--json"]);
  const sessions = () => readdirSync(join(sandbox.stateDir, "sessions")).filter((f) => f.endsWith(".json")).length;

  it("refuses a folder whose only score.py links outside, or that has none, before anything is created", async () => {
    const outside = join(root, "elsewhere.py");
    writeFileSync(outside, SCORE);
    const before = {
      endpoints: sandbox.sb.world.endpoints.length,
      codes: sandbox.sb.world.codes.length,
      sessions: (() => {
        try {
          return sessions();
        } catch {
          return 0;
        }
      })(),
    };
    for (const dir of [folder((d) => symlinkSync(outside, join(d, "score.py"))), folder((d) => writeFileSync(join(d, "helper.py"), "x = 1\n"))]) {
      const r = await migrate("batch-scorer-05", dir);
      expect(r.code, r.stderr).toBe(2);
      expect(JSON.parse(r.stderr).error.message).toMatch(/points outside the folder|has no score\.py/);
    }
    expect(sandbox.sb.world.endpoints.length).toBe(before.endpoints);
    expect(sandbox.sb.world.codes.length).toBe(before.codes);
    expect(
      (() => {
        try {
          return sessions();
        } catch {
          return 0;
        }
      })(),
    ).toBe(before.sessions);
  });

  it("a 401 MB file goes up in staged blocks; the world keeps its size, not its bytes; progress says the size first", { timeout: 120_000 }, async () => {
    const dir = folder((d) => {
      writeFileSync(join(d, "score.py"), SCORE);
      writeFileSync(join(d, "model.bin"), "");
      truncateSync(join(d, "model.bin"), 401 * 1024 * 1024);
    });
    const r = await migrate("batch-scorer-06", dir);
    expect(r.code, r.stderr).toBe(0);
    const { events } = documentedStream(r.stdout);
    const code = events.filter((e) => e.type === "step-progress" && e.step === "code").map((e) => e.message);
    expect(code[0]).toBe("uploading 2 files (420.5 MB)");
    expect(code.at(-1)).toBe("uploaded 2 of 2 files (420.5 MB of 420.5 MB)");
    const key = Object.keys(sandbox.sb.world.blobs).find((k) => k.endsWith("/batch-scorer-06-code/model.bin"))!;
    expect(sandbox.sb.world.blobs[key]!.size).toBe(401 * 1024 * 1024);
    expect(sandbox.served.filter((x) => x.operation === "Blob_Put" && x.path.endsWith("/model.bin")).length).toBeGreaterThan(50); // 8 MiB blocks, then the list
    expect(statSync(join(sandbox.stateDir, "sandbox-world.json")).size).toBeLessThan(5 * 1024 * 1024);
  });

  it("3,000 files: progress as files finish, counted against the total", { timeout: 120_000 }, async () => {
    const dir = folder((d) => {
      writeFileSync(join(d, "score.py"), SCORE);
      mkdirSync(join(d, "data"));
      for (let i = 0; i < 2999; i++) writeFileSync(join(d, "data", `f${i}.txt`), `row ${i}\n`);
    });
    const r = await migrate("batch-scorer-07", dir);
    expect(r.code, r.stderr).toBe(0);
    const code = documentedStream(r.stdout)
      .events.filter((e) => e.type === "step-progress" && e.step === "code")
      .map((e) => e.message as string);
    expect(code[0]).toMatch(/^uploading 3,000 files \(/);
    expect(code.some((m) => /^uploaded [\d,]+ of 3,000 files/.test(m) && !m.startsWith("uploaded 3,000"))).toBe(true);
    expect(code.at(-1)).toMatch(/^uploaded 3,000 of 3,000 files/);
  });
});
