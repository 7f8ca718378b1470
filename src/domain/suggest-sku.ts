import { HOURS_PER_MONTH, VM_SKUS, formatInterval, getSku, matchTableRow } from "./sku-catalog.js";
import type { VmSku } from "./sku-types.js";

/**
 * Memory every row of Microsoft's table leaves free above the request (GiB): the VM's OS, the inference
 * server and the storage initializer share the machine with the model.
 */
export const MEMORY_HEADROOM_GIB = 2.3;

export interface SkuSuggestion {
  /** The chosen SKU, or null when nothing in the catalog is big enough. */
  readonly sku: VmSku | null;
  /** `table`: a row of Microsoft's mapping matched; `fallback`: the cheapest-fit rule; `none`: nothing fits. */
  readonly source: "table" | "fallback" | "none";
  /** The table row that matched (1-based), when `source` is `table`. */
  readonly tableRow?: number;
  readonly rationale: string;
  /** A cheaper catalog SKU that meets the same fit rule as the table's choice, with the saving per instance. */
  readonly alternative?: { readonly sku: VmSku; readonly monthlySavingPerInstanceUsd: number };
}

/** CPU-only SKUs with at least `cpu` vCPUs and `memoryGb` + headroom, cheapest first (ties: fewer vCPUs, less memory, name). */
export function skusThatFit(cpu: number, memoryGb: number): VmSku[] {
  return VM_SKUS.filter(
    (s) => s.architecture === "cpu" && s.usdPerHour !== null && s.vcpus >= cpu && s.memoryGib - MEMORY_HEADROOM_GIB >= memoryGb - 1e-9,
  ).sort((a, b) => a.usdPerHour! - b.usdPerHour! || a.vcpus - b.vcpus || a.memoryGib - b.memoryGib || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The quota families that have a size for every one of `requests`, each with the cheapest fitting size per
 * request (in their order); the family whose sizes cost least in all comes first.
 */
export function familiesFittingAll(requests: readonly { readonly cpu: number; readonly memoryGb: number }[]): { family: string; sizes: VmSku[] }[] {
  const fits = requests.map((r) => skusThatFit(r.cpu, r.memoryGb));
  const families = [...new Set(fits.flat().map((s) => s.family))];
  return families
    .flatMap((family) => {
      const sizes = fits.map((f) => f.find((s) => s.family === family));
      return sizes.every((s) => s !== undefined) ? [{ family, sizes: sizes as VmSku[] }] : [];
    })
    .map((f) => ({ ...f, cost: f.sizes.reduce((sum, s) => sum + s.usdPerHour!, 0) }))
    .sort((a, b) => a.cost - b.cost || a.family.localeCompare(b.family))
    .map(({ family, sizes }) => ({ family, sizes }));
}

const usd = (n: number) =>
  `$${n
    .toFixed(n < 1 ? 4 : 2)
    .replace(/0+$/, "")
    .replace(/\.$/, "")}`;

/**
 * Suggests a managed-endpoint VM size for an ACI container of `cpu` cores and `memoryGb` GB.
 * Microsoft's 7-row table decides first, exactly as published; where no row matches (its gaps, such as 1 CPU
 * with more than 1.2 GB or 2 CPU with 1 GB, and anything beyond 4 CPU / 16 GB) the fallback picks the cheapest
 * CPU SKU with enough vCPUs and memory plus the table's 2.3 GiB headroom.
 */
export function suggestSku(cpu: number, memoryGb: number): SkuSuggestion {
  const want = `${cpu} CPU / ${memoryGb} GB`;
  const fits = skusThatFit(cpu, memoryGb);
  const row = matchTableRow(cpu, memoryGb);
  if (row) {
    const sku = getSku(row.sku);
    const cheaper = fits[0];
    const alternative =
      cheaper && sku.usdPerHour !== null && cheaper.usdPerHour! < sku.usdPerHour
        ? { sku: cheaper, monthlySavingPerInstanceUsd: round2((sku.usdPerHour - cheaper.usdPerHour!) * HOURS_PER_MONTH) }
        : undefined;
    return {
      sku,
      source: "table",
      tableRow: row.row,
      rationale: `${want} falls in row ${row.row} of Microsoft's ACI mapping table (CPU ${formatInterval(row.cpu)}, memory ${formatInterval(row.memoryGb)} GB) → ${row.docLabel}.`,
      alternative,
    };
  }
  const why = describeGap(cpu, memoryGb);
  const best = fits[0];
  if (!best) {
    return {
      sku: null,
      source: "none",
      rationale: `${want} ${why}, and no CPU SKU on the managed endpoint list has ≥ ${cpu} vCPUs and ≥ ${round2(memoryGb + MEMORY_HEADROOM_GIB)} GiB.`,
    };
  }
  return {
    sku: best,
    source: "fallback",
    rationale:
      `${want} ${why}; fallback: the cheapest CPU SKU with ≥ ${cpu} vCPUs and ≥ ${round2(memoryGb + MEMORY_HEADROOM_GIB)} GiB ` +
      `(the request plus the table's ${MEMORY_HEADROOM_GIB} GiB headroom) is ${best.name} at ${usd(best.usdPerHour!)}/h.`,
  };
}

function describeGap(cpu: number, memoryGb: number): string {
  if (cpu > 4 || memoryGb > 16) return "is beyond Microsoft's ACI mapping table (which stops at 4 CPU / 16 GB)";
  return "falls in a gap of Microsoft's ACI mapping table (no row covers this CPU and memory together)";
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
