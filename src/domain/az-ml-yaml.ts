import { Document } from "yaml";
import type { AuthMode, MigrationPlan, ProbePlan } from "./plan.js";

export const ENDPOINT_SCHEMA = "https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json";
export const DEPLOYMENT_SCHEMA = "https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json";

const AUTH_MODE_YAML: Record<AuthMode, string> = { Key: "key", AMLToken: "aml_token", AADToken: "aad_token" };

export interface AzMlYamlFiles {
  readonly "endpoint.yml": string;
  readonly "deployment.yml": string;
  /** Present when the environment is defined inline from the v1 conda dependencies. */
  readonly "conda.yaml"?: string;
}

export interface AzMlYamlOptions {
  /** Path of the scoring code folder as the YAML should name it (relative to where the files are written). */
  readonly codePath?: string;
}

/**
 * The plan as the two files `az ml online-endpoint create -f` and `az ml online-deployment create -f` take
 * (current keys of Microsoft's YAML reference, as in azureml-examples' managed/sample). What cannot be known
 * offline is left as a commented placeholder rather than guessed.
 */
export function toAzMlYaml(plan: MigrationPlan, options: AzMlYamlOptions = {}): AzMlYamlFiles {
  const endpoint = new Document({
    $schema: ENDPOINT_SCHEMA,
    name: plan.endpointName,
    description: `Managed online endpoint migrated from the ACI web service ${plan.service.name} by aci-migrate.`,
    auth_mode: AUTH_MODE_YAML[plan.authMode],
    tags: { ...plan.tags },
  });
  endpoint.commentBefore = ` Migrated from ACI service ${plan.service.name} (${plan.service.source}).` +
    (plan.keysCarried ? "\n The v1 keys are carried by `aci-migrate migrate`; `az ml` cannot set keys, so callers would need the new ones." : "");

  const codePath = options.codePath ?? "./code";
  const deploymentBody: Record<string, unknown> = {
    $schema: DEPLOYMENT_SCHEMA,
    name: plan.deploymentName,
    endpoint_name: plan.endpointName,
    model: modelReference(plan),
    code_configuration: { code: codePath, scoring_script: plan.code.scoringScript ?? "score.py" },
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
  if (!options.codePath) notes.push(" code: put the v1 service's scoring code (its source snapshot) in ./code.");
  if (plan.model.kind === "combined") notes.push(` model: register one folder holding ${plan.model.parts.join(", ")} under this name first.`);
  if (plan.model.kind === "unknown") notes.push(" model: name the registered model (aci-migrate plan --model NAME:VERSION).");
  if (plan.environment.kind === "unknown") notes.push(" environment: name the registered environment the v1 service used.");
  if (plan.blockers.length) notes.push(` Blockers not yet acknowledged: ${plan.blockers.join(", ")}.`);
  deployment.commentBefore = notes.join("\n");

  const files: { -readonly [K in keyof AzMlYamlFiles]: AzMlYamlFiles[K] } = {
    "endpoint.yml": endpoint.toString({ lineWidth: 0 }),
    "deployment.yml": deployment.toString({ lineWidth: 0 }),
  };
  if (plan.environment.kind === "inline" && plan.environment.condaDependencies !== undefined) {
    files["conda.yaml"] = new Document(plan.environment.condaDependencies).toString({ lineWidth: 0 });
  }
  return files;
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
  return { initial_delay: p.initialDelaySeconds, period: p.periodSeconds, timeout: p.timeoutSeconds, failure_threshold: p.failureThreshold, success_threshold: p.successThreshold };
}
