import type { MigrationPlan } from "../../domain/plan.js";
import type { CodeSource } from "../port.js";
import { planOf, type ServiceRun } from "../service-run.js";

/** Where the scoring code comes from: `--code-dir`, else the v1 snapshot; none for an image that carries it. */
export function codeSource(run: ServiceRun, plan: MigrationPlan = planOf(run)): CodeSource | undefined {
  if (plan.environment.kind === "image" && !run.entry.codeDir) return undefined;
  const edits = plan.script.editsAccepted && plan.script.file ? { edits: { file: plan.script.file, edits: plan.script.edits } } : {};
  return run.entry.codeDir
    ? { kind: "folder", path: run.entry.codeDir, scoringScript: plan.code.scoringScript ?? "score.py", ...edits }
    : { kind: "snapshot", service: run.doc!, ...edits };
}
