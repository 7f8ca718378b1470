import { printable } from "./printable.js";
import { UserFixableError } from "./errors.js";
import { FieldReader, isPlainObject } from "./field-reader.js";
import { readAciSettings } from "./parse-aci-settings.js";
import { parseV1Environment, requireAciCompute } from "./parse-v1-environment.js";
import type { ServiceState, V1ModelRef, V1Service } from "./v1-service.js";

const STATES: readonly ServiceState[] = ["Healthy", "Unhealthy", "Failed", "Transitioning"];

/**
 * Parses a v1 service definition in any of the three shapes it is found in:
 * - the model-management REST body (`GET …/services/{name}?expand=true`: flat, `kvTags`, `environmentImageRequest`);
 * - the ARM resource (`workspaces/services`: the same fields under `properties`);
 * - what `az ml service show` / `Webservice.serialize()` prints (`tags`, `environmentDetails`, `modelDetails`).
 */
export function parseServiceJson(doc: unknown, source: string): V1Service {
  let r = FieldReader.root(unwrapServiceDocument(doc, source), source);
  const armName = r.string("name");
  const props = r.object("properties");
  if (props?.has("computeType")) r = props; // the ARM shape keeps service fields under `properties`
  const name = r.string("name") ?? armName;
  if (!name) return r.fail("name", "the service name", undefined);
  // Printed in every message: a name Azure would never accept that carries terminal escapes is refused here.
  if (printable(name, Infinity) !== name) return r.fail("name", "a service name (printable characters only)", name);
  requireAciCompute(r.string("computeType"), r, "computeType", name);

  const stateText = r.string("state");
  let state: ServiceState | undefined;
  if (stateText !== undefined) {
    state = STATES.find((s) => s.toLowerCase() === stateText.toLowerCase());
    if (!state) r.fail("state", `one of ${STATES.join(", ")}`, stateText);
  }

  const request = r.object("environmentImageRequest");
  const envReader = request?.object("environment") ?? r.object("environmentDetails") ?? r.object("environment");
  const env = envReader ? parseV1Environment(envReader) : undefined;
  const driverProgram = request?.string("driverProgram");

  const imageId = r.string("imageId");
  const imageDetails = r.object("imageDetails");

  return {
    origin: "service-json",
    source,
    name,
    state,
    tags: r.stringMap("kvTags") ?? r.stringMap("tags") ?? {},
    ...readAciSettings(r),
    keysPinned: false,
    models: parseModels(r, request),
    modelsKnown: true,
    environment: env?.environment,
    // AZUREML_ENTRY_SCRIPT names the user's script; driverProgram is often v1's generated wrapper (tmpXXXX.py).
    entryScript: env?.entryScript ?? driverProgram,
    sourceDirectory: env?.sourceDirectory,
    image: imageId ? { id: imageId, location: imageDetails?.string("imageLocation") } : undefined,
    scoringUri: r.string("scoringUri") ?? undefined,
  };
}

/**
 * Finds the one service in documents that wrap it: swagger `x-ms-examples` (`responses.200.body`, or a create
 * request's `parameters.properties`). A list (`{ value: [...] }`) is refused with the names it holds.
 */
export function unwrapServiceDocument(doc: unknown, source: string): unknown {
  if (!isPlainObject(doc)) return doc;
  const responses = doc.responses;
  if (isPlainObject(responses)) {
    for (const status of ["200", "201"]) {
      const res = responses[status];
      if (isPlainObject(res) && isPlainObject(res.body)) return unwrapServiceDocument(res.body, source);
    }
  }
  const params = doc.parameters;
  if (isPlainObject(params) && isPlainObject(params.properties)) {
    return { name: params.serviceName, ...params.properties };
  }
  if (Array.isArray(doc.value) && !("computeType" in doc)) {
    const names = doc.value.map((s) =>
      isPlainObject(s) ? `${String(s.name)} (${String((isPlainObject(s.properties) ? s.properties : s).computeType)})` : "?",
    );
    throw new UserFixableError(`${source} holds a list of ${names.length} service${names.length === 1 ? "" : "s"}, not one service.`, {
      why: `It lists: ${names.join(", ") || "nothing"}.`,
      nextStep: "Save one service's definition (az ml service show -n NAME, or GET …/services/NAME?expand=true) and plan from that.",
      source,
      kind: "input",
    });
  }
  return doc;
}

function parseModels(r: FieldReader, request: FieldReader | undefined): V1ModelRef[] {
  const list = r.array("models") ?? r.array("modelDetails");
  if (list) {
    const field = r.has("models") ? "models" : "modelDetails";
    return list.map((m, i) => {
      if (typeof m !== "object" || m === null) r.fail(`${field}[${i}]`, "an object", m);
      const mr = new FieldReader(m as Record<string, unknown>, r.source, r.fieldPath(`${field}[${i}]`));
      const id = mr.string("id");
      const name = mr.string("name") ?? id?.split(":")[0];
      if (!name) return mr.fail("name", "the model name", undefined);
      const v = mr.raw("version");
      const version = v === undefined || v === null ? id?.split(":")[1] : String(v);
      return { name, version, id: id ?? (version ? `${name}:${version}` : name) };
    });
  }
  // Fall back to the ids in the image request (`["name:2", …]`), or a create request's `models[].name`.
  const ids = request?.array("modelIds") ?? (request?.array("models") ?? []).map((m) => (isPlainObject(m) && typeof m.name === "string" ? m.name : m));
  return ids.map((id, i) => {
    if (typeof id !== "string") return request!.fail(`modelIds[${i}]`, "a model id like name:version", id);
    const [name = id, version] = id.split(":");
    return { name, version, id };
  });
}
