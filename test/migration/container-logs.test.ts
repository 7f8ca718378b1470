import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/domain/plan.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { runMigration } from "../../src/migration/engine.js";
import type { MigrationEvent } from "../../src/migration/events.js";
import type { MigrationPort } from "../../src/migration/port.js";
import { WITHHELD_LINE } from "../../src/session/container-logs.js";
import { SessionStore } from "../../src/session/journal.js";
import { newStepRecords } from "../../src/session/session-file.js";
import { fakeAzure, type FakeAzure } from "../helpers/fake-azure.js";

let fake: FakeAzure | undefined;
let dir = "";
afterEach(() => {
  fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const SECRET = "k3y-0f-th1s-run";

/** The fake workspace, whose deployment writes `total` log lines while it provisions, answering `tail` as Azure does. */
function loggingPort(port: MigrationPort, total: number): { port: MigrationPort; tails: (number | undefined)[] } {
  const log: string[] = [];
  const tails: (number | undefined)[] = [];
  return {
    tails,
    port: {
      ...port,
      deploymentLogs: async (_ws, _endpoint, _name, container, tail) => {
        if (container !== "InferenceServer") return "";
        tails.push(tail);
        for (let i = 0; i < 700 && log.length < total; i++) log.push(log.length === 42 ? `Authorization: Bearer ${SECRET}` : `request ${log.length} scored`);
        return (tail ? log.slice(-tail) : log).join("\n");
      },
      createOrUpdateDeployment: async (ws, spec, wait) => {
        for (let i = 0; i < 100 && log.length < total; i++) {
          wait.onProgress?.({ status: "Creating", changed: i === 0 });
          await new Promise((r) => setTimeout(r, 2)); // the poll it starts reads the logs meanwhile
        }
        return port.createOrUpdateDeployment(ws, spec, wait);
      },
    },
  };
}

describe("a deployment's container logs", () => {
  it("go to a file beside the session in full (0600, a line with a key withheld) while the events carry each line once", async () => {
    fake = fakeAzure(["alpha"]);
    dir = mkdtempSync(join(tmpdir(), "aci-logs-"));
    const store = new SessionStore(dir, () => [SECRET]);
    const doc = fake.services.get("alpha")!;
    const session = store.create({
      status: "running",
      target: { kind: "sandbox", armEndpoint: "https://127.0.0.1:1", ...fake.ws },
      services: [{ name: "alpha", overrides: {}, plan: buildPlan(parseServiceJson(doc, "ws/alpha")), steps: newStepRecords(), resources: {} }],
    });
    const logging = loggingPort(fake.port, 5000);
    const events: MigrationEvent[] = [];
    expect(await runMigration({ port: logging.port, session, secrets: new Set([SECRET]), emit: (e) => events.push(e) })).toBe("done");
    session.release();
    // Every poll asked for the log's tail, never the whole log.
    expect(logging.tails.length).toBeGreaterThan(5);
    expect(logging.tails.every((t) => t !== undefined && t <= 1000)).toBe(true);
    const emitted = events.flatMap((e) => (e.type === "log-lines" && e.container === "InferenceServer" ? e.lines : []));
    expect(emitted).toHaveLength(5000);
    expect(new Set(emitted).size).toBe(5000);
    const logsDir = store.logsDirOf(session.data.id);
    expect(statSync(logsDir).mode & 0o777).toBe(0o700);
    const [file] = readdirSync(logsDir);
    expect(file).toBe(`alpha.${session.data.services[0]!.plan.deploymentName}.InferenceServer.log`);
    expect(statSync(join(logsDir, file!)).mode & 0o777).toBe(0o600);
    const written = readFileSync(join(logsDir, file!), "utf8").trimEnd().split("\n");
    expect(written).toHaveLength(5000);
    expect(written[42]).toBe(WITHHELD_LINE);
    expect(written.join("\n")).not.toContain(SECRET);
    expect(written[4999]).toBe("request 4999 scored");
    // Forgetting the session removes its logs too.
    store.forget(session.data.id);
    expect(readdirSync(join(dir, "sessions")).filter((f) => f.startsWith(session.data.id))).toEqual([]);
  });
});
