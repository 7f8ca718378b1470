import { mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, bench, describe } from "vitest";
import type { RehearsalJob } from "../src/domain/rehearsal.js";
import { rehearse } from "../src/rehearse/rehearse.js";
import { scanScoringScript } from "../src/scan/python-scan.js";
import { scoreScript } from "../src/sandbox/seed-scripts.js";
import { median, reportRatio, ONCE } from "./support/report.js";

/**
 * The rehearsal and the script check against the targets (#22), as ratios of the measured figure to the
 * target (≤ 1 meets it):
 * - a rehearsal of a standard-library service on a prepared environment (its virtual environment built once
 *   before): ≤ 5 s wall, median of 5;
 * - the static check of a 1 MB scoring script: ≤ 1 s, and ≤ 100 MB more RSS (after a full collection).
 */
const state = mkdtempSync(join(tmpdir(), "aci-migrate-bench-rehearse-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));

const job: RehearsalJob = {
  service: "bench-svc",
  layout: { codeFolder: "bench-svc-code", scoringScript: "score.py", modelFolder: "bench-model/1", environmentVariables: {} },
  placeCode: (dir) => writeFile(join(dir, "score.py"), scoreScript({ name: "bench-svc", models: ["bench-model:1"] })),
  placeModel: (dir) => writeFile(join(dir, "model.json"), JSON.stringify({ weights: [0.1, 0.2, 0.3, 0.4, 0.5] })),
  environment: { conda: { dependencies: ["python=3.11"] }, packages: ["python"] },
  sample: { body: { data: [[1, 2, 3, 4, 5]] }, source: "a bench sample" },
  requestTimeoutMs: 10_000,
};

/** A script of about `bytes` characters in the style of real ones: functions, imports, paths, dictionaries. */
function bigScript(bytes: number): string {
  let src = "import json\nimport os\n\n";
  for (let i = 0; src.length < bytes; i++) {
    src += `
def helper_${i}(x, y=${i}):
    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model_${i}.json")
    data = json.loads(x)
    total = sum(w * v for w, v in zip(data["weights"], x)) + y
    return {"value": total, "name": f"helper_{x}_${i}", "items": [1, 2, 3, "${i}"]}
`;
  }
  return src;
}

describe("rehearse", () => {
  bench(
    "a rehearsal of a standard-library service on a prepared environment",
    async () => {
      const first = await rehearse(job, state, { runner: "venv" }); // builds the environment: not timed
      if (first.verdict.kind !== "passed") throw new Error(`the bench service did not pass: ${JSON.stringify(first.verdict)}`);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await rehearse(job, state, { runner: "venv" });
        times.push(performance.now() - t);
      }
      const ms = median(times);
      reportRatio("rehearsal on a prepared environment vs 5 s", `${(ms / 1000).toFixed(2)} s`, ms / 5000, { atMost: 1 });
    },
    ONCE,
  );

  bench(
    "the static check of a 1 MB scoring script",
    async () => {
      const context = { models: [{ name: "gbm", version: "4" }], environmentPackages: ["azureml-inference-server-http"] };
      await scanScoringScript("import os\n", "warm.py", context); // loads the parser: not timed
      const script = bigScript(1024 * 1024);
      global.gc?.();
      const before = process.memoryUsage().rss;
      const t = performance.now();
      await scanScoringScript(script, "score.py", context);
      const ms = performance.now() - t;
      const grown = (process.memoryUsage().rss - before) / 1e6;
      reportRatio("static check of a 1 MB script vs 1 s", `${ms.toFixed(0)} ms`, ms / 1000, { atMost: 1 });
      reportRatio("static check of a 1 MB script, RSS growth vs 100 MB", `${grown.toFixed(0)} MB`, grown / 100, { atMost: 1 });
    },
    ONCE,
  );
});
