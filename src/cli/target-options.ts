import type { Command } from "commander";

/** `--target-workspace` and its place: the workspace a migration creates the endpoint and its assets in. */
export interface TargetFlags {
  targetWorkspace?: string;
  targetResourceGroup?: string;
  targetSubscription?: string;
}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option("--target-workspace <name>", "create the endpoint in this workspace instead of the service's (models, environment and code are copied there)")
    .option("--target-resource-group <name>", "the resource group of --target-workspace (when its name repeats)")
    .option("--target-subscription <id>", "the subscription of --target-workspace (when its name repeats)");
}
