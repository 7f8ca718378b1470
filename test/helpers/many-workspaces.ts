import { stableGuid } from "../../src/sandbox/ids.js";
import type { Sandbox } from "../../src/sandbox/index.js";

/**
 * Adds `count` workspaces like ml-batch-eastus to the sandbox's world, each holding `servicesEach` copies of that
 * workspace's v1 services (so a listing has many workspaces and many services to go through).
 */
export function addWorkspaces(sb: Sandbox, count: number, servicesEach: number, o: { location?: string } = {}): void {
  const template = sb.world.workspaces.find((w) => w.name === "ml-batch-eastus")!;
  const key = (name: string) =>
    `/subscriptions/${template.subscriptionId}/resourcegroups/${template.resourceGroup}/providers/microsoft.machinelearningservices/workspaces/${name}`.toLowerCase();
  const services = sb.world.services.filter((x) => x.workspace === key(template.name));
  for (let i = 0; i < count; i++) {
    const name = `ml-many-${sb.world.workspaces.length}`;
    sb.world.workspaces.push({ ...template, name, location: o.location ?? template.location, workspaceGuid: stableGuid(`many:${name}`) });
    for (let j = 0; j < servicesEach; j++) {
      const s = services[j % services.length]!;
      const serviceName = j < services.length ? s.name : `${s.name}-${j}`;
      sb.world.services.push({ ...s, name: serviceName, doc: { ...s.doc, name: serviceName }, workspace: key(name) });
    }
  }
}
