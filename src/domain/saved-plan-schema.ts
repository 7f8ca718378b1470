import { AUTH_MODES } from "./auth-modes.js";
import { PUBLIC_NETWORK_ACCESS } from "./network-access.js";
import { SAVED_PLAN_KIND, SAVED_PLAN_VERSION } from "./saved-plan.js";

/**
 * The JSON Schema of a saved plan file (`plan --save`), checked when `migrate --plan` reads one and published as
 * docs/schema/saved-plan.schema.json (a test keeps the two equal). The plan's own fields are checked where it is
 * applied; this says what a reviewer's editor and the reader need: the kind, the target, the basis, the choices,
 * and the applied fields of the plan.
 */
const text = { type: "string", minLength: 1 } as const;
const count = { type: "integer", minimum: 0 } as const;
const probe = {
  type: "object",
  required: ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"],
  properties: {
    initialDelaySeconds: count,
    periodSeconds: count,
    timeoutSeconds: count,
    failureThreshold: count,
    successThreshold: count,
  },
} as const;

export const SAVED_PLAN_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:aci-migrate:saved-plan:1",
  title: "aci-migrate saved plan",
  description: "Written by `aci-migrate plan --save FILE`, applied exactly by `aci-migrate migrate --plan FILE`.",
  type: "object",
  required: ["kind", "version", "savedAt", "target", "service", "basedOn", "choices", "plan"],
  properties: {
    kind: { const: SAVED_PLAN_KIND },
    version: { const: SAVED_PLAN_VERSION },
    savedAt: text,
    savedBy: { type: "string" },
    target: {
      type: "object",
      description: "The workspace the endpoint is created in.",
      required: ["subscriptionId", "resourceGroup", "workspace", "location"],
      properties: { subscriptionId: text, resourceGroup: text, workspace: text, location: text },
    },
    service: { ...text, description: "The v1 web service the plan migrates." },
    basedOn: {
      type: "object",
      description: "What the plan was made from; applying it reads each again and refuses when one changed.",
      required: ["service", "code", "region", "quota"],
      properties: {
        service: { type: "object", description: "The v1 service document: a digest per top-level field.", additionalProperties: { type: "string" } },
        code: { type: ["string", "null"], description: "The content hash of the scoring code deployed (null: the image carries it)." },
        region: text,
        quota: {
          type: ["object", "null"],
          required: ["family", "free", "needed"],
          properties: { family: text, free: { type: ["integer", "null"] }, needed: count },
        },
      },
    },
    choices: {
      type: "object",
      description: "The choices the plan was made with (aci-migrate plan's flags).",
      required: ["overrides"],
      properties: {
        overrides: { type: "object" },
        codeDir: text,
        into: {
          type: "object",
          description: "The workspace the endpoint goes into (--target-workspace).",
          required: ["subscriptionId", "resourceGroup", "workspace", "location"],
          properties: { subscriptionId: text, resourceGroup: text, workspace: text, location: text },
        },
      },
    },
    plan: {
      type: "object",
      description: "The whole plan as aci-migrate made it; the fields that applying it creates are listed here.",
      required: [
        "service",
        "endpointName",
        "deploymentName",
        "authMode",
        "publicNetworkAccess",
        "keysCarried",
        "sku",
        "instanceCount",
        "requestTimeoutMs",
        "probes",
        "model",
        "environment",
        "code",
        "script",
        "tags",
        "findings",
        "blockers",
      ],
      properties: {
        service: { type: "object", required: ["name"], properties: { name: text } },
        endpointName: text,
        deploymentName: text,
        authMode: { enum: [...AUTH_MODES] },
        publicNetworkAccess: { enum: [...PUBLIC_NETWORK_ACCESS] },
        keysCarried: { type: "boolean" },
        sku: { type: "object", required: ["name"], properties: { name: { type: ["string", "null"] } } },
        instanceCount: { type: "integer", minimum: 1 },
        requestTimeoutMs: count,
        probes: { type: "object", required: ["liveness", "readiness"], properties: { liveness: probe, readiness: probe } },
        model: { type: "object", required: ["kind"], properties: { kind: { enum: ["registered", "combined", "unknown"] } } },
        environment: { type: "object", required: ["kind"], properties: { kind: { enum: ["registered", "inline", "image", "unknown"] } } },
        code: { type: "object", properties: { scoringScript: text, sourceDirectory: text } },
        script: { type: "object", required: ["edits", "editsAccepted"], properties: { edits: { type: "array" }, editsAccepted: { type: "boolean" } } },
        tags: { type: "object", additionalProperties: { type: "string" } },
        findings: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "severity", "message"],
            properties: { id: text, severity: { enum: ["blocker", "warning", "info"] }, message: text },
          },
        },
        blockers: { type: "array", items: { type: "string" } },
      },
    },
  },
} as const;
