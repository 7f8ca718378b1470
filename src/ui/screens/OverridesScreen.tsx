import { Box, Text } from "ink";
import { nameProblems } from "../../domain/names.js";
import { quotaNeed } from "../../domain/quota.js";
import { Frame } from "../components/Frame.js";
import { windowOf } from "../components/LoadState.js";
import { cell, usd } from "../format.js";
import { currentDraft } from "../reducer.js";
import { skusByPrice } from "../../domain/sku-catalog.js";
import { OVERRIDE_FIELDS, type Draft, type OverrideField, type WizardState } from "../state.js";

const LABELS: Record<OverrideField, string> = {
  endpointName: "Endpoint name",
  sku: "VM size",
  instanceCount: "Instances",
  authMode: "Auth mode",
  keepKeys: "Keep v1 keys",
  requestTimeoutMs: "Timeout (s)",
  codeDir: "Code folder",
};

function valueOf(draft: Draft, field: OverrideField): string {
  const p = draft.plan;
  switch (field) {
    case "endpointName":
      return p.endpointName;
    case "sku":
      return p.sku.name ?? "none";
    case "instanceCount":
      return String(p.instanceCount);
    case "authMode":
      return p.authMode;
    case "keepKeys":
      return !draft.service.authEnabled ? "n/a (v1 had no auth)" : p.authMode !== "Key" ? "n/a (not key auth)" : p.keysCarried ? "yes" : "no, new keys";
    case "requestTimeoutMs":
      return String(p.requestTimeoutMs / 1000);
    case "codeDir":
      return draft.codeDir ?? (p.environment.kind === "image" ? "none (in the v1 image)" : "the v1 source snapshot");
  }
}

/** Each override of the plan; the plan (SKU, quota, cost) below updates as values change. */
export function OverridesScreen({ state }: { state: WizardState }) {
  const draft = currentDraft(state)!;
  const form = state.form;
  const keys = form.skuPicker
    ? "↑↓ move · Tab CPU/GPU · Enter choose · Esc cancel"
    : form.editing
      ? "type · Enter apply · Esc cancel"
      : "↑↓ field · Enter change · Esc back to review";
  return (
    <Frame title={`change the plan for ${draft.service.name}`} identity={state.identity} notice={state.notice} keys={keys}>
      {form.skuPicker ? <SkuPicker state={state} /> : <Fields state={state} draft={draft} />}
      {draft.problem ? <Text color="red">Not applied: {draft.problem}</Text> : null}
      <Box marginTop={1} flexDirection="column">
        <Text dimColor>
          Plan now: {draft.plan.instanceCount} × {draft.plan.sku.name ?? "no VM size"}
          {draft.plan.quota ? ` · needs ${draft.plan.quota.cores} vCPUs of ${draft.plan.quota.family}` : ""}
          {draft.plan.cost ? ` · ${usd(draft.plan.cost.managedMonthlyUsd)}/month` : ""}
          {draft.plan.blockers.length ? ` · blocked by ${draft.plan.blockers.join(", ")}` : ""}
        </Text>
      </Box>
    </Frame>
  );
}

function Fields({ state, draft }: { state: WizardState; draft: Draft }) {
  const form = state.form;
  return (
    <Box flexDirection="column">
      {OVERRIDE_FIELDS.map((field, i) => {
        const on = i === form.cursor;
        const editing = form.editing?.field === field ? form.editing : undefined;
        return (
          <Box key={field} flexDirection="column">
            <Text color={on ? "cyan" : undefined}>
              {on ? "❯ " : "  "}
              {cell(LABELS[field], 14)} {editing ? <Text inverse>{editing.text}▏</Text> : valueOf(draft, field)}
            </Text>
            {editing && field === "endpointName" ? <NameFeedback state={state} text={editing.text} /> : null}
          </Box>
        );
      })}
    </Box>
  );
}

/** Validation as you type, then (debounced) whether the name is free in the region. */
function NameFeedback({ state, text }: { state: WizardState; text: string }) {
  const problems = nameProblems(text, "endpoint");
  if (problems.length) return <Text color="red">{"    "}{problems[0]}</Text>;
  const check = state.form.nameCheck;
  if (check.status === "ready") {
    if (check.value === "free") return <Text color="green">{"    "}✓ free in {state.workspace?.location ?? "the region"}</Text>;
    if (check.value === "ours") return <Text color="green">{"    "}✓ exists from an earlier run of this migration; it will be reused</Text>;
    return <Text color="red">{"    "}✗ taken in {state.workspace?.location ?? "the region"} (names are unique per region)</Text>;
  }
  if (check.status === "error") return <Text color="yellow">{"    "}could not check: {check.message}</Text>;
  return <Text dimColor>{"    "}checking availability…</Text>;
}

function SkuPicker({ state }: { state: WizardState }) {
  const picker = state.form.skuPicker!;
  const list = skusByPrice(picker.kind);
  const view = windowOf(list, picker.cursor, 10);
  const draft = currentDraft(state)!;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold={picker.kind === "cpu"} color={picker.kind === "cpu" ? "cyan" : undefined}>CPU</Text> / <Text bold={picker.kind === "gpu"} color={picker.kind === "gpu" ? "cyan" : undefined}>GPU</Text>
        <Text dimColor>  (service asks {draft.service.cpu} CPU / {draft.service.memoryGb} GB; suggested {draft.plan.sku.suggested ?? "none"})</Text>
      </Text>
      <Text dimColor>
        {"  "}
        {cell("VM size", 24)} {cell("vCPU", 5)} {cell("GiB", 6)} {cell("$/hour", 8)} fits quota
      </Text>
      {view.items.map((sku, i) => {
        const on = view.start + i === picker.cursor;
        const need = quotaNeed(sku, draft.plan.instanceCount).cores;
        const q = state.quota[sku.family];
        const fits = q?.status === "ready" ? (q.value === undefined ? "?" : q.value >= need ? "yes" : `no (${q.value} free)`) : "…";
        return (
          <Text key={sku.name} color={on ? "cyan" : undefined}>
            {on ? "❯ " : "  "}
            {cell(sku.name, 24)} {cell(String(sku.vcpus), 5)} {cell(String(sku.memoryGib), 6)} {cell(sku.usdPerHour === null ? "n/a" : sku.usdPerHour.toFixed(3), 8)} {fits}
          </Text>
        );
      })}
    </Box>
  );
}
