import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM, openInChromium, REQUIRE_BROWSER } from "../helpers/chromium.js";
import { documented } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const sandbox = useAttachedSandbox({ speed: 400 });
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const out = mkdtempSync(join(tmpdir(), "aci-migrate-audit-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Row = { workspace: string; service: string; readiness: string; aciMonthlyUsd: number | null; managedMonthlyUsd: number | null };
type Totals = { services: number; ready: number; toAcknowledge: number; blocked: number; migrated: number; aciMonthlyUsd: number; managedMonthlyUsd: number };
const cents = (n: number) => Math.round(n * 100) / 100;

describe("aci-migrate audit: one view of the fleet to decide from", { timeout: 180_000 }, () => {
  it("writes HTML, Markdown, CSV and JSON of the same rows; totals are the sums; a migration shows with its session; the page works offline", async (ctx) => {
    expect((await cli("migrate", "-w", "ml-risk-westeurope", "--service", "risk-score", "--yes", "--json")).code).toBe(0);
    const r = await cli("audit", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^All: \d+ services: \d+ ready, \d+ to acknowledge, \d+ blocked, 1 migrated/);
    const report = documented(readFileSync(join(out, "audit.json"), "utf8"), "audit");
    const rows = report.rows as Row[];
    // Every v1 service of the sandbox, ACI and AKS.
    expect(rows.map((x) => x.service).sort()).toEqual(sandbox.sb.world.services.map((s) => s.name).sort());
    expect(rows.find((x) => x.service === "recs-aks")).toMatchObject({ computeType: "AKS", readiness: "blocked" });
    const migrated = rows.find((x) => x.service === "risk-score")!;
    expect(migrated).toMatchObject({ readiness: "migrated", migratedTo: "risk-score-online", migratedBy: expect.stringMatching(/^\d{8}-\d{6}-/) });
    expect(rows.find((x) => x.service === "relative-path-svc")!).toMatchObject({ script: expect.stringContaining("script-v1-relative-path") });
    const check = (totals: Totals, of: Row[]) => {
      expect(totals.services).toBe(of.length);
      for (const [k, readiness] of [
        ["ready", "ready"],
        ["toAcknowledge", "to-acknowledge"],
        ["blocked", "blocked"],
        ["migrated", "migrated"],
      ] as const)
        expect(totals[k]).toBe(of.filter((x) => x.readiness === readiness).length);
      expect(totals.aciMonthlyUsd).toBeCloseTo(cents(of.reduce((s, x) => s + (x.aciMonthlyUsd ?? 0), 0)), 2);
      expect(totals.managedMonthlyUsd).toBeCloseTo(cents(of.reduce((s, x) => s + (x.managedMonthlyUsd ?? x.aciMonthlyUsd ?? 0), 0)), 2);
    };
    check(report.totals, rows);
    for (const w of report.workspaces)
      check(
        w.totals,
        rows.filter((x) => x.workspace === w.workspace),
      );
    // The same rows in the CSV and the Markdown.
    const csv = parse(readFileSync(join(out, "audit.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    expect(csv.map((x) => `${x.workspace}/${x.service}/${x.readiness}`)).toEqual(rows.map((x) => `${x.workspace}/${x.service}/${x.readiness}`));
    const md = readFileSync(join(out, "audit.md"), "utf8");
    for (const x of rows) expect(md).toContain(`| ${x.service} |`);
    // --json prints what audit.json holds.
    const json = documented((await cli("audit", "--json")).stdout, "audit");
    expect({ ...json, generatedAt: "" }).toEqual({ ...report, generatedAt: "" });

    if (!CHROMIUM && !REQUIRE_BROWSER) return;
    const screenshot = join(out, "audit.png");
    const page = await openInChromium(join(out, "audit.html"), {
      screenshot,
      inspect: async (p) => {
        const figures = await p.locator("figure svg").count();
        const charted = await Promise.all(Array.from({ length: figures }, (_, i) => p.locator("figure svg").nth(i).locator("rect").count()));
        const tableRows = await p.locator("#services tbody tr").count();
        await p.fill("#filter", "risk-score");
        const filtered = await p.locator("#services tbody tr:not([hidden])").allInnerTexts();
        await p.fill("#filter", "");
        await p.click("#services th:nth-child(4)"); // by service, ascending
        await p.click("#services th:nth-child(4)"); // then descending
        const first = await p.locator("#services tbody tr td:nth-child(4)").first().innerText();
        return { charted, tableRows, filtered, first };
      },
    });
    await ctx.annotate("the audit page", { path: screenshot, contentType: "image/png" });
    expect(page.errors).toEqual([]);
    expect(page.inspected!.charted).toHaveLength(3);
    expect(page.inspected!.charted.every((n) => n > 0)).toBe(true); // readiness, cost, blockers: each drawn
    expect(page.inspected!.tableRows).toBe(rows.length);
    expect(page.inspected!.filtered).toHaveLength(1);
    expect(page.inspected!.filtered[0]).toContain("risk-score-online");
    expect(page.inspected!.first).toBe([...rows.map((x) => x.service)].sort((a, b) => b.localeCompare(a))[0]);
  });

  it("narrowed to a workspace that is not there: bad input, nothing written", async () => {
    const r = await cli("audit", "-w", "no-such-workspace", "--out", join(out, "none"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No workspace named no-such-workspace");
  });
});
