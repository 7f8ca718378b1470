import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bench, describe } from "vitest";
import { median, reportRatio, ONCE } from "./support/report.js";

/**
 * Whole-process start-up of the built binary against `node -e 0`, each run 9 times, interleaved, medians:
 * - `aci-migrate --help` (target ≤ 3×);
 * - `aci-migrate plan --service-json …`, a plan from a file with no network (target ≤ 4×).
 * Needs `npm run build` first (npm run bench does it).
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const bin = fileURLToPath(new URL("../bin/aci-migrate.js", import.meta.url));

function wallMs(args: readonly string[]): number {
  const env = { ...process.env };
  delete env.CI;
  const t = performance.now();
  execFileSync(process.execPath, args, { cwd: root, env, stdio: "ignore" });
  return performance.now() - t;
}

function compare(row: string, args: readonly string[], target: number): void {
  const node: number[] = [];
  const tool: number[] = [];
  wallMs(["-e", "0"]); // warm the file cache for both
  wallMs([bin, ...args]);
  for (let i = 0; i < 9; i++) {
    node.push(wallMs(["-e", "0"]));
    tool.push(wallMs([bin, ...args]));
  }
  reportRatio(row, `${median(tool).toFixed(0)} ms vs node -e 0 ${median(node).toFixed(0)} ms (medians of 9)`, median(tool) / median(node), { atMost: target });
}

describe("start-up", () => {
  bench("aci-migrate --help vs node -e 0", () => compare("`aci-migrate --help` wall time vs `node -e 0`", ["--help"], 3), ONCE);
  bench(
    "plan --service-json vs node -e 0",
    () => compare("`plan --service-json samples/…` (no network) vs `node -e 0`", ["plan", "--service-json", "samples/service-sklearn-1cpu-2gb.json"], 4),
    ONCE,
  );
});
