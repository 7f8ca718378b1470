/** Small text helpers the screens share. */

export function usd(n: number | null | undefined): string {
  return n === null || n === undefined ? "n/a" : `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
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

/** Pads or cuts to a width, so columns line up in 80 columns. */
export function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

/** What went wrong while loading a list, and what to do about it. */
export function describeLoadError(e: unknown): { message: string; hint: string } {
  const err = e as { name?: string; message?: string; status?: number; details?: { nextStep?: string } };
  const message = err?.message?.split("\n")[0] ?? String(e);
  if (err?.details?.nextStep) return { message, hint: err.details.nextStep };
  if (err?.name === "NotSignedInError") return { message, hint: "Sign in with `az login` (or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET), then start again." };
  if (err?.status === 401 || err?.status === 403) return { message, hint: "Your account cannot read this: ask for Reader (and AzureML Data Scientist) on it, or pick another." };
  if (err?.status === 429 || (err?.status ?? 0) >= 500) return { message, hint: "Azure is busy; press Esc and try again in a minute." };
  return { message, hint: "Press Esc to go back and try again." };
}
