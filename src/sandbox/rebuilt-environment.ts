import { parse } from "yaml";
import type { SandboxResponse } from "./http.js";

/** Libraries whose release changes what a saved model answers (a pickle loaded by a newer scikit-learn, …). */
const MODEL_LIBRARIES = new Set(["scikit-learn", "sklearn", "lightgbm", "xgboost", "catboost", "torch", "pytorch", "tensorflow"]);

/**
 * The model libraries a conda file names without an exact version (`scikit-learn`, `scikit-learn>=0.24`). An
 * ACI image was built when the service was; a managed deployment's image is built now, so such a library
 * resolves to a newer release there, and the same model answers a little differently. The sandbox stands in for
 * that (`withNewerLibrary`); an exact pin (`==`, conda's `=`) gives the same release on both sides.
 */
export function looselyPinnedModelLibraries(condaFile: string | undefined): string[] {
  let conda: unknown;
  try {
    conda = condaFile ? parse(condaFile) : undefined;
  } catch {
    return [];
  }
  const deps = (conda as { dependencies?: unknown } | undefined)?.dependencies;
  if (!Array.isArray(deps)) return [];
  const specs = deps.flatMap((d) =>
    typeof d === "string"
      ? [d]
      : Array.isArray((d as { pip?: unknown })?.pip)
        ? ((d as { pip: unknown[] }).pip.filter((p) => typeof p === "string") as string[])
        : [],
  );
  return specs.flatMap((spec) => {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*(.*)$/.exec(spec);
    const name = m?.[1]?.toLowerCase();
    if (!name || !MODEL_LIBRARIES.has(name)) return [];
    const exact = /^==\s*[\w.]+\s*$/.test(m![2]!) || /^=\s*[\w.]+(=.*)?$/.test(m![2]!);
    return exact ? [] : [name];
  });
}

/** Relative change of every number of an answer served by a newer model library: outside numpy's allclose, as real drift is. */
export const NEWER_LIBRARY_DRIFT = 0.004;

/** The first feature from which the newer release's trees split differently (the seeded models read age first). */
export const DRIFT_FROM_FIRST_FEATURE = 50;

/**
 * The answer as the same model loaded by a newer release of its library: rows whose first feature is at least
 * DRIFT_FROM_FIRST_FEATURE (a branch of the model only some inputs reach) answer NEWER_LIBRARY_DRIFT higher,
 * so one sample request can pass while real traffic disagrees. A body without rows (`{"data": [...]}`) moves
 * every number.
 */
export function withNewerLibrary(answer: SandboxResponse, request: Buffer): SandboxResponse {
  if (answer.status !== 200) return answer;
  let value: unknown = answer.body;
  if (Buffer.isBuffer(answer.body)) {
    try {
      value = JSON.parse(answer.body.toString("utf8"));
    } catch {
      return answer;
    }
  }
  const rows = requestRows(request);
  const move = (v: unknown, row?: number): unknown => {
    if (typeof v === "number") return reached(rows, row) ? v * (1 + NEWER_LIBRARY_DRIFT) : v;
    if (Array.isArray(v)) return v.map((x, i) => move(x, row ?? (rows && v.length === rows.length ? i : undefined)));
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, move(x, row)]));
    return v;
  };
  return { ...answer, headers: { ...answer.headers, "content-type": "application/json" }, body: Buffer.from(JSON.stringify(move(value))) };
}

function requestRows(request: Buffer): unknown[][] | undefined {
  try {
    const data = (JSON.parse(request.toString("utf8")) as { data?: unknown }).data;
    return Array.isArray(data) && data.every(Array.isArray) ? (data as unknown[][]) : undefined;
  } catch {
    return undefined;
  }
}

function reached(rows: unknown[][] | undefined, row: number | undefined): boolean {
  if (!rows || row === undefined) return true;
  const first = rows[row]?.[0];
  return typeof first === "number" && first >= DRIFT_FROM_FIRST_FEATURE;
}
