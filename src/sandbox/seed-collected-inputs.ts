import { createHash } from "node:crypto";
import { blob, type BlobContents } from "./blob-contents.js";
import { stableGuid } from "./ids.js";
import type { SandboxWorld, WorkspaceRecord } from "./world.js";

/** The features the seeded churn models read, in the order of their input rows. */
const FEATURES = ["age", "tenure_years", "plan", "monthly_charges", "support_calls"];

/**
 * What v1 model data collection (azureml-monitoring's ModelDataCollector, designation "inputs") left in the
 * workspace's storage for a service: `modeldata/<sub>/<rg>/<workspace>/<service>/<model>/<version>/inputs/
 * <yyyy>/<mm>/<dd>/data.csv`, a day per file, the feature columns first and the collector's `$aml_*` columns
 * after; one request in eight sent two rows (one correlation id, two lines). The `predictions` designation is
 * there too, as the samples collect both.
 */
export function seedCollectedInputs(
  world: SandboxWorld,
  contents: BlobContents,
  ws: WorkspaceRecord,
  service: string,
  model: string,
  requests: number,
  nowMs: number,
): void {
  const [name, version] = model.split(":") as [string, string];
  const container = `${ws.storageAccount}/modeldata`;
  if (!world.blobContainers.includes(container)) world.blobContainers.push(container);
  const days = 3;
  const header = [
    ...FEATURES,
    "$aml_dc_correlation_id",
    "$aml_dc_scoring_timestamp",
    "$aml_dc_boundary",
    "$aml_workspace",
    "$aml_service_name",
    "$aml_model_name",
    "$aml_model_version",
    "$aml_request_id",
  ];
  for (let day = 0; day < days; day++) {
    const date = new Date(nowMs - (days - day) * 86400_000);
    const [yyyy, mm, dd] = [date.getUTCFullYear(), String(date.getUTCMonth() + 1).padStart(2, "0"), String(date.getUTCDate()).padStart(2, "0")];
    const inputs = [header.join(",")];
    const predictions = [
      "Scored Labels,$aml_dc_correlation_id,$aml_dc_scoring_timestamp,$aml_dc_boundary,$aml_workspace,$aml_service_name,$aml_model_name,$aml_model_version,$aml_request_id",
    ];
    const first = Math.floor((requests * day) / days);
    const last = Math.floor((requests * (day + 1)) / days);
    for (let i = first; i < last; i++) {
      const id = stableGuid(`${service}:request:${i}`);
      const at = new Date(date.getTime() + (i - first) * 97_000).toISOString();
      const meta = [id, at, "", `${ws.subscriptionId}/${ws.resourceGroup}/${ws.name}`, service, name, version, id];
      for (let row = 0; row < (i % 8 === 3 ? 2 : 1); row++) {
        inputs.push([...features(`${service}:${i}:${row}`), ...meta].join(","));
        predictions.push(["0", ...meta].join(","));
      }
    }
    const folder = `${ws.subscriptionId}/${ws.resourceGroup}/${ws.name}/${service}/${name}/${version}`;
    for (const [designation, lines] of [
      ["inputs", inputs],
      ["predictions", predictions],
    ] as const) {
      world.blobs[`${container}/${folder}/${designation}/${yyyy}/${mm}/${dd}/data.csv`] = blob(
        contents,
        Buffer.from(`${lines.join("\r\n")}\r\n`),
        "text/csv",
        date.getTime(),
      );
    }
  }
}

/** One customer's row: plausible churn features, a deterministic function of the label. */
function features(label: string): string[] {
  const d = createHash("sha256").update(label).digest();
  return [String(18 + (d[0]! % 60)), String(d[1]! % 12), String(d[2]! % 3), (20 + (d.readUInt16BE(3) % 10_000) / 100).toFixed(2), String(d[5]! % 6)];
}
