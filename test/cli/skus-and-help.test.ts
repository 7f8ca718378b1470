import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { documented } from "../helpers/json-schema.js";

describe("skus", () => {
  it("--json lists the table and the whole catalog with the suggestion marked", async () => {
    const r = await runBin(["skus", "--cpu", "1", "--memory", "2", "--json"]);
    expect(r.code).toBe(0);
    const json = documented(r.stdout, "skus");
    expect(json.table).toHaveLength(7);
    expect(json.table.every((row: { matched: boolean }) => !row.matched)).toBe(true);
    expect(json.catalog).toHaveLength(85);
    expect(json.suggestion).toMatchObject({ name: "Standard_D2a_v4", source: "fallback" });
    expect(json.catalog.filter((s: { suggested: boolean }) => s.suggested).map((s: { name: string }) => s.name)).toEqual(["Standard_D2a_v4"]);
    expect(json.catalog.find((s: { name: string }) => s.name === "Standard_DS1_v2").fits).toBe(false);
  });

  it("marks the table row in text", async () => {
    const r = await runBin(["skus", "--cpu", "3", "--memory", "12"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/▶\s+7\s+\(2, 4\]\s+\(11\.7, 16\]/);
    expect(r.stdout).toContain("Suggestion for 3 CPU / 12 GB: Standard_E4s_v3");
  });

  it("without a request lists everything", async () => {
    const r = await runBin(["skus"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Managed online endpoint VM sizes (85)");
  });

  it("at 80 columns each size fits a row, its quota family on the line under it", async () => {
    const r = await runBin(["skus"]);
    const lines = r.stdout.split("\n");
    const rows = lines.flatMap((l, i) => (/^ {5}Standard_/.test(l) ? [i] : []));
    expect(rows).toHaveLength(85);
    for (const i of rows) {
      expect(lines[i]!.length, lines[i]).toBeLessThanOrEqual(80);
      expect(lines[i + 1]).toMatch(/^ {7}quota family \S.*Family$/i);
    }
    expect(r.stdout).toMatch(/Standard_NC24ads_A100_v4 +1× A100 80GB +24 /);
  });

  it.each([
    [["--cpu", "1"], /--memory is missing/],
    [["--cpu", "-1", "--memory", "2"], /--cpu.*greater than 0/],
  ])("rejects %j with exit 2", async (args, message) => {
    const r = await runBin(["skus", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe("help", () => {
  const COMMANDS = ["", "plan", "rehearse", "skus", "services", "audit", "list", "migrate", "resume", "sessions", "retire", "sandbox"];
  it.each(COMMANDS)("aci-migrate %s --help has examples, the global flags and the exit codes, and exits 0", async (command) => {
    const r = await runBin([...(command ? [command] : []), "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Examples.*:$/m);
    expect(r.stdout).toContain("$ aci-migrate");
    expect(r.stdout).toMatch(/^Exit codes: 0 /m);
    for (const flag of ["--json", "--plain", "-w, --workspace", "--sandbox", "--verbose"]) expect(r.stdout).toContain(flag);
  });

  it("no command off a terminal: the wizard cannot open, so one message names --plain and the commands (exit 2)", async () => {
    const r = await runBin([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("The wizard needs a person at a terminal");
    expect(r.stderr).toContain("--plain");
    expect(r.stderr).toContain("aci-migrate migrate --yes");
  });

  it("an unknown command is a usage error naming it", async () => {
    const r = await runBin(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it("an unknown option is a usage error naming it", async () => {
    const r = await runBin(["plan", "--frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });
});
