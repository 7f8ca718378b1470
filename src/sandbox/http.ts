import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";

/** What a route handler sees: the parsed request, its path parameters and the sandbox's public address. */
export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  /** The path as the client sent (and signed) it: `/CONTAINER/BLOB` when it addressed ACCOUNT.blob.core.windows.net. */
  readonly sentPath: string;
  /** The query as the client sent (and signed) it, without "?". */
  readonly sentQuery: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  /** `https://127.0.0.1:PORT`: every absolute URL the sandbox hands out starts with it. */
  readonly origin: string;
  json<T = unknown>(): T;
}

export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** JSON-serialisable body, a Buffer (sent as is) or undefined (no body). */
  readonly body?: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly { code: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** ARM's error body: `{ error: { code, message, details } }`. */
export function armError(status: number, code: string, message: string, details?: { code: string; message: string }[]): HttpError {
  return new HttpError(status, code, message, details);
}

export function notFound(what: string): HttpError {
  return armError(404, "ResourceNotFound", `The Resource '${what}' was not found.`);
}

export function badRequest(message: string, code = "BadRequest"): HttpError {
  return armError(400, code, message);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers };
}

export async function readBody(req: IncomingMessage, limitBytes = 64 * 1024 * 1024): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Storage's and ARM's answer to a body over their limit. */
function tooLarge(): HttpError {
  return new HttpError(413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit.");
}

export function parseJsonBody<T>(body: Buffer): T {
  if (body.length === 0) return {} as T;
  try {
    return JSON.parse(body.toString("utf8")) as T;
  } catch {
    throw badRequest("The request content was invalid and could not be deserialized.", "InvalidRequestContent");
  }
}

export function send(res: ServerResponse, response: SandboxResponse, requestId: string): void {
  const headers: Record<string, string> = { "x-ms-request-id": requestId, "x-ms-correlation-request-id": requestId, ...response.headers };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) payload = response.body;
  else if (response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body));
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  if (payload) headers["content-length"] = String(payload.length);
  else if (response.status !== 204 && response.status !== 304) headers["content-length"] ??= "0";
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function errorResponse(e: HttpError): SandboxResponse {
  return {
    status: e.status,
    headers: e.headers,
    body: { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } },
  };
}

export const newRequestId = (): string => randomUUID();
