import { Box, Text } from "ink";
import type { PlanFinding } from "../../domain/plan.js";
import { Frame } from "../components/Frame.js";
import { SkuTable } from "../components/SkuTable.js";
import { usd } from "../format.js";
import type { Draft, WizardState } from "../state.js";

const SEVERITY = [
  ["blocker", "Blockers", "red"],
  ["warning", "Warnings", "yellow"],
  ["info", "Good to know", undefined],
] as const;

/** One page per selected service: findings, the plan, Microsoft's table, quota and cost. */
export function ReviewScreen({ state }: { state: WizardState }) {
  const name = state.selected[state.reviewIndex]!;
  const draft = state.drafts[name]!;
  const pages = state.selected.length > 1 ? ` (${state.reviewIndex + 1}/${state.selected.length}, ←→ switch)` : "";
  // A tall terminal shows everything; a short one shows the findings, or Microsoft's table instead (t).
  const roomy = state.rows >= 44;
  const showTable = roomy || state.reviewTable;
  const showFindings = roomy || !state.reviewTable;
  return (
    <Frame title={`review ${name}${pages}`} identity={state.identity} notice={state.notice} keys={`Enter continue · e edit · x export YAML${roomy ? "" : ` · t ${state.reviewTable ? "findings" : "SKU table"}`} · b back · ? help`}>
      <PlanSummary draft={draft} state={state} />
      {showTable ? (
        <Box marginTop={1} flexDirection="column">
          <SkuTable plan={draft.plan} />
        </Box>
      ) : null}
      {showFindings ? <Findings findings={draft.plan.findings} compact={!roomy} /> : null}
    </Frame>
  );
}

export function PlanSummary({ draft, state }: { draft: Draft; state: WizardState }) {
  const p = draft.plan;
  const quota = p.quota ? state.quota[p.quota.family] : undefined;
  const free = quota?.status === "ready" ? quota.value : undefined;
  const auth = `${p.authMode}${p.keysCarried ? " · v1 keys carried over" : p.service.cpu !== undefined && draft.service.authEnabled ? " · new keys" : ""}`;
  const rows: [string, string][] = [
    ["Endpoint", `${p.endpointName} / deployment ${p.deploymentName}`],
    ["VM size", p.sku.name ? `${p.sku.name} (${p.sku.vcpus} vCPU, ${p.sku.memoryGib} GiB) · ${p.sku.source}` : "none fits"],
    ["Instances", `${p.instanceCount}${p.instanceCount < 3 ? "  (3+ advised for production)" : ""}`],
    ["Auth", auth],
    ["Timeout", `${p.requestTimeoutMs / 1000} s`],
    ["Code", draft.codeDir ? `folder ${draft.codeDir}` : p.environment.kind === "image" ? "inside the v1 image" : "the v1 source snapshot"],
  ];
  return (
    <Box flexDirection="column">
      {rows.map(([k, v]) => (
        <Text key={k}>
          <Text dimColor>{k.padEnd(10)}</Text> {v}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {p.sku.rationale}
      </Text>
      {p.sku.alternative ? <Text color="yellow">Cheaper fit: {p.sku.alternative.name} saves {usd(p.sku.alternative.monthlySavingUsd)}/month</Text> : null}
      {draft.problem ? <Text color="red">Not applied: {draft.problem}</Text> : null}
      <Box marginTop={1} flexDirection="column">
        {p.quota ? (
          <Text wrap="truncate-end">
            Quota: needs {p.quota.cores} vCPUs of {p.quota.family};{" "}
            {quota === undefined || quota.status === "loading" || quota.status === "idle" ? (
              <Text dimColor>checking…</Text>
            ) : free === undefined ? (
              <Text dimColor>free quota unknown</Text>
            ) : (
              <Text color={free >= p.quota.cores ? "green" : "red"}>
                {free} free in {state.workspace?.location ?? "the region"}
                {free >= p.quota.cores ? "" : " — not enough"}
              </Text>
            )}
          </Text>
        ) : null}
        {p.cost ? (
          <Text wrap="truncate-end">
            Cost/month: ACI {usd(p.cost.aciMonthlyUsd)} → {usd(p.cost.managedMonthlyUsd)} <Text dimColor>({p.cost.label}, {p.cost.aciPrice.region} prices; see `aci-migrate plan` for sources)</Text>
          </Text>
        ) : null}
      </Box>
    </Box>
  );
}

function Findings({ findings, compact }: { findings: readonly PlanFinding[]; compact: boolean }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      {SEVERITY.map(([severity, title, color]) => {
        const list = findings.filter((f) => f.severity === severity);
        if (!list.length) return null;
        return (
          <Box key={severity} flexDirection="column">
            <Text bold color={color}>
              {title} ({list.length})
            </Text>
            {list.map((f) => (
              <Box key={f.id} flexDirection="column" marginLeft={2}>
                <Text wrap={compact ? "truncate-end" : "wrap"}>
                  • {f.message}
                  {f.acknowledged ? <Text color="yellow"> (acknowledged)</Text> : null}
                </Text>
                {compact && severity === "info" ? null : (
                  <Text dimColor wrap={compact ? "truncate-end" : "wrap"}>
                    {"  "}→ {f.remedy}
                  </Text>
                )}
              </Box>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
