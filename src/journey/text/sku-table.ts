import { formatInterval, type SkuMappingRow } from "../../domain/sku-catalog.js";
import type { ChalkInstance } from "chalk";
import { columns } from "./text.js";

/** Microsoft's mapping table with the matched row marked (or a line saying none matched). */
export function renderMappingTable(rows: readonly SkuMappingRow[], matchedRow: number | undefined, c: ChalkInstance): string {
  const body = rows.map((r) => {
    const hit = r.row === matchedRow;
    const cells = [hit ? "▶" : " ", String(r.row), formatInterval(r.cpu), formatInterval(r.memoryGb), `${r.docLabel} (${r.sku})`];
    return hit ? cells.map((x) => c.bold.green(x)) : cells;
  });
  return columns([[" ", "#", "CPU", "Memory (GB)", "Suggested SKU"].map((h) => c.dim(h)), ...body]);
}
