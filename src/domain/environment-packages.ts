/** The distributions that bring azureml-core (azureml-defaults and azureml-sdk require it). */
const V1_SDK_DISTRIBUTIONS = ["azureml-core", "azureml-defaults", "azureml-sdk"];

/** Whether an environment's packages (lower-case names) install the v1 SDK. */
export function installsV1Sdk(packages: readonly string[]): boolean {
  return packages.some((p) => V1_SDK_DISTRIBUTIONS.includes(p));
}

/**
 * Whether an environment could provide a top-level module an interpreter lacks: the v1 SDK (`azureml`) only with a
 * package that brings azureml-core; anything else with any package beyond Python itself, since a package's import
 * name cannot be told from its distribution name. An unknown environment (undefined) may have anything.
 */
export function mayProvideModule(packages: readonly string[] | undefined, module: string): boolean {
  if (!packages) return true;
  if (module === "azureml") return installsV1Sdk(packages);
  return packages.some((p) => p !== "python" && p !== "pip" && !p.startsWith("azureml-"));
}
