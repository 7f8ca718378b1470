import stringWidth from "string-width";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "shell-quote";
import { chooseFrontEnd } from "../../src/cli/options.js";
import { documented } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

// The commands as scripts and CI run them: no terminal on stdin (runBin), the sandbox attached.
const sandbox = useAttachedSandbox({ speed: 400 });
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const sessionFiles = () =>
  existsSync(join(sandbox.stateDir, "sessions")) ? readdirSync(join(sandbox.stateDir, "sessions")).filter((f) => f.endsWith(".json")) : [];

describe("who can answer: the wizard, plain questions, or nobody", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    [{}, {}, tty, tty, "wizard"],
    [{ plain: true }, {}, tty, tty, "plain"],
    [{}, { TERM: "dumb" }, tty, tty, "plain"],
    [{}, {}, tty, pipe, "plain"], // output piped: questions on stderr, progress as lines
    [{}, {}, pipe, tty, "none"], // nobody at stdin
    [{ plain: true }, {}, pipe, pipe, "none"],
  ] as const)("flags %j, env %j, stdin %j, stdout %j → %s", (flags, env, stdin, stdout, expected) => {
    expect(chooseFrontEnd(flags, env, stdin, stdout)).toBe(expected);
  });
});

describe("off a terminal", { timeout: 60_000 }, () => {
  it("migrate without --yes is refused with the flag to add (exit 2), before anything is created", async () => {
    const r = await cli("migrate", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("needs --yes when nobody is at a terminal to confirm");
    expect(r.stderr).toContain(`Next: Review with \`aci-migrate --sandbox --state-dir ${sandbox.stateDir} plan\`, then add --yes.`);
    const json = await cli("migrate", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--json");
    expect(json.code).toBe(2);
    expect(json.stdout).toBe("");
    expect(documented(json.stderr, "error").error).toMatchObject({ code: "bad-input", field: "--yes" });
    expect(sessionFiles()).toEqual([]);
    expect(sandbox.sb.world.endpoints).toEqual([]);
  });

  it("resume without --yes is refused with the command to run (exit 2)", async () => {
    const migrated = await cli("migrate", "-w", "ml-prod-eastus", "--service", "churn-keyauth", "--yes", "--json");
    expect(migrated.code).toBe(0);
    const r = await cli("resume", sessionFiles()[0]!.replace(/\.json$/, ""));
    expect(r.code).toBe(2);
    // The command it names carries this run's flags, and works pasted as printed.
    const printed = /Next: Run `aci-migrate (--sandbox --state-dir \S+ resume \d{8}-\d{6}-[0-9a-f]{4} --yes)`/.exec(r.stderr);
    expect(printed, r.stderr).not.toBeNull();
    const pasted = await runBin(parse(printed![1]!) as string[]);
    expect(pasted.code, pasted.stderr).toBe(0);
  });

  it("no command, with --plain or --json, cannot ask anyone: one message naming the commands (exit 2)", async () => {
    for (const flag of ["--plain", "--json"]) {
      const r = await cli(flag);
      expect(r.code, flag).toBe(2);
      expect(r.stderr, flag).toMatch(/`aci-migrate --sandbox --state-dir \S+ migrate --yes`/);
    }
  });

  it("global flags work before or after the command, and a command that needs -w says so", async () => {
    const before = await cli("--json", "-w", "ml-risk-westeurope", "services");
    const after = await cli("services", "-w", "ml-risk-westeurope", "--json");
    expect(before.code).toBe(0);
    const names = (r: { stdout: string }) =>
      documented(r.stdout, "services").subscriptions.flatMap((s: { workspaces: { services: { name: string }[] }[] }) =>
        s.workspaces.flatMap((w) => w.services.map((x) => x.name)),
      );
    expect(names(before)).toEqual(["claims-cmk", "fraud-vnet", "risk-score"]);
    expect(names(after)).toEqual(names(before));
    const missing = await cli("migrate", "--service", "x", "--yes");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("migrate needs the workspace: -w/--workspace is missing.");
  });

  it("services and sessions print tables people read", async () => {
    const services = await cli("services", "-w", "ml-prod-eastus");
    expect(services.code).toBe(0);
    expect(services.stdout).toMatch(/ml-prod-eastus rg-ml-prod · eastus · \d+ services/);
    // Off a terminal the width is 80: where each moves to goes on a line under it, and no line is wider.
    expect(services.stdout).toMatch(/credit-2cpu-4gb +ACI +Healthy +2 CPU \/ 4 GB +key auth\n +→ Standard_DS2_v2 \(table\)/);
    expect(services.stdout).toMatch(/recs-aks +AKS +.*\n +not migratable \(not ACI\)/);
    expect(services.stdout.split("\n").filter((l) => stringWidth(l) > 80)).toEqual([]);
    const sessions = await cli("sessions");
    expect(sessions.code).toBe(0);
    expect(sessions.stdout).toMatch(/\d{8}-\d{6}-[0-9a-f]{4} +done +ml-prod-eastus +churn-keyauth:migrated/);
  });
});
