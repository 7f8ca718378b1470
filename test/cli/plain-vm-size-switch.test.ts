import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AzureMigrationAdapter } from "../../src/azure/migration-adapter.js";
import { driveSession } from "../../src/cli/drive-session.js";
import { HeldOutput } from "../../src/cli/plain/held-output.js";
import { askWhatNow } from "../../src/journey/follow-run.js";
import type { Prompter } from "../../src/journey/prompter.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { buildPlan } from "../../src/domain/plan.js";
import { SessionStore } from "../../src/session/journal.js";
import { newStepRecords } from "../../src/session/session-file.js";
import { useSandbox } from "../helpers/sandbox.js";

/**
 * The journey's question after a failed deployment (askWhatNow, the questions of edit-plan) answered by a
 * script of a person's answers, against the sandbox through the real SDK clients: a new VM size there is the
 * same blue/green switch the commands and the wizard make.
 */
const h = useSandbox({ speed: 400 });
const stateDir = mkdtempSync(join(tmpdir(), "aci-migrate-plain-switch-"));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** Answers by question: what a person would pick, in order, for each kind of question. */
function scripted(answers: { select: Record<string, unknown[]>; input: Record<string, string[]> }): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const take = <T>(table: Record<string, T[]>, message: string): T => {
    asked.push(message);
    const key = Object.keys(table).find((k) => message.startsWith(k));
    if (!key || !table[key]!.length) throw new Error(`unexpected question: ${message}`);
    return table[key]!.shift()!;
  };
  return {
    asked,
    decorated: false,
    interrupted: new AbortController().signal,
    say: () => undefined,
    select: async (message) => take(answers.select, message) as never,
    selectOrBack: async (message) => take(answers.select, message) as never,
    checkbox: async () => [],
    input: async (message) => take(answers.input, message),
    confirm: async () => true,
    working: (_label, work) => work,
    follow: () => ({ event: () => undefined, end: () => undefined }),
  };
}

describe("plain mode: a new VM size after a failure", () => {
  it("creates green on the chosen size beside the failed blue, moves the traffic and deletes blue", { timeout: 60_000 }, async () => {
    const ws = { subscriptionId: h.prodSub, resourceGroup: "rg-ml-prod", workspace: "ml-prod-eastus", location: "eastus" };
    const overrides = { acknowledge: ["missing-inference-server"] };
    const store = new SessionStore(stateDir);
    const session = store.create({
      status: "running",
      target: { kind: "sandbox", armEndpoint: h.sb.armEndpoint, ...ws },
      services: [
        {
          name: "broken-env",
          overrides,
          plan: buildPlan(parseServiceJson(await h.mms().getService(ws, "broken-env"), "broken-env"), overrides),
          steps: newStepRecords(),
          resources: {},
        },
      ],
    });
    session.release();
    const lines: string[] = [];
    const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t), decorated: false };
    const ask = scripted({
      select: {
        "What now for broken-env?": ["adapt"],
        "Change what, then apply?": ["sku", "environment", "apply"],
        "VM size for broken-env": ["Standard_F4s_v2"],
        "Environment for broken-env": ["sklearn-inference-env:4"],
      },
      input: {},
    });
    const port = new AzureMigrationAdapter({ ...h.conn, pollIntervalMs: 20, retryDelayMs: 10 });
    const result = await driveSession(new HeldOutput(io), false, port, store, session.data.id, new Set(), {
      concurrency: 1,
      resumed: false,
      command: (args) => `aci-migrate --sandbox ${args}`,
      answer: (request, plan) => askWhatNow(ask, request, plan, { port, ws }),
    });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(ask.asked[0]).toBe("What now for broken-env?");
    const deployments = h.sb.world.deployments.filter((d) => d.endpoint === "broken-env-online");
    expect(deployments.map((d) => [d.name, d.properties.instanceType])).toEqual([["green", "Standard_F4s_v2"]]);
    expect(h.sb.world.endpoints.find((e) => e.name === "broken-env-online")?.traffic).toEqual({ green: 100 });
    expect(lines.join("\n")).toMatch(/Azure cannot change a deployment's VM size: creating green on Standard_F4s_v2/);
  });
});
