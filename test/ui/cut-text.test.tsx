import stringWidth from "string-width";
import { afterEach, describe, expect, it } from "vitest";
import { KEY, mountHost, press, until, type InkInstance } from "../helpers/ink.js";
import { sizeTo } from "../helpers/wizard.js";

/** At 80 columns, what a row cannot hold is cut with "…" and can still be read in full. */
const mounted: InkInstance[] = [];
afterEach(() => mounted.splice(0).forEach((ink) => ink.unmount()));

function wizard() {
  const mount = mountHost();
  sizeTo(mount.ink, 80, 24);
  mounted.push(mount.ink);
  return mount;
}

const rowsOf = (frame: string) => frame.split("\n");

describe("cut text at 80 columns", () => {
  it("a menu entry too long for its row is cut, and shown whole under the list when the cursor is on it", async () => {
    const { ask, ink } = wizard();
    const long = "failed-svc  ACI · Failed · 1 CPU / 1 GB  (it is Failed; fix or redeploy it in v1 first, then migrate it)";
    void ask.select("Which service?", [
      { value: "a", name: "churn-drift  ACI · Healthy · 1 CPU / 1 GB · 3 findings" },
      { value: "b", name: long },
    ]);
    const first = await until(ink, (f) => f.includes("Which service?"), "the list");
    for (const r of rowsOf(first)) expect(stringWidth(r)).toBeLessThanOrEqual(80);
    expect(first).not.toContain("then migrate it)");
    await press(ink, KEY.down);
    const onIt = await until(ink, (f) => f.includes("then migrate it)"), "the entry in full");
    for (const r of rowsOf(onIt)) expect(stringWidth(r)).toBeLessThanOrEqual(80);
    expect(onIt.replace(/\s+/g, " ")).toContain(long.replace(/\s+/g, " "));
  });

  it("a question's text with a URL too long for the screen offers Ctrl+O, which prints it above whole", async () => {
    const { ask, ink } = wizard();
    const url = "https://learn.microsoft.com/azure/machine-learning/reference-managed-online-endpoints-vm-sku-list";
    void ask.select("What next?", [{ value: "go", name: "Go on with this plan" }], {
      details: { title: "Review 1 of 1: credit", text: `Findings\n  WARNING  few-instances\n           ${url}` },
    });
    const frame = await until(ink, (f) => f.includes("What next?"), "the review");
    for (const r of rowsOf(frame)) expect(stringWidth(r)).toBeLessThanOrEqual(80);
    expect(frame).not.toContain(url);
    expect(frame).toContain("Ctrl+O");
    await press(ink, "\u000f");
    const printed = await until(ink, (f) => f.includes(url), "the whole text printed above");
    expect(rowsOf(printed).some((r) => r.trim() === url)).toBe(true);
    expect(printed).toContain("What next?"); // the question stays open
  });
});
