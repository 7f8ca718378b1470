import { Chalk } from "chalk";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { LOG_WINDOW, newDeployView, onRunEvent, type DeployView } from "../../src/ui/deploy-view.js";
import { actionFor, footerOf, helpLines, KEY_TABLE } from "../../src/ui/keys.js";
import { runLines } from "../../src/ui/run-lines.js";
import { FRAME_MS, HostStore } from "../../src/ui/host-store.js";
import type { MigrationEvent } from "../../src/migration/events.js";

// The deploy view is a pure reducer over the engine's events: fed here by hand, no engine, no ink.
const feed = (view: DeployView, ...events: MigrationEvent[]) =>
  events.reduce<{ view: DeployView; finished: string[] }>(
    (acc, e) => {
      const next = onRunEvent(acc.view, e, 1_000);
      return { view: next.view, finished: [...acc.finished, ...next.finished] };
    },
    { view, finished: [] },
  );
const plain = new Chalk({ level: 0 });

/** Service a's container crashes without the inference server, and the engine asks what now. */
const crashedAndAsked = (message: string): MigrationEvent[] => [
  { type: "log-lines", service: "a", container: "InferenceServer", lines: ["ModuleNotFoundError: No module named 'azureml_inference_server_http'"] },
  {
    type: "needs-input",
    service: "a",
    step: "deployment",
    situation: "failed-now",
    resource: "deployment",
    message,
    error: { kind: "azure", message: "ResourceNotReady", code: "ResourceNotReady" },
    choices: ["retry", "adapt", "stop"],
    respond: () => undefined,
  },
];
const layout = { columns: 80, rows: 24, showLogs: true, container: "InferenceServer" as const, spin: "*", now: 2_000 };

describe("the deploy view", () => {
  it("a finished step shows its detail, not the operation's last state; its line is printed once", () => {
    const { view, finished } = feed(
      newDeployView("s1", ["a"]),
      { type: "step-started", service: "a", step: "deployment" },
      { type: "step-progress", service: "a", step: "deployment", message: "deployment Creating", lro: { status: "Creating" } },
      { type: "step-finished", service: "a", step: "deployment", outcome: "done", detail: "deployment blue on 1 × Standard_DS1_v2" },
    );
    expect(view.lanes.a!.steps.deployment).toMatchObject({ status: "done", detail: "deployment blue on 1 × Standard_DS1_v2", lro: undefined });
    expect(finished).toEqual(["✓ a · deployment: deployment blue on 1 × Standard_DS1_v2"]);
    const lines = runLines(view, plain, layout).join("\n");
    expect(lines).toMatch(/✓ deployment +\d+s +deployment blue on 1 × Standard_DS1_v2/);
    expect(lines).not.toContain("Creating");
  });

  it("a step waiting for the person has no spinner and shows the failure with its likely cause", () => {
    const { view } = feed(newDeployView("s1", ["a"]), { type: "step-started", service: "a", step: "deployment" }, ...crashedAndAsked("Deployment blue failed"));
    expect(view.lanes.a!.steps.deployment.status).toBe("waiting");
    const lines = runLines(view, plain, layout).join("\n");
    expect(lines).not.toContain("* deployment");
    expect(lines).toContain("? deployment");
    expect(lines).toContain("Likely cause: The environment has no inference server");
    expect(feed(view, { type: "input-received", service: "a", step: "deployment", answer: { choice: "retry" } }).view.lanes.a!.failure).toBeUndefined();
  });

  it("keeps a bounded window of log lines however long the logs", () => {
    let view = newDeployView("s1", ["a"]);
    for (let i = 0; i < 50; i++)
      view = onRunEvent(
        view,
        { type: "log-lines", service: "a", container: "InferenceServer", lines: Array.from({ length: 100 }, (_, j) => `line ${i * 100 + j}`) },
        0,
      ).view;
    expect(view.lanes.a!.logs.InferenceServer).toHaveLength(LOG_WINDOW);
    expect(view.lanes.a!.logs.InferenceServer.at(-1)).toBe("line 4999");
    expect(view.lanes.a!.logs.InferenceServer[0]).toBe(`line ${5000 - LOG_WINDOW}`); // the latest, in order
  });

  it("with many services in few rows: the header, the failing service in full, the others one line each or counted", () => {
    const names = Array.from({ length: 12 }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
    let { view } = feed(
      newDeployView("s1", names),
      ...names
        .slice(0, 10)
        .map((n): MigrationEvent => ({ type: "service-finished", service: n, status: "migrated", endpointName: `${n}-online`, deploymentName: "blue" })),
    );
    view = feed(view, {
      type: "step-failed",
      service: "svc-11",
      step: "deployment",
      error: { kind: "azure", message: "Deployment blue failed: OutOfQuota", code: "OutOfQuota" },
    }).view;
    const lines = runLines(view, plain, { ...layout, rows: 14 });
    expect(lines.length).toBeLessThanOrEqual(14);
    expect(lines[0]).toBe("deploying · session s1 · 10 of 12 finished");
    expect(lines.join("\n")).toContain("Failed: Deployment blue failed: OutOfQuota");
    expect(lines.join("\n")).toContain("Likely cause: Not enough VM quota");
    expect(lines.join("\n")).toMatch(/… \d+ more services/);
  });
});

describe("the record a run leaves in the scrollback", () => {
  it("a failure asked about, and the change it was retried with, stay printed above after the retry succeeds", () => {
    const { finished } = feed(
      newDeployView("s1", ["a"]),
      { type: "step-started", service: "a", step: "deployment" },
      ...crashedAndAsked("Deployment blue failed: ResourceNotReady"),
      {
        type: "input-received",
        service: "a",
        step: "deployment",
        answer: { choice: "adapt", overrides: { sku: "Standard_DS2_v2", environment: "sklearn-env:5" } },
      },
      { type: "step-finished", service: "a", step: "deployment", outcome: "done", detail: "deployment blue on 1 × Standard_DS2_v2" },
    );
    expect(finished).toEqual([
      "✗ a · deployment: Deployment blue failed: ResourceNotReady",
      "  Likely cause: The environment has no inference server (azureml-inference-server-http), so the container has nothing to start.",
      "↻ a · deployment: tried again with VM size Standard_DS2_v2, environment sklearn-env:5",
      "✓ a · deployment: deployment blue on 1 × Standard_DS2_v2",
    ]);
  });
});

describe("following another service", () => {
  it("shows the followed service in full with its logs; a failure waiting for an answer still comes first", () => {
    let { view } = feed(
      newDeployView("s1", ["a", "b"]),
      { type: "step-started", service: "a", step: "deployment" },
      { type: "step-started", service: "b", step: "deployment" },
      { type: "log-lines", service: "b", container: "InferenceServer", lines: ["b is loading its model"] },
    );
    expect(runLines(view, plain, layout).join("\n")).not.toContain("b is loading its model"); // a, the first deploying, is in full
    const following = runLines(view, plain, { ...layout, follow: "b" }).join("\n");
    expect(following).toContain("b logs · inference server");
    expect(following).toContain("b is loading its model");
    view = feed(view, {
      type: "step-failed",
      service: "a",
      step: "deployment",
      error: { kind: "azure", message: "Deployment blue failed: OutOfQuota", code: "OutOfQuota" },
    }).view;
    expect(runLines(view, plain, { ...layout, follow: "b" }).join("\n")).toContain("Failed: Deployment blue failed: OutOfQuota");
    expect(footerOf("run", { several: true })).toContain("n next service");
    expect(footerOf("run")).not.toContain("n next service");
  });
});

describe("the run at 80 columns", () => {
  it("wraps a long step detail, a long log line and a long finished line instead of cutting them: every word is there, no row is wider", () => {
    const detail = "endpoint credit-2cpu-4gb-online created with the v1 keys carried over, so callers change only the URL";
    const log = "2026-12-07 19:31:02,118 | root | ERROR | Encountered Exception: Traceback (most recent call last): File score.py line 12";
    const { view } = feed(
      newDeployView("s1", ["credit-2cpu-4gb", "batch-scorer-06-with-a-long-name"]),
      { type: "step-started", service: "credit-2cpu-4gb", step: "endpoint" },
      { type: "step-finished", service: "credit-2cpu-4gb", step: "endpoint", outcome: "done", detail },
      { type: "step-started", service: "credit-2cpu-4gb", step: "deployment" },
      { type: "log-lines", service: "credit-2cpu-4gb", container: "InferenceServer", lines: [log] },
      {
        type: "service-finished",
        service: "batch-scorer-06-with-a-long-name",
        status: "migrated",
        endpointName: "batch-scorer-06-with-a-long-name-online",
        deploymentName: "blue-and-a-long-deployment-name",
      },
    );
    const lines = runLines(view, plain, layout);
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(80);
    const words = (t: string) => t.split(/\s+/).filter(Boolean);
    const shown = words(lines.join(" "));
    for (const w of [...words(detail), ...words(log), "batch-scorer-06-with-a-long-name-online/blue-and-a-long-deployment-name"]) expect(shown).toContain(w);
  });
});

describe("the key table", () => {
  it("drives the handlers, the footer and the help alike", () => {
    expect(actionFor("select", "", { return: true })).toBe("choose");
    expect(actionFor("checkbox", " ", {})).toBe("toggle");
    expect(actionFor("input", "\u007f\u007f", {})).toBe("erase");
    expect(actionFor("leave", "w", {})).toBe("keep-watching");
    expect(footerOf("select", { back: true })).toBe("↑↓ move · Enter choose · Esc back · ? help");
    expect(footerOf("select", { back: true, scroll: true })).toBe("↑↓ move · Enter choose · PgUp/PgDn scroll · Esc back · ? help");
    const help = helpLines().join("\n");
    for (const [name, context] of Object.entries(KEY_TABLE))
      for (const b of context) if (b.label && name !== "help") expect(help).toContain(`${b.keys} ${b.label}`);
    // The help's own key is its footer, said once.
    expect(footerOf("help")).toBe("? close help");
    expect(help).not.toContain("close help");
  });
});

describe("the host store", () => {
  it("draws a burst of run events as one frame, within FRAME_MS; a change drawn now takes the waiting ones with it", async () => {
    const store = new HostStore();
    let frames = 0;
    store.subscribe(() => frames++);
    store.updateSoon((s) => ({ ...s, showLogs: false }));
    store.updateSoon((s) => ({ ...s, container: "StorageInitializer" }));
    expect(store.get()).toMatchObject({ showLogs: false, container: "StorageInitializer" }); // applied at once
    expect(frames).toBe(0);
    await new Promise((r) => setTimeout(r, FRAME_MS + 20));
    expect(frames).toBe(1);
    store.updateSoon((s) => ({ ...s, showLogs: true }));
    store.update((s) => ({ ...s, help: true })); // a key: drawn now, with what waited
    expect(frames).toBe(2);
    await new Promise((r) => setTimeout(r, FRAME_MS + 20));
    expect(frames).toBe(2); // nothing was left waiting
  });
});
