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
  requireSize(r, "containerResourceRequirements.cpu", cpu, MAX_PLAUSIBLE.cpu);
  requireSize(r, "containerResourceRequirements.memoryInGB", memoryGb, MAX_PLAUSIBLE.memoryGb);
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

/**
 * Far above any container group ACI ran (its standard limit is 4 CPU and 16 GB), and low enough that every sum and
 * rounding made of them stays a finite number: a value past these is a typo (or 1e308), not a service.
 */
const MAX_PLAUSIBLE = { cpu: 1024, memoryGb: 65536 } as const;

function requireSize(r: FieldReader, relativeField: string, value: number, max: number): void {
  const field = r.fieldPath(relativeField);
  if (value <= 0) {
    throw new UserFixableError(`${r.source}: field "${field}" must be greater than 0 (it is ${value}).`, {
      nextStep: `Fix "${field}" in ${r.source}; ACI needs at least 0.1 CPU and 0.1 GB.`,
      source: r.source,
      field,
      kind: "input",
    });
  }
  if (value > max) {
    throw new UserFixableError(`${r.source}: field "${field}" is ${value}, more than any ACI container group had (at most ${max} here).`, {
      why: "ACI's standard limit is 4 CPU and 16 GB per container group; a value this large is a typo.",
      nextStep: `Fix "${field}" in ${r.source} to what the service was deployed with, and run the command again.`,
      source: r.source,
      field,
      kind: "input",
    });
  }
}
