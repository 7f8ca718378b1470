import { ACI_TO_SKU_TABLE, VM_SKUS } from "./reference-data.generated.js";
import type { SkuMappingRow, VmSku } from "./sku-types.js";

export type { SkuMappingRow, VmSku } from "./sku-types.js";
export { ACI_TO_SKU_TABLE, VM_SKUS };

/** Hours in a month as Azure's pricing pages count them. */
export const HOURS_PER_MONTH = 730;

/** Looks a SKU up by name, case-insensitively (`standard_ds2_v2` and the SKU list's `STANDARD_DS2_V2` both work). */
export function findSku(name: string): VmSku | undefined {
  const lower = name.toLowerCase();
  return VM_SKUS.find((s) => s.name.toLowerCase() === lower);
}

export function getSku(name: string): VmSku {
  const sku = findSku(name);
  if (!sku) throw new Error(`BUG: SKU ${name} is not in the catalog`);
  return sku;
}

/** Whether `(gt, le]` holds `value`. */
export function inHalfOpen(value: number, interval: { gt: number; le: number }): boolean {
  return value > interval.gt && value <= interval.le;
}

export function matchTableRow(cpu: number, memoryGb: number): SkuMappingRow | undefined {
  return ACI_TO_SKU_TABLE.find((row) => inHalfOpen(cpu, row.cpu) && inHalfOpen(memoryGb, row.memoryGb));
}

export function formatInterval(i: { gt: number; le: number }): string {
  return `(${i.gt}, ${i.le}]`;
}

/** The catalog's CPU or GPU sizes, cheapest first (unpriced last; then fewer vCPUs, then name): what pickers list. */
export function skusByPrice(architecture: "cpu" | "gpu"): VmSku[] {
  return VM_SKUS.filter((s) => s.architecture === architecture).sort(
    (a, b) => (a.usdPerHour ?? Infinity) - (b.usdPerHour ?? Infinity) || a.vcpus - b.vcpus || a.name.localeCompare(b.name),
  );
}
