/** How a managed endpoint authenticates its callers (its `authMode`). */
export type AuthMode = "Key" | "AMLToken" | "AADToken";

export const AUTH_MODES: readonly AuthMode[] = ["Key", "AMLToken", "AADToken"];
