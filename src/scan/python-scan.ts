import { createRequire } from "node:module";
import { findHabits, type PyNode, type ScriptContext, type ScriptHabit } from "../domain/script-habits.js";

type TreeSitterNode = {
  type: string;
  text: string;
  startPosition: { row: number; column: number };
  namedChildren: (TreeSitterNode | null)[];
  childCount: number;
  child(i: number): TreeSitterNode | null;
  fieldNameForChild(i: number): string | null;
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

function toPyNode(n: TreeSitterNode): PyNode {
  const fields: Record<string, PyNode> = {};
  for (let i = 0; i < n.childCount; i++) {
    const name = n.fieldNameForChild(i);
    const child = n.child(i);
    if (name && child && !(name in fields)) fields[name] = toPyNode(child);
  }
  return {
    type: n.type,
    text: n.text,
    row: n.startPosition.row,
    column: n.startPosition.column,
    children: n.namedChildren.filter((c): c is TreeSitterNode => c !== null).map(toPyNode),
    fields,
  };
}

/** The v1 habits of a scoring script that break on a managed deployment (see domain/script-habits.ts). */
export async function scanScoringScript(source: string, file: string, context: ScriptContext): Promise<ScriptHabit[]> {
  const tree = (await pythonParser()).parse(source);
  if (!tree) return [];
  try {
    return findHabits(toPyNode(tree.rootNode), source, file, context);
  } finally {
    tree.delete();
  }
}
