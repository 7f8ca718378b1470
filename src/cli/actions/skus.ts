import type { Command } from "commander";
import stringWidth from "string-width";
import { ACI_TO_SKU_TABLE, VM_SKUS, type VmSku } from "../../domain/sku-catalog.js";
import { UserFixableError } from "../../domain/errors.js";
import { skusThatFit, suggestSku } from "../../domain/suggest-sku.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import { printJson } from "../render/json-output.js";
import { renderMappingTable } from "../../journey/text/sku-table.js";
import { columns, paint, usdPerHour } from "../../journey/text/text.js";

/** `aci-migrate skus`: Microsoft's table and the catalog, with the suggestion for a CPU/memory request marked. */
export function printSkus(io: CommandIo, cmd: Command): void {
  const opts = optionsOf<{ cpu?: number; memory?: number }>(cmd);
  if ((opts.cpu === undefined) !== (opts.memory === undefined)) {
    throw new UserFixableError(`--${opts.cpu === undefined ? "cpu" : "memory"} is missing.`, {
      why: "A suggestion needs both the CPU cores and the memory of the ACI container.",
      nextStep: "Pass both, e.g. --cpu 1 --memory 2, or neither to list everything.",
      source: "command line",
      kind: "input",
    });
  }
  const suggestion = opts.cpu !== undefined ? suggestSku(opts.cpu, opts.memory!) : undefined;
  const fitting = suggestion ? new Set(skusThatFit(opts.cpu!, opts.memory!).map((s) => s.name)) : undefined;
  if (opts.json) {
    printJson(io, {
      request: suggestion ? { cpu: opts.cpu, memoryGb: opts.memory } : null,
      suggestion: suggestion
        ? {
            name: suggestion.sku?.name ?? null,
            source: suggestion.source,
            tableRow: suggestion.tableRow ?? null,
            rationale: suggestion.rationale,
            alternative: suggestion.alternative
              ? { name: suggestion.alternative.sku.name, monthlySavingPerInstanceUsd: suggestion.alternative.monthlySavingPerInstanceUsd }
              : null,
          }
        : null,
      table: ACI_TO_SKU_TABLE.map((r) => ({ ...r, matched: suggestion?.tableRow === r.row })),
      catalog: VM_SKUS.map((s) => ({ ...s, suggested: s.name === suggestion?.sku?.name, fits: fitting ? fitting.has(s.name) : null })),
    });
    return;
  }
  const c = paint(io.decorated);
  const out: string[] = [];
  if (suggestion) {
    out.push(c.bold(`Suggestion for ${opts.cpu} CPU / ${opts.memory} GB: ${suggestion.sku?.name ?? "none fits"}`) + c.dim(` (${suggestion.source})`));
    out.push(`  ${suggestion.rationale}`);
    if (suggestion.alternative)
      out.push(
        c.yellow(
          `  Cheaper fit: ${suggestion.alternative.sku.name}, saves $${suggestion.alternative.monthlySavingPerInstanceUsd.toFixed(2)}/month per instance.`,
        ),
      );
    out.push("");
  }
  out.push(c.bold("Microsoft's ACI → VM size table") + c.dim("  (intervals are (greater than, up to and including])"));
  out.push(renderMappingTable(ACI_TO_SKU_TABLE, suggestion?.tableRow, c));
  out.push("");
  out.push(c.bold(`Managed online endpoint VM sizes (${VM_SKUS.length})`) + c.dim("  prices indicative, Linux pay-as-you-go"));
  const sorted = [...VM_SKUS].sort((a, b) =>
    a.architecture === b.architecture
      ? (a.usdPerHour ?? Infinity) - (b.usdPerHour ?? Infinity) || (a.name < b.name ? -1 : 1)
      : a.architecture === "cpu"
        ? -1
        : 1,
  );
  const rows = sorted.map((s) => {
    const mark = s.name === suggestion?.sku?.name ? "▶" : fitting?.has(s.name) ? "✓" : " ";
    const cells = [mark, s.name, kindOf(s), String(s.vcpus), `${s.memoryGib} GiB`, usdPerHour(s.usdPerHour), s.family];
    return mark === "▶" ? cells.map((x) => c.bold.green(x)) : cells;
  });
  out.push(catalogTable([[" ", "SKU", "Kind", "vCPUs", "Memory", "Price", "Quota family"].map((h) => c.dim(h)), ...rows], io.columns ?? 80, c));
  if (fitting) out.push(c.dim("\n  ▶ suggested  ✓ fits the request with 2.3 GiB headroom"));
  io.out(out.join("\n"));
}

/**
 * One row a size where the terminal is wide enough; else its quota family goes on a line of its own under it
 * (a row ~105 wide, broken by an 80-column terminal, is unreadable).
 */
function catalogTable(rows: readonly string[][], width: number, c: ReturnType<typeof paint>): string {
  const wide = columns(rows);
  if (wide.split("\n").every((line) => stringWidth(line) <= width)) return wide;
  return columns(rows.map((r) => r.slice(0, -1)))
    .split("\n")
    .flatMap((line, i) => (i === 0 ? [line] : [line, c.dim(`       quota family ${rows[i]!.at(-1)!}`)]))
    .join("\n");
}

/** CPU, or the GPUs: `2× V100`, and a share of one as `1/6 of an A10` (the catalog's "A10 (fractional)"). */
function kindOf(s: VmSku): string {
  if (s.architecture !== "gpu") return "CPU";
  const model = s.gpuModel ?? "GPU";
  return model.endsWith(" (fractional)") ? `${s.gpus} of an ${model.replace(" (fractional)", "")}` : `${s.gpus}× ${model}`;
}
