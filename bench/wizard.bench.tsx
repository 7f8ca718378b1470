import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderInMemoryTerminal } from "./support/memory-terminal.js";
import { median, ONCE, p95, reportLine, reportRatio } from "./support/report.js";
import { afterAll, beforeAll, bench, describe } from "vitest";
import { AzureMigrationAdapter } from "../src/azure/migration-adapter.js";
import { connectionFor, publishConnection } from "../src/cli/sandbox-connection.js";
import { wizardBackend } from "../src/cli/wizard-backend.js";
import type { MigrationPort } from "../src/migration/port.js";
import { startSandbox, type Sandbox } from "../src/sandbox/index.js";
import { runJourney } from "../src/journey/journey.js";
import { Host } from "../src/ui/Host.js";
import { HostStore } from "../src/ui/host-store.js";
import { inkPrompter } from "../src/ui/ink-prompter.js";

/**
 * The wizard's responsiveness:
 * - time to its first interactive frame vs a hello-world ink app, both started as `node …` in a pseudo-terminal
 *   (`script`), on a sandbox the wizard attaches to (printed as a ratio);
 * - key-to-frame latency (median, p95) while 10,000 log lines stream into the deploy screen, and how much RSS
 *   grows from the run's start to its end, each read after a full collection (drawn on a terminal that holds one
 *   frame, as a real one does). Every frame ink lays out allocates megabytes that die young; read without a
 *   collection, the growth said more of when V8 last collected than of what the run keeps.
 */
const SPEED = 20;
let sb: Sandbox;
let stateDir = "";

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "bench-wizard-"));
  // The sandbox shares the bench's process: its containers running scoring scripts (about 20 MB the first time,
  // the same the second) would be counted as the wizard's memory, so here it runs none and answers by its formula.
  sb = await startSandbox({ speed: SPEED, stateDir, python: "/nonexistent/python3" });
  publishConnection(stateDir, sb, SPEED);
});
afterAll(() => sb.stop());

/** Milliseconds from spawn until the terminal shows each of `markers`, in a pseudo-terminal made by `script`. */
function timeToFrames(command: string, markers: readonly string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.CI;
    const start = performance.now();
    const child = spawn("script", ["-qfec", `stty cols 100 rows 40; ${command}`, "/dev/null"], { env, stdio: ["pipe", "pipe", "ignore"] });
    let out = "";
    const seen: number[] = [];
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`no "${markers[seen.length]}" within 20 s: ${out.slice(-300)}`))), 20_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
      while (seen.length < markers.length && out.includes(markers[seen.length]!)) seen.push(performance.now() - start);
      if (seen.length === markers.length) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve(seen);
      }
    });
  });
}

describe("wizard start-up", () => {
  bench(
    "first interactive frame vs hello-world ink",
    async () => {
      const node = JSON.stringify(process.execPath);
      const frame: number[] = [];
      const question: number[] = [];
      const hello: number[] = [];
      for (let i = 0; i < 9; i++) {
        hello.push((await timeToFrames(`${node} bench/fixtures/hello-ink.mjs`, ["Hello from ink"]))[0]!);
        // The first frame: the wizard is drawn and its keys work (Ctrl+C, ?) while it opens the sandbox.
        const [drawn, asked] = await timeToFrames(`${node} bin/aci-migrate.js --sandbox --state-dir ${JSON.stringify(stateDir)}`, [
          "Opening the sandbox",
          "Which subscription?",
        ]);
        frame.push(drawn!);
        question.push(asked!);
      }
      reportRatio(
        "wizard's first interactive frame vs a hello-world ink app",
        `wizard ${median(frame).toFixed(0)} ms, hello-world ink ${median(hello).toFixed(0)} ms (medians of 9)`,
        median(frame) / median(hello),
        { atMost: 1.25 },
      );
      reportLine(
        "wizard's first question (subscriptions listed)",
        `${median(question).toFixed(0)} ms, ${(median(question) / median(hello)).toFixed(2)}× the hello-world ink app`,
      );
    },
    ONCE,
  );
  bench(
    "npm start a second time vs the binary",
    async () => {
      const node = JSON.stringify(process.execPath);
      const state = mkdtempSync(join(tmpdir(), "bench-npm-start-"));
      execFileSync(process.execPath, ["scripts/build-if-stale.mjs"], { stdio: "ignore" }); // the first start's build
      const npm: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < 5; i++) {
        // Each on a state directory of its own, so each embeds a sandbox there as a newcomer's `npm start` does.
        npm.push((await timeToFrames(`npm start --silent -- --state-dir ${JSON.stringify(join(state, `npm-${i}`))}`, ["Which subscription?"]))[0]!);
        direct.push(
          (await timeToFrames(`${node} bin/aci-migrate.js --sandbox --state-dir ${JSON.stringify(join(state, `bin-${i}`))}`, ["Which subscription?"]))[0]!,
        );
      }
      rmSync(state, { recursive: true, force: true });
      reportRatio(
        "`npm start` a second time (nothing changed) vs `node bin/aci-migrate.js --sandbox`, to the first question",
        `npm start ${median(npm).toFixed(0)} ms, the binary ${median(direct).toFixed(0)} ms (medians of 5)`,
        median(npm) / median(direct),
        { atMost: 1.3 },
      );
    },
    ONCE,
  );
});

/** The real adapter, but a deployment's InferenceServer log grows to `total` lines over the deployment. */
function streamingLogs(port: MigrationPort, total: number, progress: { served: number }): MigrationPort {
  let served = 0;
  const lines: string[] = [];
  return new Proxy(port, {
    get(target, prop, receiver) {
      if (prop !== "deploymentLogs") return Reflect.get(target, prop, receiver);
      return async (_ws: unknown, _e: string, _d: string, container: string, tail?: number) => {
        if (container !== "InferenceServer") return "";
        const add = Math.min(total - served, 500);
        for (let i = 0; i < add; i++) lines.push(`2026-11-25 12:00:00,000 I [42] azmlinfsrv - request ${served + i} scored in ${(served + i) % 97} ms`);
        served += add;
        progress.served = served;
        return (tail ? lines.slice(-tail) : lines).join("\n"); // as Azure's getLogs answers its `tail`
      };
    },
  });
}

describe("wizard under load", () => {
  bench(
    "key-to-frame latency while 10,000 log lines stream",
    async () => {
      // Twice in one process: memory must stay flat across runs, not only within one.
      for (let i = 1; i <= 2; i++) {
        const r = await keyToFrame();
        reportRatio(`10,000 streamed log lines, run ${i}: key-to-frame p95 (ms, target ≤ 50)`, `median ${r.median.toFixed(1)} ms over ${r.keys} keys`, r.p95, {
          atMost: 50,
        });
        reportRatio(`10,000 streamed log lines, run ${i}: RSS growth (MB, target ≤ 30)`, `${r.rssBeforeMb.toFixed(0)} MB before`, r.rssGrowthMb, {
          atMost: 30,
        });
      }
    },
    ONCE,
  );
});

let runs = 0;
const LINES = 10_000;

/** RSS after a full collection (npm run bench exposes gc), so garbage not yet collected is not counted as growth. */
function settledRss(): number {
  global.gc?.();
  return process.memoryUsage().rss;
}

async function keyToFrame(): Promise<{ median: number; p95: number; keys: number; rssBeforeMb: number; rssGrowthMb: number }> {
  const conn = connectionFor({ armEndpoint: sb.armEndpoint, caPem: sb.caPem, token: sb.token, speed: SPEED });
  const streamed = { served: 0 };
  const port = streamingLogs(new AzureMigrationAdapter(conn), LINES, streamed);
  const backend = wizardBackend({ conn, sandbox: true, close: async () => {} }, { stateDir, port, command: (args) => `aci-migrate ${args}` });
  const store = new HostStore();
  const ask = inkPrompter(store, { decorated: false, command: backend.command });
  const ink = renderInMemoryTerminal(<Host store={store} decorated={false} onInterrupt={() => ask.interrupt()} />);
  const journey = runJourney(backend, ask).catch(() => 1);
  const frame = () => ink.lastFrame() ?? "";
  const waitFor = async (ok: () => boolean, what = "the frame") => {
    const start = Date.now();
    while (!ok()) {
      if (Date.now() - start > 60_000) throw new Error(`bench: no ${what} within 60 s. Last frame:\n${frame()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const key = async (k: string) => {
    ink.stdin.write(k);
    await new Promise((r) => setTimeout(r, 20));
  };
  await waitFor(() => frame().includes("Which subscription?") || frame().includes("Resume a session"));
  if (frame().includes("Resume a session")) {
    for (const ch of "Start a new") await key(ch);
    await key("\r");
  }
  await waitFor(() => frame().includes("Which subscription?"));
  await key("\r");
  await waitFor(() => frame().includes("ml-batch-eastus"));
  await key("\u001B[B");
  await key("\r");
  await waitFor(() => frame().includes("batch-scorer-01"));
  const service = `batch-scorer-${String(++runs).padStart(2, "0")}`; // tinybench may run this twice: a fresh service each time
  for (const ch of service) await key(ch);
  await key(" ");
  await key("\r");
  await waitFor(() => frame().includes(`${service}: what next?`));
  await key("\r");
  await waitFor(() => frame().includes("Start the migration of"));
  // From here on what grows is the run and its logs: the journey, the adapter and the Azure clients are loaded.
  const rssBefore = settledRss();
  await key("\r");
  await waitFor(() => frame().includes("scored in"), "log lines");
  // Toggle the log pane with `l` while lines stream; each press must show in the next frame.
  const latencies: number[] = [];
  for (let i = 0; (i < 40 || streamed.served < LINES) && !frame().includes("Retire the old ACI service"); i++) {
    const showing = frame().includes("logs · inference server");
    const writes = ink.writes();
    const t = performance.now();
    ink.stdin.write("l");
    await waitFor(() => ink.writes() > writes && frame().includes("logs · inference server") !== showing);
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 60));
  }
  const rssAfter = settledRss();
  ask.interrupt();
  await journey;
  ink.unmount();
  return {
    median: median(latencies),
    p95: p95(latencies),
    keys: latencies.length,
    rssBeforeMb: rssBefore / 1024 / 1024,
    rssGrowthMb: (rssAfter - rssBefore) / 1024 / 1024,
  };
}
