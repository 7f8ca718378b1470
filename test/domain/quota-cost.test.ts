import { describe, expect, it } from "vitest";
import { estimateMonthlyCost } from "../../src/domain/cost.js";
import { quotaNeed } from "../../src/domain/quota.js";
import { getSku } from "../../src/domain/sku-catalog.js";

describe("quotaNeed", () => {
  it.each([
    [1, 2], // ceil(1.2) = 2
    [3, 4], // ceil(3.6) = 4
    [5, 6], // 1.2 × 5 is 6.000000000000001 in floating point: still 6
    [10, 12],
    [50, 60],
  ])("%i instances of a 2-vCPU SKU reserve ceil(1.2 × n) = %i instances", (instances, reserved) => {
    const q = quotaNeed(getSku("Standard_DS2_v2"), instances);
    expect(q).toMatchObject({ family: "standardDSv2Family", cores: reserved * 2, reservation: true });
  });

  it("skips the 20% for A100/H100/ND families", () => {
    const q = quotaNeed(getSku("Standard_NC24ads_A100_v4"), 5);
    expect(q).toMatchObject({ family: "standardNCADSA100v4Family", cores: 5 * 24, reservation: false });
  });
});

describe("estimateMonthlyCost", () => {
  it("prices ACI by vCPU and GB hours in the service's region, the SKU per instance, 730 h", () => {
    const c = estimateMonthlyCost({ cpu: 2, memoryGb: 4, location: "swedencentral" }, getSku("Standard_DS2_v2"), 3);
    expect(c.aciMonthlyUsd).toBeCloseTo((2 * 0.0466 + 4 * 0.00511) * 730, 2);
    expect(c.managedMonthlyUsd).toBeCloseTo(0.146 * 3 * 730, 2);
    expect(c.label).toBe("indicative");
    expect(c.aciPrice).toEqual({ region: "swedencentral", asOf: "2021-06-08", usedFallbackRegion: false });
    expect(c.skuPrice.asOf).toBe("2023-07");
  });

  it("stands in East US prices for a region it has none for, and says so", () => {
    const c = estimateMonthlyCost({ cpu: 1, memoryGb: 1, location: "West Europe" }, getSku("Standard_DS1_v2"), 1);
    expect(c.aciPrice.region).toBe("eastus");
    expect(c.aciPrice.usedFallbackRegion).toBe(true);
    expect(c.note).toContain("standing in for West Europe");
  });

  it("has no managed figure for a SKU without a price", () => {
    const c = estimateMonthlyCost({ cpu: 1, memoryGb: 1 }, getSku("Standard_ND96is_H100_v5"), 1);
    expect(c.managedMonthlyUsd).toBeNull();
    expect(c.skuPrice.kind).toBe("unknown");
  });
});
