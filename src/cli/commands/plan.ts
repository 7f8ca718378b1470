import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { addOverrideOptions } from "../plan-override-options.js";
import { addTargetOptions } from "../target-options.js";

export function planCommand(io: CommandIo, connect: Connect): Command {
  const cmd = new Command("plan")
    .description("Review what migrating one v1 ACI service would do: findings, VM size, quota, cost; optionally write az ml YAML.")
    .option("--service <name>", "a service in your workspace (with --workspace; reads it from Azure, or the sandbox with --sandbox)")
    .option("--service-json <file>", "the service as `az ml service show` or the v1 REST API returns it (JSON or YAML)")
    .option("--deployment-config <file>", "the v1 CLI deploymentconfig.json/.yml the service was deployed with")
    .option("--inference-config <file>", "the v1 CLI inferenceconfig.json/.yml (with --deployment-config)")
    .option("--service-name <name>", "the service's name (deployment config files do not carry it)")
    .option("--code-dir <dir>", "the scoring code folder, instead of the v1 snapshot or the inference config's source directory");
  return addTargetOptions(addOverrideOptions(cmd))
    .option("--out <dir>", "write a folder `az ml` deploys as written: endpoint.yml, deployment.yml, code/, what they name, and a README with the commands")
    .option("--save <file>", "keep the whole plan and what it was based on in FILE (YAML) for review; `migrate --plan FILE` applies exactly that")
    .addHelpText(
      "after",
      `
Examples (the files are in the repository's samples/ folder):
  $ aci-migrate --sandbox plan -w ml-prod-eastus --service credit-2cpu-4gb
  $ aci-migrate --sandbox --state-dir .sandbox plan -w ml-prod-eastus --service churn-keyauth --instances 2 --save churn.plan.yml
  $ aci-migrate plan --service-json samples/service-sklearn-1cpu-2gb.json
  $ aci-migrate plan --deployment-config samples/v1-cli-json/deploymentconfig.json --inference-config samples/v1-cli-json/inferenceconfig.json --model credit-model:7 --json
  $ aci-migrate plan --service-json samples/service-sklearn-1cpu-2gb.json --code-dir samples/v1-cli-json/src --sku Standard_DS3_v2 --instances 3 --out ./moe

On Azure, drop --sandbox (sign in with az login first).

Exit codes: 0 planned (even with blockers: they are findings), 1 failed (Azure refused, not signed in), 2 bad input.`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/plan.js").then((m) => m.runPlan(io, connect, _local, cmd)));
}
