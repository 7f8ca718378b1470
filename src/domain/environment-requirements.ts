import { parse as parseYaml } from "yaml";

/** What a conda specification asks for, as pip can install it into a virtual environment. */
export interface PipRequirements {
  /** The Python version the environment pins (`python=3.8.13` → `3.8.13`), if any. */
  readonly python?: string;
  /** Requirement specifiers for pip, in the order the file gives them: its pip list, then its conda packages. */
  readonly requirements: readonly string[];
  /** Conda packages with no pip counterpart (system libraries, CUDA), which a virtual environment goes without. */
  readonly skipped: readonly string[];
}

/** Conda packages that are not Python distributions (or are the tools themselves). */
const NOT_FOR_PIP = new Set([
  "python",
  "pip",
  "setuptools",
  "wheel",
  "cudatoolkit",
  "cudnn",
  "nccl",
  "mkl",
  "mkl-service",
  "mkl_fft",
  "mkl_random",
  "openmpi",
  "mpi4py",
  "blas",
  "libgcc",
  "libgcc-ng",
  "libstdcxx-ng",
  "openssl",
  "ca-certificates",
  "certifi",
  "cpuonly",
  "git",
  "gcc",
]);

/** Conda names whose pip distribution is named otherwise. */
const PIP_NAMES: Readonly<Record<string, string>> = {
  pytorch: "torch",
  "pytorch-cpu": "torch",
  "py-xgboost": "xgboost",
  "py-opencv": "opencv-python",
  tensorflow: "tensorflow",
};

/**
 * A conda specification (the v1 `condaDependencies` object, or a conda file's text) as pip requirements:
 * its `pip:` list as written, and its conda packages translated (`numpy=1.21` → `numpy==1.21.*`, `pytorch` →
 * `torch`), leaving out what pip cannot install.
 */
export function pipRequirements(conda: unknown): PipRequirements {
  const spec = typeof conda === "string" ? safeYaml(conda) : conda;
  const deps = (spec as { dependencies?: unknown } | null)?.dependencies;
  if (!Array.isArray(deps)) return { requirements: [], skipped: [] };
  const pip: string[] = [];
  const fromConda: string[] = [];
  const skipped: string[] = [];
  let python: string | undefined;
  for (const d of deps) {
    if (typeof d === "object" && d !== null && Array.isArray((d as { pip?: unknown }).pip)) {
      for (const p of (d as { pip: unknown[] }).pip) if (typeof p === "string" && p.trim() && !p.trim().startsWith("-")) pip.push(p.trim());
      continue;
    }
    if (typeof d !== "string") continue;
    const m = /^\s*(?:[\w.-]+::)?([A-Za-z0-9_.-]+)\s*(.*)$/.exec(d);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const version = m[2]!.trim();
    if (name === "python") {
      python = /^=*\s*([\d.]+)/.exec(version)?.[1];
      continue;
    }
    if (NOT_FOR_PIP.has(name)) {
      if (name !== "pip" && name !== "setuptools" && name !== "wheel") skipped.push(d.trim());
      continue;
    }
    fromConda.push(`${PIP_NAMES[name] ?? name}${condaVersionForPip(version)}`);
  }
  const listed = new Set(pip.map(requirementName));
  return { ...(python ? { python } : {}), requirements: [...pip, ...fromConda.filter((r) => !listed.has(requirementName(r)))], skipped };
}

/** conda's `=1.21` (a prefix) and `=1.13=*cpu*` (with a build) as pip's `==1.21.*`; `==`, `>=`… kept. */
function condaVersionForPip(version: string): string {
  if (!version) return "";
  if (/^(==|>=|<=|>|<|!=|~=)/.test(version)) return version.replace(/\s+/g, "");
  const v = /^=?\s*([^=\s]+)/.exec(version)?.[1];
  if (!v || v === "*") return "";
  return v.endsWith("*") ? `==${v}` : `==${v}.*`;
}

/** `scikit-learn==1.0.2` → `scikit-learn` (pip's normalised name). */
export function requirementName(requirement: string): string {
  return (/^\s*([A-Za-z0-9_.-]+)/.exec(requirement)?.[1] ?? requirement).toLowerCase().replace(/[_.]+/g, "-");
}

function safeYaml(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}
