import type { SandboxRequest, SandboxResponse } from "./http.js";

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
  readonly operation: string;
}

/**
 * Matches `METHOD /path/{param}/…` patterns. ARM paths are case-insensitive, so matching ignores case;
 * parameters keep the case the client sent.
 */
export class Router {
  private readonly routes: Route[] = [];

  /** `operation` names the swagger operation (e.g. `OnlineEndpoints_Get`) for fault targeting and validation. */
  add(method: string, template: string, operation: string, handler: Handler): this {
    const names: string[] = [];
    const source = template
      .split("/")
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (m) {
          names.push(m[1]!);
          return "([^/]+)";
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`, "i"), names, handler, operation });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string>; operation: string } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        allowed.push(r.method);
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { handler: r.handler, params, operation: r.operation };
    }
    return allowed.length ? { allowed } : undefined;
  }
}
