import { dirname, resolve } from "node:path";
import { UserFixableError } from "../domain/errors.js";
import { parseDeploymentConfig, parseInferenceConfig } from "../domain/parse-deployment-config.js";
import { parseServiceJson } from "../domain/parse-service-json.js";
import type { V1Service } from "../domain/v1-service.js";
import { readDocument } from "./read-document.js";

export interface ServiceSourceOptions {
  readonly serviceJson?: string;
  readonly deploymentConfig?: string;
  readonly inferenceConfig?: string;
  readonly serviceName?: string;
}

/** Reads the v1 service from the files the user named: a service JSON, or the v1 CLI deployment files. */
export async function loadServiceFromFiles(o: ServiceSourceOptions): Promise<V1Service> {
  if (o.serviceJson && o.deploymentConfig) {
    throw new UserFixableError("Both --service-json and --deployment-config were given.", {
      why: "Each describes the whole service; aci-migrate cannot tell which one to believe.",
      nextStep: "Pass one of them.",
      kind: "input",
    });
  }
  if (o.serviceJson) {
    if (o.inferenceConfig) {
      throw new UserFixableError("--inference-config goes with --deployment-config, not --service-json.", {
        why: "A service JSON already names its environment and scoring script.",
        nextStep: "Drop --inference-config, or plan from --deployment-config.",
        kind: "input",
      });
    }
    return parseServiceJson(await readDocument(o.serviceJson, "service JSON"), o.serviceJson);
  }
  if (o.deploymentConfig) {
    const inference = o.inferenceConfig ? parseInferenceConfig(await readDocument(o.inferenceConfig, "inference config"), o.inferenceConfig) : undefined;
    // The legacy `condaFile` key names a file next to the inference config.
    const condaDependencies = inference?.condaFile ? await readDocument(resolve(dirname(o.inferenceConfig!), inference.condaFile), "conda file") : undefined;
    return parseDeploymentConfig(await readDocument(o.deploymentConfig, "deployment config"), o.deploymentConfig, {
      serviceName: o.serviceName,
      inference,
      condaDependencies,
    });
  }
  throw new UserFixableError("No service to plan from.", {
    why: "plan needs the v1 service's definition.",
    nextStep: "Pass --service-json FILE (from `az ml service show`) or --deployment-config FILE [--inference-config FILE].",
    kind: "input",
  });
}
