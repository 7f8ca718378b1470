import { parse as parseYaml } from "yaml";
import { UserFixableError } from "./errors.js";
import type { FieldReader } from "./field-reader.js";
import { V1_ENTRY_SCRIPT_VARIABLES, type V1Environment } from "./v1-service.js";

/** Parses a v1 environment definition (`ModelEnvironmentDefinition`, or `Environment._serialize_to_dict`). */
export function parseV1Environment(env: FieldReader): { environment: V1Environment; entryScript?: string; sourceDirectory?: string } {
  const python = env.object("python");
  const docker = env.object("docker");
  const allVariables = env.stringMap("environmentVariables") ?? {};
  const environmentVariables: Record<string, string> = {};
  for (const [k, v] of Object.entries(allVariables)) {
    if (!(V1_ENTRY_SCRIPT_VARIABLES as readonly string[]).includes(k)) environmentVariables[k] = v;
  }
  const sourceDirectory = allVariables.AZUREML_SOURCE_DIRECTORY;
  // v1 writes AZUREML_ENTRY_SCRIPT relative to the snapshot root, i.e. prefixed with the source directory.
  let entryScript = allVariables.AZUREML_ENTRY_SCRIPT;
  if (entryScript && sourceDirectory && entryScript.startsWith(`${sourceDirectory}/`)) {
    entryScript = entryScript.slice(sourceDirectory.length + 1);
  }
  const version = env.raw("version");
  return {
    environment: {
      name: env.string("name"),
      version: version === undefined || version === null ? undefined : String(version),
      condaDependencies: python?.raw("condaDependencies") ?? undefined,
      userManagedDependencies: python?.boolean("userManagedDependencies") ?? false,
      baseImage: docker?.string("baseImage") ?? undefined,
      hasBaseDockerfile: Boolean(docker?.string("baseDockerfile")),
      environmentVariables,
    },
    entryScript,
    sourceDirectory,
  };
}

/**
 * Every pip and conda package name the environment's conda specification lists, lower-cased and without
 * version pins (`azureml-defaults==1.43.0` → `azureml-defaults`). Empty when there is no specification.
 */
/** The package names of a conda file as text (a registered environment's `condaFile`); none if it is not YAML. */
export function condaFilePackageNames(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    return condaPackageNames(parseYaml(text));
  } catch {
    return [];
  }
}

export function condaPackageNames(condaDependencies: unknown): string[] {
  if (typeof condaDependencies !== "object" || condaDependencies === null) return [];
  const deps = (condaDependencies as { dependencies?: unknown }).dependencies;
  if (!Array.isArray(deps)) return [];
  const names: string[] = [];
  const add = (spec: unknown) => {
    if (typeof spec !== "string") return;
    const m = /^\s*([A-Za-z0-9_.-]+)/.exec(spec);
    if (m?.[1]) names.push(m[1].toLowerCase().replace(/_/g, "-"));
  };
  for (const d of deps) {
    if (typeof d === "string") add(d);
    else if (typeof d === "object" && d !== null && Array.isArray((d as { pip?: unknown }).pip)) {
      for (const p of (d as { pip: unknown[] }).pip) add(p);
    }
  }
  return names;
}

/** Refuses anything but ACI with a reason and the way forward for that compute type. */
export function requireAciCompute(computeType: string | undefined, reader: FieldReader, field: string, name: string): void {
  const type = (computeType ?? "").toUpperCase();
  if (type === "ACI") return;
  if (!type) {
    reader.fail(field, 'the compute type "ACI"', computeType);
  }
  const where = type === "AKS" || type === "AKSENDPOINT" ? "Azure Kubernetes Service" : type;
  throw new UserFixableError(`Service "${name}" runs on ${where} (${reader.source}, field "${reader.fieldPath(field)}"), not on ACI.`, {
    why:
      type === "AKS" || type === "AKSENDPOINT"
        ? "aci-migrate moves ACI web services to managed online endpoints; AKS services keep their cluster and move to Kubernetes online endpoints instead."
        : "aci-migrate moves ACI web services only.",
    nextStep:
      type === "AKS" || type === "AKSENDPOINT"
        ? "Attach the AKS cluster as a Kubernetes compute and follow https://learn.microsoft.com/azure/machine-learning/how-to-attach-kubernetes-anywhere, or choose an ACI service."
        : "Choose an ACI service (computeType ACI).",
    source: reader.source,
    field: reader.fieldPath(field),
    kind: "input",
  });
}
