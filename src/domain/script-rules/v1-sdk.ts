import { installsV1Sdk } from "../environment-packages.js";
import type { HabitMatch, HabitRule, HabitSeverity } from "../script-habits.js";
import { callsTo as calls } from "../script-facts.js";
import { guardedAgainstImportErrors, keywordArgument, runsWhen, type PyNode } from "../script-tree.js";
import { CONTRIB_SERVICES } from "./contrib-services.js";

const LEARN = "https://learn.microsoft.com/azure/machine-learning";

/** Modules of the v1 SDK (azureml-core and the packages that came with it), by their top package under `azureml.`. */
const V1_SDK_PACKAGES = new Set([
  "core",
  "data",
  "exceptions",
  "history",
  "monitoring",
  "train",
  "automl",
  "contrib",
  "pipeline",
  "explain",
  "interpret",
  "widgets",
  "tensorboard",
  "accel",
  "dataprep",
]);

/** Whether a module is the v1 SDK's (`azureml.core.model`, `azureml.train.automl`, …). */
export function isV1SdkModule(module: string): boolean {
  const [top, sub] = module.split(".");
  return top === "azureml" && sub !== undefined && (V1_SDK_PACKAGES.has(sub) || sub.startsWith("_"));
}

/**
 * The distributions that install a v1 module, by the SDK's own naming (`azureml.contrib.services` comes with
 * azureml-contrib-services, `azureml.train.automl` with azureml-train-automl…); azureml-core's modules also come
 * with azureml-defaults (which requires azureml-core) and azureml-sdk.
 */
function provides(pkg: string, module: string): boolean {
  const parts = module.split(".").slice(1);
  const [sub] = parts;
  if (sub === "core" || sub === "data" || sub === "exceptions" || sub === "history" || sub!.startsWith("_")) return installsV1Sdk([pkg]);
  if ((sub === "train" || sub === "pipeline") && pkg === "azureml-sdk") return true;
  const named = sub === "contrib" && parts[1] ? `azureml-contrib-${parts[1].replace(/_/g, "-")}` : `azureml-${sub}`;
  return pkg === named || pkg.startsWith(`${named}-`) || (sub === "automl" && pkg.startsWith("azureml-train-automl"));
}

const WHEN: Record<ReturnType<typeof runsWhen>, string> = {
  import: "when the inference server imports the script",
  init: "in init(), before the deployment can become ready",
  run: "in run(), on every request",
  other: "when that function is called",
};

/** Severity of something that fails in every environment: a blocker where it surely runs, a warning where it may not. */
function failsWhere(node: PyNode): HabitSeverity {
  return runsWhen(node) === "other" ? "warning" : "blocker";
}

const v1SdkImport: HabitRule = {
  id: "script-v1-sdk-import",
  severity: "blocker",
  docUrl: `${LEARN}/how-to-migrate-from-v1`,
  find(facts, context) {
    return facts.imports.flatMap((i): HabitMatch[] => {
      if (!isV1SdkModule(i.module) || guardedAgainstImportErrors(i.node)) return [];
      // azureml.contrib.services has a rule of its own (the inference server stands in for part of it).
      if (i.module.startsWith(CONTRIB_SERVICES)) return [];
      const packages = context.environmentPackages;
      if (packages?.some((p) => provides(p, i.module))) return [];
      const when = runsWhen(i.node);
      const what = `imports ${i.module} from the v1 SDK ${WHEN[when]}`;
      if (packages === undefined) {
        return [
          {
            node: i.node,
            severity: "warning",
            message: `The script ${what}; which packages the deployment's environment has is not known here, so neither is whether this import works.`,
            remedy: "Make sure the environment installs the v1 package, or (better) drop the import; `aci-migrate rehearse` runs the script and tells.",
          },
        ];
      }
      return [
        {
          node: i.node,
          severity: failsWhere(i.node),
          message: `The script ${what}, and the environment the deployment runs it in has no package that provides it (${i.module.startsWith("azureml.core") ? "azureml-core" : "the v1 SDK"}): it raises ModuleNotFoundError there.`,
          remedy: `Remove the v1 import (managed deployments give the model's folder in AZUREML_MODEL_DIR and need no workspace), or add the package to the environment's pip dependencies, register it and plan again with --environment NAME:VERSION.`,
        },
      ];
    });
  },
};

/** A workspace is reached with credentials; without `auth=` azureml-core signs in interactively, which a container cannot. */
const v1Workspace: HabitRule = {
  id: "script-v1-workspace",
  severity: "blocker",
  docUrl: `${LEARN}/how-to-migrate-from-v1`,
  find: (facts) =>
    [
      ...calls(facts, ["Workspace"], /^azureml\.core\.workspace\.Workspace$/),
      ...calls(facts, ["from_config"], /^azureml\.core\.workspace\.Workspace\.from_config$/),
      ...calls(facts, ["Workspace", ".get("], /^azureml\.core\.workspace\.Workspace\.get$/),
    ].map((node) => {
      const withAuth = keywordArgument(node, "auth") !== undefined;
      const callee = node.fields.function!.text;
      return {
        node,
        severity: withAuth ? "warning" : failsWhere(node),
        message: withAuth
          ? `${callee}() with auth= reaches the v1 workspace from the container; it needs azureml-core in the environment and credentials set on the deployment, and a managed deployment gives neither by itself.`
          : `${callee}() needs ${/from_config/.test(callee) ? "a config.json and " : ""}a signed-in user; a managed deployment's container has no Azure sign-in (azureml-core falls back to an interactive login it cannot show), so this fails ${WHEN[runsWhen(node)]}.`,
        remedy:
          "Take what the workspace was used for from the model folder (AZUREML_MODEL_DIR) or from environment variables set on the deployment; reach other Azure services with the endpoint's managed identity.",
      };
    }),
};

const v1RunContext: HabitRule = {
  id: "script-v1-run-context",
  severity: "warning",
  docUrl: `${LEARN}/how-to-migrate-from-v1`,
  find: (facts) =>
    calls(facts, ["get_context"], /^azureml\.core\.run\.Run\.get_context$/).map((node) => ({
      node,
      message:
        "Run.get_context() has no run to return in a managed deployment: it gives an offline run, whose experiment, workspace and parent raise when read.",
      remedy: "Take what the run gave from the model folder (AZUREML_MODEL_DIR) or from environment variables set on the deployment.",
    })),
};

const v1DataCollector: HabitRule = {
  id: "script-v1-data-collector",
  severity: "warning",
  docUrl: `${LEARN}/how-to-collect-production-data`,
  find: (facts) =>
    calls(facts, ["ModelDataCollector"], /^azureml\.monitoring\.modeldatacollector\.ModelDataCollector$/).map((node) => ({
      node,
      message:
        "ModelDataCollector is v1 model data collection, which a managed deployment does not run: its collect() calls keep nothing, so the inputs and predictions you collected stop arriving.",
      remedy:
        "Collect with azureml-ai-monitoring's Collector (from azureml.ai.monitoring import Collector) and switch collection on with a data_collector section on the deployment.",
    })),
};

export const V1_SDK_RULES: readonly HabitRule[] = [v1SdkImport, v1Workspace, v1RunContext, v1DataCollector];
