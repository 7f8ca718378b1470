import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { fitToWidth, layoutForTerminal } from "../../src/ui/terminal-text.js";

const words = (rows: string[]) => rows.join(" ").split(/\s+/).filter(Boolean);
const COMMAND = "aci-migrate --sandbox --state-dir /tmp/aci-migrate-state retire -w ml-prod-eastus --service iris-noauth --yes";

describe("finished lines laid out for an 80-column terminal", () => {
  it("wraps prose at spaces: no row is wider than the terminal and every word stays whole", () => {
    const text = "✓ credit-2cpu-4gb · endpoint: credit-2cpu-4gb-online created with the v1 keys carried over, so callers change only the URL";
    const rows = layoutForTerminal(text, 80);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(stringWidth(r)).toBeLessThanOrEqual(80);
    expect(words(rows)).toEqual(words([text]));
    expect(rows[1]).toMatch(/^ {2}\S/); // under the bullet's text
  });

  it("hangs a labelled value under the value, and keeps a URL whole on a row of its own", () => {
    const smoke = layoutForTerminal("  Smoke test   passed: the new deployment answers as the ACI service (numbers within the tolerance)", 80);
    expect(smoke).toEqual(["  Smoke test   passed: the new deployment answers as the ACI service (numbers", "               within the tolerance)"]);
    // A URL too long to stand under the value starts just past the line's indent, whole.
    const url = "https://127.0.0.1:42959/online/eastus/credit-2cpu-4gb-online/score";
    expect(layoutForTerminal(`  Scoring URI  ${url}`, 80)).toEqual(["  Scoring URI", `    ${url}`]);
  });

  it("leaves a command whole, however long, and puts one that follows a colon on its own line", () => {
    expect(layoutForTerminal(`  ${COMMAND}`, 80)).toEqual([`  ${COMMAND}`]);
    const rows = layoutForTerminal(`iris-noauth stays; retire it later with: ${COMMAND}`, 80);
    expect(rows).toEqual(["iris-noauth stays; retire it later with:", `  ${COMMAND}`]);
  });

  it("keeps a `code` span whole and measures wide characters by their cells", () => {
    const rows = layoutForTerminal(
      "Then run `aci-migrate --sandbox services --json` to list them; 模型 and 📦 take two cells each, as do these: 模型模型模型模型",
      40,
    );
    expect(rows.some((r) => r.includes("`aci-migrate --sandbox services --json`"))).toBe(true);
    for (const r of rows) expect(stringWidth(r)).toBeLessThanOrEqual(40);
  });

  it("leaves a line that fits as it is, colour codes and all", () => {
    expect(layoutForTerminal("\u001B[32m✓\u001B[39m fits", 80)).toEqual(["\u001B[32m✓\u001B[39m fits"]);
  });
});

describe("what is not a command", () => {
  it("a line that names the tool in prose wraps like prose", () => {
    const rows = layoutForTerminal("aci-migrate · SANDBOX (the embedded Azure at https://127.0.0.1:42959; nothing here touches real Azure)", 80);
    expect(rows.length).toBe(2);
    expect(words(rows)).toContain("here");
  });
});

describe("the live area's text fitted to the terminal (a question's text, the run)", () => {
  it("hangs a plan value's continuation under the value, not at column 2", () => {
    const rows = fitToWidth("  Probes           after 10 s, every 10 s, restart after 30 failures (Azure's defaults)", 80).rows;
    expect(rows).toEqual(["  Probes           after 10 s, every 10 s, restart after 30 failures (Azure's", "                   defaults)"]);
  });

  it("repeats a diff line's marker on its continuation, so a wrapped line still reads as removed or added", () => {
    const removed = `  -    return model.predict(numpy.array(json.loads(raw)["data"])).tolist()  # the v1 way of ${"x".repeat(20)}`;
    const rows = fitToWidth(removed, 60).rows;
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(r).toMatch(/^ {2}-/);
    for (const r of rows) expect(stringWidth(r)).toBeLessThanOrEqual(60);
    // A bullet is prose, not a diff line: its continuation hangs under its text.
    expect(fitToWidth(`  - ${"word ".repeat(20)}`, 40).rows[1]).toMatch(/^ {4}word/);
  });

  it("never draws a row wider than the terminal: a URL too long for it is cut in the middle and said to be cut", () => {
    const url = "https://learn.microsoft.com/azure/machine-learning/reference-managed-online-endpoints-vm-sku-list";
    const fitted = fitToWidth(`           → Use at least 3 instances for production traffic.\n           ${url}`, 80);
    for (const r of fitted.rows) expect(stringWidth(r)).toBeLessThanOrEqual(80);
    const urlRow = fitted.rows.find((r) => r.includes("https://"))!;
    expect(urlRow).toMatch(/^ +https:\/\/learn\.microsoft\.com\/.*….*sku-list$/);
    expect(fitted.cut).toBe(true);
    expect(fitToWidth("short enough", 80)).toEqual({ rows: ["short enough"], cut: false });
  });
});
