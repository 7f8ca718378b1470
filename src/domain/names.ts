/**
 * Endpoint and deployment names: 3-32 characters, a letter first, then letters, digits and single dashes,
 * ending with a letter or digit. (Azure's own regex tolerates "--"; the docs describe single dashes, and
 * a name that passes both is the one that never surprises anyone.)
 */
export const NAME_MIN = 3;
export const NAME_MAX = 32;
export const DEFAULT_DEPLOYMENT_NAME = "blue";

export type NameKind = "endpoint" | "deployment";

/** Every rule the name breaks, one specific sentence each; empty when the name is valid. */
export function nameProblems(name: string, kind: NameKind): string[] {
  const what = `${kind} name "${name}"`;
  const problems: string[] = [];
  if (name.length < NAME_MIN) problems.push(`The ${what} is ${name.length} characters long; it needs at least ${NAME_MIN}.`);
  if (name.length > NAME_MAX) problems.push(`The ${what} is ${name.length} characters long; it may have at most ${NAME_MAX}.`);
  if (name.length > 0 && !/^[A-Za-z]/.test(name)) problems.push(`The ${what} starts with "${name[0]}"; it must start with a letter.`);
  const bad = [...new Set(name.replace(/[A-Za-z0-9-]/g, ""))];
  if (bad.length) problems.push(`The ${what} contains ${bad.map((c) => JSON.stringify(c)).join(", ")}; only letters, digits and dashes are allowed.`);
  if (name.includes("--")) problems.push(`The ${what} has two dashes in a row; use single dashes.`);
  if (name.length > 0 && !/[A-Za-z0-9]$/.test(name)) problems.push(`The ${what} ends with "${name.at(-1)}"; it must end with a letter or digit.`);
  return problems;
}

export function isValidName(name: string): boolean {
  return nameProblems(name, "endpoint").length === 0;
}

const SUFFIX = "-online";

/**
 * A valid endpoint name derived from any v1 service name, always different from it (so the old and new
 * services are never confused in logs and portals). `attempt` > 0 gives the next candidate when a name is
 * taken in the region: `…-online-2`, `…-online-3`.
 */
export function suggestEndpointName(serviceName: string, attempt = 0): string {
  const counter = attempt > 0 ? `-${attempt + 1}` : "";
  let base = serviceName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "");
  if (!base) base = "endpoint";
  const tail = `${SUFFIX}${counter}`;
  base = base.slice(0, NAME_MAX - tail.length).replace(/-+$/, "");
  const name = `${base}${tail}`;
  // Only possible when the service itself is called "<x>-online": pick the next candidate.
  return name === serviceName ? suggestEndpointName(serviceName, attempt + 1) : name;
}

/** The next of blue, green, blue-2, green-2, … after `current` that `unusable` does not rule out. */
export function nextDeploymentName(current: string, unusable: (name: string) => boolean): string {
  const names = Array.from({ length: 50 }, (_, i) => (i < 2 ? ["blue", "green"][i]! : `${["blue", "green"][i % 2]}-${Math.floor(i / 2) + 1}`));
  const start = names.indexOf(current.toLowerCase());
  for (let i = 1; i <= names.length; i++) {
    const candidate = names[(Math.max(start, 0) + i) % names.length]!;
    if (candidate !== current.toLowerCase() && !unusable(candidate)) return candidate;
  }
  throw new Error(`no free deployment name beside ${current}`);
}
