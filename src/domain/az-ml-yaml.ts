import { Document } from "yaml";
import { COMBINED_MODEL_FOLDER } from "./model-layout.js";
import { DEFAULT_SAMPLE_REQUEST, type AuthMode, type MigrationPlan, type ProbePlan } from "./plan.js";

export const ENDPOINT_SCHEMA = "https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json";
export const DEPLOYMENT_SCHEMA = "https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json";
export const MODEL_SCHEMA = "https://azuremlschemas.azureedge.net/latest/model.schema.json";
export const ENVIRONMENT_SCHEMA = "https://azuremlschemas.azureedge.net/latest/environment.schema.json";

const AUTH_MODE_YAML: Record<AuthMode, string> = { Key: "key", AMLToken: "aml_token", AADToken: "aad_token" };

/** The files of an export folder, by name. Optional ones are written only when the plan needs them. */
export interface AzMlYamlFiles {
  readonly "endpoint.yml": string;
  readonly "deployment.yml": string;
  /** The conda dependencies of an environment defined inline. */
  readonly "conda.yaml"?: string;
  /** An inline environment that the v1 inference config named: registered first, then referenced. */
  readonly "environment.yml"?: string;
  /** The folder model that combines several v1 models, over the folder the README's copy commands fill. */
  readonly "model.yml"?: string;
  readonly "sample-request.json": string;
  /** The commands, in order, that create what the YAML describes. */
  readonly "README.md": string;
}

/** One file of a combined model, copied inside storage to where the folder model reads it. */
export interface ModelFileCopy {
  readonly account: string;
  readonly sourceContainer: string;
  readonly sourceBlob: string;
  /** The default datastore's container, where the folder is gathered. */
  readonly container: string;
  /** Relative to the combined folder's parent (starts with `models/`). */
  readonly target: string;
}

export interface AzMlYamlOptions {
  /** Path of the scoring code folder as the YAML names it (default `./code`, which the export writes). */
  readonly codePath?: string;
  /** The code is not in the folder: the README says to put it there first. */
  readonly codeMissing?: boolean;
  /** Where the commands run; without it the README starts with `az configure --defaults` to fill in. */
  readonly workspace?: { readonly resourceGroup: string; readonly workspace: string };
  /** The copies a combined model needs into the default datastore, when the plan's source could list them. */
  readonly modelCopies?: { readonly datastore: string; readonly files: readonly ModelFileCopy[] };
}

/** Where an export's combined model is gathered in the default datastore (its last segment is the model's folder). */
export function exportedModelFolder(modelName: string): string {
  return `aci-migrate/models/${modelName}/export`;
}

/**
 * The plan as a folder `az ml` deploys as written: `endpoint.yml` and `deployment.yml` (current keys of
 * Microsoft's YAML reference, as in azureml-examples' managed/sample), the environment and model files they name,
 * a sample request, and a README with the commands in order. The scoring code itself (`code/`) is written by the
 * caller, which can read it.
 */
export function toAzMlYaml(plan: MigrationPlan, options: AzMlYamlOptions = {}): AzMlYamlFiles {
  const endpoint = new Document({
    $schema: ENDPOINT_SCHEMA,
    name: plan.endpointName,
    description: `Managed online endpoint migrated from the ACI web service ${plan.service.name} by aci-migrate.`,
    auth_mode: AUTH_MODE_YAML[plan.authMode],
    ...(plan.publicNetworkAccess === "Disabled" ? { public_network_access: "disabled" } : {}),
    tags: { ...plan.tags },
  });
  endpoint.commentBefore =
    ` Migrated from ACI service ${plan.service.name} (${plan.service.source}).` +
    (plan.keysCarried ? "\n The v1 keys are carried by `aci-migrate migrate`; `az ml` cannot set keys, so callers would need the new ones." : "");

  const env = plan.environment;
  const deploymentBody: Record<string, unknown> = {
    $schema: DEPLOYMENT_SCHEMA,
    name: plan.deploymentName,
    endpoint_name: plan.endpointName,
    model: modelReference(plan),
    // A custom container from a v1 image carries its scoring code.
    ...(env.kind === "image" ? {} : { code_configuration: { code: options.codePath ?? "./code", scoring_script: plan.code.scoringScript ?? "score.py" } }),
    environment: environmentReference(plan),
    instance_type: plan.sku.name ?? "CHOOSE_A_SKU",
    instance_count: plan.instanceCount,
    app_insights_enabled: plan.appInsightsEnabled,
    request_settings: { request_timeout_ms: plan.requestTimeoutMs },
    liveness_probe: probeYaml(plan.probes.liveness),
    readiness_probe: probeYaml(plan.probes.readiness),
  };
  if (Object.keys(plan.environmentVariables).length) deploymentBody.environment_variables = { ...plan.environmentVariables };
  deploymentBody.tags = { ...plan.tags };
  const deployment = new Document(deploymentBody);
  const notes = [` Deployment "${plan.deploymentName}" of ${plan.endpointName}; SKU: ${plan.sku.rationale}`];
  if (options.codeMissing) notes.push(" code: put the v1 service's scoring code (its source snapshot) in ./code.");
  if (plan.model.kind === "combined")
    notes.push(` model: ${plan.model.name}:1 combines ${plan.model.parts.join(", ")} (model.yml; README.md says how to fill its folder).`);
  if (plan.model.kind === "unknown") notes.push(" model: name the registered model (aci-migrate plan --model NAME:VERSION).");
  if (env.kind === "unknown") notes.push(" environment: name the registered environment the v1 service used.");
  if (plan.blockers.length) notes.push(` Blockers not yet acknowledged: ${plan.blockers.join(", ")}.`);
  deployment.commentBefore = notes.join("\n");

  const files: { -readonly [K in keyof AzMlYamlFiles]: AzMlYamlFiles[K] } = {
    "endpoint.yml": endpoint.toString({ lineWidth: 0 }),
    "deployment.yml": deployment.toString({ lineWidth: 0 }),
    "sample-request.json": `${JSON.stringify(DEFAULT_SAMPLE_REQUEST)}\n`,
    "README.md": "",
  };
  if (env.kind === "inline" && env.condaDependencies !== undefined) files["conda.yaml"] = new Document(env.condaDependencies).toString({ lineWidth: 0 });
  if (env.kind === "inline" && env.name && env.version) {
    files["environment.yml"] = new Document({
      $schema: ENVIRONMENT_SCHEMA,
      name: env.name,
      version: env.version,
      image: env.image,
      ...(env.condaDependencies !== undefined ? { conda_file: "conda.yaml" } : {}),
      description: `The inline environment of the ACI service ${plan.service.name}'s inference config, registered for its managed deployment.`,
    }).toString({ lineWidth: 0 });
  }
  if (plan.model.kind === "combined") {
    files["model.yml"] = new Document({
      $schema: MODEL_SCHEMA,
      name: plan.model.name,
      version: "1",
      type: "custom_model",
      path: `azureml://datastores/${options.modelCopies?.datastore ?? "workspaceblobstore"}/paths/${exportedModelFolder(plan.model.name)}/${COMBINED_MODEL_FOLDER}/`,
      description: `The models of the ACI service ${plan.service.name} (${plan.model.parts.join(", ")}) in one folder.`,
    }).toString({ lineWidth: 0 });
  }
  files["README.md"] = readme(plan, files, options);
  return files;
}

/** The README of an export folder: what it holds and the commands in order, each one that works when pasted. */
function readme(plan: MigrationPlan, files: Partial<AzMlYamlFiles>, options: AzMlYamlOptions): string {
  const ws = options.workspace;
  const at = ws ? ` -g ${ws.resourceGroup} -w ${ws.workspace}` : "";
  const steps: string[] = [];
  const step = (text: string, commands: string[]) =>
    steps.push(`${steps.length + 1}. ${text}\n\n   \`\`\`bash\n${commands.map((c) => `   ${c}`).join("\n")}\n   \`\`\``);
  if (!ws)
    step("Say which workspace (replace the two names; every command below then uses them):", [
      "az configure --defaults group=RESOURCE_GROUP workspace=WORKSPACE",
    ]);
  if (options.codeMissing)
    step(
      "Put the v1 service's scoring code in `code/` (aci-migrate could not read it: plan with `--code-dir DIR`, or from the workspace with `-w` and `--service`).",
      ["mkdir -p code"],
    );
  if (files["environment.yml"])
    step(`Register the environment the inference config defines (skip if ${envName(plan)} is registered already):`, [
      `az ml environment create -f environment.yml${at}`,
    ]);
  if (plan.model.kind === "combined") {
    const folder = `${exportedModelFolder(plan.model.name)}`;
    const copies = options.modelCopies?.files ?? [];
    if (copies.length) {
      step(
        `Copy the models' files inside storage into one folder (${plan.model.parts.map((id) => `${id} → ${COMBINED_MODEL_FOLDER}/${id.replace(":", "/")}`).join(", ")}); nothing is downloaded:`,
        copies.map(
          (c) =>
            `az storage blob copy start --auth-mode key --account-name ${c.account} --destination-container ${c.container} --destination-blob ${folder}/${c.target} --source-account-name ${c.account} --source-container ${c.sourceContainer} --source-blob ${c.sourceBlob}`,
        ),
      );
    } else {
      step(
        "Copy each model's files into one folder of the default datastore. Find where each is stored, then copy its blobs inside the storage account (`az storage blob copy start-batch`):",
        [
          ...(plan.model.kind === "combined"
            ? plan.model.parts.map(
                (id) =>
                  `az ml model show -n ${id.split(":")[0]} -v ${id.split(":")[1]}${at} --query path -o tsv   # copy to ${folder}/${COMBINED_MODEL_FOLDER}/${id.replace(":", "/")}/`,
              )
            : []),
        ],
      );
    }
    step("Register the folder as one model:", [`az ml model create -f model.yml${at}`]);
  }
  step("Create the endpoint, then the deployment with all the traffic:", [
    `az ml online-endpoint create -f endpoint.yml${at}`,
    `az ml online-deployment create -f deployment.yml --all-traffic${at}`,
  ]);
  step("Score the sample request:", [`az ml online-endpoint invoke -n ${plan.endpointName} --request-file sample-request.json${at}`]);
  const held = Object.keys(files).filter((f) => f !== "README.md");
  return `# ${plan.service.name} → ${plan.endpointName}

Written by \`aci-migrate plan --out\`: the managed online endpoint that replaces the ACI web service
${plan.service.name}, as \`az ml\` creates it. Run the commands from this folder, in order.

Holds: ${[...held, ...(plan.environment.kind === "image" ? [] : ["code/"])].map((f) => `\`${f}\``).join(", ")}.
${plan.keysCarried ? "\n`az ml` gives the endpoint new keys; `aci-migrate migrate` would carry the v1 keys over instead.\n" : ""}${plan.blockers.length ? `\nBlockers not yet acknowledged: ${plan.blockers.join(", ")} (see \`aci-migrate plan\`).\n` : ""}
${steps.join("\n\n")}
`;
}

function envName(plan: MigrationPlan): string {
  const env = plan.environment;
  return env.kind === "inline" || env.kind === "registered" ? `${env.name}:${env.version ?? "latest"}` : "it";
}

function modelReference(plan: MigrationPlan): string {
  switch (plan.model.kind) {
    case "registered":
      return `azureml:${plan.model.name}:${plan.model.version}`;
    case "combined":
      return `azureml:${plan.model.name}:1`;
    case "unknown":
      return "azureml:MODEL_NAME:MODEL_VERSION";
  }
}

function environmentReference(plan: MigrationPlan): unknown {
  const env = plan.environment;
  switch (env.kind) {
    case "registered":
      return env.version ? `azureml:${env.name}:${env.version}` : `azureml:${env.name}@latest`;
    case "inline":
      if (env.name && env.version) return `azureml:${env.name}:${env.version}`;
      return env.condaDependencies !== undefined ? { image: env.image, conda_file: "conda.yaml" } : { image: env.image };
    case "image":
      return {
        image: env.image,
        // Images built by v1 serve on :5001 with these routes (azureml-inference-server-http).
        inference_config: {
          liveness_route: { path: "/", port: 5001 },
          readiness_route: { path: "/", port: 5001 },
          scoring_route: { path: "/score", port: 5001 },
        },
      };
    case "unknown":
      return "azureml:ENVIRONMENT_NAME:ENVIRONMENT_VERSION";
  }
}

function probeYaml(p: ProbePlan): Record<string, number> {
  return {
    initial_delay: p.initialDelaySeconds,
    period: p.periodSeconds,
    timeout: p.timeoutSeconds,
    failure_threshold: p.failureThreshold,
    success_threshold: p.successThreshold,
  };
}
