import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { atLeastOne, collect } from "../options.js";
import { addOverrideOptions } from "../plan-override-options.js";
import { addRehearsalOptions } from "../rehearsal-options.js";
import { addReplayOptions } from "../replay-options.js";
import { addCutoverOptions } from "../cutover-options.js";
import { addTargetOptions } from "../target-options.js";

export function migrateCommand(io: CommandIo, connect: Connect): Command {
  const cmd = new Command("migrate")
    .description("Migrate v1 ACI services to managed online endpoints, step by step, resumable.")
    .option("--service <name>", "a service to migrate (repeatable)", collect)
    .option("--all", "every healthy ACI service in the workspace")
    .option(
      "--plan <file|dir>",
      "apply saved plans exactly (`plan --save`; repeatable; a folder: its .yml/.yaml/.json plans, shared with other machines)",
      collect,
    );
  return addTargetOptions(addCutoverOptions(addReplayOptions(addRehearsalOptions(addOverrideOptions(cmd)), { gate: true })))
    .option("--code-dir <dir>", "take the scoring code from this folder instead of the v1 source snapshot (one service only)")
    .option("--concurrency <n>", "services migrated at the same time", atLeastOne, 4)
    .option("--sample-request <file>", 'JSON request for the smoke test (default: {"data": [[0.5, 1.5, 2.5, 3.5]]})')
    .option("--rehearse", "first run each service on this machine in the managed layout; a crash or a different answer blocks it before Azure is touched")
    .option("--yes", "run without asking (required off a terminal and with --json)")
    .addHelpText(
      "after",
      `
Examples (--state-dir .sandbox keeps the sandbox's world and the sessions between commands):
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-prod-eastus --service credit-2cpu-4gb --yes
  $ aci-migrate --sandbox --state-dir .sandbox migrate --plan churn.plan.yml --yes
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-prod-eastus --service churn-keyauth --service iris-noauth --instances 2 --yes --json
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-batch-eastus --all --concurrency 4 --yes
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-prod-eastus --service relative-path-svc --rehearse --apply-script-edits --yes
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-prod-eastus --service telemetry-svc --min-agreement 99 --rate 50 --yes
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-risk-westeurope --service claims-cmk --target-workspace ml-prod-eastus --acknowledge cmk-encryption-unsupported --yes

On Azure, drop --sandbox and --state-dir. At a terminal without --yes, migrate shows what it will create and
asks first; with --yes (required off a terminal and with --json) it asks nothing. An endpoint or deployment
left Failed (or different from the plan) by an earlier run gets the plan applied again; one that fails during
this run is left as it is (run again with changed flags, e.g. --environment). A new --sku for a deployment
that exists is a new deployment beside it (Azure cannot change a VM size): created, smoke-tested, given the
traffic, then the old one is deleted; with --traffic-steps 10,50,100 the traffic moves in steps (each held
--step-wait, then checked on both deployments) and the old one is kept (--keep-old 1h: for an hour, then the
next resume deletes it; by default until you delete it), so \`aci-migrate rollback\` can move the traffic back.

Before traffic moves, real requests are replayed on the ACI service and on the new deployment (pinned by name):
--requests FILE|DIR, else the inputs the service's data collection kept. Traffic moves only when the
comparison passes (--min-agreement, --max-latency-ratio); otherwise you are asked, and --yes stops with exit 1
and the report. With no requests at hand the smoke test is the only gate.

Exit codes: 0 migrated, 1 failed (resume with \`aci-migrate resume\`), 2 bad input, 130 cancelled (Ctrl+C,
or "no" at the question; what runs in Azure goes on, and resume picks it up).`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/migrate.js").then((m) => m.runMigrate(io, connect, _local, cmd)));
}
