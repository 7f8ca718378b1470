import { afterEach, describe, expect, it } from "vitest";
import { KEY, mountHost, press, until, type InkInstance } from "../helpers/ink.js";

/** Keys typed while the wizard is still opening (no question yet) answer the questions when they come. */
const mounted: InkInstance[] = [];
afterEach(() => mounted.splice(0).forEach((ink) => ink.unmount()));

describe("keys typed ahead", () => {
  it("are kept while nothing is asked and go, in order, to the questions that open", async () => {
    const { ask, ink } = mountHost();
    mounted.push(ink);
    let opened!: () => void;
    const opening = ask.working("Opening the sandbox", new Promise<void>((r) => (opened = r)));
    await until(ink, (f) => f.includes("Opening the sandbox"), "the working line");
    await press(ink, KEY.down, KEY.enter, KEY.enter);
    opened();
    await opening;
    const subscription = await ask.select("Which subscription?", [
      { value: "prod", name: "Contoso ML Production" },
      { value: "dev", name: "Contoso Dev" },
    ]);
    const workspace = await ask.select("Which workspace?", [
      { value: "ml-prod-eastus", name: "ml-prod-eastus" },
      { value: "ml-batch-eastus", name: "ml-batch-eastus" },
    ]);
    expect([subscription, workspace]).toEqual(["dev", "ml-prod-eastus"]);
  });
});
