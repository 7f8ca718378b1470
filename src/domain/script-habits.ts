import { COMBINED_MODEL_FOLDER } from "./model-layout.js";

/**
 * A Python syntax tree, as much of it as the habit rules read (the scanner builds it from tree-sitter's Python
 * grammar; rows and columns are 0-based, columns in characters of the line).
 */
export interface PyNode {
  readonly type: string;
  readonly text: string;
  readonly row: number;
  readonly column: number;
  readonly children: readonly PyNode[];
  readonly fields: Readonly<Record<string, PyNode>>;
}

/** A change of one line: `before` at `column` of line `line` (1-based) becomes `after`. */
export interface ScriptEdit {
  readonly line: number;
  readonly column: number;
  readonly before: string;
  readonly after: string;
}

export interface ScriptHabit {
  readonly id: string;
  readonly severity: "blocker" | "warning";
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The line as the script has it. */
  readonly code: string;
  readonly message: string;
  readonly remedy: string;
  /** The edit that fixes it, when it can be made without guessing. */
  readonly edit?: ScriptEdit;
  readonly docUrl: string;
}

export interface ScriptContext {
  /** The service's v1 models; with several, they move under `models/` of one folder model. */
  readonly models: readonly { readonly name: string; readonly version: string }[];
}

interface HabitRule {
  readonly id: string;
  readonly severity: ScriptHabit["severity"];
  readonly docUrl: string;
  find(tree: PyNode, context: ScriptContext): { node: PyNode; message: string; remedy: string; edit?: ScriptEdit }[];
}

const LEARN = "https://learn.microsoft.com/azure/machine-learning";

function* walk(node: PyNode): Generator<PyNode> {
  yield node;
  for (const c of node.children) yield* walk(c);
}

/** The value of a plain string literal (`"x"` or `'x'`, no prefix, no interpolation); undefined otherwise. */
function stringValue(node: PyNode | undefined): string | undefined {
  if (node?.type !== "string") return undefined;
  const m = /^(["'])([^"'\\{}]*)\1$/.exec(node.text);
  return m?.[2];
}

const calls = (tree: PyNode, callee: RegExp) => [...walk(tree)].filter((n) => n.type === "call" && callee.test(n.fields.function?.text ?? ""));
const args = (call: PyNode) => (call.fields.arguments?.children ?? []).filter((c) => c.type !== "comment");

/** Names assigned from an expression that reads AZUREML_MODEL_DIR (`model_dir = os.getenv("AZUREML_MODEL_DIR")`). */
function modelDirNames(tree: PyNode): Set<string> {
  const names = new Set<string>();
  for (const n of walk(tree)) {
    if (n.type === "assignment" && n.fields.left?.type === "identifier" && n.fields.right?.text.includes("AZUREML_MODEL_DIR")) names.add(n.fields.left.text);
  }
  return names;
}

/**
 * The registry of v1 habits in scoring scripts that break on a managed deployment. Each rule finds nodes of the
 * script's syntax tree (never its text by pattern), so a comment or a string that mentions the habit is not one.
 */
export const HABIT_RULES: readonly HabitRule[] = [
  {
    // v1 mounted each model of a multi-model service at $AZUREML_MODEL_DIR/{name}/{version}; the folder model
    // that replaces them keeps its own folder name in front.
    id: "script-v1-model-paths",
    severity: "blocker",
    docUrl: `${LEARN}/concept-online-deployment-model-specification`,
    find(tree, context) {
      if (context.models.length < 2) return [];
      const dirs = modelDirNames(tree);
      return calls(tree, /^(os\.path\.join|path\.join|join|posixpath\.join)$/).flatMap((call) => {
        const [base, name, version] = args(call);
        const readsModelDir = base && (base.text.includes("AZUREML_MODEL_DIR") || (base.type === "identifier" && dirs.has(base.text)));
        const model = context.models.find((m) => m.name === stringValue(name) && m.version === stringValue(version));
        if (!readsModelDir || !model || !name) return [];
        return [
          {
            node: call,
            message: `init() joins ${model.name}/${model.version} onto AZUREML_MODEL_DIR, where v1 mounted each model; on the managed deployment that model is at $AZUREML_MODEL_DIR/${COMBINED_MODEL_FOLDER}/${model.name}/${model.version}, so this path does not exist and init() fails with FileNotFoundError.`,
            remedy: `Put "${COMBINED_MODEL_FOLDER}" before the model's name in the join.`,
            edit: { line: name.row + 1, column: name.column, before: name.text, after: `"${COMBINED_MODEL_FOLDER}", ${name.text}` },
          },
        ];
      });
    },
  },
  {
    id: "script-v1-model-get-model-path",
    severity: "warning",
    docUrl: `${LEARN}/how-to-migrate-from-v1`,
    find: (tree) =>
      calls(tree, /^(Model\.get_model_path|azureml\.core\.model\.Model\.get_model_path|azureml\.core\.Model\.get_model_path)$/).map((node) => ({
        node,
        message:
          "Model.get_model_path() comes from the v1 SDK (azureml-core) and looks models up in v1's layout; managed deployments give the model's folder in AZUREML_MODEL_DIR instead, and v2 environments need not have azureml-core.",
        remedy: 'Load from os.path.join(os.getenv("AZUREML_MODEL_DIR"), "<file of the model>") and drop the azureml.core import.',
      })),
  },
  {
    id: "script-v1-workspace-or-run",
    severity: "warning",
    docUrl: `${LEARN}/how-to-migrate-from-v1`,
    find: (tree) =>
      calls(tree, /^(Workspace\.from_config|Workspace\.get|Run\.get_context|azureml\.core\.(Workspace\.from_config|Run\.get_context))$/).map((node) => ({
        node,
        message: `${node.fields.function!.text}() needs a v1 workspace config or run context, which a managed deployment's container does not have; it fails or returns an offline run there.`,
        remedy: "Take what it fetched from the model folder (AZUREML_MODEL_DIR) or from environment variables set on the deployment.",
      })),
  },
  {
    // The inference server ships the same AMLRequest/AMLResponse/rawhttp under its own package.
    id: "script-v1-contrib-services",
    severity: "warning",
    docUrl: `${LEARN}/how-to-inference-server-http`,
    find: (tree) =>
      [...walk(tree)]
        .filter((n) => n.type === "import_from_statement" && /^azureml\.contrib\.services\.(aml_request|aml_response)$/.test(n.fields.module_name?.text ?? ""))
        .map((node) => {
          const module = node.fields.module_name!;
          const replacement = module.text.replace("azureml.contrib.services.", "azureml_inference_server_http.api.");
          return {
            node,
            message: `${module.text} is the v1 SDK's raw-HTTP support (azureml-contrib-services); the inference server of a managed deployment has its own, ${replacement}.`,
            remedy: `Import from ${replacement} instead.`,
            edit: { line: module.row + 1, column: module.column, before: module.text, after: replacement },
          };
        }),
  },
];

/** Every v1 habit of one script, in line order. */
export function findHabits(tree: PyNode, source: string, file: string, context: ScriptContext): ScriptHabit[] {
  const lines = source.split("\n");
  return HABIT_RULES.flatMap((rule) =>
    rule.find(tree, context).map((m) => ({
      id: rule.id,
      severity: rule.severity,
      docUrl: rule.docUrl,
      file,
      line: m.node.row + 1,
      code: (lines[m.node.row] ?? "").trim(),
      message: m.message,
      remedy: m.remedy,
      ...(m.edit ? { edit: m.edit } : {}),
    })),
  ).sort((a, b) => a.line - b.line);
}

/**
 * The script with the edits made. An edit whose `before` is not where it says (the script changed since it was
 * scanned) is not made: the result says which were.
 */
export function applyEdits(source: string, edits: readonly ScriptEdit[]): { text: string; applied: number } {
  const lines = source.split("\n");
  let applied = 0;
  // Right to left within a line, so earlier columns stay valid.
  for (const e of [...edits].sort((a, b) => b.line - a.line || b.column - a.column)) {
    const line = lines[e.line - 1];
    if (line === undefined || line.slice(e.column, e.column + e.before.length) !== e.before) continue;
    lines[e.line - 1] = line.slice(0, e.column) + e.after + line.slice(e.column + e.before.length);
    applied++;
  }
  return { text: lines.join("\n"), applied };
}

/** The edits as a unified diff of the one file (what the plan, the wizard and plain mode show before it is accepted). */
export function editsAsDiff(file: string, source: string, edits: readonly ScriptEdit[]): string {
  const before = source.split("\n");
  const after = applyEdits(source, edits).text.split("\n");
  const out = [`--- a/${file}`, `+++ b/${file}`];
  for (const line of [...new Set(edits.map((e) => e.line))].sort((a, b) => a - b)) {
    if (before[line - 1] === after[line - 1]) continue;
    out.push(`@@ -${line},1 +${line},1 @@`, `-${before[line - 1]}`, `+${after[line - 1]}`);
  }
  return out.join("\n");
}
