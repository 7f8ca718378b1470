import { UserFixableError } from "./errors.js";
import type { FieldReader } from "./field-reader.js";
import { SDK_V1_ACI_DEFAULTS, type V1Service } from "./v1-service.js";

/** The fields of a v1 service that come from `AciWebservice.deploy_configuration` keys. */
export type AciSettings = Pick<
  V1Service,
  | "cpu"
  | "memoryGb"
  | "gpu"
  | "authEnabled"
  | "tls"
  | "cname"
  | "dnsNameLabel"
  | "appInsightsEnabled"
  | "dataCollection"
  | "encryption"
  | "vnet"
  | "location"
  | "description"
>;

/**
 * Reads the ACI deployment settings, which the service JSON and the v1 CLI deployment config spell the same
 * way; unset values take the SDK v1 defaults. Secrets (`sslCertificate`, `sslKey`) are only noted as present.
 */
export function readAciSettings(r: FieldReader): AciSettings {
  const resources = r.object("containerResourceRequirements");
  const cpu = resources?.number("cpu") ?? SDK_V1_ACI_DEFAULTS.cpu;
  const memoryGb = resources?.number("memoryInGB") ?? SDK_V1_ACI_DEFAULTS.memoryGb;
  requirePositive(r, "containerResourceRequirements.cpu", cpu);
  requirePositive(r, "containerResourceRequirements.memoryInGB", memoryGb);
  const dataCollection = r.object("dataCollection");
  const encryption = r.object("encryptionProperties");
  const vnet = r.object("vnetConfiguration");
  return {
    description: r.string("description") ?? undefined,
    location: r.string("location") ?? undefined,
    cpu,
    memoryGb,
    gpu: resources?.number("gpu") ?? 0,
    authEnabled: r.boolean("authEnabled") ?? SDK_V1_ACI_DEFAULTS.authEnabled,
    tls: {
      enabled: r.boolean("sslEnabled") ?? SDK_V1_ACI_DEFAULTS.sslEnabled,
      customCertificate: Boolean(r.string("sslCertificate")),
    },
    cname: r.string("cname") || undefined,
    dnsNameLabel: r.string("dnsNameLabel") || undefined,
    appInsightsEnabled: r.boolean("appInsightsEnabled") ?? SDK_V1_ACI_DEFAULTS.appInsightsEnabled,
    dataCollection: {
      storageEnabled: dataCollection?.boolean("storageEnabled") ?? false,
      eventHubEnabled: dataCollection?.boolean("eventHubEnabled") ?? false,
    },
    // The REST API returns these objects with every value null when they are not configured.
    encryption:
      encryption && hasAnyValue(encryption)
        ? { vaultBaseUrl: encryption.string("vaultBaseUrl"), keyName: encryption.string("keyName"), keyVersion: encryption.string("keyVersion") }
        : undefined,
    vnet: vnet && hasAnyValue(vnet) ? { vnetName: vnet.string("vnetName"), subnetName: vnet.string("subnetName") } : undefined,
  };
}

function hasAnyValue(r: FieldReader): boolean {
  return r.keys().some((k) => r.has(k) && r.raw(k) !== "");
}

function requirePositive(r: FieldReader, relativeField: string, value: number): void {
  const field = r.fieldPath(relativeField);
  if (value <= 0) {
    throw new UserFixableError(`${r.source}: field "${field}" must be greater than 0 (it is ${value}).`, {
      nextStep: `Fix "${field}" in ${r.source}; ACI needs at least 0.1 CPU and 0.1 GB.`,
      source: r.source,
      field,
      kind: "input",
    });
  }
}
