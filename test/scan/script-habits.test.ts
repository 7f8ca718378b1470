import { describe, expect, it } from "vitest";
import { applyEdits, HABIT_RULES } from "../../src/domain/script-habits.js";
import { scanScoringScript } from "../../src/scan/python-scan.js";

const TWO_MODELS = {
  models: [
    { name: "gbm", version: "4" },
    { name: "nn", version: "2" },
  ],
};
const ONE_MODEL = { models: [{ name: "gbm", version: "4" }] };

/** Each habit: a script that has it (fires, with its line) and the same script without it (quiet). */
const PAIRS: { id: string; context: typeof TWO_MODELS; fires: string; quiet: string; line: number; fixed?: string }[] = [
  {
    id: "script-v1-model-paths",
    context: TWO_MODELS,
    fires: 'import os\n\ndef init():\n    global m\n    m = open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "gbm", "4", "model.json")).read()\n',
    quiet: 'import os\n\ndef init():\n    global m\n    m = open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models", "gbm", "4", "model.json")).read()\n',
    line: 5,
    fixed: '    m = open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models", "gbm", "4", "model.json")).read()',
  },
  {
    id: "script-v1-model-paths",
    context: TWO_MODELS,
    fires: "import os\nmodel_dir = os.environ[\"AZUREML_MODEL_DIR\"]\n\ndef init():\n    return os.path.join(model_dir, 'nn', '2', \"w.bin\")\n",
    quiet: 'import os\nmodel_dir = os.environ["AZUREML_MODEL_DIR"]\n\ndef init():\n    return os.path.join(model_dir, "w.bin")\n',
    line: 5,
    fixed: "    return os.path.join(model_dir, \"models\", 'nn', '2', \"w.bin\")",
  },
  {
    id: "script-v1-model-get-model-path",
    context: ONE_MODEL,
    fires: "from azureml.core.model import Model\n\ndef init():\n    path = Model.get_model_path('gbm')\n",
    quiet: "import os\n\ndef init():\n    path = os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'model.pkl')\n",
    line: 4,
  },
  {
    id: "script-v1-workspace-or-run",
    context: ONE_MODEL,
    fires: "from azureml.core import Run\n\nrun = Run.get_context()\n",
    quiet: "import logging\n\nlog = logging.getLogger(__name__)\n",
    line: 3,
  },
  {
    id: "script-v1-contrib-services",
    context: ONE_MODEL,
    fires: "from azureml.contrib.services.aml_request import AMLRequest, rawhttp\n\n@rawhttp\ndef run(request):\n    return request.get_data()\n",
    quiet: "from azureml_inference_server_http.api.aml_request import AMLRequest, rawhttp\n\n@rawhttp\ndef run(request):\n    return request.get_data()\n",
    line: 1,
    fixed: "from azureml_inference_server_http.api.aml_request import AMLRequest, rawhttp",
  },
];

describe("the scoring-script check: each v1 habit fires on a script that has it and stays quiet on one that does not", () => {
  it("covers every rule of the registry", () => {
    expect(new Set(PAIRS.map((p) => p.id))).toEqual(new Set(HABIT_RULES.map((r) => r.id)));
  });

  it.each(PAIRS.map((p, i) => ({ ...p, n: i + 1 })))(
    "$id #$n fires with file and line, and its edit (if any) fixes it",
    async ({ id, context, fires, line, fixed }) => {
      const habits = await scanScoringScript(fires, "score.py", context);
      const habit = habits.find((h) => h.id === id);
      expect(habit).toMatchObject({ file: "score.py", line, code: fires.split("\n")[line - 1]!.trim() });
      if (fixed) {
        const patched = applyEdits(fires, [habit!.edit!]);
        expect(patched.applied).toBe(1);
        expect(patched.text.split("\n")[line - 1]).toBe(fixed);
        expect((await scanScoringScript(patched.text, "score.py", context)).filter((h) => h.id === id)).toEqual([]);
      } else {
        expect(habit!.edit).toBeUndefined();
      }
    },
  );

  it.each(PAIRS.map((p, i) => ({ ...p, n: i + 1 })))("$id #$n is quiet without the habit", async ({ id, context, quiet }) => {
    expect((await scanScoringScript(quiet, "score.py", context)).filter((h) => h.id === id)).toEqual([]);
  });

  it("reads syntax, not text: the habit in a comment or a string is not one", async () => {
    const source = '# os.path.join(os.getenv("AZUREML_MODEL_DIR"), "gbm", "4")\nNOTE = "Model.get_model_path(\'gbm\') and Run.get_context() were v1"\n';
    expect(await scanScoringScript(source, "score.py", TWO_MODELS)).toEqual([]);
  });

  it("is quiet on a clean v2 scoring script in the style of Microsoft's managed online samples", async () => {
    const v2Sample = `import os
import logging
import json
import numpy
import joblib


def init():
    """
    This function is called when the container is initialized/started, typically after create/update of the deployment.
    You can write the logic here to perform init operations like caching the model in memory
    """
    global model
    # AZUREML_MODEL_DIR is an environment variable created during deployment.
    # It is the path to the model folder (./azureml-models/$MODEL_NAME/$VERSION)
    model_path = os.path.join(
        os.getenv("AZUREML_MODEL_DIR"), "model/sklearn_regression_model.pkl"
    )
    model = joblib.load(model_path)
    logging.info("Init complete")


def run(raw_data):
    logging.info("model 1: request received")
    data = json.loads(raw_data)["data"]
    data = numpy.array(data)
    result = model.predict(data)
    logging.info("Request processed")
    return result.tolist()
`;
    expect(await scanScoringScript(v2Sample, "score.py", ONE_MODEL)).toEqual([]);
    expect(await scanScoringScript(v2Sample, "score.py", TWO_MODELS)).toEqual([]);
  });
});
