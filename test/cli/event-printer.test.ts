import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { commandLineOfArgs } from "../../src/cli/command-line.js";
import { connectWithEvents, eventPrinter } from "../../src/cli/drive-session.js";
import { renderResults } from "../../src/journey/text/result-text.js";
import type { Connect } from "../../src/cli/connect.js";
import type { MigrationEvent } from "../../src/migration/events.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), decorated: false }, out, err };
}

const signIn = {
  message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate.",
  verificationUri: "https://microsoft.com/devicelogin",
  userCode: "ABCD-1234",
};

describe("the commands' event printer", () => {
  it("--json: one NDJSON line per event; the needs-input continuation is not printed", () => {
    const c = capture();
    const print = eventPrinter(c.io, true);
    const question: MigrationEvent = {
      type: "needs-input",
      service: "svc",
      step: "deployment",
      resource: "deployment",
      situation: "failed-now",
      message: "Deployment blue failed.",
      choices: ["retry", "stop"],
      respond: () => {},
    };
    print(question);
    print({ type: "sign-in", ...signIn });
    expect(c.out.map((l) => JSON.parse(l))).toEqual([
      {
        event: {
          type: "needs-input",
          service: "svc",
          step: "deployment",
          resource: "deployment",
          situation: "failed-now",
          message: "Deployment blue failed.",
          choices: ["retry", "stop"],
        },
      },
      { event: { type: "sign-in", ...signIn } },
    ]);
  });

  it("text: the question with its choices, and the sign-in instructions", () => {
    const c = capture();
    const print = eventPrinter(c.io, false);
    print({
      type: "needs-input",
      service: "svc",
      step: "deployment",
      resource: "deployment",
      situation: "differs",
      message: "Deployment blue runs with instances 1 (planned 2).",
      choices: ["retry", "adapt", "stop"],
      respond: () => {},
    });
    print({ type: "input-received", service: "svc", step: "deployment", answer: { choice: "adapt", overrides: { sku: "Standard_F4s_v2" } } });
    print({ type: "sign-in", ...signIn });
    expect(c.out.join("\n")).toBe(
      [
        "  ? svc · deployment: Deployment blue runs with instances 1 (planned 2).",
        "      Choices: retry, adapt, stop",
        '    svc · deployment: answered adapt {"sku":"Standard_F4s_v2"}',
        `Sign in: ${signIn.message}`,
      ].join("\n"),
    );
  });

  it("device-code prompts from the connection go into the same stream (NDJSON under --json)", async () => {
    const c = capture();
    const connect: Connect = async (_cmd, o) => {
      o?.onSignIn?.(signIn); // what the credential does when device-code sign-in starts
      return { conn: { armEndpoint: "https://management.azure.com", credential: { getToken: async () => null } }, sandbox: false, close: async () => {} };
    };
    await connectWithEvents(connect, new Command(), c.io, true);
    expect(c.out.map((l) => JSON.parse(l))).toEqual([{ event: { type: "sign-in", ...signIn } }]);
    expect(c.err).toEqual([]);
  });
});

describe("a run printed line by line (plain mode, migrate, resume)", () => {
  const logs: MigrationEvent = {
    type: "log-lines",
    service: "svc",
    container: "InferenceServer",
    lines: ["ModuleNotFoundError: No module named 'azureml_inference_server_http'"],
  };
  const failed: MigrationEvent = {
    type: "step-failed",
    service: "svc",
    step: "deployment",
    error: { kind: "azure", message: "Deployment blue failed: ResourceNotReady", code: "ResourceNotReady" },
  };

  it("with logs off prints no container line, and a failure still says the likely cause read from them", () => {
    const c = capture();
    const print = eventPrinter(c.io, false, undefined, { logs: false });
    print(logs);
    print(failed);
    expect(c.out.join("\n")).not.toContain("[InferenceServer]");
    expect(c.out.join("\n")).toContain("Likely cause: The environment has no inference server");
  });

  it("leaves a service's end to the result printed after the run, and says a stop as the wizard does", () => {
    const c = capture();
    const print = eventPrinter(c.io, false, (args) => `aci-migrate --plain ${args}`);
    print({ type: "service-finished", service: "svc", status: "cancelled", endpointName: "svc-online", deploymentName: "blue" });
    print({ type: "session-finished", sessionId: "s1", status: "cancelled" });
    expect(c.out.join("\n")).not.toMatch(/svc: cancelled/);
    expect(c.out.join("\n")).toContain("Left session s1: anything already started keeps running in Azure. Continue with: aci-migrate --plain resume s1");
  });
});

describe("after a run left with Ctrl+C", () => {
  it("the result says the service was left and keeps running, once, and a quiet plain run's resume line stays quiet", () => {
    const text = renderResults(
      [{ type: "service-finished", service: "svc", status: "cancelled", endpointName: "svc-online", deploymentName: "blue" }],
      {},
      {
        decorated: false,
        command: (a) => a,
        workspace: "ws",
      },
    );
    expect(text).toBe("■ svc: left before it finished; what was started for it keeps running in Azure");
    expect(commandLineOfArgs(["--sandbox", "--plain", "--no-logs"])("resume s1")).toBe("aci-migrate --sandbox --plain --no-logs resume s1");
    expect(commandLineOfArgs(["--sandbox", "--plain", "--no-logs"])("retire -w ws --service svc --yes")).toBe(
      "aci-migrate --sandbox retire -w ws --service svc --yes",
    );
  });
});
