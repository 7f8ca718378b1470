import { spawn } from "node:child_process";
import { symlinkSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { documented, documentedStream, type JsonShape } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { TmuxTerminal } from "../helpers/tmux.js";

/**
 * Every `$ aci-migrate …` line of every command's --help, run as written, in the order a newcomer would try them
 * (the migrate examples before resume, retire and sessions, which read what migrate left). They run in a folder
 * that holds `samples/` (the repository's) and `.sandbox` (a sandbox this file serves, so `--state-dir .sandbox`
 * attaches to it), each exactly as written: one that needs a session says `latest`. The wizard and plain mode run
 * in tmux and must show their first question.
 */
const COMMAND_ORDER = [
  "sandbox",
  "skus",
  "plan",
  "rehearse",
  "list",
  "services",
  "audit",
  "migrate",
  "compare",
  "keys",
  "resume",
  "retire",
  "rollback",
  "sessions",
  "",
];
const JSON_SHAPE: Record<string, JsonShape> = {
  skus: "skus",
  plan: "plan",
  rehearse: "plan",
  services: "services",
  audit: "audit",
  retire: "retire",
  rollback: "rollback",
  sessions: "sessions",
  sandbox: "sandbox",
  compare: "compare",
  keys: "keys",
};
const SESSION_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

const sandbox = useAttachedSandbox({ speed: 2000 });
let work = "";
let scratch = "";
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "aci-migrate-examples-"));
  scratch = await mkdtemp(join(tmpdir(), "aci-migrate-examples-sandbox-"));
  symlinkSync(sandbox.stateDir, join(work, ".sandbox"));
  symlinkSync(repoPath("samples"), join(work, "samples"));
});
afterAll(() => TmuxTerminal.killServer());

/** The example command lines of one command's help, split into arguments (without the leading `aci-migrate`). */
async function examplesOf(command: string): Promise<string[][]> {
  const help = await runBin([...(command ? [command] : []), "--help"]);
  expect(help.code).toBe(0);
  return [...help.stdout.matchAll(/^\s+\$ aci-migrate(.*)$/gm)].map((m) => m[1]!.split(/ {2,}/)[0]!.trim().split(/\s+/).filter(Boolean));
}

const commandOf = (args: readonly string[]) => args.find((a) => COMMAND_ORDER.includes(a) && a !== "") ?? "";

describe("every --help example works on the sandbox", { timeout: 300_000 }, () => {
  for (const command of COMMAND_ORDER) {
    it(`aci-migrate ${command || "(no command)"} --help: each example`, async () => {
      const examples = await examplesOf(command);
      expect(examples.length, "examples in its --help").toBeGreaterThan(0);
      for (const example of examples) {
        // As written: an example that needs a session names it `latest`, never an id the reader does not have.
        expect(
          example.filter((a) => SESSION_ID.test(a)),
          example.join(" "),
        ).toEqual([]);
        const args = example;
        const line = `aci-migrate ${args.join(" ")}`;
        if (commandOf(args) === "sandbox") await runSandboxExample(args, line);
        else if (commandOf(args) === "") await runInteractiveExample(args, line);
        else await runCommandExample(args, line);
      }
    });
  }
});

async function runCommandExample(args: string[], line: string): Promise<void> {
  const r = await runBin(args, { cwd: work });
  expect(r.code, `${line}\n${r.stderr}`).toBe(0);
  if (!args.includes("--json")) return;
  const command = commandOf(args);
  if (command === "migrate" || command === "resume") expect(documentedStream(r.stdout).result.status, line).toBe("done");
  else if (command === "list")
    documented(r.stdout, args.includes("subscriptions") ? "listSubscriptions" : args.includes("workspaces") ? "listWorkspaces" : "services");
  else documented(r.stdout, args.includes("show") ? "sessionShow" : JSON_SHAPE[command]!);
}

/** `sandbox` runs until Ctrl+C: it must print its connection line, then stop cleanly on SIGINT. */
async function runSandboxExample(args: string[], line: string): Promise<void> {
  const env = { ...process.env };
  delete env.CI;
  const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), ...args], { cwd: scratch, env, stdio: ["ignore", "pipe", "pipe"] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${line} exited ${code} before its connection line`)));
  });
  if (args.includes("--json")) documented(first, "sandbox");
  else expect(first, line).toMatch(/^Sandbox ready at https:\/\/127\.0\.0\.1:\d+/);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  expect(await exited, line).toBe(0);
}

/** The wizard and plain mode: each shows its first question in a real terminal, and Ctrl+C leaves (exit 130). */
async function runInteractiveExample(args: string[], line: string): Promise<void> {
  const t = new TmuxTerminal(`example-${args.includes("--plain") ? "plain" : "wizard"}`, work, args);
  try {
    await t.waitFor(
      (s) =>
        s.includes("Which subscription?") ||
        s.includes("Resume a session, or start a new migration?") ||
        s.includes("Start a new migration, or roll back an earlier one?"),
      `${line}: its first question`,
    );
    await t.send("C-c");
    expect(await t.exitCode(), line).toBe(130);
  } finally {
    t.kill();
  }
}
