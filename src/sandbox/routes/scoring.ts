import type { SandboxContext } from "../context.js";
import { json, type SandboxResponse } from "../http.js";
import { sameName, workspaceKey } from "../ids.js";
import { findOperation, operationStatus } from "../operations.js";
import { predict } from "../predict.js";
import { condaPackageNames } from "../../domain/parse-v1-environment.js";
import { installsV1Sdk } from "../../domain/environment-packages.js";
import { managedLayout } from "../container-layouts.js";
import { aciLayout, deploymentContainerKey, deploymentFiles } from "../deployment-container.js";
import { judged } from "../inference-container.js";
import { withNewerLibrary } from "../rebuilt-environment.js";
import type { ContainerLayout } from "../script-containers.js";
import type { DeploymentRecord, ServiceRecord } from "../world.js";
import type { Router } from "../router.js";
import { bearerToken } from "../tokens.js";

const text = (status: number, message: string, headers?: Record<string, string>): SandboxResponse => ({
  status,
  headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  body: Buffer.from(message),
});

/** What a scoring call from a public network gets from an endpoint whose public network access is off. */
export const PRIVATE_ONLY =
  "Forbidden: public network access to this endpoint is disabled; call it through the workspace's private endpoint, from inside its network.";

/** A response's body as a value (a script's answer is JSON bytes; the formula's a value already). */
function bodyValue(r: SandboxResponse): unknown {
  return Buffer.isBuffer(r.body) ? parseBody(r.body) : r.body;
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * `POST …/score` of ACI services and managed endpoints, each enforcing its own auth. Each answers from its own
 * container's run of its scoring script (scoreWithScript), so old and new are compared as two runs.
 */
export function registerScoring(router: Router, ctx: SandboxContext): void {
  const world = () => ctx.store.world;

  router.add("POST", "/aci/{workspaceGuid}/{service}/score", "Score_Aci", async (req) => {
    const ws = world().workspaces.find((w) => sameName(w.workspaceGuid, req.params.workspaceGuid!));
    const svc = ws && world().services.find((s) => s.workspace === workspaceKey(ws) && sameName(s.name, req.params.service!));
    if (!ws || !svc) return text(404, "Not Found");
    if (svc.doc.state !== "Healthy") return text(502, "Bad Gateway: the container is not running.");
    if (svc.keys) {
      const token = bearerToken(req.headers.authorization);
      if (token !== svc.keys.primaryKey && token !== svc.keys.secondaryKey) return text(401, "Unauthorized");
    }
    return aciAnswer(ctx, svc, req.body);
  });

  // v1 serves its swagger without auth, and only when the scoring script declares its schema (inference-schema);
  // the example under definitions.ServiceInput is the script's own input sample.
  router.add("GET", "/aci/{workspaceGuid}/{service}/swagger.json", "Swagger_Aci", async (req) => {
    const ws = world().workspaces.find((w) => sameName(w.workspaceGuid, req.params.workspaceGuid!));
    const svc = ws && world().services.find((s) => s.workspace === workspaceKey(ws) && sameName(s.name, req.params.service!));
    if (!ws || !svc || svc.inputExample === undefined) return text(404, "Not Found");
    // The example answer is what the service's own script answers to the example.
    const answer = await aciAnswer(ctx, svc, Buffer.from(JSON.stringify(svc.inputExample)));
    return json(200, v1Swagger(svc.name, svc.inputExample, answer.status === 200 ? bodyValue(answer) : []));
  });

  // Stands in for DNS: Azure's scoring host {name}.{region}.inference.ml.azure.com resolves once a name is taken
  // anywhere in the region. Here the host is a path, so a name that is not held answers 404.
  router.add("GET", "/online/{location}/{endpoint}", "Score_NameProbe", (req) => {
    const location = req.params.location!.toLowerCase();
    const held =
      world().endpoints.some((x) => x.location === location && sameName(x.name, req.params.endpoint!)) ||
      world().reservedEndpointNames.some((r) => r.location === location && sameName(r.name, req.params.endpoint!));
    return held ? json(200, { name: req.params.endpoint }) : text(404, "NXDOMAIN: no endpoint holds this name in the region.");
  });

  router.add("POST", "/online/{location}/{endpoint}/score", "Score_Online", async (req) => {
    const e = world().endpoints.find((x) => x.location === req.params.location!.toLowerCase() && sameName(x.name, req.params.endpoint!));
    if (!e) return text(404, "Not Found");
    // Every caller of the sandbox is on 127.0.0.1, outside the workspace's network: with public access off, none gets in.
    if (e.publicNetworkAccess === "Disabled") return text(403, PRIVATE_ONLY);
    const token = bearerToken(req.headers.authorization);
    const authorized = e.authMode === "Key" ? token === e.keys.primaryKey || token === e.keys.secondaryKey : ctx.tokens.isValid(token, "ml");
    if (!authorized) return text(401, "Unauthorized", { "www-authenticate": 'Bearer realm="endpoint"' });
    const now = ctx.clock.now();
    const pinned = req.headers["azureml-model-deployment"];
    const deployments = world().deployments.filter((d) => d.workspace === e.workspace && sameName(d.endpoint, e.name));
    let target = typeof pinned === "string" ? deployments.find((d) => sameName(d.name, pinned)) : undefined;
    if (!target) {
      if (pinned) return text(404, `No deployment named ${String(pinned)} in endpoint ${e.name}.`);
      // Route by traffic weights, deterministically by input (the same request goes to the same deployment).
      const weighted = Object.entries(e.traffic).filter(([, w]) => w > 0);
      if (!weighted.length) {
        return text(
          404,
          "No valid deployments to route to. Please check that the endpoint has at least one deployment with positive weight values or use a deployment specific header to route.",
        );
      }
      const roll = [...req.body].reduce((a, b) => (a * 31 + b) % 100, 7);
      let acc = 0;
      const name = weighted.find(([, w]) => (acc += w) > roll)?.[0] ?? weighted[0]![0];
      target = deployments.find((d) => sameName(d.name, name));
    }
    const op = target && findOperation(world(), target.operationId);
    const state = op ? operationStatus(op, now).status : "Succeeded";
    if (!target || target.crash || state === "Failed")
      return text(502, "upstream connect error or disconnect/reset before headers. reset reason: connection failure", {
        "azureml-model-deployment": target?.name ?? "",
      });
    if (state === "Updating" && op?.kind === "deployment-create")
      return text(503, "Service Unavailable: the deployment is not ready yet.", { "retry-after": "10" });
    const deployed = target;
    const files = deploymentFiles(ctx, deployed);
    const answer = await scoreWithScript(
      ctx,
      deploymentContainerKey(deployed.workspace, deployed.endpoint, deployed.name, deployed.properties),
      async () => managedLayout({ ...files!, code: files!.code ?? [], withV1Sdk: installsV1Sdk(files!.environmentPackages) }),
      req.body,
      files?.environmentPackages ?? [],
      () => answerAsItsModel(ctx, deployed, req.body),
      !files?.code,
    );
    const served = files?.looseModelLibraries?.length ? withNewerLibrary(answer, req.body) : answer;
    return { ...served, headers: { ...served.headers, "azureml-model-deployment": deployed.name } };
  });
}

/**
 * An answer from the container's own run of the scoring script (a v1 container, a managed one): what run()
 * returned, or the server's 500 when it raised. Where the sandbox cannot run the script (no interpreter, a
 * custom container, a package its Python lacks that the environment installs) the model's stand-in formula
 * answers instead, the same on both sides for the same model files.
 */
async function scoreWithScript(
  ctx: SandboxContext,
  key: string,
  layout: () => Promise<ContainerLayout>,
  body: Buffer,
  packages: readonly string[],
  formula: () => SandboxResponse | Promise<SandboxResponse>,
  notRunnable = false,
): Promise<SandboxResponse> {
  if (notRunnable || !ctx.containers.available) return formula();
  const answer = await ctx.containers.score(key, layout, body.toString("utf8"));
  if ("kind" in answer) {
    if (answer.kind === "started") return formula();
    const judgement = judged(answer.crash, answer.lines, packages);
    if (judgement.kind !== "crashed") return formula();
    return text(
      502,
      `upstream connect error or disconnect/reset before headers. reset reason: connection failure (the container's init() failed: ${judgement.reason})`,
    );
  }
  return {
    status: answer.status,
    headers: { "content-type": "application/json", ...(answer.crash ? { "x-ms-run-function-failed": "True" } : {}) },
    body: Buffer.from(answer.body),
  };
}

/**
 * A v1 service's answer: its own v1 container's run of its scoring script, or (an image-based service, whose image
 * the sandbox does not run) the model's stand-in formula.
 */
function aciAnswer(ctx: SandboxContext, svc: ServiceRecord, body: Buffer): Promise<SandboxResponse> {
  const formula = () => {
    const out = predict(svc.modelFingerprint, parseBody(body));
    return Array.isArray(out) ? json(200, out) : text(400, out.error);
  };
  return scoreWithScript(ctx, `aci:${svc.workspace}/${svc.name}`, () => aciLayout(ctx, svc), body, servicePackages(svc), formula, Boolean(svc.doc.imageId));
}

/**
 * A deployment whose script the sandbox cannot run (a custom container, a package its Python lacks) answers as the
 * model it serves: as the v1 service whose container loads the same model files, else by the stand-in formula. So
 * a migration of such a service still compares like with like.
 */
function answerAsItsModel(ctx: SandboxContext, d: DeploymentRecord, body: Buffer): Promise<SandboxResponse> | SandboxResponse {
  const same = ctx.store.world.services.find((s) => s.workspace === d.workspace && s.modelFingerprint === d.modelFingerprint);
  if (same) return aciAnswer(ctx, same, body);
  const out = predict(d.modelFingerprint, parseBody(body));
  return Array.isArray(out)
    ? json(200, out)
    : { status: 424, headers: { "ms-azureml-model-error-statuscode": "400", "ms-azureml-model-error-reason": "model_error" }, body: { message: out.error } };
}

/** The packages a v1 service's environment lists (every v1 image also had azureml-core). */
function servicePackages(svc: ServiceRecord): string[] {
  const env = svc.doc.environment as { python?: { condaDependencies?: unknown } } | undefined;
  return [...condaPackageNames(env?.python?.condaDependencies), "azureml-core"];
}

/** The swagger 2.0 document v1 (azureml-inference-server) generates from inference-schema decorators. */
function v1Swagger(service: string, input: unknown, output: unknown): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
  return {
    swagger: "2.0",
    info: { title: service, description: "API specification for the Azure Machine Learning service " + service, version: "1.0" },
    schemes: ["https"],
    consumes: ["application/json"],
    produces: ["application/json"],
    securityDefinitions: { Bearer: { type: "apiKey", name: "Authorization", in: "header", description: "For example: Bearer abc123" } },
    paths: {
      "/": { get: { operationId: "ServiceHealthCheck", responses: { "200": { description: "Healthy", schema: { type: "string" } } } } },
      "/score": {
        post: {
          operationId: "RunMLService",
          security: [{ Bearer: [] }],
          parameters: [
            {
              name: "serviceInputPayload",
              in: "body",
              description: "The input payload for executing the real-time machine learning service.",
              schema: ref("ServiceInput"),
            },
          ],
          responses: {
            "200": { description: "The service processed the input correctly.", schema: ref("ServiceOutput") },
            default: { description: "The service failed.", schema: ref("ErrorResponse") },
          },
        },
      },
    },
    definitions: {
      ServiceInput: { type: "object", properties: { data: { type: "array", items: { type: "array", items: { type: "number" } } } }, example: input },
      ServiceOutput: { type: "array", items: { type: "number" }, example: Array.isArray(output) ? output : [] },
      ErrorResponse: { type: "object", properties: { status_code: { type: "integer", format: "int32" }, message: { type: "string" } } },
    },
  };
}
