import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { layoutForTerminal } from "../../src/ui/terminal-text.js";

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
