import { Option, type Command } from "commander";
import { AUTH_MODES, type AuthMode } from "../domain/auth-modes.js";
import type { PlanOverrides } from "../domain/plan.js";
import { collect, wholeNumber } from "./options.js";

/** The flags that change a plan, as `plan` and `migrate` both take them. */
export interface OverrideFlags {
  endpointName?: string;
  deploymentName?: string;
  sku?: string;
  instances?: number;
  timeoutMs?: number;
  authMode?: AuthMode;
  publicNetworkAccess?: "enabled" | "disabled";
  model?: string;
  environment?: string;
  newKeys?: boolean;
  acknowledge?: string[];
  applyScriptEdits?: boolean;
}

export function addOverrideOptions(cmd: Command): Command {
  return cmd
    .option("--endpoint-name <name>", "name of the new managed online endpoint (default: <service>-online)")
    .option("--deployment-name <name>", "name of the deployment (default: blue)")
    .option("--sku <vm-size>", "VM size instead of the suggested one (see `aci-migrate skus`)")
    .option("--instances <n>", "instance count, 1-50 (default: 1)", wholeNumber)
    .option("--timeout-ms <ms>", "request timeout in ms, 1000-180000 (default: 60000, what ACI allowed)", wholeNumber)
    .addOption(new Option("--auth-mode <mode>", "endpoint auth (default: Key)").choices(AUTH_MODES))
    .addOption(
      new Option(
        "--public-network-access <access>",
        "disabled: callers reach the endpoint only through the workspace's private endpoint (default: enabled)",
      ).choices(["enabled", "disabled"]),
    )
    .option("--model <name:version>", "registered model to deploy (when the source does not say, or to replace it)")
    .option("--environment <name:version>", "registered environment to run in instead of the service's (e.g. one with the inference server)")
    .option("--new-keys", "give the endpoint new keys instead of carrying the v1 keys over")
    .option("--acknowledge <id>", "accept a blocker finding by id (repeatable)", collect)
    .option("--apply-script-edits", "deploy the scoring script with the edits the script check offers (shown as a diff in the plan)");
}

export function overridesFrom(o: OverrideFlags): PlanOverrides {
  return {
    endpointName: o.endpointName,
    deploymentName: o.deploymentName,
    sku: o.sku,
    instanceCount: o.instances,
    requestTimeoutMs: o.timeoutMs,
    authMode: o.authMode,
    publicNetworkAccess: o.publicNetworkAccess === undefined ? undefined : o.publicNetworkAccess === "disabled" ? "Disabled" : "Enabled",
    model: o.model,
    environment: o.environment,
    keepKeys: o.newKeys ? false : undefined,
    acknowledge: o.acknowledge,
    applyScriptEdits: o.applyScriptEdits ? true : undefined,
  };
}

/** The flags that give these overrides (overridesFrom's inverse): a command that plans the same choices again. */
export function flagsOf(o: PlanOverrides): string[] {
  const value = (flag: string, v: string | number | undefined) => (v === undefined ? [] : [flag, String(v)]);
  return [
    ...value("--endpoint-name", o.endpointName),
    ...value("--deployment-name", o.deploymentName),
    ...value("--sku", o.sku),
    ...value("--instances", o.instanceCount),
    ...value("--timeout-ms", o.requestTimeoutMs),
    ...value("--auth-mode", o.authMode),
    ...value("--public-network-access", o.publicNetworkAccess?.toLowerCase()),
    ...value("--model", o.model),
    ...value("--environment", o.environment),
    ...(o.keepKeys === false ? ["--new-keys"] : []),
    ...(o.acknowledge ?? []).flatMap((id) => ["--acknowledge", id]),
    ...(o.applyScriptEdits ? ["--apply-script-edits"] : []),
  ];
}
