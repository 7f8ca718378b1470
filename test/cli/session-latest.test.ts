import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCliHere } from "../helpers/run-cli.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const sandbox = useAttachedSandbox({ speed: 300 });

/** `latest` stands for the newest session, so the --help examples run as written (no id to copy first). */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const stateDir = () => {
  const d = mkdtempSync(join(tmpdir(), "aci-migrate-latest-"));
  dirs.push(d);
  return d;
};

describe("`latest` as a session id", () => {
  it("names the newest session for show, rollback (then listed as rolled-back) and forget", { timeout: 120_000 }, async () => {
    const dir = sandbox.stateDir;
    const migrate = (service: string) =>
      runCliHere(["--sandbox", "--state-dir", dir, "migrate", "-w", "ml-prod-eastus", "--service", service, "--yes", "--json"]);
    const first = JSON.parse((await migrate("iris-noauth")).stdout.trim().split("\n").pop()!).sessionId as string;
    const second = JSON.parse((await migrate("churn-keyauth")).stdout.trim().split("\n").pop()!).sessionId as string;
    expect(second > first).toBe(true);

    const shown = await runCliHere(["--state-dir", dir, "sessions", "show", "latest", "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).session.id).toBe(second);

    const rolled = await runCliHere(["--sandbox", "--state-dir", dir, "rollback", "latest", "--yes", "--json"]);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain("churn-keyauth-online");
    expect(rolled.stdout).not.toContain("iris-noauth-online");
    // The list says what happened to it since, not what its run ended as.
    const listed = JSON.parse((await runCliHere(["--state-dir", dir, "sessions", "--json"])).stdout) as { sessions: { id: string; status: string }[] };
    expect(Object.fromEntries(listed.sessions.map((s) => [s.id, s.status]))).toEqual({ [first]: "done", [second]: "rolled-back" });
    expect((await runCliHere(["--state-dir", dir, "sessions"])).stdout).toMatch(new RegExp(`${second}\\s+rolled-back`));

    const forgot = await runCliHere(["--state-dir", dir, "sessions", "forget", "latest", "--json"]);
    expect(JSON.parse(forgot.stdout)).toMatchObject({ forgotten: second });
    expect(JSON.parse((await runCliHere(["--state-dir", dir, "sessions", "show", "latest", "--json"])).stdout).session.id).toBe(first);
  });

  it("with no sessions at all, says so and how to start one", async () => {
    const r = await runCliHere(["--state-dir", stateDir(), "sessions", "show", "latest"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no sessions in .* yet, so there is no latest one/);
    expect(r.stderr.replace(/\s+/g, " ")).toMatch(/Start one with `aci-migrate .*migrate`/);
  });
});
