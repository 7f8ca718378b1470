import { parse } from "csv-parse/sync";

/** One file of v1 model data collection, as read from the workspace's `modeldata` container. */
export interface CollectedFile {
  /** The blob's name: `<sub>/<rg>/<workspace>/<service>/<model>/<version>/<designation>/<yyyy>/<mm>/<dd>/<file>.csv`. */
  readonly path: string;
  readonly text: string;
}

/** Requests rebuilt from collected inputs: each one's rows, under the service's feature names. */
export interface CollectedRequests {
  readonly featureNames: readonly string[];
  readonly requests: readonly (readonly Record<string, unknown>[])[];
  /** The files read (what a report names as the source). */
  readonly files: readonly string[];
}

/** The columns azureml-monitoring's ModelDataCollector writes after the features. */
const COLLECTOR_COLUMN = /^\$aml/;

/**
 * v1 model data collection (azureml-monitoring's ModelDataCollector): each `collect()` call writes the rows it
 * was given as CSV lines, the feature columns first, then `$aml_dc_*` and `$aml_*` columns, under
 * `…/<designation>/<yyyy>/<mm>/<dd>/data.csv` (the docs; the collector's docstring says `<designation>.csv`, so
 * any `.csv` there is read). The files of the `inputs` designation (else of any designation naming "input") are
 * read oldest first; the rows of one request (its `$aml_request_id`, else `$aml_dc_correlation_id`) become one
 * request. The last `limit` requests are kept.
 */
export function collectedRequests(files: readonly CollectedFile[], limit: number): CollectedRequests {
  const csv = files.filter((f) => f.path.toLowerCase().endsWith(".csv"));
  const designation = (f: CollectedFile) => f.path.split("/").at(-5)?.toLowerCase() ?? "";
  const chosen = csv.some((f) => designation(f) === "inputs")
    ? csv.filter((f) => designation(f) === "inputs")
    : csv.filter((f) => designation(f).includes("input"));
  const ordered = [...chosen].sort((a, b) => datePart(a.path).localeCompare(datePart(b.path)) || a.path.localeCompare(b.path));
  let featureNames: string[] = [];
  const requests: Record<string, unknown>[][] = [];
  for (const file of ordered) {
    const rows = parse(file.text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<string, string>[];
    if (!rows.length) continue;
    const features = Object.keys(rows[0]!).filter((c) => !COLLECTOR_COLUMN.test(c));
    if (!featureNames.length) featureNames = features;
    let lastId: string | undefined;
    for (const row of rows) {
      const id = row.$aml_request_id || row.$aml_dc_correlation_id || undefined;
      const values = Object.fromEntries(features.map((f) => [f, cellValue(row[f])]));
      if (id !== undefined && id === lastId) requests.at(-1)!.push(values);
      else requests.push([values]);
      lastId = id;
    }
  }
  return { featureNames, requests: requests.slice(-limit), files: ordered.map((f) => f.path) };
}

/** `…/<yyyy>/<mm>/<dd>/file.csv` → `yyyy/mm/dd`, so files sort by the day they hold. */
function datePart(path: string): string {
  return path.split("/").slice(-4, -1).join("/");
}

/** A CSV cell as the value the collector was given: a number when it reads as one, null when empty. */
function cellValue(cell: string | undefined): unknown {
  if (cell === undefined || cell === "") return null;
  if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell.trim())) return Number(cell);
  if (cell === "True" || cell === "False") return cell === "True";
  return cell;
}

/**
 * A request body for collected rows, shaped as the service's sample request: the sample's first list of rows
 * (lists of values, or objects keyed by feature name) replaced by these rows; `{"data": [[…]]}` when the sample
 * has none (the v1 samples' shape).
 */
export function requestFromRows(template: unknown, featureNames: readonly string[], rows: readonly Record<string, unknown>[]): unknown {
  const asLists = rows.map((r) => featureNames.map((f) => r[f]));
  const asRecords = rows.map((r) => Object.fromEntries(featureNames.map((f) => [f, r[f]])));
  let replaced = false;
  const fill = (v: unknown): unknown => {
    if (replaced) return v;
    if (Array.isArray(v) && v.length && v.every(Array.isArray)) return ((replaced = true), asLists);
    if (Array.isArray(v) && v.length && v.every(isRecord)) return ((replaced = true), asRecords);
    if (Array.isArray(v)) return v.map(fill);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  const body = fill(template);
  return replaced ? body : { data: asLists };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
