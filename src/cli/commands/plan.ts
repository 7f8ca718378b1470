import { mkdir } from "node:fs/promises";
import { writeAtomically } from "../../fs/atomic-write.js";
import { explainSystemError } from "../../domain/system-errors.js";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Command } from "commander";
import { toAzMlYaml } from "../../domain/az-ml-yaml.js";
import { UserFixableError } from "../../domain/errors.js";
import type { MigrationPlan } from "../../domain/plan.js";
import { getV1Service } from "../../azure/workspaces.js";
import { parseServiceJson } from "../../domain/parse-service-json.js";
import { isImageBased } from "../../domain/v1-service.js";
import { AzureMigrationAdapter } from "../../azure/migration-adapter.js";
import { checkScoringScript } from "../../migration/script-check.js";
import type { Connect } from "../connect.js";
import { findWorkspace } from "../find-workspace.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import { loadServiceFromFiles } from "../load-service.js";
import { addOverrideOptions, overridesFrom, planWithFlags, type OverrideFlags } from "../plan-override-options.js";
import { printJson } from "../render/json-output.js";
import { planToJson } from "../render/plan-json.js";
import { renderPlanText } from "../render/plan-text.js";

interface PlanCommandOptions extends OverrideFlags {
  service?: string;
  workspace?: string;
  subscription?: string;
  resourceGroup?: string;
  serviceJson?: string;
  deploymentConfig?: string;
  inferenceConfig?: string;
  serviceName?: string;
  out?: string;
  json?: boolean;
}

export function planCommand(io: CommandIo, connect: Connect): Command {
  const cmd = new Command("plan")
    .description("Review what migrating one v1 ACI service would do: findings, VM size, quota, cost; optionally write az ml YAML.")
    .option("--service <name>", "a service in your workspace (with --workspace; reads it from Azure, or the sandbox with --sandbox)")
    .option("--service-json <file>", "the service as `az ml service show` or the v1 REST API returns it (JSON or YAML)")
    .option("--deployment-config <file>", "the v1 CLI deploymentconfig.json/.yml the service was deployed with")
    .option("--inference-config <file>", "the v1 CLI inferenceconfig.json/.yml (with --deployment-config)")
    .option("--service-name <name>", "the service's name (deployment config files do not carry it)");
  return addOverrideOptions(cmd)
    .option("--out <dir>", "write endpoint.yml and deployment.yml for `az ml` into this folder")
    .addHelpText(
      "after",
      `
Examples (the files are in the repository's samples/ folder):
  $ aci-migrate --sandbox plan -w ml-prod-eastus --service credit-2cpu-4gb
  $ aci-migrate plan --service-json samples/service-sklearn-1cpu-2gb.json
  $ aci-migrate plan --deployment-config samples/v1-cli-json/deploymentconfig.json --inference-config samples/v1-cli-json/inferenceconfig.json --model credit-model:7 --json
  $ aci-migrate plan --service-json samples/service-sklearn-1cpu-2gb.json --sku Standard_DS3_v2 --instances 3 --out ./moe

On Azure, drop --sandbox (sign in with az login first).

Exit codes: 0 planned (even with blockers: they are findings), 1 failed (Azure refused, not signed in), 2 bad input.`,
    )
    .action(async (_local: unknown, cmd: Command) => {
      const opts = optionsOf<PlanCommandOptions>(cmd);
      const { service, scan } = opts.service || opts.workspace ? await loadServiceFromWorkspace(opts, cmd, connect) : { service: await loadServiceFromFiles(opts), scan: undefined };
      const plan = planWithFlags(service, overridesFrom(opts), scan);
      const files = opts.out ? await writeYaml(plan, opts) : undefined;
      if (opts.json) printJson(io, planToJson(plan, files));
      else {
        io.out(renderPlanText(plan, io.decorated));
        if (files) io.out(`\nWrote ${files.join(", ")}.\nCreate with: az ml online-endpoint create -f ${join(opts.out!, "endpoint.yml")} && az ml online-deployment create -f ${join(opts.out!, "deployment.yml")}`);
      }
    });
}

async function loadServiceFromWorkspace(opts: PlanCommandOptions, cmd: Command, connect: Connect) {
  if (!opts.service || !opts.workspace) {
    throw new UserFixableError(`${opts.service ? "--workspace" : "--service"} is missing.`, {
      why: "A service is found by its name inside a workspace.",
      nextStep: "Pass both --workspace NAME and --service NAME (see `aci-migrate --sandbox services`).",
      kind: "input",
    });
  }
  if (opts.serviceJson || opts.deploymentConfig) {
    throw new UserFixableError("--service reads the service from Azure; --service-json/--deployment-config read it from a file.", { nextStep: "Pass one source.", kind: "input" });
  }
  const session = await connect(cmd);
  try {
    const ws = await findWorkspace(session.conn, opts.workspace, opts.subscription, opts.resourceGroup);
    const doc = await getV1Service(session.conn, ws, opts.service);
    if (!doc) {
      throw new UserFixableError(`Workspace ${ws.workspace} has no service named ${opts.service}.`, {
        nextStep: `List its services with \`aci-migrate${session.sandbox ? " --sandbox" : ""} services --workspace ${ws.workspace}\`.`,
        kind: "input",
      });
    }
    const service = parseServiceJson(doc, `${ws.workspace}/${opts.service}`);
    const scan = isImageBased(service) ? undefined : await checkScoringScript(new AzureMigrationAdapter(session.conn), ws, service, { kind: "snapshot", service: doc });
    return { service, scan };
  } finally {
    await session.close();
  }
}

async function writeYaml(plan: MigrationPlan, opts: PlanCommandOptions): Promise<string[]> {
  const outDir = resolve(opts.out!);
  // Point `code:` at the real scoring folder when the v1 files say where it is (relative to the inference config).
  let codePath: string | undefined;
  if (opts.inferenceConfig && plan.code.sourceDirectory) {
    const abs = resolve(dirname(resolve(opts.inferenceConfig)), plan.code.sourceDirectory);
    codePath = relative(outDir, abs).split(sep).join("/") || ".";
  }
  const files = toAzMlYaml(plan, { codePath });
  try {
    await mkdir(outDir, { recursive: true });
    const written: string[] = [];
    for (const [name, content] of Object.entries(files)) {
      if (content === undefined) continue;
      const path = join(opts.out!, name);
      writeAtomically(path, content, 0o644); // whole or not at all: a full disk leaves no 0-byte YAML behind
      written.push(path);
    }
    return written;
  } catch (e) {
    throw explainSystemError(e) ?? new UserFixableError(`Cannot write the YAML files into ${opts.out}: ${(e as Error).message}.`, {
      nextStep: "Choose a folder you can write to with --out.",
      source: opts.out,
      kind: "input",
    });
  }
}
