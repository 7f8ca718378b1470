import type { ChalkInstance } from "chalk";
import { mustChange, type MigrationPlan, type PlanFinding } from "../../domain/plan.js";
import { ACI_TO_SKU_TABLE } from "../../domain/sku-catalog.js";
import { renderMappingTable } from "./sku-table.js";
import { columns, paint, usd, usdPerHour } from "./text.js";

const SEVERITY_LABEL = { blocker: "BLOCKER", warning: "WARNING", info: "INFO" } as const;

/**
 * The human review of a plan: findings by severity, the plan, Microsoft's table, quota and cost. `flagHints`
 * (the default) names the `plan` command's flags for each change; plain mode asks instead.
 */
export function renderPlanText(plan: MigrationPlan, decorated: boolean, o: { flagHints?: boolean } = {}): string {
  const flags = o.flagHints ?? true;
  const c = paint(decorated);
  const s = plan.service;
  const out: string[] = [];
  out.push(c.bold(`Plan for ACI service ${s.name}`) + c.dim(`  (${s.source})`));
  out.push(`  ${[s.location ?? "region unknown", s.state ?? "state not checked", `${s.cpu} CPU / ${s.memoryGb} GB`].join(" · ")}`);
  out.push("");

  out.push(c.bold("Findings"));
  if (!plan.findings.length) out.push("  none: nothing about this service changes on the way.");
  for (const severity of ["blocker", "warning", "info"] as const) {
    for (const f of plan.findings.filter((x) => x.severity === severity)) out.push(renderFinding(f, c));
  }
  out.push("");
  if (plan.script.diff) {
    out.push(
      c.bold(`Edits of ${plan.script.file} the script check offers`) +
        c.dim(
          plan.script.editsAccepted
            ? "  (accepted: the deployed copy gets them; the v1 snapshot stays as it is)"
            : flags
              ? "  (accept with --apply-script-edits; the v1 snapshot stays as it is)"
              : "  (not accepted)",
        ),
    );
    out.push(
      ...plan.script.diff
        .split("\n")
        .map((l) => `  ${l.startsWith("+") && !l.startsWith("+++") ? c.green(l) : l.startsWith("-") && !l.startsWith("---") ? c.red(l) : l}`),
    );
    out.push("");
  } else if (!plan.script.scanned) {
    out.push(c.dim("Scoring script not checked: its code is not at hand (plan a service in its workspace, or migrate with --code-dir)."));
    out.push("");
  }

  const model = plan.model;
  out.push(c.bold("Plan"));
  out.push(
    columns([
      ...(plan.into
        ? [["Into", `workspace ${plan.into.workspace} (${plan.into.location}): the endpoint, its model, environment and code go there`] as [string, string]]
        : []),
      ["Endpoint", plan.endpointName],
      [
        "Deployment",
        plan.replaces
          ? `${plan.deploymentName}, beside ${plan.replaces.deploymentName} (${plan.replaces.instanceType}), which it replaces`
          : plan.deploymentName,
      ],
      ["Auth", `${plan.authMode}${plan.keysCarried ? " (the v1 keys are carried over)" : ""}`],
      ...(plan.publicNetworkAccess === "Disabled" ? [["Network", "no public access: callers reach it through the workspace's private endpoint"]] : []),
      [
        "VM size",
        `${plan.sku.name ?? "none"}${plan.sku.name ? ` · ${plan.sku.vcpus} vCPU, ${plan.sku.memoryGib} GiB, ${usdPerHour(plan.sku.usdPerHour)}` : ""} · chosen by ${plan.sku.source}`,
      ],
      ["", c.dim(plan.sku.rationale)],
      ...(plan.sku.alternative
        ? [
            [
              "",
              c.yellow(
                `Cheaper fit: ${plan.sku.alternative.name} saves ${usd(plan.sku.alternative.monthlySavingUsd)}/month${flags ? ` (--sku ${plan.sku.alternative.name})` : ""}.`,
              ),
            ],
          ]
        : []),
      ["Instances", String(plan.instanceCount)],
      ["Request timeout", `${plan.requestTimeoutMs / 1000} s`],
      [
        "Probes",
        `after ${plan.probes.liveness.initialDelaySeconds} s, every ${plan.probes.liveness.periodSeconds} s, restart after ${plan.probes.liveness.failureThreshold} failures (Azure's defaults)`,
      ],
      ["App Insights", plan.appInsightsEnabled ? "on" : "off"],
      ["Env variables", Object.keys(plan.environmentVariables).join(", ") || "none"],
      [
        "Model",
        model.kind === "registered"
          ? `${model.name}:${model.version}`
          : model.kind === "combined"
            ? `${model.name} (combines ${model.parts.join(", ")})`
            : "unknown",
      ],
      ["Environment", environmentLabel(plan.environment)],
      ["Scoring script", plan.code.scoringScript ?? "unknown (score.py assumed)"],
    ]),
  );
  out.push("");

  out.push(c.bold("Microsoft's ACI → VM size table") + c.dim("  (intervals are (greater than, up to and including])"));
  out.push(renderMappingTable(ACI_TO_SKU_TABLE, plan.sku.source === "table" ? plan.sku.tableRow : undefined, c));
  if (plan.sku.source !== "table") {
    out.push(
      `  ${c.yellow(`No row was used: ${plan.sku.source === "override" ? `you chose ${plan.sku.name}` : plan.sku.source === "fallback" ? `the fallback chose ${plan.sku.name}` : "no SKU fits"}.`)}`,
    );
  }
  out.push("");

  if (plan.quota) out.push(`${c.bold("Quota")}  ${plan.quota.cores} vCPUs of ${plan.quota.family}  ${c.dim(`(${plan.quota.formula})`)}`);
  if (plan.cost) {
    out.push(`${c.bold("Cost")}   ACI about ${usd(plan.cost.aciMonthlyUsd)}/month → managed about ${usd(plan.cost.managedMonthlyUsd)}/month`);
    out.push(`         ${c.dim(plan.cost.note)}`);
  }
  out.push("");
  const refused = plan.blockers.filter(mustChange);
  const acceptable = plan.blockers.filter((id) => !mustChange(id));
  if (refused.length) out.push(c.red(`Azure would refuse this plan: ${refused.join(", ")}. Change the plan to clear ${refused.length === 1 ? "it" : "them"}.`));
  if (acceptable.length)
    out.push(c.red(`Blocked: ${acceptable.join(", ")}. Fix each, or accept it${flags ? " with --acknowledge ID" : ""}, before migrating.`));
  if (!plan.blockers.length) {
    out.push(c.green("Ready: no unacknowledged blockers.") + (flags ? c.dim(" Write the az ml YAML with --out DIR.") : ""));
  }
  return out.join("\n");
}

function renderFinding(f: PlanFinding, c: ChalkInstance): string {
  const colour = f.severity === "blocker" ? c.red : f.severity === "warning" ? c.yellow : c.cyan;
  // A finding the accepted edit removes from the deployed copy reads as fixed, not as a blocker let through.
  const tag = f.fixedByEdit
    ? c.green("FIXED".padEnd(7)) + c.dim(" (by the accepted script edit)")
    : colour(SEVERITY_LABEL[f.severity].padEnd(7)) + (f.acknowledged ? c.dim(" (acknowledged)") : "");
  return [`  ${tag}  ${c.bold(f.id)}`, `           ${f.message}`, `           → ${f.remedy}`, c.dim(`           ${f.docUrl}`)].join("\n");
}

/** How a plan's environment is named to people: `name:version` (or `name@latest`), or its kind and image. */
export function environmentLabel(env: MigrationPlan["environment"]): string {
  return env.kind === "registered"
    ? `${env.name}${env.version ? `:${env.version}` : "@latest"}`
    : env.kind === "unknown"
      ? "unknown"
      : `${env.kind}: ${env.image}`;
}

/** One line per planned service: where it goes, on what, and what still blocks it. */
/** A batch's monthly cost together, before and after (indicative), when it has more than one service with a price. */
export function batchCostLine(plans: readonly MigrationPlan[]): string {
  const priced = plans.filter((p) => p.cost && p.cost.managedMonthlyUsd !== null);
  if (plans.length < 2 || !priced.length) return "";
  const sum = (f: (p: MigrationPlan) => number) => priced.reduce((n, p) => n + f(p), 0);
  const unpriced = plans.length - priced.length;
  return `\nTogether about ${usd(sum((p) => p.cost!.managedMonthlyUsd!))}/month (ACI about ${usd(sum((p) => p.cost!.aciMonthlyUsd))}/month; indicative list prices${unpriced ? `, ${unpriced} without a price` : ""})`;
}

export function planSummaryLine(plan: MigrationPlan, decorated: boolean): string {
  const c = paint(decorated);
  const auth = `${plan.keysCarried ? "Key auth, the v1 keys carried over" : `${plan.authMode} auth`}${plan.publicNetworkAccess === "Disabled" ? " · no public access" : ""}`;
  const cost = plan.cost ? ` · about ${usd(plan.cost.managedMonthlyUsd)}/month` : "";
  const line = `  ${plan.service.name} → ${plan.endpointName}/${plan.deploymentName} · ${plan.instanceCount} × ${plan.sku.name ?? "no VM size"} · ${auth}${cost}`;
  const r = plan.replaces;
  const beside = r
    ? `\n    ${c.cyan(`blue/green: ${plan.deploymentName} is created beside ${r.deploymentName} (${r.instanceType}), which serves until ${plan.deploymentName}'s smoke test passes, then is deleted`)}`
    : "";
  return plan.blockers.length
    ? `${line}${beside}\n    ${c.red(`blocked by ${plan.blockers.join(", ")}: it will stop at preflight (see \`aci-migrate plan\`)`)}`
    : `${line}${beside}`;
}
