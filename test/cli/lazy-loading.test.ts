import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modulesLoadedBy } from "../helpers/loaded-modules.js";
import { startAttachedSandbox } from "../helpers/sandbox.js";

/** What a command that neither talks to Azure nor draws a screen must never load. */
const HEAVY = (p: string) => p.startsWith("@azure/") || p.startsWith("@inquirer/") || ["ink", "react", "ink-spinner", "selfsigned"].includes(p);

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "aci-lazy-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("each command loads only what it uses", () => {
  it.each([
    ["--help", ["--help"]],
    ["a command's --help", ["migrate", "--help"]],
    ["--version", ["--version"]],
    ["skus", ["skus", "--cpu", "1", "--memory", "2"]],
    ["skus --json", ["skus", "--cpu", "1", "--memory", "2", "--json"]],
    ["plan from files", ["plan", "--service-json", "samples/service-sklearn-1cpu-2gb.json"]],
    [
      "plan from v1 CLI files",
      ["plan", "--deployment-config", "samples/v1-cli-yaml/deploymentconfig.yml", "--inference-config", "samples/v1-cli-yaml/inferenceconfig.yml", "--json"],
    ],
    ["a usage error", ["skus", "--cpu", "lots"]],
    ["rehearse from files (a bad folder)", ["rehearse", "--service-json", "samples/service-sklearn-1cpu-2gb.json", "--code-dir", "no-such-folder"]],
  ])("%s loads no Azure SDK, ink, React or prompt library", async (_what, args) => {
    const run = await modulesLoadedBy(args);
    expect(run.packages, run.output).toContain("commander");
    expect(run.packages.filter(HEAVY)).toEqual([]);
  });

  it.each([
    ["--help", ["--help"]],
    ["a command's --help", ["migrate", "--help"]],
    ["rehearse --help", ["rehearse", "--help"]],
    ["--version", ["--version"]],
  ])("%s loads the command definitions only: commander and the command-line quoting, no planning or colour", async (_what, args) => {
    // What every command (the wizard too) loads before it runs: the definitions keep their actions' imports out.
    const run = await modulesLoadedBy(args);
    expect(run.code, run.output).toBe(0);
    expect(run.packages.filter((p) => !["commander", "shell-quote"].includes(p))).toEqual([]);
  });

  it("sessions (a local folder) loads no Azure SDK, ink, React or prompt library", async () => {
    const run = await modulesLoadedBy(["sessions", "--state-dir", tempDir()]);
    expect(run.code, run.output).toBe(0);
    expect(run.packages.filter(HEAVY)).toEqual([]);
  });

  it("services on the sandbox loads the Azure clients it calls, and no ink, React or prompt library", async () => {
    const attached = await startAttachedSandbox({ speed: 50 });
    try {
      const run = await modulesLoadedBy(["services", "--sandbox", "--state-dir", attached.stateDir, "--json"]);
      expect(run.code, run.output).toBe(0);
      expect(run.packages).toContain("@azure/arm-machinelearning");
      expect(run.packages.filter((p) => ["ink", "react", "ink-spinner"].includes(p) || p.startsWith("@inquirer/"))).toEqual([]);
      // Attached to a sandbox that serves already: no certificate is made, and no sign-in library is needed.
      expect(run.packages).not.toContain("selfsigned");
      expect(run.packages).not.toContain("@azure/identity");
    } finally {
      await attached.stop();
    }
  });

  // Longer than modulesLoadedBy's own 30 s wait, so a wizard that never asks fails with what it printed (a CI run
  // once timed out here at 20 s with nothing to read).
  it("the wizard loads ink and draws before it loads any Azure client", { timeout: 45_000 }, async () => {
    const attached = await startAttachedSandbox({ speed: 50 });
    try {
      const run = await modulesLoadedBy(["--sandbox", "--state-dir", attached.stateDir], { terminal: true, until: "Which subscription?" });
      expect(run.output).toContain("Which subscription?");
      const ink = run.packages.indexOf("ink");
      const firstAzure = run.packages.findIndex((p) => p.startsWith("@azure/"));
      expect(ink).toBeGreaterThanOrEqual(0);
      expect(firstAzure).toBeGreaterThan(ink);
      expect(run.packages.filter((p) => p.startsWith("@inquirer/"))).toEqual([]);
    } finally {
      await attached.stop();
    }
  });
});
