import { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { PlanOverrides } from "../../src/domain/plan.js";
import { addOverrideOptions, flagsOf, overridesFrom, type OverrideFlags } from "../../src/cli/plan-override-options.js";

/** A saved plan's choices said again as flags: parsed by `plan`, they are the same choices. */
const parsed = (args: string[]) => overridesFrom(addOverrideOptions(new Command("plan")).parse(args, { from: "user" }).opts<OverrideFlags>());
const defined = (o: PlanOverrides) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

describe("flagsOf", () => {
  it.each<PlanOverrides>([
    {},
    { sku: "Standard_DS3_v2", instanceCount: 3, requestTimeoutMs: 30_000 },
    {
      endpointName: "churn-v2",
      deploymentName: "green",
      authMode: "AMLToken",
      publicNetworkAccess: "Disabled",
      model: "churn-model:4",
      environment: "sklearn-env:5",
      keepKeys: false,
      acknowledge: ["cmk", "vnet-redo"],
      applyScriptEdits: true,
    },
  ])("gives the flags that parse back to the same overrides (%o)", (overrides) => {
    expect(defined(parsed(flagsOf(overrides)))).toEqual(overrides);
  });
});
