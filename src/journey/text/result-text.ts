import type { MigrationPlan } from "../../domain/plan.js";
import type { MigrationEvent } from "../../migration/events.js";
import { quote } from "shell-quote";
import type { CommandLine } from "./command-line.js";
import { columns, paint, usd } from "./text.js";

type ServiceFinished = Extract<MigrationEvent, { type: "service-finished" }>;

/**
 * What a finished migration left, for people (the text renderers' closing block): per migrated service its
 * scoring and swagger URIs, how callers authenticate, a curl line, the smoke test, the monthly cost; then what
 * to do next. The wizard's done screen says the same.
 */
export function renderResults(
  finished: readonly ServiceFinished[],
  plans: Readonly<Record<string, MigrationPlan>>,
  o: { decorated: boolean; command: CommandLine; workspace: string },
): string {
  const c = paint(o.decorated);
  const out: string[] = [];
  for (const f of finished) {
    if (f.status === "cancelled") {
      out.push(c.yellow(`■ ${f.service}: left before it finished; what was started for it keeps running in Azure`));
      continue;
    }
    if (f.status !== "migrated") {
      out.push(c.red(`✗ ${f.service}: ${f.status}`));
      continue;
    }
    const plan = plans[f.service];
    const uri = f.scoringUri ?? "";
    out.push(c.green(c.bold(`✓ ${f.service} → ${f.endpointName}/${f.deploymentName}`)));
    out.push(
      columns([
        ["Scoring URI", uri],
        ["Swagger URI", uri.replace(/\/score$/, "/swagger.json")],
        ["Auth", authLine(plan, f.endpointName)],
        ["Smoke test", f.smokeTest ? `${f.smokeTest.status}: ${f.smokeTest.detail}` : "not run"],
        ...(plan?.cost ? [["Cost/month", `${usd(plan.cost.managedMonthlyUsd)} (was ${usd(plan.cost.aciMonthlyUsd)} on ACI; ${plan.cost.label})`]] : []),
      ]),
    );
    if (f.callersKit) {
      // Each command on a line of its own, whole, so it can be copied; the folder too.
      out.push("  For the callers (README, sample request, calls in shell, Python and C#):", `  ${f.callersKit.dir}`);
      out.push("  Read the key, then call the new endpoint with the sample:", ...f.callersKit.shell.map((line) => `  ${line}`));
    }
  }
  const migrated = finished.filter((f) => f.status === "migrated");
  if (migrated.length) {
    out.push(
      "",
      `Next: point callers at the new scoring URI; watch the endpoint's metrics; when the old service is quiet, retire it:`,
      ...(o.command.gone
        ? [`  ${o.command.gone}`]
        : migrated.map((f) => `  ${o.command(`retire -w ${quote([o.workspace])} --service ${quote([f.service])} --yes`)}`)),
    );
  }
  return out.join("\n");
}

function authLine(plan: MigrationPlan | undefined, endpoint: string): string {
  if (!plan) return "";
  if (plan.keysCarried) return `${plan.authMode} · same keys as before (callers change only the URL)`;
  if (plan.authMode === "Key") return `Key · new keys: az ml online-endpoint get-credentials -n ${endpoint}`;
  return `${plan.authMode} · callers send an Azure token instead of a key`;
}
