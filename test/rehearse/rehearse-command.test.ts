import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { runBin } from "../helpers/run-bin.js";

let root = "";
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

/** A code folder and a model folder for the sample service file, with the script given. */
function offline(script: string): { args: string[]; state: string } {
  root = mkdtempSync(join(tmpdir(), "aci-migrate-rehearse-cmd-"));
  const code = join(root, "code");
  const model = join(root, "model");
  mkdirSync(code);
  mkdirSync(model);
  writeFileSync(join(code, "score.py"), script);
  writeFileSync(join(model, "model.json"), '{"weights": [2, 3]}');
  const state = join(root, "state");
  return {
    state,
    args: [
      "--state-dir",
      state,
      "rehearse",
      "--service-json",
      repoPath("samples/service-sklearn-1cpu-2gb.json"),
      "--code-dir",
      code,
      "--model-dir",
      model,
      "--runner",
      "python",
    ],
  };
}

describe("aci-migrate rehearse from files", { timeout: 60_000 }, () => {
  it("runs the script with the model given in the managed layout, offline, and prints the answer", async () => {
    const { args } = offline(
      'import json, os\n\n\ndef init():\n    global m\n    m = json.load(open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")))\n\n\ndef run(raw):\n    return [sum(w * x for w, x in zip(m["weights"], row)) for row in json.loads(raw)["data"]]\n',
    );
    const r = await runBin([...args, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { rehearsed: { verdict: { kind: string; answer: unknown } } };
    expect(out.rehearsed.verdict).toMatchObject({ kind: "passed", answer: [5.5] }); // the default sample: 2 × 0.5 + 3 × 1.5
  });

  it("Ctrl+C stops the script and leaves nothing behind (exit 130)", async () => {
    const { args, state } = offline("import time\n\n\ndef init():\n    time.sleep(120)\n\n\ndef run(raw):\n    return raw\n");
    const env = { ...process.env };
    delete env.CI;
    const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("running init()")) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(code).toBe(130);
    expect(existsSync(join(state, "rehearsals")) ? readdirSync(join(state, "rehearsals")) : []).toEqual([]);
  });
});
