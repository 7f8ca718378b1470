import type { MigrationPlan } from "../../domain/plan.js";

/** The plan as `plan --json` prints it (with `schemaVersion`, see json-output.ts): flat, stable field names, `service` is the v1 service's name. */
export function planToJson(plan: MigrationPlan, files?: readonly string[]): Record<string, unknown> {
  const { service, findings, ...rest } = plan;
  return {
    service: service.name,
    serviceDetails: service,
    ...rest,
    findings: findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      message: f.message,
      remedy: f.remedy,
      docUrl: f.docUrl,
      acknowledged: f.acknowledged,
      ...(f.fixedByEdit ? { fixedByEdit: true } : {}),
      ...(f.file !== undefined ? { file: f.file, line: f.line, code: f.code } : {}),
      ...(f.edits ? { edits: f.edits } : {}),
    })),
    ...(files ? { files } : {}),
  };
}
