/**
 * A Python syntax tree, as much of it as the script rules read. The scanner (src/scan/) builds it from
 * tree-sitter's Python grammar lazily: a node's text, children and parent are read when a rule asks, so a script
 * of megabytes costs what the rules look at, not a copy of every node. Rows and columns are 0-based; columns
 * count UTF-16 code units of the line (what a JavaScript string's index counts).
 */
export interface PyNode {
  readonly type: string;
  readonly text: string;
  readonly row: number;
  readonly column: number;
  /** The row its last character is on. */
  readonly endRow: number;
  /** The named children, in source order. */
  readonly children: readonly PyNode[];
  /** The first child under each field name (`function`, `arguments`, `name`, `module_name`, …). */
  readonly fields: Readonly<Record<string, PyNode>>;
  readonly parent: PyNode | undefined;
}

/** The node kinds a rule may ask the tree for (the scanner collects each natively), so no rule walks the whole tree. */
export const INDEXED_NODE_TYPES = [
  "call",
  "import_statement",
  "import_from_statement",
  "assignment",
  "string",
  "binary_operator",
  "print_statement",
  "exec_statement",
  "except_clause",
  "integer",
  "raise_statement",
] as const;
export type IndexedNodeType = (typeof INDEXED_NODE_TYPES)[number];

/** Where tree-sitter found the script not to be Python: the first error or missing token. */
export interface SyntaxProblem {
  readonly row: number;
  readonly column: number;
  /** What the parser expected there, when it knows (a missing `)`). */
  readonly missing?: string;
}

export interface ScriptTree {
  /** The script's text. Rules may look for a word in it first, to skip what cannot fire (a filter, never a verdict). */
  readonly source: string;
  /** Set when the bytes are not a text Python reads (a NUL byte, not UTF-8 without a coding line): where, and why. */
  readonly notText?: { readonly row: number; readonly why: string };
  /** The script's nodes of one indexed kind, in source order. */
  nodes(type: IndexedNodeType): readonly PyNode[];
  readonly syntaxProblem?: SyntaxProblem;
}

/** A place in the script that is no node (where a syntax error is), for a finding to point at. */
export function positionNode(row: number, column: number): PyNode {
  return { type: "position", text: "", row, column, endRow: row, children: [], fields: {}, parent: undefined };
}

/**
 * The value of a string literal without interpolation (`"x"`, `'x'`, `r"x"`, `f"x"`, triple-quoted); undefined for
 * bytes, an f-string with `{…}`, or an escape sequence this reader does not decode.
 */
export function stringValue(node: PyNode | undefined): string | undefined {
  if (node?.type !== "string" || node.children.some((c) => c.type === "interpolation")) return undefined;
  const m = /^([rRuUfF]*)("""|'''|"|')([\s\S]*)\2$/.exec(node.text);
  if (!m) return undefined;
  const [, prefix, , body] = m as unknown as [string, string, string, string];
  if (!/[rR]/.test(prefix) && body.includes("\\")) return undefined;
  return /[fF]/.test(prefix) ? body.replace(/\{\{/g, "{").replace(/\}\}/g, "}") : body;
}

/** A call's arguments, comments left out; keyword arguments stay `keyword_argument` nodes. */
export function callArguments(call: PyNode): readonly PyNode[] {
  return (call.fields.arguments?.children ?? []).filter((c) => c.type !== "comment");
}

/** A keyword argument's value by name (`version=2` → the node `2`). */
export function keywordArgument(call: PyNode, name: string): PyNode | undefined {
  const kw = callArguments(call).find((a) => a.type === "keyword_argument" && a.fields.name?.text === name);
  return kw?.fields.value;
}

export function* ancestors(node: PyNode): Generator<PyNode> {
  for (let p = node.parent; p; p = p.parent) yield p;
}

/** The innermost function a node is in (undefined at module level or in a class body, which run at import). */
export function enclosingFunction(node: PyNode): PyNode | undefined {
  for (const a of ancestors(node)) if (a.type === "function_definition" || a.type === "lambda") return a;
  return undefined;
}

/** When a node's code runs in a managed deployment: at import, in init(), in run(), or in some other function. */
export type RunsWhen = "import" | "init" | "run" | "other";

export function runsWhen(node: PyNode): RunsWhen {
  const chain = [...ancestors(node)];
  const functions = chain.filter((a) => a.type === "function_definition" || a.type === "lambda");
  const outer = functions.at(-1);
  if (!outer) return "import";
  // A nested function runs when its outer one calls it; a method, when something calls it.
  if (outer.type === "lambda" || chain.slice(chain.indexOf(outer)).some((a) => a.type === "class_definition")) return "other";
  const name = outer.fields.name?.text;
  return name === "init" ? "init" : name === "run" ? "run" : "other";
}

/** Exceptions that, caught around an import, mean the script copes with the module being absent. */
const IMPORT_GUARDS = /^(ImportError|ModuleNotFoundError|Exception|BaseException)$/;

/** Whether a node sits in the body of a `try` whose handlers catch an import failure (or anything). */
export function guardedAgainstImportErrors(node: PyNode): boolean {
  let child: PyNode = node;
  for (const a of ancestors(node)) {
    if (a.type === "try_statement" && a.fields.body === child) {
      const handlers = a.children.filter((c) => c.type === "except_clause" || c.type === "except_group_clause");
      if (handlers.some((h) => caughtNames(h).length === 0 || caughtNames(h).some((n) => IMPORT_GUARDS.test(n)))) return true;
    }
    child = a;
  }
  return false;
}

/** The exception names an `except` clause names (none for a bare `except:`). */
function caughtNames(handler: PyNode): string[] {
  const value = handler.children.find((c) => c.type !== "block" && c.type !== "comment");
  if (!value) return [];
  const names = value.type === "as_pattern" ? value.children[0] : value;
  return (names?.text ?? "")
    .replace(/[()\s]/g, "")
    .split(",")
    .map((n) => n.split(".").at(-1)!)
    .filter(Boolean);
}
