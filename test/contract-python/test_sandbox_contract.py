"""The sandbox, as Microsoft's own Python clients see it.

azure-mgmt-machinelearningservices (api 2022-10-01, azure-core's ARM poller) and azure-storage-blob drive the
sandbox over HTTPS with its CA; nothing here is aci-migrate's code. Run by test/sandbox/python-contract.test.ts,
which starts the sandbox and passes where it is in the environment:
  SANDBOX_ARM (https://127.0.0.1:PORT), SANDBOX_TOKEN, SANDBOX_CA (a PEM file), SANDBOX_SUBSCRIPTION.
`--list` prints the test ids; `--report FILE` writes each test's outcome as JSON (report_runner.py).
"""
import base64
import datetime
import json
import os
import sys
import time
import unittest

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.pipeline.transport import HttpRequest
from azure.mgmt.machinelearningservices import MachineLearningServicesMgmtClient
from azure.mgmt.machinelearningservices import models as m
from azure.mgmt.storage import StorageManagementClient
from azure.storage.blob import BlobClient, BlobSasPermissions, BlobServiceClient, generate_blob_sas

import report_runner

ARM = os.environ.get("SANDBOX_ARM", "")
TOKEN = os.environ.get("SANDBOX_TOKEN", "")
CA = os.environ.get("SANDBOX_CA", "")
SUB = os.environ.get("SANDBOX_SUBSCRIPTION", "")
RG, WS, LOCATION = "rg-ml-prod", "ml-prod-eastus", "eastus"
FAST = {"polling_interval": 0.02}


class SandboxCredential:
    """A TokenCredential handing out the sandbox's token."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken(TOKEN, int(time.time()) + 3600)


def client():
    return MachineLearningServicesMgmtClient(SandboxCredential(), SUB, base_url=ARM, connection_verify=CA)


def raw(method, path, body=None):
    """A request through the SDK's own pipeline (auth, TLS), for what no operation method sends."""
    c = client()
    request = HttpRequest(method, ARM + path, headers={"Content-Type": "application/json"}, data=json.dumps(body) if body is not None else None)
    return c._client._pipeline.run(request).http_response


def endpoint_body(location=LOCATION, tags=None):
    return m.OnlineEndpoint(location=location, identity=m.ManagedServiceIdentity(type="SystemAssigned"), tags=tags or {}, properties=m.OnlineEndpointProperties(auth_mode="Key"))


def deployment_body(c, capacity=1, instance_type="Standard_DS2_v2", location=LOCATION):
    model = c.model_versions.get(RG, WS, "churn-model", "3")
    env = c.environment_versions.get(RG, WS, "sklearn-inference-env", "4")
    return m.OnlineDeployment(
        location=location,
        sku=m.Sku(name="Default", capacity=capacity),
        properties=m.ManagedOnlineDeployment(model=model.id, environment_id=env.id, instance_type=instance_type, request_settings=m.OnlineRequestSettings(request_timeout="PT30S")),
    )


class Workspaces(unittest.TestCase):
    def test_workspace_get_and_list(self):
        c = client()
        ws = c.workspaces.get(RG, WS)
        self.assertEqual(ws.location, LOCATION)
        self.assertTrue(ws.discovery_url)
        self.assertIn(WS, [w.name for w in c.workspaces.list_by_resource_group(RG)])

    def test_missing_workspace_is_resource_not_found(self):
        with self.assertRaises(ResourceNotFoundError):
            client().workspaces.get(RG, "no-such-workspace")

    def test_usages_list_quota_families(self):
        usages = list(client().usages.list(LOCATION))
        dsv2 = [u for u in usages if u.name.value == "standardDSv2Family"]
        self.assertEqual(len(dsv2), 1)
        self.assertGreater(dsv2[0].limit, 0)


class Assets(unittest.TestCase):
    def test_models_and_environments(self):
        c = client()
        model = c.model_versions.get(RG, WS, "churn-model", "3")
        self.assertTrue(model.id.endswith("/models/churn-model/versions/3"))
        env = c.environment_versions.get(RG, WS, "sklearn-inference-env", "4")
        self.assertTrue(env.properties.conda_file)
        self.assertIn("churn-model", [x.name for x in c.model_containers.list(RG, WS)])

    def test_code_version_create_and_get(self):
        c = client()
        store = next(d for d in c.datastores.list(RG, WS) if d.properties.is_default)
        uri = "%s/%s/%s/LocalUpload/python-contract/code" % (ARM, store.properties.account_name, store.properties.container_name)
        created = c.code_versions.create_or_update(RG, WS, "python-contract-code", "1", m.CodeVersion(properties=m.CodeVersionProperties(code_uri=uri)))
        self.assertEqual(c.code_versions.get(RG, WS, "python-contract-code", "1").id, created.id)

    def test_code_and_model_versions_delete(self):
        # What a rollback does: the version goes (200), a second delete finds none (204), a get is then a 404.
        c = client()
        store = next(d for d in c.datastores.list(RG, WS) if d.properties.is_default)
        uri = "%s/%s/%s/LocalUpload/python-contract/gone" % (ARM, store.properties.account_name, store.properties.container_name)
        c.code_versions.create_or_update(RG, WS, "python-contract-gone", "1", m.CodeVersion(properties=m.CodeVersionProperties(code_uri=uri, tags={"aci-migrate-session": "s"})))
        self.assertEqual(c.code_versions.get(RG, WS, "python-contract-gone", "1").properties.tags, {"aci-migrate-session": "s"})
        c.code_versions.delete(RG, WS, "python-contract-gone", "1")
        c.code_versions.delete(RG, WS, "python-contract-gone", "1")
        with self.assertRaises(ResourceNotFoundError):
            c.code_versions.get(RG, WS, "python-contract-gone", "1")
        c.model_versions.create_or_update(RG, WS, "python-contract-model", "1", m.ModelVersion(properties=m.ModelVersionProperties(model_uri="azureml://datastores/workspaceblobstore/paths/x")))
        c.model_versions.delete(RG, WS, "python-contract-model", "1")
        with self.assertRaises(ResourceNotFoundError):
            c.model_versions.get(RG, WS, "python-contract-model", "1")


class Endpoints(unittest.TestCase):
    def test_endpoint_lifecycle_with_keys(self):
        c = client()
        e = c.online_endpoints.begin_create_or_update(RG, WS, "py-contract-ep", endpoint_body(tags={"a": "1"}), **FAST).result()
        self.assertEqual(e.properties.provisioning_state, "Succeeded")
        self.assertTrue(e.properties.scoring_uri)
        keys = c.online_endpoints.list_keys(RG, WS, "py-contract-ep")
        self.assertTrue(keys.primary_key and keys.secondary_key)
        c.online_endpoints.begin_regenerate_keys(RG, WS, "py-contract-ep", m.RegenerateEndpointKeysRequest(key_type="Secondary"), **FAST).result()
        self.assertNotEqual(c.online_endpoints.list_keys(RG, WS, "py-contract-ep").secondary_key, keys.secondary_key)
        c.online_endpoints.begin_update(RG, WS, "py-contract-ep", m.PartialMinimalTrackedResourceWithIdentity(tags={"b": "2"}), **FAST).result()
        self.assertEqual(c.online_endpoints.get(RG, WS, "py-contract-ep").tags, {"b": "2"})
        c.online_endpoints.begin_delete(RG, WS, "py-contract-ep", **FAST).result()
        with self.assertRaises(ResourceNotFoundError):
            c.online_endpoints.get(RG, WS, "py-contract-ep")

    def test_a_missing_endpoint_is_azure_mls_full_error(self):
        with self.assertRaises(ResourceNotFoundError) as caught:
            client().online_endpoints.get(RG, WS, "py-contract-none")
        error = caught.exception.error
        self.assertEqual(error.code, "NotFound")
        self.assertEqual([d.code for d in error.details], ["InferencingClientCallFailed"])
        # azure-core's ODataV4Format keeps code, message and details; additionalInfo is read from the body it parsed.
        body = json.loads(caught.exception.response.text())["error"]
        self.assertEqual(body["details"][0]["additionalInfo"], [])
        self.assertIn({"type": "ComponentName", "info": {"value": "managementfrontend"}}, body["additionalInfo"])

    def test_endpoint_in_another_region_is_refused(self):
        with self.assertRaises(HttpResponseError) as caught:
            client().online_endpoints.begin_create_or_update(RG, WS, "py-contract-wrongloc", endpoint_body(location="westeurope"), **FAST)
        self.assertEqual(caught.exception.status_code, 400)
        self.assertIn("workspace's location", str(caught.exception))


class Deployments(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        client().online_endpoints.begin_create_or_update(RG, WS, "py-contract-dep", endpoint_body(), **FAST).result()

    def test_deployment_create_logs_scale_delete(self):
        c = client()
        d = c.online_deployments.begin_create_or_update(RG, WS, "py-contract-dep", "blue", deployment_body(c), **FAST).result()
        self.assertEqual(d.properties.provisioning_state, "Succeeded")
        self.assertEqual(d.properties.instance_type, "Standard_DS2_v2")
        logs = c.online_deployments.get_logs(RG, WS, "py-contract-dep", "blue", m.DeploymentLogsRequest(container_type="InferenceServer", tail=50))
        self.assertIsInstance(logs.content, str)
        c.online_deployments.begin_update(RG, WS, "py-contract-dep", "blue", m.PartialMinimalTrackedResourceWithSku(sku=m.PartialSku(capacity=2)), **FAST).result()
        self.assertEqual(c.online_deployments.get(RG, WS, "py-contract-dep", "blue").sku.capacity, 2)
        c.online_deployments.begin_delete(RG, WS, "py-contract-dep", "blue", **FAST).result()
        with self.assertRaises(ResourceNotFoundError):
            c.online_deployments.get(RG, WS, "py-contract-dep", "blue")

    def test_scaling_past_the_quota_is_refused_as_a_put_would_be(self):
        c = client()
        c.online_deployments.begin_create_or_update(RG, WS, "py-contract-dep", "green", deployment_body(c), **FAST).result()
        with self.assertRaises(HttpResponseError) as caught:
            c.online_deployments.begin_update(RG, WS, "py-contract-dep", "green", m.PartialMinimalTrackedResourceWithSku(sku=m.PartialSku(capacity=50)), **FAST).result()
        self.assertEqual(caught.exception.status_code, 400)
        self.assertIn("Not enough quota", str(caught.exception))

    def test_changing_a_deployments_vm_size_is_refused(self):
        c = client()
        c.online_deployments.begin_create_or_update(RG, WS, "py-contract-dep", "resize", deployment_body(c), **FAST).result()
        with self.assertRaises(HttpResponseError) as caught:
            c.online_deployments.begin_create_or_update(RG, WS, "py-contract-dep", "resize", deployment_body(c, instance_type="Standard_DS3_v2"), **FAST)
        self.assertEqual(caught.exception.status_code, 400)
        self.assertIn("cannot be changed", str(caught.exception))
        self.assertEqual(c.online_deployments.get(RG, WS, "py-contract-dep", "resize").properties.instance_type, "Standard_DS2_v2")
        # What is allowed in place still is: the instance count and the request settings.
        body = deployment_body(c, capacity=2)
        body.properties.request_settings = m.OnlineRequestSettings(request_timeout="PT60S")
        updated = c.online_deployments.begin_create_or_update(RG, WS, "py-contract-dep", "resize", body, **FAST).result()
        self.assertEqual((updated.sku.capacity, updated.properties.request_settings.request_timeout), (2, datetime.timedelta(seconds=60)))

    def test_deployment_in_another_region_is_refused(self):
        c = client()
        with self.assertRaises(HttpResponseError) as caught:
            c.online_deployments.begin_create_or_update(RG, WS, "py-contract-dep", "elsewhere", deployment_body(c, location="westeurope"), **FAST)
        self.assertEqual(caught.exception.status_code, 400)


class ArmRules(unittest.TestCase):
    def test_missing_api_version(self):
        r = raw("GET", "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.MachineLearningServices/workspaces/%s" % (SUB, RG, WS))
        self.assertEqual(r.status_code, 400)
        self.assertEqual(json.loads(r.text())["error"]["code"], "MissingApiVersionParameter")

    def test_unserved_api_version_names_the_served_ones(self):
        r = raw("GET", "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.MachineLearningServices/workspaces/%s?api-version=2099-01-01" % (SUB, RG, WS))
        self.assertEqual(r.status_code, 400)
        error = json.loads(r.text())["error"]
        self.assertEqual(error["code"], "NoRegisteredProviderFound")
        self.assertIn("2022-10-01", error["message"])

    def test_a_route_the_sandbox_lacks_says_so(self):
        r = raw("GET", "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.MachineLearningServices/workspaces/%s/batchEndpoints?api-version=2022-10-01" % (SUB, RG, WS))
        self.assertEqual(r.status_code, 501)
        self.assertEqual(json.loads(r.text())["error"]["code"], "SandboxNotImplemented")

    def test_the_token_is_a_jwt_with_entra_claims(self):
        header, payload, signature = TOKEN.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        self.assertEqual(claims["aud"], "https://management.azure.com/")
        for claim in ("exp", "tid", "oid", "iss"):
            self.assertIn(claim, claims)
        self.assertGreater(claims["exp"], time.time())
        self.assertEqual(json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["typ"], "JWT")
        self.assertTrue(signature)

    def test_a_forged_token_is_refused(self):
        header, payload, _ = TOKEN.split(".")
        forged = "%s.%s.%s" % (header, payload, base64.urlsafe_b64encode(b"x" * 32).decode().rstrip("="))
        c = MachineLearningServicesMgmtClient(type("Forged", (), {"get_token": lambda self, *s, **k: AccessToken(forged, int(time.time()) + 3600)})(), SUB, base_url=ARM, connection_verify=CA)
        with self.assertRaises(HttpResponseError) as caught:
            c.workspaces.get(RG, WS)
        self.assertEqual(caught.exception.status_code, 401)

    def test_an_azure_ml_token_is_refused_by_arm(self):
        # An AMLToken endpoint hands out tokens for Azure ML (audience https://ml.azure.com); ARM refuses them.
        c = client()
        body = endpoint_body()
        body.properties.auth_mode = "AMLToken"
        c.online_endpoints.begin_create_or_update(RG, WS, "py-contract-amltoken", body, **FAST).result()
        ml_token = c.online_endpoints.get_token(RG, WS, "py-contract-amltoken").access_token
        holder = type("MlToken", (), {"get_token": lambda self, *s, **k: AccessToken(ml_token, int(time.time()) + 3600)})()
        with self.assertRaises(HttpResponseError) as caught:
            MachineLearningServicesMgmtClient(holder, SUB, base_url=ARM, connection_verify=CA).workspaces.get(RG, WS)
        self.assertEqual(caught.exception.status_code, 401)
        self.assertEqual(caught.exception.error.code, "InvalidAuthenticationTokenAudience")
        self.assertIn("https://ml.azure.com", str(caught.exception))

    def test_cloud_metadata(self):
        r = raw("GET", "/metadata/endpoints?api-version=2019-05-01")
        self.assertEqual(r.status_code, 200)
        clouds = json.loads(r.text())
        self.assertEqual(clouds[0]["resourceManager"], ARM + "/")
        self.assertIn("loginEndpoint", clouds[0]["authentication"])


class Blobs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        c = client()
        store = next(d for d in c.datastores.list(RG, WS) if d.properties.is_default)
        secrets = c.datastores.list_secrets(RG, WS, store.name)
        cls.container = store.properties.container_name
        cls.account = store.properties.account_name
        cls.service = BlobServiceClient("%s/%s" % (ARM, store.properties.account_name), credential={"account_name": store.properties.account_name, "account_key": secrets.key}, connection_verify=CA, max_single_put_size=1024 * 1024, max_block_size=512 * 1024)

    def test_container_properties(self):
        props = self.service.get_container_client(self.container).get_container_properties()
        self.assertTrue(props.etag)

    def test_upload_with_metadata_then_set_metadata(self):
        blob = self.service.get_blob_client(self.container, "python-contract/meta.txt")
        blob.upload_blob(b"hello", overwrite=True, metadata={"origin": "contract"})
        self.assertEqual(blob.get_blob_properties().metadata, {"origin": "contract"})
        blob.set_blob_metadata({"stage": "two"})
        self.assertEqual(blob.get_blob_properties().metadata, {"stage": "two"})
        self.assertEqual(blob.download_blob().readall(), b"hello")

    def test_staged_upload_of_a_few_mib(self):
        data = os.urandom(3 * 1024 * 1024 + 12345)
        blob = self.service.get_blob_client(self.container, "python-contract/staged.bin")
        blob.upload_blob(data, overwrite=True, max_concurrency=2)
        self.assertEqual(blob.get_blob_properties().size, len(data))
        self.assertEqual(blob.download_blob(max_concurrency=2).readall(), data)
        self.assertEqual(len(blob.get_block_list()[0]), 7)

    def test_a_wrong_shared_key_is_refused(self):
        wrong = base64.b64encode(b"w" * 32).decode()
        service = BlobServiceClient("%s/%s" % (ARM, self.account), credential={"account_name": self.account, "account_key": wrong}, connection_verify=CA, retry_total=0)
        with self.assertRaises(HttpResponseError) as caught:
            service.get_container_client(self.container).get_container_properties()
        self.assertEqual(caught.exception.status_code, 403)
        with self.assertRaises(HttpResponseError) as caught:
            service.get_blob_client(self.container, "python-contract/forged.txt").upload_blob(b"x", overwrite=True)
        self.assertEqual(caught.exception.error_code, "AuthenticationFailed")
        self.assertIn("is not the same as any computed signature", str(caught.exception))

    def test_a_sas_of_its_own_making_opens_that_blob_only(self):
        key = self.service.credential.account_key
        blob = self.service.get_blob_client(self.container, "python-contract/sas.txt")
        blob.upload_blob(b"signed", overwrite=True)
        self.service.get_blob_client(self.container, "python-contract/other.txt").upload_blob(b"other", overwrite=True)
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        sas = generate_blob_sas(self.account, self.container, "python-contract/sas.txt", account_key=key, permission=BlobSasPermissions(read=True), expiry=expiry)
        url = lambda name: "%s/%s/%s/%s?%s" % (ARM, self.account, self.container, name, sas)
        self.assertEqual(BlobClient.from_blob_url(url("python-contract/sas.txt"), connection_verify=CA).download_blob().readall(), b"signed")
        with self.assertRaises(HttpResponseError) as caught:
            BlobClient.from_blob_url(url("python-contract/other.txt"), connection_verify=CA, retry_total=0).download_blob().readall()
        self.assertEqual(caught.exception.error_code, "AuthenticationFailed")
        with self.assertRaises(HttpResponseError) as caught:
            BlobClient.from_blob_url(url("python-contract/sas.txt"), connection_verify=CA, retry_total=0).upload_blob(b"x", overwrite=True)
        self.assertEqual(caught.exception.error_code, "AuthorizationPermissionMismatch")
        forged = generate_blob_sas(self.account, self.container, "python-contract/sas.txt", account_key=base64.b64encode(b"w" * 32).decode(), permission=BlobSasPermissions(read=True), expiry=expiry)
        with self.assertRaises(HttpResponseError) as caught:
            BlobClient.from_blob_url("%s/%s/%s/python-contract/sas.txt?%s" % (ARM, self.account, self.container, forged), connection_verify=CA, retry_total=0).download_blob().readall()
        self.assertIn("Signature did not match", str(caught.exception))

    def test_an_arm_token_is_refused_by_storage(self):
        service = BlobServiceClient("%s/%s" % (ARM, self.account), credential=SandboxCredential(), connection_verify=CA, retry_total=0)
        with self.assertRaises(HttpResponseError) as caught:
            service.get_container_client(self.container).get_container_properties()
        self.assertEqual(caught.exception.status_code, 401)
        self.assertEqual(caught.exception.error_code, "InvalidAuthenticationInfo")


class StorageAccounts(unittest.TestCase):
    def test_both_listed_keys_sign_blob_requests(self):
        storage = StorageManagementClient(SandboxCredential(), SUB, base_url=ARM, connection_verify=CA)
        c = client()
        store = next(d for d in c.datastores.list(RG, WS) if d.properties.is_default)
        account = next(a for a in storage.storage_accounts.list() if a.name == store.properties.account_name)
        self.assertEqual(account.location, LOCATION)
        keys = storage.storage_accounts.list_keys(RG, account.name).keys
        self.assertEqual([k.key_name for k in keys], ["key1", "key2"])
        self.assertEqual(keys[0].value, c.datastores.list_secrets(RG, WS, store.name).key)
        for key in keys:
            service = BlobServiceClient("%s/%s" % (ARM, account.name), credential={"account_name": account.name, "account_key": key.value}, connection_verify=CA)
            self.assertTrue(service.get_container_client(store.properties.container_name).get_container_properties().etag)


if __name__ == "__main__":
    report_runner.main(sys.modules[__name__])
