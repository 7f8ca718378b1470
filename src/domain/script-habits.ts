import type { ScriptEdit } from "./script-edits.js";
import { scriptFacts, type ScriptFacts } from "./script-facts.js";
import { CONTRIB_SERVICES_RULES } from "./script-rules/contrib-services.js";
import { MODEL_PATH_RULES } from "./script-rules/model-paths.js";
import { SYNTAX_RULES } from "./script-rules/syntax.js";
import { V1_SDK_RULES } from "./script-rules/v1-sdk.js";
import type { PyNode, ScriptTree } from "./script-tree.js";

export { applyEdits, editsAsDiff, type ScriptEdit } from "./script-edits.js";
export type { PyNode, ScriptTree } from "./script-tree.js";

export type HabitSeverity = "blocker" | "warning" | "info";

export interface ScriptHabit {
  readonly id: string;
  readonly severity: HabitSeverity;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The line as the script has it. */
  readonly code: string;
  readonly message: string;
  readonly remedy: string;
  /** The edits that fix it, when they can be made without guessing (all or none). */
  readonly edits?: readonly ScriptEdit[];
  readonly docUrl: string;
}

/** A model of the service, as the script may name it. */
export interface ScriptModel {
  readonly name: string;
  readonly version: string;
  /** The file or folder the version registered (its basename), when known: what v1 put under `{name}/{version}/`. */
  readonly entry?: string;
}

/** What the check knows about where the script will run. */
export interface ScriptContext {
  /** The service's v1 models; with several, they move under `models/` of one folder model. */
  readonly models: readonly ScriptModel[];
  /**
   * The pip and conda package names of the environment the managed deployment runs the script in (lower-case);
   * undefined when that is not known here (a Docker image's own packages, a registered environment not read).
   */
  readonly environmentPackages?: readonly string[];
  /** The v1 service's source directory (`source_dir`), whose contents become the code folder. */
  readonly sourceDirectory?: string;
}

/** What a rule found at one node. A rule whose verdict depends on the context says its severity per match. */
export interface HabitMatch {
  readonly node: PyNode;
  readonly message: string;
  readonly remedy: string;
  readonly severity?: HabitSeverity;
  readonly edits?: readonly ScriptEdit[];
}

export interface HabitRule {
  readonly id: string;
  /** The most a match of this rule can be (a blocker can be acknowledged or edited away). */
  readonly severity: HabitSeverity;
  readonly docUrl: string;
  find(facts: ScriptFacts, context: ScriptContext): readonly HabitMatch[];
}

/**
 * The registry of what breaks a v1 scoring script on a managed deployment, each rule in a file of its own group
 * under script-rules/. Each rule reads the script's syntax tree (never its text by pattern), so a comment or a
 * string that mentions a habit is not one. A rule's severity follows what happens in the managed container: what
 * fails there in every environment is a blocker.
 */
export const HABIT_RULES: readonly HabitRule[] = [...SYNTAX_RULES, ...V1_SDK_RULES, ...MODEL_PATH_RULES, ...CONTRIB_SERVICES_RULES];

/** Every habit of one script, in line order; a script that is not Python gets that finding alone. */
export function findHabits(tree: ScriptTree, file: string, context: ScriptContext): ScriptHabit[] {
  const lines = tree.source.split("\n");
  const facts = scriptFacts(tree);
  const found: ScriptHabit[] = [];
  // A script Python cannot compile fails at import whatever else it does: that is all there is to say first.
  const notPython = SYNTAX_RULES.some((r) => r.find(facts, context).length > 0);
  for (const rule of notPython ? SYNTAX_RULES : HABIT_RULES) {
    const seen = new Set<string>();
    for (const m of rule.find(facts, context)) {
      // One finding per rule and line (a path built in a sub-expression is the same habit as its whole).
      const key = `${m.node.row}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({
        id: rule.id,
        severity: m.severity ?? rule.severity,
        docUrl: rule.docUrl,
        file,
        line: m.node.row + 1,
        code: (lines[m.node.row] ?? "").trim(),
        message: m.message,
        remedy: m.remedy,
        ...(m.edits?.length ? { edits: m.edits } : {}),
      });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
