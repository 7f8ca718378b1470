import type { SandboxContext } from "../context.js";
import { badRequest, json, notFound, type SandboxRequest } from "../http.js";
import { PROVIDER, sameName } from "../ids.js";
import { requireWorkspace } from "../lookup.js";
import { codeVersionBody, containerBody, datastoreBody, environmentVersionBody, modelVersionBody } from "../resources.js";
import type { Router } from "../router.js";
import type { CodeVersionRecord, EnvironmentVersionRecord, ModelVersionRecord } from "../world.js";

const WS = `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${PROVIDER}/workspaces/{workspaceName}`;

type AssetKind = "models" | "environments" | "codes";
type AssetRecord = ModelVersionRecord | EnvironmentVersionRecord | CodeVersionRecord;

interface AssetPut {
  properties?: {
    description?: string;
    tags?: Record<string, string>;
    properties?: Record<string, string>;
    modelUri?: string;
    modelType?: string;
    image?: string;
    condaFile?: string;
    inferenceConfig?: Record<string, unknown>;
    codeUri?: string;
  };
}

/** Models, environments and codes (containers and versions), and the workspace's datastores. */
export function registerAssets(router: Router, ctx: SandboxContext): void {
  const world = () => ctx.store.world;
  const listOf = (kind: AssetKind): AssetRecord[] => (kind === "models" ? world().models : kind === "environments" ? world().environments : world().codes);
  const versionBody = (kind: AssetKind, a: AssetRecord) =>
    kind === "models"
      ? modelVersionBody(ctx, a as ModelVersionRecord)
      : kind === "environments"
        ? environmentVersionBody(ctx, a as EnvironmentVersionRecord)
        : codeVersionBody(ctx, a as CodeVersionRecord);
  const versionsOf = (kind: AssetKind, workspace: string, name: string) => listOf(kind).filter((a) => a.workspace === workspace && sameName(a.name, name));

  for (const [kind, group] of [
    ["models", "Model"],
    ["environments", "Environment"],
    ["codes", "Code"],
  ] as const) {
    const containerPath = `${WS}/${kind}/{name}`;
    router
      .add("GET", `${WS}/${kind}`, `${group}Containers_List`, (req) => {
        const ws = requireWorkspace(ctx, req.params);
        const names = [
          ...new Set(
            listOf(kind)
              .filter((a) => a.workspace === ws.key)
              .map((a) => a.name),
          ),
        ];
        return json(200, { value: names.map((n) => containerBody(ctx, ws.key, kind, n, versionsOf(kind, ws.key, n))) });
      })
      .add("GET", containerPath, `${group}Containers_Get`, (req) => {
        const ws = requireWorkspace(ctx, req.params);
        const versions = versionsOf(kind, ws.key, req.params.name!);
        if (!versions.length) throw notFound(`${kind}/${req.params.name}`);
        return json(200, containerBody(ctx, ws.key, kind, versions[0]!.name, versions));
      })
      .add("PUT", containerPath, `${group}Containers_CreateOrUpdate`, (req) => {
        // Containers exist through their versions here; a PUT answers with the container as it stands.
        const ws = requireWorkspace(ctx, req.params);
        return json(200, containerBody(ctx, ws.key, kind, req.params.name!, versionsOf(kind, ws.key, req.params.name!)));
      })
      .add("GET", `${containerPath}/versions`, `${group}Versions_List`, (req) => {
        const ws = requireWorkspace(ctx, req.params);
        return json(200, { value: versionsOf(kind, ws.key, req.params.name!).map((a) => versionBody(kind, a)) });
      })
      .add("GET", `${containerPath}/versions/{version}`, `${group}Versions_Get`, (req) => {
        const ws = requireWorkspace(ctx, req.params);
        const a = versionsOf(kind, ws.key, req.params.name!).find((v) => v.version === req.params.version);
        if (!a) throw notFound(`${kind}/${req.params.name}/versions/${req.params.version}`);
        return json(200, versionBody(kind, a));
      })
      .add("PUT", `${containerPath}/versions/{version}`, `${group}Versions_CreateOrUpdate`, (req) => putVersion(req, kind))
      // 200 when the version went, 204 when there was none (the swagger's two answers).
      .add("DELETE", `${containerPath}/versions/{version}`, `${group}Versions_Delete`, (req) => {
        const ws = requireWorkspace(ctx, req.params);
        const list = listOf(kind) as AssetRecord[];
        const a = versionsOf(kind, ws.key, req.params.name!).find((v) => v.version === req.params.version);
        if (!a) return json(204, undefined);
        list.splice(list.indexOf(a), 1);
        return json(200, undefined);
      });
  }

  function putVersion(req: SandboxRequest, kind: AssetKind) {
    const ws = requireWorkspace(ctx, req.params);
    const name = req.params.name!;
    const version = req.params.version!;
    const p = req.json<AssetPut>().properties ?? {};
    const existing = versionsOf(kind, ws.key, name).find((v) => v.version === version);
    const now = ctx.clock.now();
    const common = {
      workspace: ws.key,
      name: existing?.name ?? name,
      version,
      description: p.description,
      tags: p.tags ?? {},
      createdAtMs: existing?.createdAtMs ?? now,
    };
    let record: AssetRecord;
    if (kind === "models") {
      if (!p.modelUri) throw badRequest("properties.modelUri is required.", "BadArgument");
      record = { ...common, modelUri: p.modelUri, modelType: p.modelType ?? "custom_model", properties: p.properties ?? {} };
    } else if (kind === "environments") {
      if (!p.image) throw badRequest("properties.image is required (or a build context).", "BadArgument");
      record = { ...common, image: p.image, condaFile: p.condaFile, inferenceConfig: p.inferenceConfig };
    } else {
      record = { ...common, codeUri: p.codeUri, properties: p.properties ?? {} };
    }
    const list = listOf(kind) as AssetRecord[];
    if (existing) list.splice(list.indexOf(existing), 1, record);
    else list.push(record);
    return json(existing ? 200 : 201, versionBody(kind, record));
  }

  router
    .add("GET", `${WS}/datastores`, "Datastores_List", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const isDefault = req.url.searchParams.get("isDefault");
      const list = world().datastores.filter((d) => d.workspace === ws.key && (isDefault === null || String(d.isDefault) === isDefault.toLowerCase()));
      return json(200, { value: list.map((d) => datastoreBody(ctx, d)) });
    })
    .add("GET", `${WS}/datastores/{name}`, "Datastores_Get", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const d = world().datastores.find((x) => x.workspace === ws.key && sameName(x.name, req.params.name!));
      if (!d) throw notFound(`datastores/${req.params.name}`);
      return json(200, datastoreBody(ctx, d));
    })
    .add("POST", `${WS}/datastores/{name}/listSecrets`, "Datastores_ListSecrets", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const d = world().datastores.find((x) => x.workspace === ws.key && sameName(x.name, req.params.name!));
      if (!d) throw notFound(`datastores/${req.params.name}`);
      return json(200, { secretsType: "AccountKey", key: d.accountKey });
    });
}
