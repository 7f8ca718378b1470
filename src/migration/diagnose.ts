import { BUILD_LOG_SAYS } from "../domain/image-build-log.js";
import { crashCause, lastException } from "../domain/python-crash.js";
import type { StepError, StepName } from "../session/session-file.js";

const CONTAINER_STEPS: ReadonlySet<StepName> = new Set(["deployment", "smoke-test"]);

/**
 * The likely cause of a failed deployment and its remedy, read from Azure's error and the container's logs: the
 * Python exception the inference server's log ends with, when it has one (a SyntaxError, a missing module…), else
 * what Azure's error says. A plan's blocker (a user-fixable error before Azure was touched) says its cause itself.
 */
export function likelyCause(error: StepError | undefined, logs: readonly string[], step?: StepName): { cause: string; remedy: string } | undefined {
  // The container's logs explain only the steps that start or call it; a later step's own error says its cause.
  if (error?.kind === "user-fixable" && (!logs.length || (step && !CONTAINER_STEPS.has(step)))) return undefined;
  const exception = lastException(logs);
  if (exception && !/^(TimeoutError)$/.test(exception.type)) return crashCause(exception);
  const text = `${error?.code ?? ""} ${error?.message ?? ""}\n${logs.join("\n")}`;
  if (/No module named 'azureml_inference_server_http'|azmlinfsrv: not found|lists neither azureml-defaults nor azureml-inference-server-http/i.test(text)) {
    return {
      cause: "The environment has no inference server (azureml-inference-server-http), so the container has nothing to start.",
      remedy:
        'Add azureml-inference-server-http to the environment\'s pip dependencies and register a new version, or pick a registered environment that has it: "Change the plan, then retry" › Environment (--environment NAME:VERSION on the commands).',
    };
  }
  if (/OutOfQuota|quota/i.test(text)) {
    return {
      cause: "Not enough VM quota for this size in the region.",
      remedy: "Change the VM size to a family with free quota, or request more quota in the Azure portal.",
    };
  }
  if (/init\(\)|FileNotFoundError|model\.pkl/i.test(text)) {
    return {
      cause: "The scoring script's init() failed, usually loading the model from a path that changed.",
      remedy: "Load models relative to AZUREML_MODEL_DIR; the full container logs show the traceback.",
    };
  }
  if (/ImageBuildFailure|conda/i.test(text)) {
    // The build log's failing lines, when the deployment step could read them (image-build-log.ts).
    const said =
      (error?.message ?? "")
        .split(`${BUILD_LOG_SAYS}\n`)[1]
        ?.split("\n")
        .map((l) => l.trim())
        .filter(Boolean) ?? [];
    const unresolved = said.find((l) => /No matching distribution found for|ResolvePackageNotFound|PackagesNotFoundError/.test(l));
    return {
      cause: said.length ? `The environment's image did not build: ${unresolved ?? said[0]}` : "The environment's image did not build.",
      remedy: said.length
        ? 'Fix that package in the environment\'s conda file (a release that exists, or a looser pin), register a new version, and retry with it: "Change the plan, then retry" › Environment (--environment NAME:VERSION on the commands).'
        : "Read the build log in the workspace's storage (Azure's error says where); check the conda file for pinned versions that do not resolve.",
    };
  }
  if (/ResourceNotReady|crashed|Liveness probe failed/i.test(text)) {
    return {
      cause: "The container started but did not answer its health probe.",
      remedy: "Read the full container logs; a slow init() needs a larger VM size or a longer probe delay.",
    };
  }
  return undefined;
}
