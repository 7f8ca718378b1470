import { describe, expect, it } from "vitest";
import { VM_SKUS } from "../../src/domain/sku-catalog.js";
import { MEMORY_HEADROOM_GIB, familiesFittingAll, skusThatFit, suggestSku } from "../../src/domain/suggest-sku.js";
import { seededRandom } from "../helpers/random.js";

/**
 * Microsoft's table, typed in again from the doc (migrate-to-v2-managed-online-endpoints.md) so the test is an
 * oracle independent of the generated module: CPU (gt, le], memory (gt, le] → SKU.
 */
const MICROSOFT_TABLE = [
  { cpu: [0, 1], mem: [0, 1.2], sku: "Standard_DS1_v2" },
  { cpu: [1, 2], mem: [1.2, 1.7], sku: "Standard_F2s_v2" },
  { cpu: [1, 2], mem: [1.7, 4.7], sku: "Standard_DS2_v2" },
  { cpu: [1, 2], mem: [4.7, 13.7], sku: "Standard_E2s_v3" },
  { cpu: [2, 4], mem: [0, 5.7], sku: "Standard_F4s_v2" },
  { cpu: [2, 4], mem: [5.7, 11.7], sku: "Standard_DS3_v2" },
  { cpu: [2, 4], mem: [11.7, 16], sku: "Standard_E4s_v3" },
] as const;

const inRange = (v: number, [gt, le]: readonly [number, number]) => v > gt && v <= le;
const oracleRow = (cpu: number, mem: number) => MICROSOFT_TABLE.findIndex((r) => inRange(cpu, r.cpu) && inRange(mem, r.mem));

/** The fallback by brute force over the catalog: the cheapest fitting CPU SKU, ties by vCPUs, memory, name. */
function oracleFallback(cpu: number, mem: number): string | null {
  let best: (typeof VM_SKUS)[number] | null = null;
  for (const s of VM_SKUS) {
    if (s.architecture !== "cpu" || s.usdPerHour === null || s.vcpus < cpu || s.memoryGib - 2.3 < mem - 1e-9) continue;
    if (
      !best ||
      s.usdPerHour < best.usdPerHour! ||
      (s.usdPerHour === best.usdPerHour &&
        (s.vcpus < best.vcpus || (s.vcpus === best.vcpus && (s.memoryGib < best.memoryGib || (s.memoryGib === best.memoryGib && s.name < best.name)))))
    )
      best = s;
  }
  return best?.name ?? null;
}

const EPS = 0.01;

describe("suggestSku: every boundary of every row of Microsoft's table", () => {
  const cases: { label: string; cpu: number; mem: number }[] = [];
  MICROSOFT_TABLE.forEach((row, i) => {
    const midCpu = (row.cpu[0] + row.cpu[1]) / 2;
    const midMem = (row.mem[0] + row.mem[1]) / 2;
    for (const [edge, value] of [
      ["cpu gt", row.cpu[0]],
      ["cpu le", row.cpu[1]],
    ] as const) {
      for (const [where, v] of [
        ["at", value],
        ["just above", value + EPS],
        ["just below", value - EPS],
      ] as const) {
        if (v > 0) cases.push({ label: `row ${i + 1}: ${where} ${edge} (${v} CPU, ${midMem} GB)`, cpu: v, mem: midMem });
      }
    }
    for (const [edge, value] of [
      ["memory gt", row.mem[0]],
      ["memory le", row.mem[1]],
    ] as const) {
      for (const [where, v] of [
        ["at", value],
        ["just above", value + EPS],
        ["just below", value - EPS],
      ] as const) {
        if (v > 0) cases.push({ label: `row ${i + 1}: ${where} ${edge} (${midCpu} CPU, ${v} GB)`, cpu: midCpu, mem: v });
      }
    }
  });

  it.each(cases)("$label", ({ cpu, mem }) => {
    const result = suggestSku(cpu, mem);
    const row = oracleRow(cpu, mem);
    if (row >= 0) {
      expect(result.source).toBe("table");
      expect(result.tableRow).toBe(row + 1);
      expect(result.sku?.name).toBe(MICROSOFT_TABLE[row]!.sku);
      expect(result.rationale).toContain(`row ${row + 1}`);
    } else {
      expect(result.source).toBe(oracleFallback(cpu, mem) ? "fallback" : "none");
      expect(result.sku?.name ?? null).toBe(oracleFallback(cpu, mem));
      expect(result.tableRow).toBeUndefined();
    }
  });

  it("covers lower edges as exclusive and upper edges as inclusive", () => {
    expect(suggestSku(1, 1.2).sku?.name).toBe("Standard_DS1_v2"); // both at le: inside row 1
    expect(suggestSku(2, 1.7).sku?.name).toBe("Standard_F2s_v2"); // at le of row 2
    expect(suggestSku(2, 1.71).sku?.name).toBe("Standard_DS2_v2"); // just above: row 3
    expect(suggestSku(4, 16).sku?.name).toBe("Standard_E4s_v3"); // the table's last corner
    expect(suggestSku(1.01, 1.2).source).toBe("fallback"); // cpu (1,2] but memory at row 2's gt: excluded
  });
});

describe("suggestSku: the table's gaps and beyond use the fallback and say so", () => {
  it.each([
    { shape: "1 CPU with 2 GB (very common)", cpu: 1, mem: 2, sku: "Standard_D2a_v4" },
    { shape: "1 CPU with 1.5 GB", cpu: 1, mem: 1.5, sku: "Standard_F2s_v2" },
    { shape: "1 CPU with 16 GB (needs 18.3 GiB: E2s_v3 is too small)", cpu: 1, mem: 16, sku: "Standard_E4s_v3" },
    { shape: "2 CPU with 1 GB", cpu: 2, mem: 1, sku: "Standard_F2s_v2" },
    { shape: "1.5 CPU with 14 GB (above row 4)", cpu: 1.5, mem: 14, sku: "Standard_E4s_v3" },
    { shape: "4 CPU with 17 GB (above 16 GB)", cpu: 4, mem: 17, sku: "Standard_E4s_v3" },
    { shape: "5 CPU with 8 GB (above 4 CPU)", cpu: 5, mem: 8, sku: "Standard_F8s_v2" },
    { shape: "8 CPU with 32 GB", cpu: 8, mem: 32, sku: "Standard_E8s_v3" },
  ])("$shape → $sku", ({ cpu, mem, sku }) => {
    const r = suggestSku(cpu, mem);
    expect(r.source).toBe("fallback");
    expect(r.sku?.name).toBe(sku);
    expect(oracleFallback(cpu, mem)).toBe(sku);
    expect(r.rationale).toMatch(/fallback/);
    expect(r.rationale).toMatch(cpu > 4 || mem > 16 ? /beyond Microsoft's ACI mapping table/ : /gap of Microsoft's ACI mapping table/);
    expect(r.rationale).toContain(`${Math.round((mem + MEMORY_HEADROOM_GIB) * 100) / 100} GiB`);
  });

  it("returns source none when no CPU SKU is big enough", () => {
    const r = suggestSku(200, 1);
    expect(r.source).toBe("none");
    expect(r.sku).toBeNull();
    expect(r.rationale).toContain("no CPU SKU");
  });

  it("breaks equal prices by fewer vCPUs, then less memory, then name", () => {
    // D2a_v4 and D2as_v4 cost the same with the same size: the name decides, byte order.
    const fits = skusThatFit(1, 2).map((s) => s.name);
    expect(fits.indexOf("Standard_D2a_v4")).toBeLessThan(fits.indexOf("Standard_D2as_v4"));
    for (let i = 1; i < fits.length; i++) {
      const a = VM_SKUS.find((s) => s.name === fits[i - 1])!;
      const b = VM_SKUS.find((s) => s.name === fits[i])!;
      const order = a.usdPerHour! - b.usdPerHour! || a.vcpus - b.vcpus || a.memoryGib - b.memoryGib || (a.name < b.name ? -1 : 1);
      expect(order).toBeLessThan(0);
    }
  });

  it("never offers GPU SKUs or SKUs without a price in the fallback", () => {
    const fits = skusThatFit(0.1, 0.1);
    expect(fits.every((s) => s.architecture === "cpu" && s.usdPerHour !== null)).toBe(true);
  });
});

describe("suggestSku: a cheaper SKU that meets the same rule is named with its saving", () => {
  it("2 CPU / 4 GB: table says DS2_v2, D2a_v4 fits for less", () => {
    const r = suggestSku(2, 4);
    expect(r.sku?.name).toBe("Standard_DS2_v2");
    expect(r.alternative?.sku.name).toBe("Standard_D2a_v4");
    expect(r.alternative?.monthlySavingPerInstanceUsd).toBeCloseTo((0.146 - 0.096) * 730, 2);
  });

  it("1 CPU / 1 GB: DS1_v2 is already the cheapest fit, so no alternative", () => {
    expect(suggestSku(1, 1).alternative).toBeUndefined();
  });

  it("4 CPU / 16 GB: nothing cheaper than E4s_v3 has 18.3 GiB", () => {
    expect(suggestSku(4, 16).alternative).toBeUndefined();
  });
});

describe("suggestSku agrees with the oracle over random requests", () => {
  it("for 5,000 seeded requests", () => {
    const rand = seededRandom(42);
    for (let i = 0; i < 5000; i++) {
      const cpu = Math.round(rand() * 100 * 6) / 100 + 0.01;
      const mem = Math.round(rand() * 100 * 40) / 100 + 0.01;
      const r = suggestSku(cpu, mem);
      const row = oracleRow(cpu, mem);
      if (row >= 0) expect(r.sku?.name, `${cpu}/${mem}`).toBe(MICROSOFT_TABLE[row]!.sku);
      else expect(r.sku?.name ?? null, `${cpu}/${mem}`).toBe(oracleFallback(cpu, mem));
    }
  });
});

describe("familiesFittingAll: one VM size family for several services", () => {
  it("each family offered has, for every request, its cheapest fitting size; cheapest family in all first", () => {
    const requests = [
      { cpu: 0.5, memoryGb: 1 },
      { cpu: 8, memoryGb: 60 },
    ];
    const families = familiesFittingAll(requests);
    expect(families.length).toBeGreaterThan(1);
    for (const { family, sizes } of families) {
      expect(sizes).toHaveLength(2);
      requests.forEach((r, i) => expect(sizes[i]).toEqual(skusThatFit(r.cpu, r.memoryGb).find((s) => s.family === family)));
    }
    const costs = families.map((f) => f.sizes.reduce((sum, s) => sum + s.usdPerHour!, 0));
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    // A family too small for one of them is not offered: none of its sizes fits 8 CPU / 60 GB.
    const small = [...new Set(skusThatFit(0.5, 1).map((s) => s.family))].filter((f) => !skusThatFit(8, 60).some((s) => s.family === f));
    expect(small.length).toBeGreaterThan(0);
    expect(families.map((f) => f.family)).not.toContain(small[0]);
  });
});
