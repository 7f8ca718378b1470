import type { HabitMatch, HabitRule } from "../script-habits.js";
import { positionNode, type IndexedNodeType, type PyNode } from "../script-tree.js";

const PYTHON_DOCS = "https://docs.python.org/3/reference/lexical_analysis.html";

/**
 * Python 2 forms tree-sitter's grammar still accepts (it reads both languages) that Python 3 refuses at compile
 * time, each with the words CPython's SyntaxError uses for it.
 */
const PYTHON2_FORMS: readonly { type: IndexedNodeType; hint: RegExp; is(n: PyNode): boolean; says: string; fix: string }[] = [
  { type: "print_statement", hint: /\bprint\b/, is: () => true, says: "Missing parentheses in call to 'print'", fix: "write print(…) as a function call" },
  { type: "exec_statement", hint: /\bexec\b/, is: () => true, says: "Missing parentheses in call to 'exec'", fix: "write exec(…) as a function call" },
  {
    type: "except_clause",
    hint: /\bexcept\b[^:\n]*,/,
    // `except ValueError, e:` (tree-sitter gives the clause two values)
    is: (n) => n.children.filter((c) => c.type !== "block" && c.type !== "comment").length > 1,
    says: "multiple exception types must be parenthesized",
    fix: "write `except ValueError as e:`",
  },
  {
    type: "integer",
    hint: /(?<![\w.])(0\d|\d+[lL]\b)/,
    is: (n) => /^0\d*[1-9]\d*[lL]?$/.test(n.text) || /^\d+[lL]$/.test(n.text),
    says: "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
    fix: "write octal numbers as 0o777 and drop a trailing L",
  },
  {
    type: "raise_statement",
    hint: /\braise\b[^\n]*,/,
    // `raise ValueError, "message"`
    is: (n) => n.children[0]?.type === "expression_list",
    says: "invalid syntax (raise with a comma)",
    fix: 'write `raise ValueError("message")`',
  },
];

const notPython: HabitRule = {
  id: "script-not-python",
  severity: "blocker",
  docUrl: PYTHON_DOCS,
  find({ tree }) {
    const out: HabitMatch[] = [];
    if (tree.notText) {
      return [
        {
          node: positionNode(tree.notText.row, 0),
          message: `The scoring script is not text Python can read: ${tree.notText.why}. The container fails to import it, so the deployment never starts.`,
          remedy: "Point the service at its real scoring script (the entry script of its inference config), saved as UTF-8.",
        },
      ];
    }
    const problem = tree.syntaxProblem;
    if (problem) {
      out.push({
        node: positionNode(problem.row, problem.column),
        message: `Line ${problem.row + 1}, column ${problem.column + 1} is not valid Python${problem.missing ? ` (a "${problem.missing}" is missing)` : ""}: importing the script raises SyntaxError, so the inference server cannot load it and the deployment never becomes ready.`,
        remedy: "Fix the syntax (python -m py_compile score.py shows Python's own message), or run `aci-migrate rehearse` to see it.",
      });
    }
    for (const form of PYTHON2_FORMS) {
      if (!form.hint.test(tree.source)) continue;
      for (const node of tree.nodes(form.type).filter(form.is)) {
        out.push({
          node,
          message: `This is Python 2 syntax, which Python 3 refuses (SyntaxError: ${form.says}): the inference server cannot import the script, so the deployment never becomes ready.`,
          remedy: `Port the script to Python 3: ${form.fix}.`,
        });
      }
    }
    return out.sort((a, b) => a.node.row - b.node.row).slice(0, 1);
  },
};

export const SYNTAX_RULES: readonly HabitRule[] = [notPython];
