/**
 * Azure's ImageBuildFailure names where the environment's build log is kept, in the workspace's default storage
 * ("…the build log under the storage account 'ACCOUNT' in the container 'CONTAINER' at the path 'PATH'", as
 * Microsoft's troubleshooting guide quotes it); the log's failing lines (the package that did not resolve) are the
 * cause a person needs.
 */
export interface BuildLogLocation {
  readonly account: string;
  readonly container: string;
  readonly path: string;
}

const LOCATION = /storage account '([^']+)' in the container '([^']+)' at the path '([^']+)'/i;

export function buildLogLocation(message: string): BuildLogLocation | undefined {
  const m = LOCATION.exec(message);
  return m ? { account: m[1]!, container: m[2]!, path: m[3]! } : undefined;
}

/** What pip and conda say when a package does not resolve or install, and Docker's failed step. */
const FAILING = [
  /^ERROR: /,
  /No matching distribution found/i,
  /Could not find a version that satisfies/i,
  /ResolvePackageNotFound|PackagesNotFoundError|UnsatisfiableError|CondaEnvException/,
  /^\s*- \S+==?\S+\s*$/, // conda's list of the packages it could not find
  /did not complete successfully: exit code/i,
];

/** The lines of a build log that say why it failed, in order, at most `max`. */
export function buildLogFailure(log: string, max = 6): string[] {
  // A line's time and Docker's step prefix (`2026-… #7 13.02 `) go; what pip or conda said stays.
  const lines = log.split(/\r?\n/).map((l) =>
    l
      .replace(/^\d{4}-\d\d-\d\d[T ][\d:.,]+Z?\s+/, "")
      .replace(/^#\d+ [\d.]+ /, "")
      .trimEnd(),
  );
  return [...new Set(lines.filter((l) => FAILING.some((re) => re.test(l))).map((l) => l.trim()))].slice(0, max);
}

/** Where the failing lines go in a step's error message, so the likely cause can quote them. */
export const BUILD_LOG_SAYS = "The image build log says:";
