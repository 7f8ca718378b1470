import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { addReplayOptions } from "../replay-options.js";

export function compareCommand(io: CommandIo, connect: Connect): Command {
  const cmd = new Command("compare")
    .description(
      "Replay real requests on the old ACI service and on the new deployment (pinned by name: no traffic moves), compare the answers and the latency, and write a report.",
    )
    .option("--service <name>", "the v1 ACI service")
    .option("--endpoint <name>", "the managed online endpoint (default: the one its migration makes, <service>-online)")
    .option("--deployment <name>", "the deployment to compare (default: the migration's, else the endpoint's only one)");
  return addReplayOptions(cmd, { gate: false })
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      `
Examples (after the migrate examples of \`aci-migrate migrate --help\`):
  $ aci-migrate --sandbox --state-dir .sandbox compare -w ml-prod-eastus --service telemetry-svc --limit 100
  $ aci-migrate --sandbox --state-dir .sandbox compare -w ml-prod-eastus --service telemetry-svc --limit 50 --rate 20 --ignore timestamp --json

Requests: --requests FILE (JSON Lines: one request body per line) or DIR (one .json body per file); without
it, the inputs v1 model data collection kept in the workspace's storage (modeldata/…/inputs/…/data.csv),
shaped as the service's swagger sample. Each is sent to both sides; 10% also twice to the old service, and the
fields its own answers differ in are noise, not disagreements.

A stopped replay (Ctrl+C) resumes where it stopped when run again with the same requests. Its journal keeps
counts and hashes only; the report (report.html, report.md, report.json) is written 0600 in the state
directory's replays/<workspace>/<service>/ and may hold requests and answers.

Exit codes: 0 the comparison passes, 1 it does not (or a side failed), 2 bad input, 130 stopped.`,
    )
    .action((_local: unknown, c: Command) => import("../actions/compare.js").then((m) => m.runCompare(io, connect, c)));
}
