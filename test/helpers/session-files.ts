import { buildPlan } from "../../src/domain/plan.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { SessionStore } from "../../src/session/journal.js";
import { newStepRecords, type SessionFile } from "../../src/session/session-file.js";
import { readJson } from "./fixtures.js";

/** A real session file (made by the journal from a real plan), released, for tests that read or damage one. */
export function writeSession(stateDir: string, o: { status?: SessionFile["status"]; kind?: "azure" | "sandbox" } = {}): SessionFile {
  const plan = buildPlan(parseServiceJson(readJson("samples/service-sklearn-1cpu-2gb.json"), "sample"), {});
  const open = new SessionStore(stateDir).create({
    status: o.status ?? "failed",
    target: {
      kind: o.kind ?? "sandbox",
      armEndpoint: "https://127.0.0.1:1",
      subscriptionId: "00000000-0000-0000-0000-000000000001",
      resourceGroup: "rg",
      workspace: "ws",
      location: "eastus",
    },
    services: [{ name: plan.service.name, overrides: {}, plan, steps: newStepRecords(), resources: {} }],
  });
  open.release();
  return open.data;
}
