import { createRequire } from "node:module";
import { findHabits, type ScriptContext, type ScriptHabit } from "../domain/script-habits.js";
import { type IndexedNodeType, type PyNode, type ScriptTree, type SyntaxProblem } from "../domain/script-tree.js";

type TreeSitterNode = {
  type: string;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
  isError: boolean;
  isMissing: boolean;
  hasError: boolean;
  parent: TreeSitterNode | null;
  children: (TreeSitterNode | null)[];
  childCount: number;
  child(i: number): TreeSitterNode | null;
  fieldNameForChild(i: number): string | null;
  namedChildren: (TreeSitterNode | null)[];
  descendantsOfType(types: string | string[]): (TreeSitterNode | null)[];
  equals(other: TreeSitterNode): boolean;
  id: number;
};
type Parser = { parse(text: string): { rootNode: TreeSitterNode; delete(): void } | null };

let parser: Promise<Parser> | undefined;

/**
 * tree-sitter's Python grammar, run as WebAssembly (web-tree-sitter + tree-sitter-python's wasm): a real Python
 * parser, so the rules read syntax (calls, imports, assignments) and a comment or string that mentions a habit is
 * not mistaken for one. Loaded once, on the first scan.
 */
function pythonParser(): Promise<Parser> {
  parser ??= (async () => {
    const { Parser, Language } = await import("web-tree-sitter");
    const require = createRequire(import.meta.url);
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const p = new Parser();
    p.setLanguage(language);
    return p as unknown as Parser;
  })();
  return parser;
}

/**
 * Starts loading the parser without waiting for it (its WebAssembly takes about as long as a few round trips to
 * compile): a caller that will scan soon calls this before its reads, so the load runs beside them. A failure is
 * reported by the scan that needs the parser.
 */
export function preparePythonParser(): void {
  pythonParser().catch(() => undefined);
}

/**
 * Scripts larger than this are not checked (the finding says so): the parse costs about 80 MB a megabyte, and a
 * scoring script of megabytes holds data, not code. The rehearsal still runs it.
 */
export const MAX_CHECKED_SCRIPT_BYTES = 2 * 1024 * 1024;

/**
 * The tree as the rules see it, built on demand over tree-sitter's: a node's text is sliced from the source when
 * read, its children and parent are wrapped when asked for, and the nodes of a kind are collected by one native
 * walk (`descendantsOfType`) when a rule first asks for them. A megabyte script costs about what the parse does.
 */
class LazyTree implements ScriptTree {
  private readonly index = new Map<IndexedNodeType, PyNode[]>();
  private readonly wrapped = new Map<number, PyNode>();
  private readonly lineStarts: number[];
  private readonly root: TreeSitterNode;
  readonly syntaxProblem?: SyntaxProblem;

  constructor(
    readonly source: string,
    root: TreeSitterNode,
  ) {
    this.lineStarts = [0];
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    this.root = root;
    const bad = root.hasError ? firstError(root) : undefined;
    if (bad) this.syntaxProblem = { row: bad.startPosition.row, column: this.column(bad), ...(bad.isMissing ? { missing: bad.type } : {}) };
  }

  /** Collected when a rule first asks (one native walk per kind): a script without print statements never wraps its strings for them. */
  nodes(type: IndexedNodeType): readonly PyNode[] {
    let found = this.index.get(type);
    if (!found) {
      found = this.root.descendantsOfType(type).flatMap((n) => (n ? [this.wrap(n)] : []));
      this.index.set(type, found);
    }
    return found;
  }

  private column(n: TreeSitterNode): number {
    return n.startIndex - (this.lineStarts[n.startPosition.row] ?? 0);
  }

  wrap(n: TreeSitterNode): PyNode {
    const known = this.wrapped.get(n.id);
    if (known) return known;
    const source = this.source;
    const wrap = (c: TreeSitterNode) => this.wrap(c);
    let children: PyNode[] | undefined;
    let fields: Record<string, PyNode> | undefined;
    const node: PyNode = {
      type: n.type,
      row: n.startPosition.row,
      column: this.column(n),
      endRow: n.endPosition.row,
      get text() {
        return source.slice(n.startIndex, n.endIndex);
      },
      get children() {
        return (children ??= n.namedChildren.filter((c): c is TreeSitterNode => c !== null).map(wrap));
      },
      get fields() {
        if (!fields) {
          fields = {};
          for (let i = 0; i < n.childCount; i++) {
            const name = n.fieldNameForChild(i);
            const child = n.child(i);
            if (name && child && !(name in fields)) fields[name] = wrap(child);
          }
        }
        return fields;
      },
      get parent() {
        return n.parent ? wrap(n.parent) : undefined;
      },
    };
    this.wrapped.set(n.id, node);
    return node;
  }
}

/** The first ERROR or MISSING node, found by going down only into children that hold an error. */
function firstError(root: TreeSitterNode): TreeSitterNode | undefined {
  let node = root;
  for (;;) {
    let next: TreeSitterNode | undefined;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c) continue;
      if (c.isError || c.isMissing) return c.isError && c.hasError && c.childCount ? (firstError(c) ?? c) : c;
      if (c.hasError) {
        next = c;
        break;
      }
    }
    if (!next) return node === root ? undefined : node;
    node = next;
  }
}

/** Why text is not a Python source file (a NUL byte; bytes that are not UTF-8 without a coding line), if it is not. */
function notText(source: string): { row: number; why: string } | undefined {
  const nul = source.indexOf("\0");
  if (nul !== -1) return { row: rowOf(source, nul), why: "it holds NUL bytes (a binary file)" };
  const bad = source.indexOf("\uFFFD");
  const declared = /^[^\n]*\n?[^\n]*coding[:=]\s*([-\w.]+)/.exec(source)?.[1];
  if (bad !== -1 && (!declared || /^utf-?8/i.test(declared)))
    return { row: rowOf(source, bad), why: "its bytes are not UTF-8 and no coding line says what they are" };
  return undefined;
}

const rowOf = (s: string, i: number) => s.slice(0, i).split("\n").length - 1;

/** The v1 habits of a scoring script that break on a managed deployment (see domain/script-habits.ts). */
export async function scanScoringScript(source: string, file: string, context: ScriptContext): Promise<ScriptHabit[]> {
  if (source.length > MAX_CHECKED_SCRIPT_BYTES) return [tooLarge(file, source.length)];
  const bytes = notText(source);
  if (bytes) return findHabits({ source, notText: bytes, nodes: () => [] }, file, context);
  const tree = (await pythonParser()).parse(source);
  if (!tree) return [];
  try {
    return findHabits(new LazyTree(source, tree.rootNode), file, context);
  } finally {
    tree.delete();
  }
}

function tooLarge(file: string, size: number): ScriptHabit {
  return {
    id: "script-not-checked",
    severity: "warning",
    file,
    line: 1,
    code: "",
    message: `${file} is ${(size / 1e6).toFixed(1)} MB, over the ${MAX_CHECKED_SCRIPT_BYTES / 1024 / 1024} MB the script check reads, so it was not checked.`,
    remedy: "Keep data out of the scoring script (load it from the model folder); `aci-migrate rehearse` still runs it.",
    docUrl: "https://learn.microsoft.com/azure/machine-learning/how-to-deploy-online-endpoints",
  };
}
