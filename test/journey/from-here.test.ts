import { describe, expect, it } from "vitest";
import { fromHere } from "../../src/journey/text/format.js";

describe("a path as the screens say it", () => {
  it("is said from the folder the tool runs in when under it (no path of the machine), else as it is", () => {
    expect(fromHere("/home/ana/clone/aci-migrate-yaml/credit", "/home/ana/clone")).toBe("./aci-migrate-yaml/credit");
    expect(fromHere("/tmp/out/credit", "/home/ana/clone")).toBe("/tmp/out/credit");
    expect(fromHere("/home/ana/clone", "/home/ana/clone")).toBe("/home/ana/clone");
  });
});
