import { createHash } from "node:crypto";

/**
 * The sandbox's stand-in for a model: a deterministic function of the model's fingerprint and the input row.
 * The same model answers the same on ACI and on a managed endpoint; a different model answers differently.
 */
export function predict(modelFingerprint: string, body: unknown): number[] | { error: string } {
  const data = (body as { data?: unknown } | null)?.data ?? (body as { input_data?: { data?: unknown } } | null)?.input_data?.data;
  if (!Array.isArray(data)) return { error: 'Expected a JSON object with a "data" list of input rows, e.g. {"data": [[1, 2, 3]]}.' };
  return data.map((row) => {
    const digest = createHash("sha256")
      .update(`${modelFingerprint}\n${JSON.stringify(row)}`)
      .digest();
    return Math.round((digest.readUInt32BE(0) / 0xffffffff) * 1_000_000) / 10_000; // 0-100, 4 decimals
  });
}

/**
 * What a deployed model is, for `predict`: the contents of the files its container loads (their sha256s), not
 * its name. A folder model that holds copies of a v1 service's model files answers as that service did, whatever
 * it is called; a different version (different bytes) answers differently.
 */
export function modelFingerprint(fileSha256s: readonly string[]): string {
  return [...fileSha256s].sort().join("|");
}
