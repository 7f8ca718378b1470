import { isRestError } from "@azure/core-rest-pipeline";

const TRIES = 6;

/**
 * Runs a Storage call again when the service answers 429 ("server busy"), after the Retry-After it sends and
 * never sooner than `floorMs`, doubling each time. Storage's own retry policy retries 500 and 503 only (and
 * ignores Retry-After), and its shared pipeline takes no added policy once per client, so the code upload and
 * the snapshot download wrap their calls instead.
 */
export async function retryThrottled<T>(call: () => Promise<T>, floorMs: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= TRIES || !isRestError(e) || e.statusCode !== 429) throw e;
      const asked = Number(e.response?.headers.get("retry-after") ?? Number.NaN) * 1000;
      const wait = Math.max(Number.isFinite(asked) ? asked : 0, floorMs * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
