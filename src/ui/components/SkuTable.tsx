import { Box, Text } from "ink";
import { ACI_TO_SKU_TABLE, formatInterval } from "../../domain/sku-catalog.js";
import type { MigrationPlan } from "../../domain/plan.js";
import { cell } from "../format.js";

/** Microsoft's 7-row ACI → VM size table, the matched row highlighted; or why the fallback chose instead. */
export function SkuTable({ plan }: { plan: MigrationPlan }) {
  const matched = plan.sku.source === "table" ? plan.sku.tableRow : undefined;
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {"   "}
        {cell("#", 2)} {cell("CPU", 10)} {cell("Memory GB", 12)} VM size
      </Text>
      {ACI_TO_SKU_TABLE.map((r) => {
        const hit = r.row === matched;
        return (
          <Text key={r.row} color={hit ? "green" : undefined} bold={hit}>
            {hit ? " ▶ " : "   "}
            {cell(String(r.row), 2)} {cell(formatInterval(r.cpu), 10)} {cell(formatInterval(r.memoryGb), 12)} {r.sku}
          </Text>
        );
      })}
      {matched === undefined ? <Text color="yellow">No row matches {plan.service.cpu} CPU / {plan.service.memoryGb} GB: {plan.sku.rationale}</Text> : null}
    </Box>
  );
}
