import { callArguments, stringValue, type PyNode, type ScriptTree } from "./script-tree.js";

/** One imported module and the names the import binds (local name → what it names, fully qualified). */
export interface ImportFact {
  readonly node: PyNode;
  /** `azureml.core.model` for `from azureml.core.model import Model` and for `import azureml.core.model as m`. */
  readonly module: string;
  readonly form: "import" | "from";
  readonly bindings: readonly (readonly [local: string, qualified: string])[];
}

/**
 * Names the v1 SDK exports from a package as well as from the module that defines them (`from azureml.core import
 * Model` is `azureml.core.model.Model`); the rules compare against the defining module's name.
 */
const REEXPORTS: readonly (readonly [string, string])[] = [
  ["azureml.core.Model", "azureml.core.model.Model"],
  ["azureml.core.Workspace", "azureml.core.workspace.Workspace"],
  ["azureml.core.Run", "azureml.core.run.Run"],
  ["azureml.core.Dataset", "azureml.data.dataset_factory.Dataset"],
  ["azureml.monitoring.ModelDataCollector", "azureml.monitoring.modeldatacollector.ModelDataCollector"],
  ["pathlib.PosixPath", "pathlib.Path"],
  ["posixpath.join", "os.path.join"],
];

/** What the rules know of a script beyond its nodes: its imports and what its names are bound to. */
export interface ScriptFacts {
  readonly tree: ScriptTree;
  readonly imports: readonly ImportFact[];
  /** A dotted name as the script writes it (`M.get_model_path`), fully qualified through its imports. */
  qualify(dotted: string): string;
  /** The right-hand sides assigned to a plain name, in source order. */
  assignedTo(name: string): readonly PyNode[];
}

export function scriptFacts(tree: ScriptTree): ScriptFacts {
  const imports = [...tree.nodes("import_statement"), ...tree.nodes("import_from_statement")].flatMap(importFact);
  const aliases = new Map<string, string>();
  for (const i of [...imports].sort((a, b) => a.node.row - b.node.row)) for (const [local, qualified] of i.bindings) aliases.set(local, qualified);
  let assignments: Map<string, PyNode[]> | undefined;
  const assignmentsByName = () => {
    if (!assignments) {
      assignments = new Map();
      for (const a of tree.nodes("assignment")) {
        const left = a.fields.left;
        const right = a.fields.right;
        if (left?.type === "identifier" && right) assignments.set(left.text, [...(assignments.get(left.text) ?? []), right]);
      }
    }
    return assignments;
  };
  return {
    tree,
    imports,
    qualify(dotted) {
      const [head, ...rest] = dotted.replace(/\s+/g, "").split(".");
      const full = [aliases.get(head!) ?? head, ...rest].join(".");
      for (const [from, to] of REEXPORTS) if (full === from || full.startsWith(`${from}.`)) return to + full.slice(from.length);
      return full;
    },
    assignedTo: (name) => assignmentsByName().get(name) ?? [],
  };
}

function importFact(node: PyNode): ImportFact[] {
  if (node.type === "import_statement") {
    // `import a.b.c` binds `a` (the rest is reached by attribute); `import a.b.c as x` binds x to a.b.c.
    return node.children.map((c) => {
      if (c.type === "aliased_import") {
        const module = c.fields.name?.text ?? "";
        return { node, module, form: "import" as const, bindings: [[c.fields.alias?.text ?? "", module] as const] };
      }
      const head = c.text.split(".")[0]!;
      return { node, module: c.text, form: "import" as const, bindings: [[head, head] as const] };
    });
  }
  const moduleNode = node.fields.module_name;
  if (!moduleNode || moduleNode.type === "relative_import") return [];
  const module = moduleNode.text.replace(/\s+/g, "");
  const bindings = node.children
    .filter((c) => c !== moduleNode && (c.type === "dotted_name" || c.type === "aliased_import"))
    .map((c) =>
      c.type === "aliased_import"
        ? ([c.fields.alias?.text ?? "", `${module}.${c.fields.name?.text ?? ""}`] as const)
        : ([c.text, `${module}.${c.text}`] as const),
    );
  return [{ node, module, form: "from", bindings }];
}

/**
 * Calls whose callee, qualified through the script's imports, matches. `words` must all be in the script's text
 * for any call to match (the class name its import names, a method's name): a script without them costs nothing.
 */
export function callsTo(facts: ScriptFacts, words: readonly string[], callee: RegExp): PyNode[] {
  if (!words.every((w) => facts.tree.source.includes(w))) return [];
  return facts.tree.nodes("call").filter((n) => callee.test(facts.qualify(n.fields.function?.text ?? "")));
}

/** A piece of an evaluated path: text, and the string literal it came from when it came from one in the expression. */
export interface PathPiece {
  readonly text: string;
  /** The literal, and where this piece starts in its text (after prefix and quote). */
  readonly literal?: { readonly node: PyNode; readonly offset: number };
}

/** Stands for `$AZUREML_MODEL_DIR` in an evaluated path; UNKNOWN for a part this reader cannot work out. */
export const MODEL_DIR = "\u0000AZUREML_MODEL_DIR";
export const UNKNOWN = "\u0001";

const JOINS = new Set(["os.path.join", "pathlib.Path.joinpath"]);
const SAME_PATH = new Set([
  "str",
  "os.fspath",
  "os.path.abspath",
  "os.path.realpath",
  "os.path.normpath",
  "os.path.expanduser",
  "pathlib.Path",
  "pathlib.PurePath",
  "pathlib.PurePosixPath",
]);
const PATH_METHODS = new Set(["resolve", "absolute", "expanduser"]);

/**
 * What a path expression evaluates to, as far as the script's text says: string literals and f-strings, `+`,
 * `os.path.join`, pathlib's `/` and `joinpath`, `str()`/`Path()` around a path, `"{}/{}".format(…)`, names bound
 * once (module constants, `model_dir = os.getenv(…)`), integers (`version = 2`), and `$AZUREML_MODEL_DIR` however it
 * is read. Pieces from a name's binding carry no literal: editing them would change every other use of the name.
 */
export function evaluatePath(facts: ScriptFacts, node: PyNode, depth = 0, viaName = false): PathPiece[] {
  const unknown = [{ text: UNKNOWN }];
  if (depth > 12) return unknown;
  const next = (n: PyNode, named = viaName) => evaluatePath(facts, n, depth + 1, named);
  switch (node.type) {
    case "string":
      return stringPieces(facts, node, depth, viaName);
    case "concatenated_string":
      return node.children.flatMap((c) => next(c));
    case "integer":
      return [{ text: node.text }];
    case "parenthesized_expression":
      return node.children[0] ? next(node.children[0]) : unknown;
    case "identifier": {
      const bound = facts.assignedTo(node.text);
      const distinct = new Set(bound.map((b) => b.text));
      return bound.length && distinct.size === 1 ? next(bound[0]!, true) : unknown;
    }
    case "subscript":
      // os.environ["AZUREML_MODEL_DIR"]
      return facts.qualify(node.fields.value?.text ?? "") === "os.environ" && stringValue(node.fields.subscript) === "AZUREML_MODEL_DIR"
        ? [{ text: MODEL_DIR }]
        : unknown;
    case "binary_operator": {
      const op = node.fields.operator?.text;
      const [left, right] = [node.fields.left, node.fields.right];
      if (!left || !right) return unknown;
      if (op === "+") return [...next(left), ...next(right)];
      if (op === "/") return joined([next(left), next(right)]);
      if (op === "%") return percentFormat(facts, left, right, depth, viaName);
      return unknown;
    }
    case "call":
      return callPieces(facts, node, depth, viaName);
    default:
      return unknown;
  }
}

function callPieces(facts: ScriptFacts, call: PyNode, depth: number, viaName: boolean): PathPiece[] {
  const unknown = [{ text: UNKNOWN }];
  const fn = call.fields.function;
  if (!fn) return unknown;
  const args = callArguments(call).filter((a) => a.type !== "keyword_argument");
  const next = (n: PyNode) => evaluatePath(facts, n, depth + 1, viaName);
  const name = facts.qualify(fn.text);
  if ((name === "os.getenv" || name === "os.environ.get") && stringValue(args[0]) === "AZUREML_MODEL_DIR") return [{ text: MODEL_DIR }];
  if (JOINS.has(name)) return joined(args.map(next));
  if (SAME_PATH.has(name) && args.length === 1) return next(args[0]!);
  if (fn.type === "attribute") {
    const method = fn.fields.attribute?.text;
    const target = fn.fields.object;
    if (!target) return unknown;
    if (method === "joinpath") return joined([next(target), ...args.map(next)]);
    if (method && PATH_METHODS.has(method) && args.length === 0) return next(target);
    if (method === "format") {
      const template = stringValue(target);
      if (template === undefined || !/^[^{}]*(\{\}[^{}]*)*$/.test(template)) return unknown;
      return templatePieces(target, template, "{}", args.map(next), viaName);
    }
  }
  return unknown;
}

/** `"%s/%s" % (a, b)` */
function percentFormat(facts: ScriptFacts, left: PyNode, right: PyNode, depth: number, viaName: boolean): PathPiece[] {
  const template = stringValue(left);
  if (template === undefined || /%[^s]/.test(template.replace(/%s/g, ""))) return [{ text: UNKNOWN }];
  const values = right.type === "tuple" ? right.children : [right];
  return templatePieces(
    left,
    template,
    "%s",
    values.map((v) => evaluatePath(facts, v, depth + 1, viaName)),
    viaName,
  );
}

/** A template literal's text parts (each from the literal, at its place in it) with the values put in its holes. */
function templatePieces(literal: PyNode, template: string, hole: string, values: PathPiece[][], viaName: boolean): PathPiece[] {
  const open = openingLength(literal);
  const out: PathPiece[] = [];
  let at = 0;
  template.split(hole).forEach((part, i, parts) => {
    out.push({ text: part, ...(viaName ? {} : { literal: { node: literal, offset: open + at } }) });
    at += part.length + hole.length;
    if (i < parts.length - 1) out.push(...(values[i] ?? [{ text: UNKNOWN }]));
  });
  return out;
}

/** How many characters of a string literal come before its content (prefix and quote). */
function openingLength(literal: PyNode): number {
  return /^[rRuUfF]*("""|'''|"|')/.exec(literal.text)?.[0].length ?? 1;
}

/** os.path.join's rule: a `/` between parts (none after one that ends with it); an absolute part starts again. */
function joined(parts: PathPiece[][]): PathPiece[] {
  const out: PathPiece[] = [];
  for (const part of parts) {
    const first = part[0]?.text ?? "";
    if (first.startsWith("/")) out.length = 0;
    else if (out.length && !textOf(out).endsWith("/")) out.push({ text: "/" });
    out.push(...part);
  }
  return out;
}

function stringPieces(facts: ScriptFacts, node: PyNode, depth: number, viaName: boolean): PathPiece[] {
  const plain = stringValue(node);
  const open = openingLength(node);
  if (plain !== undefined) return [{ text: plain, ...(viaName ? {} : { literal: { node, offset: open } }) }];
  // An f-string: its text parts are the literal's own, its {…} parts are expressions.
  const pieces: PathPiece[] = [];
  for (const c of node.children) {
    if (c.type === "string_content") {
      if (/[\\{}]/.test(c.text)) return [{ text: UNKNOWN }];
      pieces.push({ text: c.text, ...(viaName || c.row !== node.row ? {} : { literal: { node, offset: c.column - node.column } }) });
    } else if (c.type === "interpolation") {
      const expr = c.fields.expression;
      if (!expr || c.fields.format_specifier || c.fields.type_conversion) return [{ text: UNKNOWN }];
      pieces.push(...evaluatePath(facts, expr, depth + 1, viaName));
    }
  }
  return pieces;
}

export function textOf(pieces: readonly PathPiece[]): string {
  return pieces.map((p) => p.text).join("");
}

/** The literal and the index in its text where the character at `at` of the evaluated path came from. */
export function literalAt(pieces: readonly PathPiece[], at: number): { node: PyNode; index: number } | undefined {
  let start = 0;
  for (const p of pieces) {
    if (at < start + p.text.length) return p.literal ? { node: p.literal.node, index: p.literal.offset + (at - start) } : undefined;
    start += p.text.length;
  }
  return undefined;
}
