import { describe, expect, it } from "vitest";
import { applyEdits, editsAsDiff, HABIT_RULES, type ScriptContext } from "../../src/domain/script-habits.js";
import { scanScoringScript } from "../../src/scan/python-scan.js";

const TWO_MODELS: ScriptContext = {
  models: [
    { name: "gbm", version: "4", entry: "model.json" },
    { name: "nn", version: "2", entry: "weights.bin" },
  ],
};
const ONE_MODEL: ScriptContext = { models: [{ name: "gbm", version: "4", entry: "model.pkl" }] };
/** The environment a migration would run in after the tool's own remedy for a missing server: no v1 SDK. */
const SERVER_ONLY: ScriptContext = { ...ONE_MODEL, environmentPackages: ["python", "pip", "azureml-inference-server-http", "scikit-learn"] };
const WITH_V1_SDK: ScriptContext = { ...ONE_MODEL, environmentPackages: ["python", "azureml-defaults", "scikit-learn"] };
const SNAPSHOT: ScriptContext = { ...SERVER_ONLY, sourceDirectory: "source_dir" };

interface Case {
  readonly id: string;
  readonly context: ScriptContext;
  readonly fires: string;
  readonly quiet: string;
  /** The line it fires on, and the severity it has there. */
  readonly line: number;
  readonly severity: "blocker" | "warning" | "info";
  /** The fixed text of the whole script when the finding's edits are made. */
  readonly fixed?: string;
  readonly what: string;
}

const MULTI_PATHS: [string, string, string][] = [
  [
    "os.path.join",
    'os.path.join(os.getenv("AZUREML_MODEL_DIR"), "gbm", "4", "model.json")',
    'os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models", "gbm", "4", "model.json")',
  ],
  [
    "an int version through str()",
    'os.path.join(os.environ["AZUREML_MODEL_DIR"], "gbm", str(4), "model.json")',
    'os.path.join(os.environ["AZUREML_MODEL_DIR"], "models", "gbm", str(4), "model.json")',
  ],
  ["an f-string", "f\"{os.getenv('AZUREML_MODEL_DIR')}/gbm/4/model.json\"", "f\"{os.getenv('AZUREML_MODEL_DIR')}/models/gbm/4/model.json\""],
  [
    "pathlib's /",
    'Path(os.getenv("AZUREML_MODEL_DIR")) / "gbm" / "4" / "model.json"',
    'Path(os.getenv("AZUREML_MODEL_DIR")) / "models/gbm" / "4" / "model.json"',
  ],
  ["concatenation", 'os.getenv("AZUREML_MODEL_DIR") + "/gbm/4/model.json"', 'os.getenv("AZUREML_MODEL_DIR") + "/models/gbm/4/model.json"'],
  ["one string", 'os.path.join(os.getenv("AZUREML_MODEL_DIR"), "gbm/4/model.json")', 'os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models/gbm/4/model.json")'],
  ["str.format", '"{}/gbm/{}/model.json".format(os.getenv("AZUREML_MODEL_DIR"), 4)', '"{}/models/gbm/{}/model.json".format(os.getenv("AZUREML_MODEL_DIR"), 4)'],
  [
    "joinpath",
    'Path(os.getenv("AZUREML_MODEL_DIR")).joinpath("gbm", "4", "model.json")',
    'Path(os.getenv("AZUREML_MODEL_DIR")).joinpath("models", "gbm", "4", "model.json")',
  ],
];

const CASES: Case[] = [
  ...MULTI_PATHS.map(([how, path, fixedPath]): Case => ({
    id: "script-v1-model-paths",
    what: how,
    context: TWO_MODELS,
    fires: `import os\nfrom pathlib import Path\n\ndef init():\n    global m\n    m = open(${path}).read()\n`,
    quiet: `import os\nfrom pathlib import Path\n\ndef init():\n    global m\n    m = open(${fixedPath}).read()\n`,
    line: 6,
    severity: "blocker",
    fixed: `import os\nfrom pathlib import Path\n\ndef init():\n    global m\n    m = open(${fixedPath}).read()\n`,
  })),
  {
    id: "script-v1-model-paths",
    what: "module-level constants and a name bound to the model folder (no edit: the constants have other uses)",
    context: TWO_MODELS,
    fires:
      'import os\nNAME = "nn"\nVERSION = 2\nmodel_dir = os.getenv("AZUREML_MODEL_DIR")\n\ndef init():\n    return os.path.join(model_dir, NAME, str(VERSION), "weights.bin")\n',
    quiet:
      'import os\nNAME = "nn"\nVERSION = 2\nmodel_dir = os.getenv("AZUREML_MODEL_DIR")\n\ndef init():\n    return os.path.join(model_dir, "models", NAME, str(VERSION), "weights.bin")\n',
    line: 7,
    severity: "blocker",
  },
  {
    id: "script-v1-model-get-model-path",
    what: "a single model, with the edit to AZUREML_MODEL_DIR",
    context: SERVER_ONLY,
    fires: "import os\nfrom azureml.core.model import Model\n\ndef init():\n    path = Model.get_model_path('gbm')\n",
    quiet: "import os\n\ndef init():\n    path = os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'model.pkl')\n",
    line: 5,
    severity: "blocker",
    fixed: 'import os\nfrom azureml.core.model import Model\n\ndef init():\n    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl")\n',
  },
  {
    id: "script-v1-model-get-model-path",
    what: "a two-model service through an alias, with version= (and `import os` added)",
    context: TWO_MODELS,
    fires: "from azureml.core import Model as M\n\ndef init():\n    path = M.get_model_path(model_name='nn', version=2)\n",
    quiet: "import os\n\ndef init():\n    path = os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'models', 'nn', '2', 'weights.bin')\n",
    line: 4,
    severity: "blocker",
    fixed:
      'import os\nfrom azureml.core import Model as M\n\ndef init():\n    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models", "nn", "2", "weights.bin")\n',
  },
  {
    id: "script-v1-model-get-model-path",
    what: "a name from a variable: the edit adds a function that searches as get_model_path did, in the managed layout",
    context: TWO_MODELS,
    fires:
      "import json\nfrom azureml.core.model import Model\n\ndef init():\n    for name in ('gbm', 'nn'):\n        json.load(open(Model.get_model_path(name)))\n",
    quiet:
      "import json, os\n\ndef init():\n    for name in ('gbm', 'nn'):\n        json.load(open(os.path.join(os.environ['AZUREML_MODEL_DIR'], 'models', name)))\n",
    line: 6,
    severity: "blocker",
    fixed: [
      "import os",
      "import json",
      "from azureml.core.model import Model",
      "",
      "",
      "def _managed_model_path(model_name, version=None, _workspace=None):",
      '    """Model.get_model_path() of azureml-core, searching the managed deployment\'s model folder (an edit of aci-migrate)."""',
      '    folder = os.path.join(os.environ["AZUREML_MODEL_DIR"], "models", model_name)',
      "    versions = sorted((v for v in os.listdir(folder) if v.isdigit()), key=int)",
      "    folder = os.path.join(folder, str(version) if version is not None else versions[-1])",
      "    (entry,) = os.listdir(folder)",
      "    return os.path.join(folder, entry)",
      "",
      "",
      "def init():",
      "    for name in ('gbm', 'nn'):",
      "        json.load(open(_managed_model_path(name)))",
      "",
    ].join("\n"),
  },
  {
    id: "script-v1-model-get-model-path",
    what: "a module imported under another name",
    context: ONE_MODEL,
    fires: "import azureml.core.model as aml\n\ndef init():\n    global p\n    p = aml.Model.get_model_path('gbm', _workspace=ws)\n",
    quiet: "import azureml_inference_server_http as aml\n\ndef init():\n    global p\n    p = aml.Model.get_model_path('gbm')\n",
    line: 5,
    severity: "blocker",
  },
  {
    id: "script-v1-sdk-import",
    what: "at module level, in an environment without the v1 SDK",
    context: SERVER_ONLY,
    fires: "import json\nfrom azureml.core.model import Model\n\ndef run(raw):\n    return json.loads(raw)\n",
    quiet: "import json\ntry:\n    from azureml.core.model import Model\nexcept ImportError:\n    Model = None\n\ndef run(raw):\n    return json.loads(raw)\n",
    line: 2,
    severity: "blocker",
  },
  {
    id: "script-v1-sdk-import",
    what: "in init(), azureml.monitoring",
    context: SERVER_ONLY,
    fires: "def init():\n    import azureml.monitoring as mon\n    return mon\n",
    quiet: "def init():\n    import azureml_inference_server_http as mon\n    return mon\n",
    line: 2,
    severity: "blocker",
  },
  {
    id: "script-v1-sdk-import",
    what: "a warning where the environment is not known",
    context: ONE_MODEL,
    fires: "import azureml.train.automl\n",
    quiet: "import azureml_inference_server_http\n",
    line: 1,
    severity: "warning",
  },
  {
    id: "script-v1-workspace",
    what: "Workspace.from_config() in init()",
    context: WITH_V1_SDK,
    fires: "from azureml.core import Workspace\n\ndef init():\n    ws = Workspace.from_config()\n",
    quiet: "import os\n\ndef init():\n    ws = os.getenv('WORKSPACE_NAME')\n",
    line: 4,
    severity: "blocker",
  },
  {
    id: "script-v1-workspace",
    what: "Workspace.get(...) with credentials: a warning",
    context: WITH_V1_SDK,
    fires: "from azureml.core.workspace import Workspace as W\nws = W.get(name='w', subscription_id='s', auth=sp)\n",
    quiet: "ws = {'name': 'w'}\n",
    line: 2,
    severity: "warning",
  },
  {
    id: "script-v1-run-context",
    what: "Run.get_context()",
    context: WITH_V1_SDK,
    fires: "from azureml.core import Run\n\nrun = Run.get_context()\n",
    quiet: "import logging\n\nlog = logging.getLogger(__name__)\n",
    line: 3,
    severity: "warning",
  },
  {
    id: "script-v1-data-collector",
    what: "ModelDataCollector",
    context: WITH_V1_SDK,
    fires:
      'from azureml.monitoring import ModelDataCollector\n\ndef init():\n    global dc\n    dc = ModelDataCollector("gbm", designation="inputs", feature_names=["a"])\n',
    quiet: 'from azureml.ai.monitoring import Collector\n\ndef init():\n    global dc\n    dc = Collector(name="model_inputs")\n',
    line: 5,
    severity: "warning",
  },
  {
    id: "script-v1-relative-path",
    what: "a file of the snapshot read as v1 laid it out (source_dir/…), with the edit",
    context: SNAPSHOT,
    fires: 'import json\n\ndef init():\n    labels = json.load(open("source_dir/labels.json"))\n',
    quiet: 'import json, os\n\ndef init():\n    labels = json.load(open(os.path.join(os.path.dirname(__file__), "labels.json")))\n',
    line: 4,
    severity: "blocker",
    fixed: 'import os\nimport json\n\ndef init():\n    labels = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels.json")))\n',
  },
  {
    id: "script-v1-relative-path",
    what: "a model read from v1's azureml-models/ beside the working directory",
    context: TWO_MODELS,
    fires: 'import joblib\n\ndef init():\n    m = joblib.load("azureml-models/gbm/4/model.json")\n',
    quiet: 'import joblib, os\n\ndef init():\n    m = joblib.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models/gbm/4/model.json"))\n',
    line: 4,
    severity: "blocker",
  },
  {
    id: "script-v1-contrib-services",
    what: "the `from … import` form the inference server redirects: true information, and the edit",
    context: SERVER_ONLY,
    fires: "from azureml.contrib.services.aml_request import AMLRequest, rawhttp\n\n@rawhttp\ndef run(request):\n    return request.get_data()\n",
    quiet: "from azureml_inference_server_http.api.aml_request import AMLRequest, rawhttp\n\n@rawhttp\ndef run(request):\n    return request.get_data()\n",
    line: 1,
    severity: "info",
    fixed: "from azureml_inference_server_http.api.aml_request import AMLRequest, rawhttp\n\n@rawhttp\ndef run(request):\n    return request.get_data()\n",
  },
  {
    id: "script-v1-contrib-services",
    what: "a module alias, which needs the package itself",
    context: SERVER_ONLY,
    fires: "import azureml.contrib.services.aml_request as r\n\n@r.rawhttp\ndef run(request):\n    return request.get_data()\n",
    quiet: "import azureml.contrib.services.aml_request as r\n".replace("azureml.contrib.services", "azureml_inference_server_http.api"),
    line: 1,
    severity: "blocker",
    fixed: "import azureml_inference_server_http.api.aml_request as r\n\n@r.rawhttp\ndef run(request):\n    return request.get_data()\n",
  },
  {
    id: "script-v1-contrib-services",
    what: "the package form `from azureml.contrib.services import aml_request`",
    context: SERVER_ONLY,
    fires: "from azureml.contrib.services import aml_request\n",
    quiet: "from azureml_inference_server_http.api import aml_request\n",
    line: 1,
    severity: "blocker",
    fixed: "from azureml_inference_server_http.api import aml_request\n",
  },
  {
    id: "script-flask1-request-api",
    what: "headers.has_keys()",
    context: SERVER_ONLY,
    fires: "def run(request):\n    if request.headers.has_keys('X-Id'):\n        return 1\n",
    quiet: "def run(request):\n    if 'X-Id' in request.headers:\n        return 1\n",
    line: 2,
    severity: "warning",
  },
  {
    id: "script-not-python",
    what: "a syntax error",
    context: ONE_MODEL,
    fires: "import json\n\ndef init(:\n    pass\n",
    quiet: "import json\n\ndef init():\n    pass\n",
    line: 3,
    severity: "blocker",
  },
  {
    id: "script-not-python",
    what: "Python 2's print statement, which tree-sitter's grammar accepts and Python 3 does not",
    context: ONE_MODEL,
    fires: 'def init():\n    print "loading"\n',
    quiet: 'def init():\n    print("loading")\n',
    line: 2,
    severity: "blocker",
  },
  {
    id: "script-not-python",
    what: "Python 2's except with a comma",
    context: ONE_MODEL,
    fires: "def run(raw):\n    try:\n        return 1\n    except ValueError, e:\n        return str(e)\n",
    quiet: "def run(raw):\n    try:\n        return 1\n    except ValueError as e:\n        return str(e)\n",
    line: 4,
    severity: "blocker",
  },
  {
    id: "script-not-python",
    what: "bytes that are not text",
    context: ONE_MODEL,
    fires: "PK\u0003\u0004\u0000\u0000binary",
    quiet: "PK = 3\n",
    line: 1,
    severity: "blocker",
  },
];

const n = (c: Case, i: number) => ({ ...c, n: i + 1 });

describe("the scoring-script check: each rule fires on a script that has its habit and stays quiet on one that does not", () => {
  it("covers every rule of the registry", () => {
    expect(new Set(CASES.map((p) => p.id))).toEqual(new Set(HABIT_RULES.map((r) => r.id)));
  });

  it.each(CASES.map(n))("$id #$n fires ($what): file, line, severity, and its edits fix it", async ({ id, context, fires, line, severity, fixed }) => {
    const habits = await scanScoringScript(fires, "score.py", context);
    const habit = habits.find((h) => h.id === id);
    expect(habit).toMatchObject({ file: "score.py", line, severity, code: fires.split("\n")[line - 1]!.trim() });
    if (fixed) {
      const patched = applyEdits(fires, habit!.edits!);
      expect(patched.applied).toBe(habit!.edits!.length);
      expect(patched.text).toBe(fixed);
      expect((await scanScoringScript(patched.text, "score.py", context)).filter((h) => h.id === id && h.severity !== "info")).toEqual([]);
    }
  });

  it.each(CASES.map(n))("$id #$n is quiet without the habit ($what)", async ({ id, context, quiet }) => {
    expect((await scanScoringScript(quiet, "score.py", context)).filter((h) => h.id === id)).toEqual([]);
  });

  it("is quiet about a v1 import where the environment has the SDK (azureml-defaults brings azureml-core)", async () => {
    const script = "from azureml.core import Workspace\nfrom azureml.core.model import Model\n";
    expect(await scanScoringScript(script, "score.py", WITH_V1_SDK)).toEqual([]);
    expect(await scanScoringScript(script, "score.py", { ...ONE_MODEL, environmentPackages: ["azureml-core"] })).toEqual([]);
    expect((await scanScoringScript(script, "score.py", SERVER_ONLY)).map((h) => h.severity)).toEqual(["blocker", "blocker"]);
  });

  it("does not parse a script over 2 MB, and says so (a scoring script of megabytes holds data)", async () => {
    const big = `DATA = [${"1.5, ".repeat(600_000)}]\n`;
    const habits = await scanScoringScript(big, "score.py", ONE_MODEL);
    expect(habits).toMatchObject([{ id: "script-not-checked", severity: "warning", line: 1 }]);
    expect(habits[0]!.message).toContain("over the 2 MB the script check reads");
  });

  it("reads syntax, not text: the habit in a comment or a string is not one", async () => {
    const source = '# os.path.join(os.getenv("AZUREML_MODEL_DIR"), "gbm", "4")\nNOTE = "Model.get_model_path(\'gbm\') and Run.get_context() were v1"\n';
    expect(await scanScoringScript(source, "score.py", TWO_MODELS)).toEqual([]);
  });

  it("says only that a script is not Python when it is not (other rules would read a broken tree)", async () => {
    const habits = await scanScoringScript("from azureml.core import Model\n\ndef init(:\n    Model.get_model_path('gbm')\n", "score.py", SERVER_ONLY);
    expect(habits.map((h) => [h.id, h.line])).toEqual([["script-not-python", 3]]);
    expect(habits[0]!.message).toMatch(/line 3, column 10 is not valid Python/i);
  });

  it("counts columns in characters of the line, so an edit after non-ASCII text lands where it should", async () => {
    const source = 'import os\n\ndef init():\n    é = "ü"; m = open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "gbm", "4", "model.json"))\n';
    const [habit] = (await scanScoringScript(source, "score.py", TWO_MODELS)).filter((h) => h.id === "script-v1-model-paths");
    expect(applyEdits(source, habit!.edits!).text).toContain('"AZUREML_MODEL_DIR"), "models", "gbm", "4"');
  });

  it("shows an edit that adds a line as a diff with every added line marked", async () => {
    const source = "from azureml.core import Model as M\n\ndef init():\n    path = M.get_model_path('nn', version=2)\n";
    const [habit] = (await scanScoringScript(source, "score.py", TWO_MODELS)).filter((h) => h.id === "script-v1-model-get-model-path");
    const diff = editsAsDiff("score.py", source, habit!.edits!).split("\n");
    expect(diff).toEqual([
      "--- a/score.py",
      "+++ b/score.py",
      "@@ -1,1 +1,2 @@",
      "-from azureml.core import Model as M",
      "+import os",
      "+from azureml.core import Model as M",
      "@@ -4,1 +5,1 @@",
      "-    path = M.get_model_path('nn', version=2)",
      '+    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models", "nn", "2", "weights.bin")',
    ]);
  });

  it("is quiet on clean v2 scoring scripts in the style of Microsoft's managed online samples", async () => {
    for (const sample of V2_STYLE) {
      for (const context of [ONE_MODEL, TWO_MODELS, SERVER_ONLY, SNAPSHOT]) expect(await scanScoringScript(sample, "score.py", context)).toEqual([]);
    }
  });
});

const V2_STYLE = [
  `import os
import logging
import json
import numpy
import joblib


def init():
    """
    This function is called when the container is initialized/started, typically after create/update of the deployment.
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
`,
  `import json
import os
from pathlib import Path

import pandas as pd
from azureml.ai.monitoring import Collector
from azureml_inference_server_http.api.aml_response import AMLResponse
from inference_schema.schema_decorators import input_schema, output_schema
from inference_schema.parameter_types.standard_py_parameter_type import StandardPythonParameterType


def init():
    global model, inputs_collector
    model_dir = Path(os.environ["AZUREML_MODEL_DIR"])
    model = json.loads((model_dir / "models" / "model.json").read_text())
    inputs_collector = Collector(name="model_inputs")


@input_schema("data", StandardPythonParameterType([[1.0, 2.0]]))
@output_schema(StandardPythonParameterType([0.5]))
def run(data):
    frame = pd.DataFrame(data)
    inputs_collector.collect(frame)
    return AMLResponse(json.dumps([sum(r) for r in data]), 200)
`,
];
