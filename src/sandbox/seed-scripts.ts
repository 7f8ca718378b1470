/**
 * Scoring code of every seeded service: a real v1 score.py (init/run), as v1 snapshots hold it. Standard library
 * only, so the sandbox can run its init() in a real interpreter. A service with several models reads them where
 * v1 put them (`$AZUREML_MODEL_DIR/{name}/{version}/…`), which a managed deployment's folder model does not.
 */
export function scoreScript(spec: { name: string; models?: string[] }): string {
  const models = spec.models ?? [];
  const loads =
    models.length > 1
      ? models
          .map(
            (m) =>
              `    models["${m.split(":")[0]}"] = load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "${m.split(":")[0]}", "${m.split(":")[1]}", "${MODEL_FILE}"))`,
          )
          .join("\n")
      : `    models["main"] = load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "${MODEL_FILE}"))`;
  return `# Scoring script of the ACI service ${spec.name} (azureml-core ${"1.43.0"}).
import json
import os

models = {}


def load(path):
    with open(path) as f:
        return json.load(f)


def init():
${loads}


def run(raw_data):
    data = json.loads(raw_data)["data"]
    return [sum(w * x for m in models.values() for w, x in zip(m["weights"], row)) for row in data]
`;
}

/**
 * The scoring scripts of the services that break on a managed deployment. Each runs on v1's layout (the sandbox's
 * v1 containers run it, with azureml-core there as in every v1 image) and fails on the managed one.
 */
export function brokenScript(kind: "syntax" | "v1-import" | "get-model-path" | "relative-path"): string {
  const load = 'json.load(open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.json")))';
  const run = `def run(raw_data):
    data = json.loads(raw_data)["data"]
    return [sum(w * x for m in models.values() for w, x in zip(m["weights"], row)) for row in data]
`;
  switch (kind) {
    case "syntax":
      return `import json
import os

models = {}


def init():
    models["main"] = ${load}


def run(raw_data)
    data = json.loads(raw_data)["data"]
    return [sum(w * x for m in models.values() for w, x in zip(m["weights"], row)) for row in data]
`;
    case "v1-import":
      return `import json
import os

from azureml.core.model import Model

models = {}


def init():
    models["main"] = ${load}


${run}`;
    case "get-model-path":
      return `import json
import os

from azureml.core.model import Model

models = {}


def init():
    for name in ("ensemble-gbm", "ensemble-nn"):
        with open(Model.get_model_path(name)) as f:
            models[name] = json.load(f)


${run}`;
    case "relative-path":
      return `import json
import os

models = {}
labels = {}


def init():
    models["main"] = ${load}
    labels.update(json.load(open("source_dir/labels.json")))


${run}`;
  }
}

/** The file each seeded model version holds: its weights as JSON (what the scripts above read). */
export const MODEL_FILE = "model.json";
