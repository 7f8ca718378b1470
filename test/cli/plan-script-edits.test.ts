import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { documented } from "../helpers/json-schema.js";
import { runCliHere } from "../helpers/run-cli.js";

/** A script finding whose edit is accepted reads as fixed, not as a blocker let through ("BLOCKER (acknowledged)"). */
const plan = (...more: string[]) => runCliHere(["--sandbox", "plan", "-w", "ml-prod-eastus", "--service", "ensemble-two-models", ...more]);

describe("plan with the script's edits accepted", () => {
  it("marks the edited findings FIXED, in the text and in --json", { timeout: 60_000 }, async () => {
    const before = await plan("--json");
    const blocker = (documented(before.stdout, "plan") as { findings: { id: string; severity: string; edits?: unknown[] }[] }).findings.find(
      (f) => f.severity === "blocker" && f.edits,
    )!;
    expect(blocker, before.stdout).toBeDefined();

    const accepted = await plan("--apply-script-edits", "--json");
    const finding = (documented(accepted.stdout, "plan") as { findings: { id: string; acknowledged: boolean; fixedByEdit?: boolean }[] }).findings.find(
      (f) => f.id === blocker.id,
    )!;
    expect(finding).toMatchObject({ acknowledged: true, fixedByEdit: true });

    const text = stripVTControlCharacters((await plan("--apply-script-edits")).stdout);
    expect(text).toMatch(new RegExp(`FIXED +\\(by the accepted script edit\\) +${blocker.id}`));
    expect(text).not.toMatch(new RegExp(`BLOCKER +\\(acknowledged\\) +${blocker.id}`));
  });
});
