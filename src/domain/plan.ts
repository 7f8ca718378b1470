import { estimateMonthlyCost, type CostEstimate } from "./cost.js";
import { UserFixableError } from "./errors.js";
import {
  evaluateFindings,
  FINDING_RULES,
  type AuthMode,
  type Finding,
  type PlanChoices,
  type PlanPartToChange,
  type RegionFacts,
  type ReplacedDeployment,
} from "./findings.js";
export type { AuthMode, RegionFacts } from "./findings.js";
import { DEFAULT_DEPLOYMENT_NAME, nameProblems, nextDeploymentName, suggestEndpointName } from "./names.js";
import { quotaNeed, type QuotaNeed } from "./quota.js";
import { combinedModelName, combinedModelPath } from "./model-layout.js";
import { editsAsDiff, HABIT_RULES, type ScriptEdit, type ScriptHabit } from "./script-habits.js";
import { uniqueEdits } from "./script-edits.js";
import { REHEARSAL_BLOCKERS, rehearsalFindings, type RehearsalOutcome, type RehearsalVerdict, type RunnerKind } from "./rehearsal.js";
import { findSku } from "./sku-catalog.js";
import type { VmSku } from "./sku-types.js";
import { suggestSku } from "./suggest-sku.js";
import { isImageBased, type V1Service } from "./v1-service.js";

import { AUTH_MODES } from "./auth-modes.js";
import { PUBLIC_NETWORK_ACCESS, type PublicNetworkAccess } from "./network-access.js";
export { AUTH_MODES };

/** v1 ACI let a request run about a minute; managed deployments default to 5 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** A liveness or readiness probe, in seconds. */
export interface ProbePlan {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

/**
 * Azure's documented probe defaults, written out so the plan shows them and a later change of Azure's defaults
 * does not change a migrated deployment. v1 ACI had no probes; 10 s + 30 × 10 s gives a slow init() (large
 * models) about five minutes before the container is restarted.
 */
export const DEFAULT_PROBE: ProbePlan = { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 30, successThreshold: 1 };
export const MAX_REQUEST_TIMEOUT_MS = 180_000;
export const MIN_REQUEST_TIMEOUT_MS = 1_000;
export const MAX_INSTANCES = 50;

/** What the user may change about a plan. Every field is optional; unset means "what aci-migrate suggests". */
export interface PlanOverrides {
  readonly endpointName?: string;
  readonly deploymentName?: string;
  readonly sku?: string;
  readonly instanceCount?: number;
  readonly requestTimeoutMs?: number;
  readonly authMode?: AuthMode;
  readonly appInsightsEnabled?: boolean;
  /** False: new keys for the endpoint instead of the v1 keys (callers then change the key as well as the URL). */
  readonly keepKeys?: boolean;
  /** `name:version` of a registered model, for sources that do not say (deployment config files). */
  readonly model?: string;
  /** `name:version` of a registered environment to run in instead of the service's (e.g. one with the inference server). */
  readonly environment?: string;
  /** "Disabled": scoring requests reach the endpoint only through the workspace's private endpoint. */
  readonly publicNetworkAccess?: PublicNetworkAccess;
  /** Ids of blocker findings the user accepts; the plan stays blocked until each is listed. */
  readonly acknowledge?: readonly string[];
  /** Deploy the scoring script with the edits the script check offers (the v1 snapshot itself is never changed). */
  readonly applyScriptEdits?: boolean;
}

/** The scoring script as the check read it, with its v1 habits (see domain/script-habits.ts). */
export interface ScriptScan {
  readonly file: string;
  readonly source: string;
  readonly habits: readonly ScriptHabit[];
}

/** A finding; those of the scoring-script check also say where (file, line, the code) and the edit that fixes it. */
export type PlanFinding = Finding & {
  readonly acknowledged: boolean;
  /** A script finding whose edit was accepted: the deployed copy no longer has it (not merely accepted as it is). */
  readonly fixedByEdit?: true;
  readonly file?: string;
  readonly line?: number;
  readonly code?: string;
  readonly edits?: readonly ScriptEdit[];
};

export type PlanEnvironment =
  /** A registered environment; no version means its latest (`azureml:name@latest`). */
  | { readonly kind: "registered"; readonly name: string; readonly version?: string }
  /** Defined inline; `name`/`version` when the v1 inference config named it (it may not be registered). */
  | { readonly kind: "inline"; readonly image: string; readonly condaDependencies?: unknown; readonly name?: string; readonly version?: string }
  | { readonly kind: "image"; readonly image: string }
  | { readonly kind: "unknown" };

export type PlanModel =
  | { readonly kind: "registered"; readonly name: string; readonly version: string }
  /**
   * Several v1 models registered again as one folder model (v2 deployments take one). `paths`: where each part
   * (`name:version`) is found under `$AZUREML_MODEL_DIR` on the new deployment.
   */
  | { readonly kind: "combined"; readonly name: string; readonly parts: readonly string[]; readonly paths: Readonly<Record<string, string>> }
  | { readonly kind: "unknown" };

export interface MigrationPlan {
  readonly service: {
    readonly name: string;
    readonly source: string;
    readonly origin: V1Service["origin"];
    readonly location?: string;
    readonly state?: string;
    readonly cpu: number;
    readonly memoryGb: number;
    readonly scoringUri?: string;
  };
  /** The workspace the endpoint goes into when it is not the service's own (--target-workspace), and its region. */
  readonly into?: { readonly workspace: string; readonly location: string };
  readonly endpointName: string;
  readonly deploymentName: string;
  /** The deployment of this service's earlier migration that this one replaces (planned again on another VM size). */
  readonly replaces?: ReplacedDeployment;
  readonly authMode: AuthMode;
  readonly publicNetworkAccess: PublicNetworkAccess;
  /** The v1 keys are set on the new endpoint (read from the service at migration time, never stored). */
  readonly keysCarried: boolean;
  readonly sku: {
    readonly name: string | null;
    readonly source: "table" | "fallback" | "override" | "none";
    readonly rationale: string;
    readonly tableRow?: number;
    readonly vcpus?: number;
    readonly memoryGib?: number;
    readonly usdPerHour?: number | null;
    readonly suggested: string | null;
    readonly alternative?: { readonly name: string; readonly monthlySavingUsd: number };
  };
  readonly instanceCount: number;
  readonly requestTimeoutMs: number;
  readonly probes: { readonly liveness: ProbePlan; readonly readiness: ProbePlan };
  readonly appInsightsEnabled: boolean;
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly model: PlanModel;
  readonly environment: PlanEnvironment;
  readonly code: { readonly scoringScript?: string; readonly sourceDirectory?: string };
  /**
   * The scoring-script check: `scanned` false when no code was at hand (a service file without its snapshot).
   * `edits` are what accepting (`applyScriptEdits`) deploys, as a unified diff for people.
   */
  readonly script: {
    readonly scanned: boolean;
    readonly file?: string;
    readonly edits: readonly ScriptEdit[];
    readonly diff?: string;
    readonly editsAccepted: boolean;
  };
  /** What a rehearsal on this machine found, when one ran (its findings are among the others). */
  readonly rehearsal?: {
    readonly verdict: RehearsalVerdict["kind"];
    readonly runner: RunnerKind;
    readonly how: string;
    readonly notes: readonly string[];
  };
  readonly tags: Readonly<Record<string, string>>;
  readonly findings: readonly PlanFinding[];
  /** Ids of blockers not yet acknowledged; the migration refuses to start while any remain. */
  readonly blockers: readonly string[];
  readonly quota: QuotaNeed | null;
  readonly cost: CostEstimate | null;
}

/** One rejected override: which field, and a sentence saying why. */
export interface OverrideProblem {
  readonly field: keyof PlanOverrides;
  readonly message: string;
}

export class InvalidOverridesError extends UserFixableError {
  constructor(readonly problems: readonly OverrideProblem[]) {
    super(problems.map((p) => p.message).join("\n"), {
      nextStep: "Change the values named above and plan again.",
      field: problems[0]?.field,
      kind: "input",
    });
  }
}

/** A request most v1 scoring scripts accept (`{"data": [[…]]}`), when neither the user nor the service gives one. */
export const DEFAULT_SAMPLE_REQUEST = { data: [[0.5, 1.5, 2.5, 3.5]] };

/** Tag that marks a managed endpoint as the migration of a v1 service (the engine finds its work by it). */
export const MIGRATED_FROM_TAG = "migrated-from";

/** Default image for environments defined inline from conda dependencies (what Microsoft's samples use). */
export const DEFAULT_INFERENCE_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest";

/**
 * A service migrated before, planned again on another VM size: Azure cannot change a deployment's instance type,
 * so the plan names a new deployment beside the one serving (blue → green) and says which it replaces, as the
 * engine would do mid-run (steps/deployment.ts), but known at review.
 */
function besideTheEarlierDeployment(
  wanted: string,
  sku: string | null,
  region: RegionFacts | undefined,
): { deploymentName: string; replaces?: ReplacedDeployment } {
  const onAnotherSize = (name: string) =>
    region?.ourDeployments?.find((d) => d.name.toLowerCase() === name.toLowerCase() && d.instanceType.toLowerCase() !== (sku ?? "").toLowerCase());
  const serving = onAnotherSize(wanted);
  if (!serving || !sku) return { deploymentName: wanted };
  return {
    deploymentName: nextDeploymentName(wanted, (n) => onAnotherSize(n) !== undefined),
    replaces: { deploymentName: serving.name, instanceType: serving.instanceType },
  };
}

/** Whether a blocker can only be cleared by changing the plan (acknowledging it does nothing). */
export function mustChange(findingId: string): boolean {
  return clearedBy(findingId).length > 0;
}

/** The parts of the plan whose change clears a blocker Azure would refuse; none for one that can be acknowledged. */
export function clearedBy(findingId: string): readonly PlanPartToChange[] {
  return FINDING_RULES.find((r) => r.id === findingId)?.clearedBy ?? [];
}

/** How a registered asset is named on the command line: `name:version`. */
const NAME_VERSION = /^[A-Za-z0-9][A-Za-z0-9_.-]*:[0-9]+$/;

export function validateOverrides(o: PlanOverrides): OverrideProblem[] {
  const problems: OverrideProblem[] = [];
  if (o.endpointName !== undefined) for (const m of nameProblems(o.endpointName, "endpoint")) problems.push({ field: "endpointName", message: m });
  if (o.deploymentName !== undefined) for (const m of nameProblems(o.deploymentName, "deployment")) problems.push({ field: "deploymentName", message: m });
  if (o.sku !== undefined && !findSku(o.sku)) {
    problems.push({ field: "sku", message: `"${o.sku}" is not a VM size that managed online endpoints support (run \`aci-migrate skus\` for the list).` });
  }
  if (o.instanceCount !== undefined && !(Number.isInteger(o.instanceCount) && o.instanceCount >= 1 && o.instanceCount <= MAX_INSTANCES)) {
    problems.push({ field: "instanceCount", message: `The instance count must be a whole number from 1 to ${MAX_INSTANCES} (got ${o.instanceCount}).` });
  }
  if (
    o.requestTimeoutMs !== undefined &&
    !(Number.isInteger(o.requestTimeoutMs) && o.requestTimeoutMs >= MIN_REQUEST_TIMEOUT_MS && o.requestTimeoutMs <= MAX_REQUEST_TIMEOUT_MS)
  ) {
    problems.push({
      field: "requestTimeoutMs",
      message: `The request timeout must be whole milliseconds from ${MIN_REQUEST_TIMEOUT_MS} (1 s) to ${MAX_REQUEST_TIMEOUT_MS} (180 s) (got ${o.requestTimeoutMs}).`,
    });
  }
  if (o.publicNetworkAccess !== undefined && !PUBLIC_NETWORK_ACCESS.includes(o.publicNetworkAccess)) {
    problems.push({ field: "publicNetworkAccess", message: `Public network access must be Enabled or Disabled (got ${String(o.publicNetworkAccess)}).` });
  }
  if (o.authMode !== undefined && !AUTH_MODES.includes(o.authMode)) {
    problems.push({ field: "authMode", message: `The auth mode must be one of ${AUTH_MODES.join(", ")} (got ${o.authMode}).` });
  }
  if (o.model !== undefined && !NAME_VERSION.test(o.model)) {
    problems.push({ field: "model", message: `The model must be written NAME:VERSION, e.g. my-model:3 (got "${o.model}").` });
  }
  if (o.environment !== undefined && !NAME_VERSION.test(o.environment)) {
    problems.push({ field: "environment", message: `The environment must be written NAME:VERSION, e.g. sklearn-env:5 (got "${o.environment}").` });
  }
  const known = new Set([...[...FINDING_RULES, ...HABIT_RULES].filter((r) => r.severity === "blocker").map((r) => r.id), ...REHEARSAL_BLOCKERS]);
  for (const id of o.acknowledge ?? []) {
    if (!known.has(id))
      problems.push({ field: "acknowledge", message: `"${id}" is not a blocker that can be acknowledged (blockers: ${[...known].join(", ")}).` });
  }
  return problems;
}

/**
 * Everything aci-migrate will do for one v1 service, derived from the service and the user's overrides.
 * Pure and deterministic: the review screen, `plan --json` and the migration engine all read this.
 */
export function buildPlan(
  service: V1Service,
  overrides: PlanOverrides = {},
  scan?: ScriptScan,
  region?: RegionFacts,
  rehearsal?: RehearsalOutcome,
): MigrationPlan {
  const problems = validateOverrides(overrides);
  if (problems.length) throw new InvalidOverridesError(problems);

  const suggestion = suggestSku(service.cpu, service.memoryGb);
  const overrideSku = overrides.sku ? findSku(overrides.sku)! : undefined;
  const sku: VmSku | null = overrideSku ?? suggestion.sku;
  const instanceCount = overrides.instanceCount ?? 1;
  const authMode = overrides.authMode ?? "Key";
  const choices: PlanChoices = {
    authMode,
    sku,
    skuSource: overrideSku ? "override" : suggestion.source,
    suggestedSku: suggestion.sku,
    cheaperFit: suggestion.alternative?.sku.name,
    instanceCount,
    requestTimeoutMs: overrides.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    modelOverride: overrides.model,
    environmentOverride: overrides.environment,
    keepKeys: overrides.keepKeys !== false,
    publicNetworkAccess: overrides.publicNetworkAccess ?? "Enabled",
    endpointName: overrides.endpointName ?? suggestEndpointName(service.name),
    ...besideTheEarlierDeployment(overrides.deploymentName ?? DEFAULT_DEPLOYMENT_NAME, sku?.name ?? null, region),
  };
  const acknowledged = new Set(overrides.acknowledge ?? []);
  const editsAccepted = overrides.applyScriptEdits === true;
  const edits = uniqueEdits((scan?.habits ?? []).flatMap((h) => h.edits ?? []));
  const habitFindings: PlanFinding[] = (scan?.habits ?? []).map((h) => ({
    id: h.id,
    severity: h.severity,
    message: `${h.file}:${h.line}: ${h.message}`,
    remedy: h.edits ? `${h.remedy} aci-migrate can make this edit in the deployed copy (--apply-script-edits${editsAccepted ? ": accepted" : ""}).` : h.remedy,
    docUrl: h.docUrl,
    // An accepted edit fixes its blocker.
    acknowledged: h.severity === "blocker" && (acknowledged.has(h.id) || (editsAccepted && h.edits !== undefined)),
    ...(editsAccepted && h.edits !== undefined ? { fixedByEdit: true } : {}),
    file: h.file,
    line: h.line,
    code: h.code,
    ...(h.edits ? { edits: h.edits } : {}),
  }));
  const findings = [
    ...evaluateFindings({ service, choices, region }).map((f) => ({ ...f, acknowledged: f.severity === "blocker" && acknowledged.has(f.id) })),
    ...habitFindings,
    ...(rehearsal ? rehearsalFindings(rehearsal).map((f) => ({ ...f, acknowledged: f.severity === "blocker" && acknowledged.has(f.id) })) : []),
  ];
  // What Azure refuses outright (no size fits, a taken name, no quota) cannot be waved through: only a change does.
  // One id per blocker, though the script check may find its habit on several lines.
  const blockers = [...new Set(findings.filter((f) => f.severity === "blocker" && (!f.acknowledged || mustChange(f.id))).map((f) => f.id))];

  const alternative =
    !overrideSku && suggestion.alternative
      ? { name: suggestion.alternative.sku.name, monthlySavingUsd: Math.round(suggestion.alternative.monthlySavingPerInstanceUsd * instanceCount * 100) / 100 }
      : undefined;

  return {
    service: {
      name: service.name,
      source: service.source,
      origin: service.origin,
      location: service.location,
      state: service.state,
      cpu: service.cpu,
      memoryGb: service.memoryGb,
      scoringUri: service.scoringUri,
    },
    ...(region?.into ? { into: { workspace: region.into, location: region.location } } : {}),
    endpointName: choices.endpointName,
    deploymentName: choices.deploymentName,
    ...(choices.replaces ? { replaces: choices.replaces } : {}),
    authMode,
    publicNetworkAccess: choices.publicNetworkAccess!,
    keysCarried: service.authEnabled && authMode === "Key" && overrides.keepKeys !== false,
    sku: {
      name: sku?.name ?? null,
      source: choices.skuSource,
      rationale: overrideSku ? `You chose ${overrideSku.name}. Suggested: ${suggestion.sku?.name ?? "none"} (${suggestion.rationale})` : suggestion.rationale,
      tableRow: overrideSku ? undefined : suggestion.tableRow,
      vcpus: sku?.vcpus,
      memoryGib: sku?.memoryGib,
      usdPerHour: sku?.usdPerHour,
      suggested: suggestion.sku?.name ?? null,
      alternative,
    },
    instanceCount,
    requestTimeoutMs: choices.requestTimeoutMs,
    probes: { liveness: DEFAULT_PROBE, readiness: DEFAULT_PROBE },
    appInsightsEnabled: overrides.appInsightsEnabled ?? service.appInsightsEnabled,
    environmentVariables: { ...(service.environment?.environmentVariables ?? {}) },
    model: planModel(service, overrides.model),
    environment: planEnvironment(service, overrides.environment),
    code: { scoringScript: service.entryScript, sourceDirectory: service.sourceDirectory },
    script: {
      scanned: scan !== undefined,
      ...(scan ? { file: scan.file } : {}),
      edits,
      ...(scan && edits.length ? { diff: editsAsDiff(scan.file, scan.source, edits) } : {}),
      editsAccepted: editsAccepted && edits.length > 0,
    },
    ...(rehearsal
      ? { rehearsal: { verdict: rehearsal.verdict.kind, runner: rehearsal.runner.kind, how: rehearsal.runner.description, notes: rehearsal.notes } }
      : {}),
    tags: { ...service.tags, [MIGRATED_FROM_TAG]: service.name },
    findings,
    blockers,
    quota: sku ? quotaNeed(sku, instanceCount) : null,
    cost: sku ? estimateMonthlyCost(service, sku, instanceCount) : null,
  };
}

function planModel(service: V1Service, override: string | undefined): PlanModel {
  if (override) {
    const i = override.lastIndexOf(":");
    return { kind: "registered", name: override.slice(0, i), version: override.slice(i + 1) };
  }
  const [only, ...rest] = service.models;
  if (!only) return { kind: "unknown" };
  if (rest.length === 0) return only.version ? { kind: "registered", name: only.name, version: only.version } : { kind: "unknown" };
  const parts = service.models.map((m) => m.id);
  return {
    kind: "combined",
    name: combinedModelName(service.name),
    parts,
    paths: Object.fromEntries(service.models.map((m) => [m.id, combinedModelPath(m.name, m.version ?? "1")])),
  };
}

function planEnvironment(service: V1Service, override: string | undefined): PlanEnvironment {
  if (override) {
    const i = override.lastIndexOf(":");
    return { kind: "registered", name: override.slice(0, i), version: override.slice(i + 1) };
  }
  const env = service.environment;
  if (isImageBased(service)) return { kind: "image", image: service.image!.location ?? service.image!.id };
  if (!env) return { kind: "unknown" };
  // A v1 CLI inference config that defines its environment inline names it too; nothing says it was registered.
  if (service.origin === "deployment-config" && env.name && env.version && env.condaDependencies !== undefined) {
    return { kind: "inline", image: env.baseImage ?? DEFAULT_INFERENCE_IMAGE, condaDependencies: env.condaDependencies, name: env.name, version: env.version };
  }
  if (env.name && env.version) return { kind: "registered", name: env.name, version: env.version };
  if (env.condaDependencies !== undefined || env.baseImage) {
    return { kind: "inline", image: env.baseImage ?? DEFAULT_INFERENCE_IMAGE, condaDependencies: env.condaDependencies };
  }
  return env.name ? { kind: "registered", name: env.name } : { kind: "unknown" };
}
