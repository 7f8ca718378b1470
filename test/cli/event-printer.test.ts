import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { connectWithEvents, eventPrinter } from "../../src/cli/drive-session.js";
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
