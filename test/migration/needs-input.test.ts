import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AzureMigrationAdapter } from "../../src/azure/migration-adapter.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { buildPlan, type PlanOverrides } from "../../src/domain/plan.js";
import { likelyCause } from "../../src/migration/diagnose.js";
import { runMigration } from "../../src/migration/engine.js";
import type { InputAnswer, MigrationEvent } from "../../src/migration/events.js";
import { SessionStore } from "../../src/session/journal.js";
import { newStepRecords } from "../../src/session/session-file.js";
import { useSandbox } from "../helpers/sandbox.js";

// The engine in this process, the real SDK clients against the sandbox: what it asks, and what each answer does.
const h = useSandbox({ speed: 400 });
let stateDir = "";
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "aci-migrate-needs-input-"));
});

type NeedsInput = Extract<MigrationEvent, { type: "needs-input" }>;

async function newSession(service: string, overrides: PlanOverrides = {}): Promise<string> {
  const ws = { subscriptionId: h.prodSub, resourceGroup: "rg-ml-prod", workspace: "ml-prod-eastus", location: "eastus" };
  const doc = await h.mms().getService(ws, service);
  const session = new SessionStore(stateDir).create({
    status: "running",
    target: { kind: "sandbox", armEndpoint: h.sb.armEndpoint, ...ws },
    services: [{ name: service, overrides, plan: buildPlan(parseServiceJson(doc, service), overrides), steps: newStepRecords(), resources: {} }],
  });
  session.release();
  return session.data.id;
}

/** Runs the session; every question is answered by `answer` (recorded), every event kept. */
async function run(sessionId: string, answer: (q: NeedsInput) => InputAnswer, o: { resumed?: boolean; signal?: AbortSignal } = {}) {
  const events: MigrationEvent[] = [];
  const questions: NeedsInput[] = [];
  const session = new SessionStore(stateDir).open(sessionId);
  try {
    const status = await runMigration({
      port: new AzureMigrationAdapter({ ...h.conn, pollIntervalMs: 20, retryDelayMs: 10 }),
      session,
      secrets: new Set(),
      backoffMs: 10,
      signal: o.signal,
      resumed: o.resumed,
      emit: (e) => {
        events.push(e);
        if (e.type === "needs-input") {
          questions.push(e);
          e.respond(answer(e));
        }
      },
    });
    return { status, events, questions, session: session.data };
  } finally {
    session.release();
  }
}

const deploymentOf = (endpoint: string) => h.sb.world.deployments.filter((d) => d.endpoint === endpoint);

describe("needs-input: a failed or differing resource is the user's call", () => {
  let brokenSession = "";

  it("a deployment that fails now shows its crash lines, then asks; stop leaves it and the step fails with Azure's words", async () => {
    brokenSession = await newSession("broken-env", { acknowledge: ["missing-inference-server"] });
    const r = await run(brokenSession, () => ({ choice: "stop" }));
    expect(r.status).toBe("failed");
    expect(r.questions).toHaveLength(1);
    expect(r.questions[0]).toMatchObject({
      service: "broken-env",
      step: "deployment",
      resource: "deployment",
      situation: "failed-now",
      choices: ["retry", "adapt", "stop"],
      error: { kind: "azure", message: expect.stringContaining("ResourceNotReady") },
    });
    const asked = r.events.indexOf(r.questions[0]!);
    const logsBefore = r.events
      .slice(0, asked)
      .filter((e) => e.type === "log-lines")
      .flatMap((e) => e.lines)
      .join("\n");
    expect(logsBefore).toContain("No module named 'azureml_inference_server_http'");
    expect(r.events).toContainEqual(expect.objectContaining({ type: "input-received", answer: { choice: "stop" } }));
    expect(r.events).toContainEqual(
      expect.objectContaining({ type: "step-failed", step: "deployment", error: expect.objectContaining({ code: "ResourceNotReady" }) }),
    );
    expect(deploymentOf("broken-env-online")).toHaveLength(1);
  });

  it("on resume the failed deployment is asked about again; adapt with another environment fixes it in place", async () => {
    const r = await run(brokenSession, () => ({ choice: "adapt", overrides: { environment: "sklearn-inference-env:4" } }), { resumed: true });
    expect(r.questions.map((q) => q.situation)).toEqual(["failed-earlier"]);
    expect(r.questions[0]!.message).toMatch(/^Deployment blue is Failed from an earlier run\. It failed with: .*ResourceNotReady/);
    expect(r.status).toBe("done");
    // The new plan is journalled (a later resume keeps it) and one deployment was updated, not a second made.
    expect(r.session.services[0]!.overrides.environment).toBe("sklearn-inference-env:4");
    expect(r.session.services[0]!.plan.environment).toEqual({ kind: "registered", name: "sklearn-inference-env", version: "4" });
    const [d] = deploymentOf("broken-env-online");
    expect(deploymentOf("broken-env-online")).toHaveLength(1);
    expect(String(d!.properties.environmentId)).toMatch(/environments\/sklearn-inference-env\/versions\/4$/);
    expect(h.sb.world.endpoints.find((e) => e.name === "broken-env-online")?.traffic).toEqual({ blue: 100 });
  });

  it("a deployment that runs differently from the plan: stop leaves it, retry applies the plan", async () => {
    expect((await run(await newSession("churn-keyauth"), () => ({ choice: "retry" }))).status).toBe("done");
    const twoInstances = await newSession("churn-keyauth", { instanceCount: 2 });
    const stopped = await run(twoInstances, () => ({ choice: "stop" }));
    expect(stopped.questions[0]).toMatchObject({ situation: "differs", differences: [{ field: "instances", planned: "2", actual: "1" }] });
    expect(stopped.events).toContainEqual(
      expect.objectContaining({
        type: "step-failed",
        error: expect.objectContaining({ kind: "user-fixable", message: expect.stringContaining("Left as it is, as you chose.") }),
      }),
    );
    expect(deploymentOf("churn-keyauth-online")[0]!.sku).toMatchObject({ capacity: 1 });

    const applied = await run(twoInstances, () => ({ choice: "retry" }), { resumed: true });
    expect(applied.status).toBe("done");
    expect(deploymentOf("churn-keyauth-online")).toHaveLength(1);
    expect(deploymentOf("churn-keyauth-online")[0]!.sku).toMatchObject({ capacity: 2 });
  });

  it("a deployment running another environment or request timeout than the session's plan is reported, not called already as planned", async () => {
    expect((await run(await newSession("iris-noauth"), () => ({ choice: "retry" }))).status).toBe("done");
    // The same service planned with another environment and timeout: what runs is compared with all the plan sets.
    const other = await newSession("iris-noauth", { environment: "lightgbm-env:2", requestTimeoutMs: 30_000 });
    const stopped = await run(other, () => ({ choice: "stop" }));
    expect(stopped.questions).toHaveLength(1);
    expect(stopped.questions[0]).toMatchObject({ situation: "differs" });
    expect(stopped.questions[0]!.differences).toEqual(
      expect.arrayContaining([
        { field: "environment", planned: "lightgbm-env:2", actual: "sklearn-inference-env:4" },
        { field: "request timeout", planned: "30 s", actual: expect.stringMatching(/^\d+ s$/) },
      ]),
    );
    expect(stopped.events.some((e) => e.type === "step-finished" && e.detail.includes("already runs as planned"))).toBe(false);
    const applied = await run(other, () => ({ choice: "retry" }), { resumed: true });
    expect(applied.status).toBe("done");
    expect(String(deploymentOf("iris-noauth-online")[0]!.properties.environmentId)).toMatch(/environments\/lightgbm-env\/versions\/2$/);
    // Now it runs as planned: a further run finds nothing to change.
    const again = await run(other, () => ({ choice: "stop" }), { resumed: true });
    expect(again.questions).toEqual([]);
  });

  it("adapting to settings that are not valid fails the step instead of guessing; cancelling while asked leaves it resumable", async () => {
    const session = await newSession("sklearn-1cpu-2gb", { instanceCount: 1 });
    await run(session, () => ({ choice: "retry" }));
    const changed = await newSession("sklearn-1cpu-2gb", { instanceCount: 2 });
    const wrong = await run(changed, () => ({ choice: "adapt", overrides: { sku: "Standard_B1s" } }));
    expect(wrong.events).toContainEqual(
      expect.objectContaining({ type: "step-failed", error: expect.objectContaining({ kind: "user-fixable", message: expect.stringContaining("not valid") }) }),
    );

    const controller = new AbortController();
    const cancelled = await run(changed, () => (controller.abort(new Error("Ctrl+C")), { choice: "retry" }), { signal: controller.signal });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.session.services[0]!.steps.deployment.status).toBe("pending");
  });

  it("an environment whose image does not build: the question carries the build log's failing lines, read from the workspace's storage, and the likely cause names the package", async () => {
    const id = await newSession("credit-2cpu-4gb", { environment: "sklearn-typo-env:1" });
    const r = await run(id, () => ({ choice: "stop" }));
    expect(r.status).toBe("failed");
    const q = r.questions[0]!;
    expect(q.error?.code).toBe("ImageBuildFailure");
    expect(q.error?.message).toContain("No matching distribution found for scikit-learn==1.0.22");
    const cause = likelyCause(q.error, [], "deployment")!;
    expect(cause.cause).toBe("The environment's image did not build: ERROR: No matching distribution found for scikit-learn==1.0.22");
    expect(cause.remedy).toContain("register a new version, and retry with it");
    // What the journal keeps for a resume says it too.
    expect(r.session.services[0]!.steps.deployment.error?.message).toContain("scikit-learn==1.0.22");
  });
});
