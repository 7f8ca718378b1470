import { createHash } from "node:crypto";
import { parse } from "yaml";

/**
 * The release series PyPI has of a few packages the v1 environments pin, each with its last patch release
 * (scikit-learn 0.22 went to 0.22.2, then came 0.23). A pin to a release a known series never had (`1.0.22`), or
 * to a series that never was between the first and the last listed (`0.25`), fails the image build as pip fails it;
 * anything else resolves: an older or newer series, or a package the sandbox does not know.
 */
const SERIES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  "scikit-learn": { "0.20": 4, "0.21": 3, "0.22": 2, "0.23": 2, "0.24": 2, "1.0": 2, "1.1": 3, "1.2": 2, "1.3": 2, "1.4": 2, "1.5": 2, "1.6": 1 },
  numpy: { "1.16": 6, "1.17": 5, "1.18": 5, "1.19": 5, "1.20": 3, "1.21": 6, "1.22": 4, "1.23": 5, "1.24": 4, "1.25": 2, "1.26": 4, "2.0": 2, "2.1": 3 },
  pandas: { "0.23": 4, "0.24": 2, "0.25": 3, "1.0": 5, "1.1": 5, "1.2": 5, "1.3": 5, "1.4": 4, "1.5": 3, "2.0": 3, "2.1": 4, "2.2": 3 },
};

const seriesKey = (s: string) => s.split(".").map(Number) as [number, number];
const before = (a: string, b: string) => {
  const [x, y] = seriesKey(a);
  const [p, q] = seriesKey(b);
  return x < p || (x === p && y < q);
};

/** Whether `name==version` names a release PyPI never had, as far as the sandbox knows. */
function neverReleased(name: string, version: string): boolean {
  const known = SERIES[name.toLowerCase().replace(/_/g, "-")];
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.post\d+)?$/.exec(version);
  if (!known || !m) return false;
  const series = `${m[1]}.${m[2]}`;
  const all = Object.keys(known);
  if (before(series, all[0]!) || before(all.at(-1)!, series)) return false;
  const last = known[series];
  return last === undefined || Number(m[3] ?? 0) > last;
}

/** The releases pip would list for a package: each known series' patch releases. */
function releasesOf(name: string): string {
  return Object.entries(SERIES[name.toLowerCase().replace(/_/g, "-")] ?? {})
    .flatMap(([series, last]) => Array.from({ length: last + 1 }, (_, i) => (i ? `${series}.${i}` : series)))
    .join(", ");
}

/** The pip requirements of a conda file (`name==version` and the rest, as written). */
function pipRequirements(condaFile: string): string[] {
  let conda: unknown;
  try {
    conda = parse(condaFile);
  } catch {
    return [];
  }
  const deps = (conda as { dependencies?: unknown } | undefined)?.dependencies;
  if (!Array.isArray(deps)) return [];
  return deps.flatMap((d) =>
    Array.isArray((d as { pip?: unknown })?.pip) ? (d as { pip: unknown[] }).pip.filter((p): p is string => typeof p === "string") : [],
  );
}

/** An environment's image built from its conda file: undefined when it builds, else the build log that says why not. */
export function failedImageBuild(env: { name: string; version: string; condaFile?: string }, at: (offsetMs: number) => string): string | undefined {
  if (env.condaFile === undefined) return undefined;
  const requirements = pipRequirements(env.condaFile);
  const missing = requirements.find((r) => {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*==\s*([\w.]+)\s*$/.exec(r);
    return m !== null && neverReleased(m[1]!, m[2]!);
  });
  if (!missing) return undefined;
  const [name = ""] = missing.split("==").map((s) => s.trim());
  const versions = releasesOf(name);
  const envDir = `/azureml-envs/azureml_${createHash("sha256").update(`${env.name}:${env.version}`).digest("hex").slice(0, 32)}`;
  const step = `RUN conda env create -p ${envDir} -f conda_dependencies.yml`;
  return [
    `${at(0)} #1 [internal] load build definition from Dockerfile`,
    `${at(400)} #5 [2/6] FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04`,
    `${at(9_000)} #7 [4/6] ${step}`,
    ...requirements.slice(0, requirements.indexOf(missing)).map((r, i) => `${at(21_000 + i * 600)} #7 ${(12.4 + i * 0.6).toFixed(2)} Collecting ${r.trim()}`),
    `${at(24_000)} #7 13.02 ERROR: Could not find a version that satisfies the requirement ${missing.trim()} (from versions: ${versions})`,
    `${at(24_010)} #7 13.03 ERROR: No matching distribution found for ${missing.trim()}`,
    `${at(24_200)} #7 13.10 CondaEnvException: Pip failed`,
    `${at(24_300)} #7 ERROR: process "/bin/sh -c conda env create -p ${envDir} -f conda_dependencies.yml" did not complete successfully: exit code: 1`,
  ].join("\n");
}

/** Where a workspace keeps an environment's build log: its artifact container, by the environment's id. */
export function buildLogPath(env: { name: string; version: string }): string {
  return `ImageLogs/${createHash("sha256").update(`${env.name}:${env.version}`).digest("hex").slice(0, 12)}/image_build_aggregate_log.txt`;
}
