import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { blobServiceWithAccountKey } from "../../src/azure/blob-storage.js";
import { readCodeFolder } from "../../src/azure/code-snapshot.js";
import { clientOptions, type AzureConnection } from "../../src/azure/connection.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { FAST } from "./sandbox.js";
import { score } from "./score.js";

export interface Workspace {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspace: string;
  readonly location: string;
}

/**
 * Runs the commands of an export folder's README, in order, as `az ml` and `az storage` would carry them out,
 * through the real SDK clients against the sandbox: reading the YAML, registering what it names, uploading
 * `code/`, creating the endpoint and deployment, and invoking it. A command it does not know fails the test, so
 * the README may only say what works. Returns the invoke's answer.
 */
export async function runExportReadme(sb: Sandbox, ws: Workspace, folder: string): Promise<{ status: number; body: unknown }> {
  const conn: AzureConnection = {
    armEndpoint: sb.armEndpoint,
    credential: sb.credential,
    caPem: sb.caPem,
    storageAccountUrl: (account) => `${sb.armEndpoint}/${account}`,
  };
  const ml = new AzureMachineLearningWorkspaces(sb.credential, ws.subscriptionId, clientOptions(conn));
  const wsId = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}`;
  const yaml = (file: string) => parse(readFileSync(join(folder, file), "utf8")) as Record<string, any>;
  const assetId = (ref: string, kind: string) => {
    const [name, version] = ref.replace(/^azureml:/, "").split(":");
    return `${wsId}/${kind}/${name}/versions/${version}`;
  };
  const store = sb.world.datastores.find((d) => d.workspace.endsWith(`/${ws.workspace}`) && d.isDefault)!;
  const blobs = (account: string) => blobServiceWithAccountKey(conn, account, sb.world.datastores.find((d) => d.accountName === account)!.accountKey);
  let answer: { status: number; body: unknown } | undefined;

  const commands = readFileSync(join(folder, "README.md"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("az "));
  for (const line of commands) {
    const args = line.split("#")[0]!.trim().split(/\s+/);
    const flag = (name: string) => args[args.indexOf(name) + 1]!;
    const verb = args
      .slice(
        1,
        args.findIndex((a) => a.startsWith("-")),
      )
      .join(" ");
    if (args.includes("-w")) {
      if (flag("-w") !== ws.workspace || flag("-g") !== ws.resourceGroup) throw new Error(`${line}: another workspace than ${ws.workspace}`);
    }
    switch (verb) {
      case "configure":
        break; // the defaults: this run's workspace
      case "ml environment create": {
        const env = yaml(flag("-f"));
        await ml.environmentVersions.createOrUpdate(ws.resourceGroup, ws.workspace, env.name, String(env.version), {
          properties: { image: env.image, condaFile: env.conda_file ? readFileSync(join(folder, env.conda_file), "utf8") : undefined },
        });
        break;
      }
      case "storage blob copy start": {
        const source = blobs(flag("--source-account-name")).getContainerClient(flag("--source-container")).getBlobClient(flag("--source-blob"));
        const poller = await blobs(flag("--account-name"))
          .getContainerClient(flag("--destination-container"))
          .getBlockBlobClient(flag("--destination-blob"))
          .beginCopyFromURL(source.url);
        await poller.pollUntilDone();
        break;
      }
      case "ml model create": {
        const m = yaml(flag("-f"));
        await ml.modelVersions.createOrUpdate(ws.resourceGroup, ws.workspace, m.name, String(m.version), {
          properties: { modelUri: m.path, modelType: m.type, description: m.description },
        });
        break;
      }
      case "ml online-endpoint create": {
        const e = yaml(flag("-f"));
        const auth = { key: "Key", aml_token: "AMLToken", aad_token: "AADToken" }[e.auth_mode as string] as "Key";
        await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
          ws.resourceGroup,
          ws.workspace,
          e.name,
          { location: ws.location, identity: { type: "SystemAssigned" }, tags: e.tags, properties: { authMode: auth, description: e.description } },
          FAST,
        );
        break;
      }
      case "ml online-deployment create": {
        const d = yaml(flag("-f"));
        const code = d.code_configuration ? await uploadCode(join(folder, d.code_configuration.code), d.code_configuration.scoring_script) : undefined;
        const probe = (p: Record<string, number>) => ({
          initialDelay: `PT${p.initial_delay}S`,
          period: `PT${p.period}S`,
          timeout: `PT${p.timeout}S`,
          failureThreshold: p.failure_threshold,
          successThreshold: p.success_threshold,
        });
        await ml.onlineDeployments.beginCreateOrUpdateAndWait(
          ws.resourceGroup,
          ws.workspace,
          d.endpoint_name,
          d.name,
          {
            location: ws.location,
            sku: { name: "Default", capacity: d.instance_count },
            tags: d.tags,
            properties: {
              endpointComputeType: "Managed",
              instanceType: d.instance_type,
              model: assetId(d.model, "models"),
              environmentId: typeof d.environment === "string" ? assetId(d.environment, "environments") : await anonymousEnvironment(d.environment),
              ...(code ? { codeConfiguration: { codeId: code, scoringScript: d.code_configuration.scoring_script } } : {}),
              appInsightsEnabled: d.app_insights_enabled,
              environmentVariables: d.environment_variables,
              requestSettings: { requestTimeout: `PT${d.request_settings.request_timeout_ms / 1000}S` },
              livenessProbe: probe(d.liveness_probe),
              readinessProbe: probe(d.readiness_probe),
            },
          },
          FAST,
        );
        if (args.includes("--all-traffic")) {
          const e = await ml.onlineEndpoints.get(ws.resourceGroup, ws.workspace, d.endpoint_name);
          await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
            ws.resourceGroup,
            ws.workspace,
            d.endpoint_name,
            { ...e, properties: { ...e.properties, traffic: { [d.name]: 100 } } },
            FAST,
          );
        }
        break;
      }
      case "ml online-endpoint invoke": {
        const name = flag("-n");
        const e = await ml.onlineEndpoints.get(ws.resourceGroup, ws.workspace, name);
        const key = e.properties.authMode === "Key" ? (await ml.onlineEndpoints.listKeys(ws.resourceGroup, ws.workspace, name)).primaryKey : undefined;
        const r = await score(sb, e.properties.scoringUri!, key, JSON.parse(readFileSync(join(folder, flag("--request-file")), "utf8")));
        answer = { status: r.status, body: r.status === 200 ? r.json() : r.text };
        break;
      }
      default:
        throw new Error(`The README says \`${line}\`, which this stand-in for az does not know.`);
    }
  }
  if (!answer) throw new Error("The README never invokes the endpoint.");
  return answer;

  /** As `az ml` does with a local code folder: upload it under its content hash, register a code version. */
  async function uploadCode(dir: string, scoringScript: string): Promise<string> {
    if (!existsSync(dir)) throw new Error(`code_configuration.code names ${dir}, which the folder does not hold`);
    const code = await readCodeFolder(dir, scoringScript);
    const prefix = `LocalUpload/${code.hash.slice(0, 32)}/code`;
    const container = blobs(store.accountName).getContainerClient(store.containerName);
    for (const f of code.files) {
      const bytes = "content" in f.source ? f.source.content : readFileSync(f.source.disk);
      await container.getBlockBlobClient(`${prefix}/${f.path}`).upload(bytes, bytes.length);
    }
    const version = await ml.codeVersions.createOrUpdate(ws.resourceGroup, ws.workspace, "code-from-export", code.hash.slice(0, 16), {
      properties: { codeUri: `${sb.armEndpoint}/${store.accountName}/${store.containerName}/${prefix}` },
    });
    return version.id!;
  }

  /** As `az ml` does with an environment written inline: an anonymous version named by its content. */
  async function anonymousEnvironment(env: {
    image: string;
    conda_file?: string;
    inference_config?: Record<string, { path: string; port: number }>;
  }): Promise<string> {
    const condaFile = env.conda_file ? readFileSync(join(folder, env.conda_file), "utf8") : undefined;
    const version = createHash("sha256")
      .update(JSON.stringify([env.image, condaFile, env.inference_config]))
      .digest("hex")
      .slice(0, 32);
    const route = (r?: { path: string; port: number }) => (r ? { path: r.path, port: r.port } : undefined);
    const inferenceConfig = env.inference_config
      ? {
          livenessRoute: route(env.inference_config.liveness_route),
          readinessRoute: route(env.inference_config.readiness_route),
          scoringRoute: route(env.inference_config.scoring_route),
        }
      : undefined;
    const created = await ml.environmentVersions.createOrUpdate(ws.resourceGroup, ws.workspace, "CliV2AnonymousEnvironment", version, {
      properties: { image: env.image, condaFile, inferenceConfig, isAnonymous: true },
    });
    return created.id!;
  }
}
