import { request } from "node:https";
import type { Sandbox } from "../../src/sandbox/index.js";

/** POSTs a scoring request to the sandbox the way a caller of the service would. */
export function score(
  sb: Sandbox,
  pathOrUrl: string,
  bearer: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: () => any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(pathOrUrl, sb.armEndpoint);
    const payload = Buffer.from(JSON.stringify(body));
    const req = request(
      url,
      {
        method: "POST",
        ca: sb.caPem,
        headers: { "content-type": "application/json", "content-length": payload.length, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, text, json: () => JSON.parse(text), headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
