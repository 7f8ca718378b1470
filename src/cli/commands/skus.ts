import { Command } from "commander";
import type { CommandIo } from "../io.js";
import { positiveNumber } from "../options.js";

export function skusCommand(io: CommandIo): Command {
  return new Command("skus")
    .description("Show Microsoft's ACI → VM size table and the managed endpoint VM catalog, with the suggestion for a CPU/memory request marked.")
    .option("--cpu <cores>", "the ACI container's CPU cores", positiveNumber)
    .option("--memory <gb>", "the ACI container's memory in GB", positiveNumber)
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate skus
  $ aci-migrate skus --cpu 1 --memory 2
  $ aci-migrate skus --cpu 2 --memory 4 --json

Prices are indicative (each one's source and date are in --json).

Exit codes: 0 listed, 2 bad input.`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/skus.js").then((m) => m.printSkus(io, cmd)));
}
