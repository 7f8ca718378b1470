"""The sandbox, as azure-ai-ml's MLClient (the SDK v2 behind `az ml`) sees it, unmodified.

MLClient sends the api-versions its own generated clients carry (2022-10-01-preview for workspaces, 2022-05-01
for assets, 2022-02-01-preview for online endpoints and deployments), so this suite proves the sandbox answers
each in its shape. It is pointed at the sandbox as a developer points it at a test service: AZUREML_DEV_URL_MFE
(the resource manager's URL) and REQUESTS_CA_BUNDLE (the sandbox's CA); see README.md for pydash. Run by
test/sandbox/python-contract.test.ts with the same environment as test_sandbox_contract.py.
"""
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.ai.ml import MLClient
from azure.ai.ml.entities import CodeConfiguration, Environment, ManagedOnlineDeployment, ManagedOnlineEndpoint, Model

import report_runner

TOKEN = os.environ.get("SANDBOX_TOKEN", "")
SUB = os.environ.get("SANDBOX_SUBSCRIPTION", "")
RG, WS = "rg-ml-prod", "ml-prod-eastus"


class SandboxCredential:
    """A TokenCredential handing out the sandbox's token (the scope MLClient asks for is ARM's)."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken(TOKEN, int(time.time()) + 3600)


def ml():
    return MLClient(SandboxCredential(), SUB, RG, WS)


class MLClientWorkspaces(unittest.TestCase):
    def test_workspace_get_and_list(self):
        ws = ml().workspaces.get(WS)
        self.assertEqual((ws.name, ws.location), (WS, "eastus"))
        self.assertIn(WS, [w.name for w in ml().workspaces.list()])


class MLClientAssets(unittest.TestCase):
    def test_models_and_environments_get_and_list(self):
        c = ml()
        self.assertIn("churn-model", [m.name for m in c.models.list()])
        model = c.models.get("churn-model", "3")
        self.assertEqual(model.version, "3")
        env = c.environments.get("sklearn-inference-env", "4")
        self.assertTrue(env.conda_file)

    def test_model_upload_and_environment_create(self):
        c = ml()
        folder = tempfile.mkdtemp()
        try:
            with open(os.path.join(folder, "model.pkl"), "wb") as f:
                f.write(b"not really a model")
            created = c.models.create_or_update(Model(name="mlclient-model", version="1", path=os.path.join(folder, "model.pkl")))
            self.assertEqual(created.version, "1")
            self.assertIn("model.pkl", c.models.get("mlclient-model", "1").path)
            env = c.environments.create_or_update(
                Environment(name="mlclient-env", version="1", image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest", conda_file={"dependencies": ["python=3.10", "pip", {"pip": ["azureml-inference-server-http"]}]})
            )
            self.assertEqual(env.version, "1")
            self.assertEqual(c.environments.get("mlclient-env", "1").image, "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest")
        finally:
            shutil.rmtree(folder)

    def test_missing_model_is_resource_not_found(self):
        with self.assertRaises(ResourceNotFoundError):
            ml().models.get("no-such-model", "1")


class MLClientEndpoints(unittest.TestCase):
    def test_endpoint_deployment_keys_logs_invoke_delete(self):
        c = ml()
        folder = tempfile.mkdtemp()
        try:
            with open(os.path.join(folder, "score.py"), "w") as f:
                f.write("import json\n\ndef init():\n    pass\n\ndef run(raw):\n    return {'echo': json.loads(raw)}\n")
            endpoint = c.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="mlclient-ep", auth_mode="key", tags={"a": "1"})).result()
            self.assertEqual(endpoint.provisioning_state, "Succeeded")
            self.assertTrue(endpoint.scoring_uri)
            deployment = ManagedOnlineDeployment(
                name="blue",
                endpoint_name="mlclient-ep",
                model=c.models.get("churn-model", "3").id,
                environment=c.environments.get("sklearn-inference-env", "4").id,
                code_configuration=CodeConfiguration(code=folder, scoring_script="score.py"),
                instance_type="Standard_DS2_v2",
                instance_count=1,
            )
            created = c.online_deployments.begin_create_or_update(deployment).result()
            self.assertEqual(created.provisioning_state, "Succeeded")
            self.assertEqual(created.instance_type, "Standard_DS2_v2")
            # Traffic moves as `az ml online-endpoint update --traffic` moves it.
            endpoint = c.online_endpoints.get("mlclient-ep")
            endpoint.traffic = {"blue": 100}
            c.online_endpoints.begin_create_or_update(endpoint).result()
            self.assertEqual(c.online_endpoints.get("mlclient-ep").traffic, {"blue": 100})
            keys = c.online_endpoints.get_keys("mlclient-ep")
            self.assertTrue(keys.primary_key and keys.secondary_key)
            c.online_endpoints.begin_regenerate_keys("mlclient-ep", key_type="secondary").result()
            self.assertNotEqual(c.online_endpoints.get_keys("mlclient-ep").secondary_key, keys.secondary_key)
            self.assertIsInstance(c.online_deployments.get_logs("blue", "mlclient-ep", lines=20), str)
            request = os.path.join(folder, "request.json")
            with open(request, "w") as f:
                json.dump({"data": [[1, 2, 3]]}, f)
            answer = c.online_endpoints.invoke("mlclient-ep", request_file=request, deployment_name="blue")
            self.assertIn("echo", json.loads(answer))
            deployment.instance_count = 2
            c.online_deployments.begin_create_or_update(deployment).result()
            self.assertEqual(c.online_deployments.get("blue", "mlclient-ep").instance_count, 2)
            self.assertEqual([d.name for d in c.online_deployments.list("mlclient-ep")], ["blue"])
            c.online_endpoints.begin_delete("mlclient-ep").result()
            with self.assertRaises(ResourceNotFoundError):
                c.online_endpoints.get("mlclient-ep")
        finally:
            shutil.rmtree(folder)


if __name__ == "__main__":
    report_runner.main(sys.modules[__name__])
