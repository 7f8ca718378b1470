import { COMBINED_MODEL_FOLDER } from "../model-layout.js";
import type { ScriptEdit } from "../script-edits.js";
import type { HabitMatch, HabitRule, ScriptContext, ScriptModel } from "../script-habits.js";
import { callsTo, evaluatePath, literalAt, MODEL_DIR, textOf, UNKNOWN, type ScriptFacts } from "../script-facts.js";
import { callArguments, keywordArgument, runsWhen, stringValue, type PyNode } from "../script-tree.js";

const LEARN = "https://learn.microsoft.com/azure/machine-learning";

/** Calls and operators that build paths (what evaluatePath reads), and f-strings. */
const PATH_CALLS = /^(os\.path\.join|pathlib\.(Path|PurePath|PurePosixPath))$/;

function pathExpressions(facts: ScriptFacts): PyNode[] {
  return [
    ...facts.tree.nodes("call").filter((c) => {
      const fn = c.fields.function;
      return PATH_CALLS.test(facts.qualify(fn?.text ?? "")) || (fn?.type === "attribute" && /^(joinpath|format)$/.test(fn.fields.attribute?.text ?? ""));
    }),
    ...facts.tree.nodes("binary_operator").filter((b) => /^[+/%]$/.test(b.fields.operator?.text ?? "")),
    ...facts.tree.nodes("string").filter((s) => s.children.some((c) => c.type === "interpolation")),
  ];
}

/**
 * The edit that puts the folder before the model's name where it is written: a join's argument of its own gets an
 * argument before it (`"models", "gbm"`), any other literal gets `models/` inside it.
 */
function insertFolder(literal: { node: PyNode; index: number } | undefined, name: string): ScriptEdit[] | undefined {
  if (!literal || literal.node.text.includes("\n")) return undefined;
  const t = literal.node.text;
  const opening = /^[rRuUfF]*("""|'''|"|')/.exec(t);
  const ownArgument = opening !== null && stringValue(literal.node) === name && literal.node.parent?.type === "argument_list";
  const after = ownArgument
    ? `${opening[1]}${COMBINED_MODEL_FOLDER}${opening[1]}, ${t}`
    : `${t.slice(0, literal.index)}${COMBINED_MODEL_FOLDER}/${t.slice(literal.index)}`;
  return [{ line: literal.node.row + 1, column: literal.node.column, before: t, after }];
}

/**
 * v1 mounted each model of a multi-model service at `$AZUREML_MODEL_DIR/{name}/{version}`; the folder model that
 * replaces them keeps its own folder name in front. However the path is built (join, `+`, pathlib's `/`, an
 * f-string, one string, constants, an int version), it is evaluated and compared with the service's models.
 */
const multiModelPaths: HabitRule = {
  id: "script-v1-model-paths",
  severity: "blocker",
  docUrl: `${LEARN}/concept-online-deployment-model-specification`,
  find(facts, context) {
    if (context.models.length < 2 || !facts.tree.source.includes("AZUREML_MODEL_DIR")) return [];
    return pathExpressions(facts).flatMap((node): HabitMatch[] => {
      const pieces = evaluatePath(facts, node);
      const text = textOf(pieces);
      if (!text.startsWith(MODEL_DIR)) return [];
      const rest = text.slice(MODEL_DIR.length);
      const start = MODEL_DIR.length + (rest.length - rest.replace(/^\/+/, "").length);
      const [first, second] = text.slice(start).split("/");
      const model = context.models.find((m) => m.name === first && (second === m.version || second?.includes(UNKNOWN)));
      if (!model) return [];
      const edits = insertFolder(literalAt(pieces, start), model.name);
      return [
        {
          node,
          message: `This path puts ${model.name}/${model.version} right under AZUREML_MODEL_DIR, where v1 mounted each model of the service; on the managed deployment the models share one folder model, and ${model.name}:${model.version} is at $AZUREML_MODEL_DIR/${COMBINED_MODEL_FOLDER}/${model.name}/${model.version}, so this path does not exist and loading it raises FileNotFoundError.`,
          remedy: `Put "${COMBINED_MODEL_FOLDER}/" before the model's name in the path.`,
          edits,
        },
      ];
    });
  },
};

/**
 * `Model.get_model_path(name)` (azureml-core) looks in `$AML_APP_ROOT/azureml-models/{name}/{version or latest}`
 * and then in `./{name}`; on a managed deployment AML_APP_ROOT is the code folder and the model is under
 * AZUREML_MODEL_DIR (/var/azureml-app/azureml-models/{name}/{version}), so neither place holds it and it raises
 * ModelNotFoundException, in single- and multi-model services alike (the rehearsal shows it).
 */
const getModelPath: HabitRule = {
  id: "script-v1-model-get-model-path",
  severity: "blocker",
  docUrl: `${LEARN}/concept-online-deployment-model-specification`,
  find: (facts, context) =>
    callsTo(facts, ["get_model_path"], /^azureml\.core\.model\.Model\.get_model_path$/).map((node) => {
      const args = callArguments(node).filter((a) => a.type !== "keyword_argument");
      const nameNode = keywordArgument(node, "model_name") ?? args[0];
      const versionNode = keywordArgument(node, "version") ?? args[1];
      const name = nameNode && constantText(facts, nameNode);
      const model = context.models.find((m) => m.name === name) ?? (context.models.length === 1 && name === undefined ? context.models[0] : undefined);
      const notes = [
        versionNode
          ? `version=${versionNode.text} picks azureml-models/${name ?? "<name>"}/${versionNode.text} (v1 took the latest there without it)`
          : undefined,
        keywordArgument(node, "_workspace")
          ? "_workspace= makes azureml-core download the model from the workspace, which needs a signed-in user the container does not have"
          : undefined,
      ].filter(Boolean);
      const target = model ? managedModelPath(model, context) : undefined;
      return {
        node,
        severity: runsWhen(node) === "other" ? "warning" : "blocker",
        message: `Model.get_model_path(${name ? `"${name}"` : "…"}) looks for the model in $AML_APP_ROOT/azureml-models/${name ?? "<name>"}/… and then ./${name ?? "<name>"}; a managed deployment puts it in $AZUREML_MODEL_DIR (/var/azureml-app/azureml-models/<name>/<version>) and sets AML_APP_ROOT to the code folder, so neither place holds it and the call raises ModelNotFoundException${notes.length ? ` (${notes.join("; ")})` : ""}.`,
        remedy: target
          ? `Load from ${target.python} instead, and drop the azureml.core import.`
          : `Load from os.path.join(os.getenv("AZUREML_MODEL_DIR"), ${context.models.length > 1 ? `"${COMBINED_MODEL_FOLDER}", "<name>", "<version>", ` : ""}"<file of the model>") instead, and drop the azureml.core import; the edit offered calls a function that searches the managed model folder as get_model_path searched v1's.`,
        edits: node.text.includes("\n")
          ? undefined
          : target
            ? [{ line: node.row + 1, column: node.column, before: node.text, after: target.python }, ...importOs(facts)]
            : searchingEdits(facts, node, context),
      };
    }),
};

/**
 * Where the call cannot be written as one path (a name from a variable, a file not known here): the call goes to a
 * function the edit adds after the imports, which searches as Model.get_model_path does, in the managed layout.
 */
function searchingEdits(facts: ScriptFacts, call: PyNode, context: ScriptContext): ScriptEdit[] {
  const fn = call.fields.function!;
  const topImports = facts.imports.filter((i) => i.node.parent?.type === "module");
  const after = topImports.length ? Math.max(...topImports.map((i) => i.node.endRow)) + 1 : 0;
  const several = context.models.length > 1;
  const helper = [
    "",
    "",
    "def _managed_model_path(model_name, version=None, _workspace=None):",
    '    """Model.get_model_path() of azureml-core, searching the managed deployment\'s model folder (an edit of aci-migrate)."""',
    `    folder = os.path.join(os.environ["AZUREML_MODEL_DIR"]${several ? `, "${COMBINED_MODEL_FOLDER}", model_name` : ""})`,
    ...(several
      ? [
          "    versions = sorted((v for v in os.listdir(folder) if v.isdigit()), key=int)",
          "    folder = os.path.join(folder, str(version) if version is not None else versions[-1])",
        ]
      : []),
    "    (entry,) = os.listdir(folder)",
    "    return os.path.join(folder, entry)",
    "",
  ].join("\n");
  return [
    { line: fn.row + 1, column: fn.column, before: fn.text, after: "_managed_model_path" },
    // After the last top-level import (or before the first line), so `os` is there when it is defined.
    { line: after + 1, column: 0, before: "", after: `${helper}\n` },
    ...importOs(facts),
  ];
}

/** Where a v1 model's file is on the managed deployment, as Python: only when the registered file's name is known. */
function managedModelPath(model: ScriptModel, context: ScriptContext): { python: string } | undefined {
  if (!model.entry) return undefined;
  const parts = context.models.length > 1 ? [COMBINED_MODEL_FOLDER, model.name, model.version, model.entry] : [model.entry];
  return { python: `os.path.join(os.getenv("AZUREML_MODEL_DIR"), ${parts.map((p) => JSON.stringify(p)).join(", ")})` };
}

/** A name's value when the script makes it a constant string (`"churn"`, or `MODEL = "churn"` … `MODEL`). */
function constantText(facts: ScriptFacts, node: PyNode): string | undefined {
  const text = textOf(evaluatePath(facts, node));
  return text && !text.includes(UNKNOWN) && !text.includes(MODEL_DIR) ? text : undefined;
}

/** The edit that imports os, when the script does not. */
export function importOs(facts: ScriptFacts): ScriptEdit[] {
  if (facts.imports.some((i) => i.form === "import" && i.bindings.some(([local, q]) => local === "os" && q === "os"))) return [];
  return [{ line: 1, column: 0, before: "", after: "import os\n" }];
}

/**
 * Paths relative to the working directory that only v1's layout had: `{source_dir}/…` (v1 unpacked the snapshot
 * with its source folder under /var/azureml-app; the managed code folder is that folder's contents) and
 * `azureml-models/…` (v1's models beside the working directory).
 */
const cwdRelativePaths: HabitRule = {
  id: "script-v1-relative-path",
  severity: "blocker",
  docUrl: `${LEARN}/concept-online-deployment-model-specification`,
  find(facts, context) {
    const source = context.sourceDirectory?.replace(/^\.\/|\/$/g, "");
    const prefixes = [...(source && source !== "." ? [`${source}/`] : []), "azureml-models/"].filter((p) => facts.tree.source.includes(p));
    if (!prefixes.length) return [];
    return facts.tree.nodes("string").flatMap((node): HabitMatch[] => {
      const value = stringValue(node)?.replace(/^\.\//, "");
      const prefix = value === undefined ? undefined : prefixes.find((p) => value.startsWith(p));
      if (!value || !prefix || node.parent?.type === "expression_statement") return [];
      if (prefix === "azureml-models/") {
        const multi = context.models.length > 1;
        return [
          {
            node,
            severity: multi ? "blocker" : "warning",
            message: multi
              ? `"${value}" is where v1 put a model beside the working directory; the managed deployment gives this service's models as one folder model under AZUREML_MODEL_DIR, so the path does not exist there.`
              : `"${value}" is read relative to the working directory, where v1 kept azureml-models/; Azure documents only AZUREML_MODEL_DIR (an absolute path) for a managed deployment's model, not its working directory.`,
            remedy: `Read the model from os.path.join(os.getenv("AZUREML_MODEL_DIR"), …)${multi ? `, with "${COMBINED_MODEL_FOLDER}/<name>/<version>/" in front of the file` : ""}.`,
          },
        ];
      }
      const rest = value.slice(prefix.length);
      const editable = ["argument_list", "assignment", "keyword_argument"].includes(node.parent?.type ?? "") && !node.text.includes("\n");
      return [
        {
          node,
          severity: runsWhen(node) === "other" ? "warning" : "blocker",
          message: `"${value}" is read relative to the working directory, as v1 laid the snapshot out (${prefix} under /var/azureml-app); the managed deployment's code folder holds the contents of ${prefix} itself, so this path does not exist there.`,
          remedy: `Read it next to the script: os.path.join(os.path.dirname(os.path.abspath(__file__)), "${rest}").`,
          edits: editable
            ? [
                {
                  line: node.row + 1,
                  column: node.column,
                  before: node.text,
                  after: `os.path.join(os.path.dirname(os.path.abspath(__file__)), ${JSON.stringify(rest)})`,
                },
                ...importOs(facts),
              ]
            : undefined,
        },
      ];
    });
  },
};

export const MODEL_PATH_RULES: readonly HabitRule[] = [multiModelPaths, getModelPath, cwdRelativePaths];
