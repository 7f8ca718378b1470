/** A Python exception as its traceback's last line gives it: `FileNotFoundError: [Errno 2] No such file …`. */
export interface PythonException {
  readonly type: string;
  readonly message: string;
}

/**
 * The last exception a traceback (or a container log) names: the last line that reads `Name: message`, where Name
 * ends in Error or Exception (possibly dotted, `azureml.exceptions._azureml_exception.UserErrorException`).
 */
export function lastException(lines: readonly string[]): PythonException | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\s*(?:\S+ - )?([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::\s?(.*))?$/.exec(lines[i]!);
    if (m) return { type: m[1]!.split(".").at(-1)!, message: (m[2] ?? "").trim() };
  }
  return undefined;
}

/**
 * What an exception in a scoring script most likely means on a managed deployment, and what to do: read from the
 * exception's type and words, never from aci-migrate's own guesses about the script.
 */
export function crashCause(e: PythonException): { cause: string; remedy: string } {
  const { type, message } = e;
  const missing = /No module named '([^']+)'/.exec(message)?.[1];
  if (type === "SyntaxError" || type === "IndentationError" || type === "TabError") {
    return {
      cause: `The script is not valid Python here (${type}: ${message}).`,
      remedy: "Fix the line Python names; python -m py_compile score.py shows the same message.",
    };
  }
  if (missing === "azureml_inference_server_http") {
    return {
      cause: "The environment has no inference server (azureml-inference-server-http), so the container has nothing to start.",
      remedy:
        "Add azureml-inference-server-http to the environment's pip dependencies and register a new version, or pick a registered environment that has it (--environment NAME:VERSION).",
    };
  }
  if (missing?.startsWith("azureml")) {
    return {
      cause: `The script imports ${missing}, part of the v1 SDK, and the environment does not install it.`,
      remedy:
        "Drop the v1 import (the model's folder is in AZUREML_MODEL_DIR; no workspace is needed to score), or add the v1 package to the environment and register a new version.",
    };
  }
  if (missing) {
    return {
      cause: `The script imports ${missing}, which the environment does not install.`,
      remedy: `Add the package that provides ${missing} to the environment's dependencies and register a new version.`,
    };
  }
  if (type === "ModelNotFoundException" || /get_model_path|ModelNotFound/i.test(message)) {
    return {
      cause: "Model.get_model_path() looks where v1 put models; a managed deployment gives the model's folder in AZUREML_MODEL_DIR instead.",
      remedy: 'Load from os.path.join(os.getenv("AZUREML_MODEL_DIR"), …) (the script check offers the edit: --apply-script-edits).',
    };
  }
  if (
    (type === "FileNotFoundError" || type === "IsADirectoryError" || type === "NotADirectoryError") &&
    /azureml-models|AZUREML_MODEL_DIR|model/i.test(message)
  ) {
    return {
      cause: "init() loads the model from a path that does not exist in the managed layout (v1 put models elsewhere).",
      remedy: "Build the path from AZUREML_MODEL_DIR as the managed deployment lays the model out (with several models: models/<name>/<version>/ inside it).",
    };
  }
  if (type === "FileNotFoundError") {
    return {
      cause: `The script reads a file that is not where it looks in the managed layout (${message}).`,
      remedy: "Read files of the code folder next to the script: os.path.join(os.path.dirname(os.path.abspath(__file__)), …).",
    };
  }
  if (/Auth|Login|Credential|UserErrorException|WorkspaceException/.test(type)) {
    return {
      cause: "The script reaches Azure (a workspace, a run) with a sign-in the container does not have.",
      remedy:
        "Take what it fetched from the model folder or from environment variables set on the deployment; reach other Azure services with the endpoint's managed identity.",
    };
  }
  if (type === "MemoryError") return { cause: "The script ran out of memory.", remedy: "Choose a VM size with more memory (--sku)." };
  if (type === "TimeoutError")
    return {
      cause: "The script did not return in time.",
      remedy: "A slow init() needs a larger VM size; a slow run() a longer request timeout (--timeout-ms).",
    };
  return {
    cause: `The script raised ${type}${message ? `: ${message}` : ""}.`,
    remedy: "Fix the line the traceback names in your script, then rehearse again.",
  };
}
