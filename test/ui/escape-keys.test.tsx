import { afterEach, describe, expect, it } from "vitest";
import { BACK } from "../../src/journey/prompter.js";
import { KEY, mountHost, press, type, until, type InkInstance } from "../helpers/ink.js";

/** Esc in a field with a value leaves it as it was; a list that has a way back takes Esc as back. */
const mounted: InkInstance[] = [];
afterEach(() => mounted.splice(0).forEach((ink) => ink.unmount()));

function wizard() {
  const mount = mountHost();
  mounted.push(mount.ink);
  return mount;
}

describe("Esc", () => {
  it("in a field with a value: the value as it was, though other text was typed (a taken name is no trap)", async () => {
    const { ask, ink } = wizard();
    const answer = ask.input("Endpoint name:", { default: "fraud-detector-online", validate: (v) => (v === "taken" ? "taken in eastus" : true) });
    await until(ink, (f) => f.includes("Esc keep as it was"), "the field and its keys");
    await press(ink, ...Array<string>("fraud-detector-online".length).fill(KEY.backspace));
    await type(ink, "taken");
    await until(ink, (f) => f.includes("taken in eastus"), "the refusal");
    await press(ink, KEY.escape);
    expect(await answer).toBe("fraud-detector-online");
  });

  it("in a field without a value, does nothing and is not offered", async () => {
    const { ask, ink } = wizard();
    const answer = ask.input("Folder:");
    const frame = await until(ink, (f) => f.includes("Enter done"), "the field");
    expect(frame).not.toContain("Esc");
    await press(ink, KEY.escape);
    await type(ink, "x");
    await press(ink, KEY.enter);
    expect(await answer).toBe("x");
  });

  it("in a list with a way back answers BACK", async () => {
    const { ask, ink } = wizard();
    const answer = ask.selectOrBack("What do you want to change for fraud-detector?", [
      { value: "done", name: "Done: back to the review" },
      { value: "endpointName", name: "Endpoint name: taken" },
    ]);
    await until(ink, (f) => f.includes("Esc back"), "the list");
    await press(ink, KEY.down, KEY.escape);
    expect(await answer).toBe(BACK);
  });
});
