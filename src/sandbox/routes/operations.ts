import type { SandboxContext } from "../context.js";
import { HttpError, json, notFound } from "../http.js";
import { PROVIDER } from "../ids.js";
import { apiVersionOf, requireSubscription } from "../lookup.js";
import { findOperation, operationStatus, operationStatusBody } from "../operations.js";
import { deploymentBody, endpointBody } from "../resources.js";
import type { Router } from "../router.js";
import { pollAfter } from "./online-endpoints.js";

const LOC = `/subscriptions/{subscriptionId}/providers/${PROVIDER}/locations/{location}`;

/**
 * Polling URLs. `mfeOperationsStatus` (Azure-AsyncOperation) answers the status body; `mfeOperationResults`
 * (Location) answers 202 while running, then the final result: 200 with the resource, 204 after a delete, or
 * the operation's error.
 */
export function registerOperations(router: Router, ctx: SandboxContext): void {
  router
    .add("GET", `${LOC}/mfeOperationsStatus/{operationId}`, "OperationStatus_Get", (req) => {
      requireSubscription(ctx, req.params.subscriptionId!);
      const op = findOperation(ctx.store.world, req.params.operationId);
      if (!op) throw notFound(`mfeOperationsStatus/${req.params.operationId}`);
      const now = ctx.clock.now();
      return json(200, operationStatusBody(op, now), operationStatus(op, now).status === "Updating" ? pollAfter(ctx) : undefined);
    })
    .add("GET", `${LOC}/mfeOperationResults/{operationId}`, "OperationResult_Get", (req) => {
      requireSubscription(ctx, req.params.subscriptionId!);
      const world = ctx.store.world;
      const op = findOperation(world, req.params.operationId);
      if (!op) throw notFound(`mfeOperationResults/${req.params.operationId}`);
      const status = operationStatus(op, ctx.clock.now());
      if (status.status === "Updating") {
        return json(202, undefined, { Location: `${req.origin}${req.path}?api-version=${apiVersionOf(req.url)}`, ...pollAfter(ctx) });
      }
      if (status.status === "Failed") {
        throw new HttpError(400, op.error?.code ?? "OperationFailed", op.error?.message ?? "The operation failed.");
      }
      if (op.kind.endsWith("delete")) return json(204, undefined);
      const apiVersion = apiVersionOf(req.url);
      const endpoint = world.endpoints.find((e) => op.target === `${e.workspace}/onlineendpoints/${e.name.toLowerCase()}`);
      if (endpoint) return json(200, endpointBody(ctx, endpoint, req.origin, apiVersion));
      const deployment = world.deployments.find(
        (d) => op.target === `${d.workspace}/onlineendpoints/${d.endpoint.toLowerCase()}/deployments/${d.name.toLowerCase()}`,
      );
      if (deployment) return json(200, deploymentBody(ctx, deployment, req.origin, apiVersion));
      return json(204, undefined);
    });
}
