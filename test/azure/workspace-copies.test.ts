import { describe, expect, it } from "vitest";
import { AzureMigrationAdapter } from "../../src/azure/migration-adapter.js";
import type { WorkspaceTarget } from "../../src/migration/port.js";
import { useSandbox } from "../helpers/sandbox.js";

/** A model and an environment made in another workspace, through the real SDK clients against the sandbox. */
const h = useSandbox();
const ws = (workspace: string, resourceGroup: string, location: string): WorkspaceTarget => ({ subscriptionId: h.prodSub, resourceGroup, workspace, location });
const from = () => ws("ml-risk-westeurope", "rg-ml-risk", "westeurope");
const to = () => ws("ml-batch-eastus", "rg-ml-prod", "eastus");
const inTarget = (r: { workspace: string }) => r.workspace.endsWith("/workspaces/ml-batch-eastus");

describe("copies into another workspace", () => {
  it("a model version: files copied by Storage into the target's default datastore and registered once; a different version of that name there is left alone", async () => {
    const world = h.sb.world;
    const source = world.models.find((m) => m.name === "claims-model" && m.workspace.endsWith("/ml-risk-westeurope"))!;
    // Someone else's claims-model of that version already lives in the target.
    world.models.push({ ...source, workspace: world.models.find(inTarget)!.workspace, modelUri: "azureml://elsewhere/paths/x", properties: {} });
    const port = new AzureMigrationAdapter(h.conn);
    const model = { name: "claims-model", version: source.version, tags: { "aci-migrate-session": "s1" } };
    const first = await port.copyModelVersion(from(), to(), model);
    expect(first.reused).toBe(false);
    expect(first.id).toMatch(new RegExp(`/workspaces/ml-batch-eastus/models/claims-model/versions/${source.version}-from-ml-risk-westeurope$`));
    expect(await port.copyModelVersion(from(), to(), model)).toEqual({ id: first.id, reused: true });
    const copy = world.models.filter(inTarget).find((m) => m.version === `${source.version}-from-ml-risk-westeurope`)!;
    expect(copy.tags).toEqual({ "aci-migrate-session": "s1" });
    const path = /\/paths\/(.+)$/.exec(copy.modelUri)![1]!.replace(/\/$/, "");
    const store = world.datastores.find((d) => d.isDefault && inTarget(d))!;
    expect(Object.keys(world.blobs).some((k) => k.startsWith(`${store.accountName}/${store.containerName}/${path}`))).toBe(true);
    expect(world.models.filter(inTarget).filter((m) => m.name === "claims-model")).toHaveLength(2);
  });

  it("an environment version: registered from its definition; the same definition there is reused, another gets its own version", async () => {
    const world = h.sb.world;
    const port = new AzureMigrationAdapter(h.conn);
    const env = { name: "sklearn-inference-env", version: "4", tags: { "aci-migrate-session": "s1" } };
    // The same definition is already there (every seeded workspace registers it): that is the copy.
    const same = await port.copyEnvironmentVersion(from(), to(), env);
    expect(same).toMatchObject({ reused: true });
    expect(same.id).toMatch(/\/workspaces\/ml-batch-eastus\/environments\/sklearn-inference-env\/versions\/4$/);
    // Another definition under that name and version: the copy takes its own version.
    world.environments.find((e) => inTarget(e) && e.name === "sklearn-inference-env" && e.version === "4")!.condaFile = "dependencies: [python=3.8]\n";
    const other = await port.copyEnvironmentVersion(from(), to(), env);
    expect(other).toMatchObject({ reused: false });
    expect(other.id).toMatch(/\/environments\/sklearn-inference-env\/versions\/4-from-ml-risk-westeurope$/);
    const source = world.environments.find((e) => e.workspace.endsWith("/ml-risk-westeurope") && e.name === "sklearn-inference-env" && e.version === "4")!;
    const copy = world.environments.find((e) => inTarget(e) && e.version === "4-from-ml-risk-westeurope")!;
    expect([copy.image, copy.condaFile, copy.tags]).toEqual([source.image, source.condaFile, env.tags]);
    expect(await port.copyEnvironmentVersion(from(), to(), env)).toEqual({ id: other.id, reused: true });
  });
});
