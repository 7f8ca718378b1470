import type { MigrationPlan } from "../../domain/plan.js";

/** Version of the `plan --json` object; bump it when a field changes meaning or disappears. */
export const PLAN_JSON_VERSION = 1;

/** The plan as `plan --json` prints it: flat, stable field names, `service` is the v1 service's name. */
export function planToJson(plan: MigrationPlan, files?: readonly string[]): Record<string, unknown> {
  const { service, findings, ...rest } = plan;
  return {
    schemaVersion: PLAN_JSON_VERSION,
    service: service.name,
    serviceDetails: service,
    ...rest,
    findings: findings.map((f) => ({ id: f.id, severity: f.severity, message: f.message, remedy: f.remedy, docUrl: f.docUrl, acknowledged: f.acknowledged })),
    ...(files ? { files } : {}),
  };
}
