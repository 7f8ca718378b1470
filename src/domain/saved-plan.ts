import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { stringify } from "yaml";
import type { MigrationPlan, PlanOverrides } from "./plan.js";
import { PRODUCT_VERSION } from "./product.js";

/**
 * A plan saved for review (`plan --save FILE`) and applied exactly later (`migrate --plan FILE`): the whole plan,
 * the choices it was made with, and what it was based on, so that applying it can refuse when Azure changed since.
 */
export const SAVED_PLAN_KIND = "aci-migrate/saved-plan";
export const SAVED_PLAN_VERSION = 1;

export interface SavedPlan {
  readonly kind: typeof SAVED_PLAN_KIND;
  readonly version: typeof SAVED_PLAN_VERSION;
  readonly savedAt: string;
  readonly savedBy: string;
  readonly target: { readonly subscriptionId: string; readonly resourceGroup: string; readonly workspace: string; readonly location: string };
  readonly service: string;
  readonly basedOn: PlanBasis;
  readonly choices: {
    readonly overrides: PlanOverrides;
    readonly codeDir?: string;
    /** The workspace the endpoint goes into (--target-workspace), when not the service's own. */
    readonly into?: SavedPlan["target"];
  };
  readonly plan: MigrationPlan;
}

/** What a plan was made from: read again before it is applied. */
export interface PlanBasis {
  /** The v1 service's document, one digest per top-level field (so a change is named without copying values). */
  readonly service: Readonly<Record<string, string>>;
  /** The content hash of the scoring code the plan deploys, or null (an image carries its code). */
  readonly code: string | null;
  readonly region: string;
  /** The VM family's free vCPUs when the plan was made, and how many the plan needs. */
  readonly quota: { readonly family: string; readonly free: number | null; readonly needed: number } | null;
}

/** One way in which now differs from what a saved plan was based on or would apply. */
export interface PlanDrift {
  readonly field: string;
  readonly saved: string;
  readonly now: string;
}

const digest = (value: unknown) => `sha256:${createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16)}`;

/**
 * The v1 service document as digests per field: a fingerprint whose difference says which fields changed. The
 * addresses it is reached at are left out: they say where the service answers (a sandbox started again answers
 * on another port), not what it is or what the plan makes of it.
 */
export function serviceFingerprint(doc: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(doc)
      .filter((k) => !ADDRESS_FIELDS.has(k))
      .sort()
      .map((k) => [k, digest(doc[k])]),
  );
}

const ADDRESS_FIELDS = new Set(["scoringUri", "swaggerUri"]);

/** What applying a plan creates and sets in Azure: the part that must be the same as when it was reviewed. */
export function appliedPart(plan: MigrationPlan): Record<string, unknown> {
  return {
    into: plan.into ?? null,
    endpointName: plan.endpointName,
    deploymentName: plan.deploymentName,
    replaces: plan.replaces ?? null,
    authMode: plan.authMode,
    publicNetworkAccess: plan.publicNetworkAccess,
    keysCarried: plan.keysCarried,
    sku: plan.sku.name,
    instanceCount: plan.instanceCount,
    requestTimeoutMs: plan.requestTimeoutMs,
    probes: plan.probes,
    appInsightsEnabled: plan.appInsightsEnabled,
    environmentVariables: plan.environmentVariables,
    model: plan.model,
    environment: plan.environment,
    code: plan.code,
    scriptEdits: plan.script.editsAccepted ? plan.script.edits : [],
    tags: plan.tags,
    blockers: plan.blockers,
  };
}

/** A saved plan's file content from what `plan` built and read. */
export function savePlan(o: Omit<SavedPlan, "kind" | "version" | "savedAt" | "savedBy">, now = new Date()): SavedPlan {
  return { kind: SAVED_PLAN_KIND, version: SAVED_PLAN_VERSION, savedAt: now.toISOString(), savedBy: `aci-migrate ${PRODUCT_VERSION}`, ...o };
}

/**
 * How now differs from what the saved plan was based on and would apply: the v1 service's changed fields, the
 * code's hash, the region, quota that no longer covers the plan, and each applied field that would differ.
 * Empty: the plan applies exactly.
 */
export function driftOf(saved: SavedPlan, now: { basis: PlanBasis; plan: MigrationPlan }): PlanDrift[] {
  const out: PlanDrift[] = serviceDrift(saved.basedOn.service, now.basis.service);
  if (saved.basedOn.code !== now.basis.code)
    out.push({ field: "scoring code (content hash)", saved: saved.basedOn.code ?? "none", now: now.basis.code ?? "none" });
  if (saved.basedOn.region !== now.basis.region) out.push({ field: "region", saved: saved.basedOn.region, now: now.basis.region });
  const quota = now.basis.quota;
  if (quota && quota.free !== null && quota.free < quota.needed) {
    out.push({
      field: `free ${quota.family} quota (vCPUs)`,
      saved: String(saved.basedOn.quota?.free ?? "unknown"),
      now: `${quota.free}, below the ${quota.needed} needed`,
    });
  }
  const [was, is] = [appliedPart(saved.plan), appliedPart(now.plan)];
  for (const k of Object.keys(was)) {
    if (!isDeepStrictEqual(was[k], is[k])) out.push({ field: `plan: ${k}`, saved: shown(was[k]), now: shown(is[k]) });
  }
  return out;
}

/** The v1 service's fields whose digests differ between two fingerprints, in name order. */
export function serviceDrift(saved: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): PlanDrift[] {
  const fields = [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
  return fields.filter((f) => saved[f] !== now[f]).map((f) => ({ field: `v1 service: ${f}`, saved: saved[f] ?? "(absent)", now: now[f] ?? "(absent)" }));
}

const shown = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The drift as lines a reviewer reads: `field: saved → now`. */
export function driftLines(drift: readonly PlanDrift[]): string[] {
  return drift.map((d) => `${d.field}: ${d.saved} → ${d.now}`);
}

/** The file a reviewer reads in a pull request: a header that says how it is applied, then the plan as YAML. */
export function savedPlanText(saved: SavedPlan, applyCommand: string): string {
  const header = [
    `# The migration of ${saved.service} (workspace ${saved.target.workspace}), saved by ${saved.savedBy} at ${saved.savedAt}.`,
    "# Review it, then apply exactly this (re-read first; refused with the differences, nothing created, when the",
    "# v1 service, its code, the region or the quota it was based on changed):",
    `#   ${applyCommand}`,
  ];
  return `${header.join("\n")}\n${stringify(saved, { lineWidth: 0 })}`;
}
