import { describe, expect, it } from "vitest";
import { mapBounded } from "../../src/azure/bounded.js";

describe("mapBounded", () => {
  it("keeps order, never runs more than the limit at once, and keeps each failure", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10 * (8 - n)));
      running--;
      if (n === 4) throw new Error("four");
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([10, 20, 30, "four", 50, 60, 70]);
  });

  it("handles nothing to do", async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});
