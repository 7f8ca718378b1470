import type { HabitMatch, HabitRule } from "../script-habits.js";
import type { ImportFact } from "../script-facts.js";
import { callArguments, guardedAgainstImportErrors } from "../script-tree.js";

const LEARN = "https://learn.microsoft.com/azure/machine-learning";
export const CONTRIB_SERVICES = "azureml.contrib.services";
const SERVER_API = "azureml_inference_server_http.api";
/** The modules the inference server registers under the v1 names (server/__init__.py maps them in sys.modules). */
const REDIRECTED = new Set([`${CONTRIB_SERVICES}.aml_request`, `${CONTRIB_SERVICES}.aml_response`]);
const SERVER_PACKAGES = ["azureml-inference-server-http", "azureml-defaults"];

/**
 * v1's raw-HTTP support (azureml-contrib-services). Today's inference server maps `azureml.contrib.services.
 * aml_request` and `…aml_response` onto its own modules, so `from azureml.contrib.services.aml_request import
 * rawhttp` works there; since 1.4.1 it no longer imports the real package, so the other forms
 * (`import azureml.contrib.services.aml_request as r`, `from azureml.contrib.services import aml_request`) need
 * azureml-contrib-services installed. Each finding says which of these is true for the script at hand.
 */
const contribServices: HabitRule = {
  id: "script-v1-contrib-services",
  severity: "blocker",
  docUrl: `${LEARN}/how-to-inference-server-http`,
  find(facts, context) {
    const packages = context.environmentPackages;
    const hasContrib = packages?.includes("azureml-contrib-services");
    return facts.imports
      .filter((i) => i.module === CONTRIB_SERVICES || i.module.startsWith(`${CONTRIB_SERVICES}.`))
      .flatMap((i): HabitMatch[] => {
        const moduleNode = i.node.fields.module_name ?? i.node.children.find((c) => c.text.includes(CONTRIB_SERVICES));
        const target = moduleNode?.type === "aliased_import" ? moduleNode.fields.name : moduleNode;
        const replacement = i.module.replace(CONTRIB_SERVICES, SERVER_API);
        // `import azureml.contrib.services.aml_request` (no alias) is used by its full name: an edit of the import alone would break those uses.
        const editable = target && (i.form === "from" || moduleNode?.type === "aliased_import");
        const edits = editable
          ? [{ line: target.row + 1, column: target.column, before: target.text, after: target.text.replace(CONTRIB_SERVICES, SERVER_API) }]
          : undefined;
        if (redirectedByInferenceServer(i) && (packages === undefined || SERVER_PACKAGES.some((p) => packages.includes(p)))) {
          return [
            {
              node: i.node,
              severity: "info",
              message: `${i.module} is v1's raw-HTTP support; the inference server of a managed deployment registers its own module under this name, so this import works there.`,
              remedy: `Nothing is required; importing from ${replacement} says what runs. Since inference server 1.4.0 the request is a Flask 2 request: request.json raises on a body that is not JSON, and headers.has_keys() is gone.`,
              edits,
            },
          ];
        }
        if (hasContrib || guardedAgainstImportErrors(i.node)) return [];
        return [
          {
            node: i.node,
            severity: packages === undefined ? "warning" : "blocker",
            message: `The inference server stands in only for \`from ${CONTRIB_SERVICES}.aml_request import …\` (and aml_response); this form imports the package azureml-contrib-services itself, which ${packages === undefined ? "the environment may not have" : "the environment does not install"}, so it raises ModuleNotFoundError.`,
            remedy: `Import from ${replacement} instead${edits ? "" : " (and use it by that name)"}.`,
            edits,
          },
        ];
      });
  },
};

/** Flask 1's request API, which the inference server dropped in 1.4.0 (`headers.has_keys`). */
const flaskOneRequest: HabitRule = {
  id: "script-flask1-request-api",
  severity: "warning",
  docUrl: `${LEARN}/how-to-inference-server-http`,
  find: (facts) =>
    (facts.tree.source.includes("has_keys") ? facts.tree.nodes("call") : [])
      .filter((n) => n.fields.function?.type === "attribute" && n.fields.function.fields.attribute?.text === "has_keys" && callArguments(n).length <= 1)
      .map((node) => ({
        node,
        message:
          "headers.has_keys() is Flask 1's; inference server 1.4.0 and later pass a Flask 2 request, whose headers have no has_keys, so this raises AttributeError.",
        remedy: 'Write `"Name" in request.headers` instead.',
      })),
};

/** Whether an import is one the inference server answers with its own module. */
export function redirectedByInferenceServer(i: ImportFact): boolean {
  return i.form === "from" && REDIRECTED.has(i.module);
}

export const CONTRIB_SERVICES_RULES: readonly HabitRule[] = [contribServices, flaskOneRequest];
