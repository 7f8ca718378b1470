/** Small text helpers the screens share. */
import { isAbsolute, relative } from "node:path";

/** A path under the folder the tool runs in, said from there (`./aci-migrate-yaml/x`); any other path as it is. */
export function fromHere(path: string, cwd = process.cwd()): string {
  const r = relative(cwd, path);
  return r && !r.startsWith("..") && !isAbsolute(r) ? `./${r}` : path;
}

export function timeAgo(iso: string | undefined, now = Date.now()): string {
  if (!iso) return "";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function elapsed(fromMs: number | undefined, toMs: number | undefined, now = Date.now()): string {
  if (fromMs === undefined) return "";
  const s = Math.max(0, Math.round(((toMs ?? now) - fromMs) / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
