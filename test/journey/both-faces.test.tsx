import { PassThrough, Writable } from "node:stream";
import stringWidth from "string-width";
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { plainPrompter } from "../../src/cli/plain/prompter.js";
import { runJourney } from "../../src/journey/journey.js";
import { Host } from "../../src/ui/Host.js";
import { HostStore } from "../../src/ui/host-store.js";
import { inkPrompter } from "../../src/ui/ink-prompter.js";
import { fakeAzure, type FakeAzure } from "../helpers/fake-azure.js";
import { KEY, press, until } from "../helpers/ink.js";

// One journey, two faces: the same journey code, against the same workspace in memory, answered with the same
// keys through ink (the wizard) and through @inquirer/prompts (plain mode).
let azure: FakeAzure | undefined;
afterEach(() => azure?.close());

/** The questions in order, and the keys that answer each. */
const KEYS: [string, string[]][] = [
  ["Which services of ws", [KEY.space, KEY.enter]],
  ["alpha: what next?", [KEY.enter]],
  ["Start the migration of alpha now?", [KEY.enter]],
  ["Retire the old ACI service alpha now?", [KEY.enter]],
];

describe("both faces run the one journey", { timeout: 30_000 }, () => {
  it("the wizard (ink)", async () => {
    azure = fakeAzure(["alpha"]);
    const store = new HostStore();
    const backend = azure.backend();
    const ask = inkPrompter(store, { decorated: false, command: backend.command });
    const w = render(<Host store={store} decorated={false} onInterrupt={() => ask.interrupt()} />);
    const exit = runJourney(backend, ask);
    for (const [question, keys] of KEYS) {
      await until(w, (f) => f.includes(question), question);
      await press(w, ...keys);
    }
    expect(await exit).toBe(0);
    expect([...azure.endpoints.keys()]).toEqual(["alpha-online"]);
    expect(w.lastFrame()).toContain("alpha stays; retire it later with:");
    w.unmount();
  });

  it("plain mode (@inquirer/prompts)", async () => {
    azure = fakeAzure(["alpha"]);
    const input = new PassThrough();
    let screen = "";
    // A terminal is never ended: each prompt pipes into it and ends its pipe when done, as process.stdout allows.
    const output = new Writable({ write: (chunk: Buffer, _encoding, done) => ((screen += chunk.toString("utf8")), done()) });
    output.end = () => output;
    const lines: string[] = [];
    const backend = azure.backend();
    const ask = plainPrompter(
      { out: (t) => void lines.push(t), err: (t) => void lines.push(t), decorated: false },
      { command: backend.command, columns: 80, streams: { input, output } },
    );
    const exit = runJourney(backend, ask);
    for (const [question, keys] of KEYS) {
      const start = Date.now();
      while (!screen.includes(question)) {
        if (Date.now() - start > 10_000)
          throw new Error(
            `no "${question}" in:\n${screen}\nlines:\n${lines.join("\n")}\nexit: ${await Promise.race([exit.then(String, String), Promise.resolve("pending")])}`,
          );
        await new Promise((r) => setTimeout(r, 10));
      }
      screen = "";
      for (const k of keys) {
        input.write(k);
        await new Promise((r) => setTimeout(r, 15));
      }
    }
    expect(await exit).toBe(0);
    ask.dispose();
    expect([...azure.endpoints.keys()]).toEqual(["alpha-online"]);
    expect(lines.join("\n")).toContain("alpha stays; retire it later with:");
    // Laid out for its 80 columns: prose wraps at spaces, and the command stands whole on a line of its own.
    const printed = lines.join("\n").split("\n");
    const wholeToCopy = (l: string) => /^ *(https:\/\/\S+|[A-Z]+=\$\(aci-migrate .*|aci-migrate .*|curl .*)$/.test(l);
    expect(printed.filter((l) => stringWidth(l) > 80 && !wholeToCopy(l))).toEqual([]);
    expect(printed.some((l) => /^ +aci-migrate .*retire -w ws --service alpha --yes$/.test(l))).toBe(true);
  });
});

describe("a list answered before opens with that answer ticked", () => {
  it("plain mode: Enter alone gives back what was chosen", async () => {
    const input = new PassThrough();
    const output = new Writable({ write: (_chunk: Buffer, _encoding, done) => done() });
    output.end = () => output;
    const ask = plainPrompter({ out: () => undefined, err: () => undefined, decorated: false }, { command: (a) => a, streams: { input, output } });
    const answer = ask.checkbox(
      "Which services?",
      [
        { value: "alpha", name: "alpha" },
        { value: "beta", name: "beta" },
      ],
      { chosen: ["beta"] },
    );
    await new Promise((r) => setTimeout(r, 50));
    input.write(KEY.enter);
    expect(await answer).toEqual(["beta"]);
    ask.dispose();
  });
});
