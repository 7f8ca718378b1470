/**
 * A stand-in for the v1 SDK (azureml-core) where the real one is not at hand: inside the sandbox's containers
 * (every v1 ACI image had azureml-core, and so does a managed deployment whose environment installs it), and in a
 * rehearsal whose environment installs azureml-core that could not be installed on this machine (the rehearsal
 * says so; the real package, when importable, comes first). Only what scoring scripts call at start is here, each behaving
 * as azureml-core documents it:
 * - `Model.get_model_path(name, version=None, _workspace=None)` searches `$AML_APP_ROOT/azureml-models/{name}/
 *   {version, else the highest}/` (computed when the module is imported) for its one entry, then `./{name}`, and
 *   raises ModelNotFoundException (azureml-core `azureml/core/model.py`);
 * - `Workspace.from_config()` and `Workspace.get()` fail as they do in a container that has no config file and no
 *   sign-in; `Run.get_context()` gives an offline run;
 * - `azureml.monitoring.ModelDataCollector` collects nothing (data collection is not enabled).
 * Not the SDK: anything else a script imports from it is missing here, and says so.
 */
export const V1_SDK_FILES: readonly { path: string; text: string }[] = [
  { path: "azureml/__init__.py", text: "" },
  {
    path: "azureml/exceptions/__init__.py",
    text: `class AzureMLException(Exception):
    pass


class UserErrorException(AzureMLException):
    pass


class ModelNotFoundException(AzureMLException):
    pass


class AuthenticationException(AzureMLException):
    pass
`,
  },
  {
    path: "azureml/core/__init__.py",
    text: `from azureml.core.model import Model
from azureml.core.workspace import Workspace
from azureml.core.run import Run
`,
  },
  {
    path: "azureml/core/model.py",
    text: `import os

from azureml.exceptions import ModelNotFoundException

MODELS_DIR = os.path.join(os.getenv("AML_APP_ROOT", ""), "azureml-models")


class Model:
    @staticmethod
    def get_model_path(model_name, version=None, _workspace=None):
        base = os.path.join(MODELS_DIR, model_name)
        if os.path.isdir(base):
            versions = sorted((v for v in os.listdir(base) if v.isdigit()), key=int)
            chosen = str(version) if version is not None else (versions[-1] if versions else None)
            folder = os.path.join(base, chosen) if chosen is not None else None
            if folder and os.path.isdir(folder):
                entries = os.listdir(folder)
                if len(entries) == 1:
                    return os.path.join(folder, entries[0])
        if os.path.exists(model_name):
            return model_name
        raise ModelNotFoundException(
            "Model not found in cache or in root at ./{}. For more info, set logging level to DEBUG.".format(model_name))
`,
  },
  {
    path: "azureml/core/workspace.py",
    text: `from azureml.exceptions import AuthenticationException, UserErrorException


class Workspace:
    def __init__(self, subscription_id=None, resource_group=None, workspace_name=None, auth=None, **kwargs):
        if auth is None:
            raise AuthenticationException("Interactive login is not possible in this container: no browser and no signed-in user.")

    @staticmethod
    def from_config(path=None, auth=None, _logger=None, _file_name=None):
        raise UserErrorException("We could not find config.json in: {} or in its parent directories.".format(path or "."))

    @staticmethod
    def get(name, auth=None, subscription_id=None, resource_group=None, **kwargs):
        if auth is None:
            raise AuthenticationException("Interactive login is not possible in this container: no browser and no signed-in user.")
        return Workspace(subscription_id, resource_group, name, auth=auth)
`,
  },
  {
    path: "azureml/core/run.py",
    text: `class _OfflineRun:
    id = "OfflineRun"

    def log(self, *args, **kwargs):
        pass


class Run:
    @staticmethod
    def get_context(allow_offline=True):
        return _OfflineRun()
`,
  },
  { path: "azureml/monitoring/__init__.py", text: "from azureml.monitoring.modeldatacollector import ModelDataCollector\n" },
  {
    path: "azureml/monitoring/modeldatacollector.py",
    text: `class ModelDataCollector:
    def __init__(self, model_name, designation="default", feature_names=None, **kwargs):
        self.model_name = model_name

    def collect(self, input_data, user_correlation_id=""):
        return None
`,
  },
];
