import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AzureMigrationAdapter } from "../../src/azure/migration-adapter.js";
import { driveSession } from "../../src/cli/drive-session.js";
import { HeldOutput } from "../../src/cli/plain/held-output.js";
import { readRequests } from "../../src/cli/read-requests.js";
import { askWhatNow } from "../../src/journey/follow-run.js";
import { SessionStore } from "../../src/session/journal.js";
import { DRIFT_FROM_FIRST_FEATURE } from "../../src/sandbox/rebuilt-environment.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { scriptedPrompter } from "../helpers/scripted-prompter.js";

/**
 * The gate before traffic moves: the seeded churn-drift answers as the ACI service for the smoke test's sample,
 * and differently for older customers (its new image resolves a newer scikit-learn). A replay of real requests
 * finds it; with --yes the migration stops before traffic moves, and at a question a person chooses.
 */
const sandbox = useAttachedSandbox({ speed: 300 });
const cli = (args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const dir = mkdtempSync(join(tmpdir(), "aci-migrate-gate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 40 requests, one customer each; ages 20 to 59, so the ones from DRIFT_FROM_FIRST_FEATURE on drift. */
function requestsFile(): string {
  const file = join(dir, "requests.jsonl");
  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ data: [[20 + i, i % 7, i % 3, 30 + i * 1.5, i % 5]] }));
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}
const firstDrifting = DRIFT_FROM_FIRST_FEATURE - 20;
const scoredOnline = () => sandbox.served.filter((r) => r.operation === "Score_Online" && r.path.includes("/churn-drift-online/")).length;

describe("the replay gate before traffic moves", () => {
  it(
    "with --yes: stops before traffic moves, names the first disagreeing request; a person at the question may move it anyway",
    { timeout: 180_000 },
    async () => {
      const requests = requestsFile();
      const r = await cli(["migrate", "-w", "ml-prod-eastus", "--service", "churn-drift", "--requests", requests, "--rate", "0", "--yes", "--json"]);
      expect(r.code).toBe(1);
      const events = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .filter((x) => x.event)
        .map((x) => x.event);
      expect(events.find((e) => e.type === "step-finished" && e.step === "smoke-test")?.detail).toMatch(/answers as the ACI service/);
      const failed = events.find((e) => e.type === "step-failed");
      expect(failed.step).toBe("compare");
      expect(failed.error.message).toContain(`The first disagreeing request is #${firstDrifting}, at $[0].`);
      expect(failed.error.message).toMatch(/75% of the answers agree; at least 100% must \(10 disagree/);

      // Traffic did not move, and the ACI service is as it was.
      const endpoint = sandbox.sb.world.endpoints.find((e) => e.name === "churn-drift-online")!;
      expect(Object.values(endpoint.traffic).filter((w) => w > 0)).toEqual([]);
      expect(sandbox.sb.world.services.find((s) => s.name === "churn-drift")?.doc.state).toBe("Healthy");

      // The report shows the first disagreement side by side, and the session names it.
      const sessionId = events.find((e) => e.type === "session-started").sessionId as string;
      const shown = JSON.parse((await cli(["sessions", "show", sessionId, "--json"])).stdout).session.services[0];
      expect(shown.replay.report).toMatchObject({ passed: false, agreement: 0.75, replayed: 40 });
      expect(existsSync(shown.replay.report.file)).toBe(true);
      const markdown = readFileSync(shown.replay.report.file.replace(/\.html$/, ".md"), "utf8");
      expect(markdown).toContain(`### Request ${firstDrifting}: first differs at \`$[0]\``);
      expect(markdown).toContain(`"data": [\n    [\n      ${DRIFT_FROM_FIRST_FEATURE},`);

      // Resumed with a person at the question: the replay is not sent again, the report is at hand, and "accept" moves the traffic.
      const sent = scoredOnline();
      const ask = scriptedPrompter({ "What now for churn-drift?": [(values: unknown[]) => (values.includes("accept") ? "accept" : "stop")] });
      const details: string[] = [];
      const select = ask.select.bind(ask);
      ask.select = (message, choices, o) => (details.push(o?.details?.text ?? ""), select(message, choices, o));
      const secrets = new Set<string>();
      const store = new SessionStore(sandbox.stateDir, () => [...secrets]);
      const target = store.read(store.fileOf(sessionId)).target;
      const ws = { subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup, workspace: target.workspace, location: target.location };
      const { armEndpoint, credential, caPem } = sandbox.sb;
      const port = new AzureMigrationAdapter({
        armEndpoint,
        credential,
        caPem,
        storageAccountUrl: (a) => `${armEndpoint}/${a}`,
        pollIntervalMs: 20,
        retryDelayMs: 10,
      });
      const lines: string[] = [];
      const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t), decorated: false };
      const result = await driveSession(new HeldOutput(io), false, port, store, sessionId, secrets, {
        concurrency: 1,
        resumed: true,
        readRequests,
        command: (args) => `aci-migrate --sandbox ${args}`,
        answer: (request, plan) => askWhatNow(ask, request, plan, { port, ws }),
      });
      expect(result.exitCode, lines.join("\n")).toBe(0);
      expect(ask.asked).toEqual(["What now for churn-drift?"]);
      expect(details[0]).toContain(shown.replay.report.file);
      // A resume runs every step again from what Azure has: the smoke test scores its one sample; the replay sends nothing.
      expect(scoredOnline() - sent).toBe(1);
      expect(sandbox.sb.world.endpoints.find((e) => e.name === "churn-drift-online")?.traffic).toEqual({ blue: 100 });
    },
  );
});
