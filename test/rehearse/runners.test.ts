import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RehearsalJob } from "../../src/domain/rehearsal.js";
import { buildCommand, dockerfile, runCommand } from "../../src/rehearse/docker.js";
import { layOut } from "../../src/rehearse/layout.js";
import { findPython, rehearse } from "../../src/rehearse/rehearse.js";

// Debian's interpreter when there is one (.ci/run installs its venv module), else python3 from PATH.
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : findPython();
const withPython = python ? describe : describe.skip;

/** Builds a wheel by hand (a zip with the module and its dist-info), as pip installs it from a local folder. */
function makeWheel(dir: string, name: string, version: string, module: string): void {
  const dist = `${name.replace(/-/g, "_")}-${version}`;
  execFileSync(python!, [
    "-c",
    `
import sys, zipfile
dist, module, path = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(path, "w") as z:
    z.writestr(module + "/__init__.py", "def weight():\\n    return 2.5\\n")
    z.writestr(dist + ".dist-info/METADATA", "Metadata-Version: 2.1\\nName: ${name}\\nVersion: ${version}\\n")
    z.writestr(dist + ".dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: hand\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr(dist + ".dist-info/RECORD", "")
`,
    dist,
    module,
    join(dir, `${dist}-py3-none-any.whl`),
  ]);
}

const SCRIPT = `import json
import os
import acimigrate_testdep

model = None


def init():
    global model
    with open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.json")) as f:
        model = json.load(f)


def run(raw_data):
    rows = json.loads(raw_data)["data"]
    return [acimigrate_testdep.weight() * sum(w * x for w, x in zip(model["weights"], row)) for row in rows]
`;

function job(requirement: string): RehearsalJob {
  return {
    service: "wheel-svc",
    layout: { codeFolder: "wheel-svc-code", scoringScript: "score.py", modelFolder: "wheel-model/1", environmentVariables: {} },
    placeCode: (dir) => writeFile(join(dir, "score.py"), SCRIPT),
    placeModel: (dir) => writeFile(join(dir, "model.json"), JSON.stringify({ weights: [1, 2] })),
    environment: { conda: { dependencies: ["python=3.11", { pip: [requirement] }] }, packages: ["python", requirement.split("=")[0]!] },
    sample: { body: { data: [[1, 1]] }, source: "a test sample" },
    requestTimeoutMs: 10_000,
  };
}

withPython("the virtual-environment runner, for real", { timeout: 180_000 }, () => {
  let root = "";
  let wheels = "";
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "aci-migrate-venv-test-"));
    wheels = join(root, "wheels");
    await mkdir(wheels);
    makeWheel(wheels, "acimigrate-testdep", "1.0", "acimigrate_testdep");
    // pip reads only these: no index, the local folder, and none of this machine's own pip settings.
    for (const [k, v] of Object.entries({
      PIP_NO_INDEX: "1",
      PIP_FIND_LINKS: wheels,
      PIP_CONFIG_FILE: "/dev/null",
      PIP_INDEX_URL: undefined,
      PIP_EXTRA_INDEX_URL: undefined,
    })) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await rm(root, { recursive: true, force: true });
  });

  it("installs the environment's dependency from local files, runs the script in it, and reuses it the second time", async () => {
    const state = join(root, "state-ok");
    const progress: string[] = [];
    const first = await rehearse(job("acimigrate-testdep==1.0"), state, { runner: "venv", python, onProgress: (m) => progress.push(m) });
    expect(first.runner.kind).toBe("venv");
    expect(first.verdict).toEqual({ kind: "passed", answer: [7.5], comparedWithV1: false });
    expect(progress.some((m) => m.includes("installing 1 package with pip: acimigrate-testdep==1.0"))).toBe(true);
    const second = await rehearse(job("acimigrate-testdep==1.0"), state, { runner: "venv", python });
    expect(second.runner.description).toContain("(built earlier)");
    expect(second.verdict.kind).toBe("passed");
    // One environment kept; the rehearsal's own work folder is gone.
    expect(await readdir(join(state, "environments"))).toHaveLength(1);
    expect(await readdir(join(state, "rehearsals"))).toEqual([]);
  });

  it("a dependency that cannot be installed is 'could not judge', in pip's own words", async () => {
    const outcome = await rehearse(job("acimigrate-missing==9.9"), join(root, "state-missing"), { runner: "venv", python });
    expect(outcome.verdict.kind).toBe("not-judged");
    const v = outcome.verdict as { why: string; next: string };
    expect(v.why).toContain("No matching distribution found for acimigrate-missing==9.9");
    expect(v.next).toContain("PIP_FIND_LINKS");
    expect(existsSync(join(root, "state-missing", "environments"))).toBe(true);
    // A failed build leaves no environment to be taken for a finished one.
    expect((await readdir(join(root, "state-missing", "environments"))).filter((d) => !d.includes(".building-"))).toEqual([]);
  });

  it("auto falls back to the interpreter as it is when the environment cannot be built, and says so", async () => {
    const outcome = await rehearse(job("acimigrate-missing==9.9"), join(root, "state-auto"), { runner: "auto", python });
    expect(outcome.runner.kind).toBe("python");
    // That interpreter lacks the module the environment installs: no verdict past that import.
    expect(outcome.verdict).toMatchObject({ kind: "not-judged" });
    expect((outcome.verdict as { why: string }).why).toContain("acimigrate_testdep");
  });
});

describe("the Docker runner's command lines (run where Docker is absent; no image registry is reachable here)", () => {
  const spec = {
    image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
    conda: { dependencies: ["python=3.9"] },
    tag: "aci-migrate-rehearsal:abc",
  };
  let root = "";
  afterEach(async () => root && rm(root, { recursive: true, force: true }));

  it("builds the environment's image as az ml's local endpoints do and runs it with the managed layout mounted", async () => {
    root = await mkdtemp(join(tmpdir(), "aci-migrate-docker-test-"));
    const layout = await layOut(join(root, "root"), {
      codeFolder: "svc-code",
      scoringScript: "src/score.py",
      modelFolder: "m/3",
      environmentVariables: { THRESHOLD: "0.4" },
    });
    expect(dockerfile(spec, layout).split("\n")).toEqual([
      "FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
      "RUN mkdir -p /var/azureml-app/",
      "WORKDIR /var/azureml-app/",
      "COPY conda.yml /var/azureml-app/",
      "RUN conda env create -n inf-conda-env --file conda.yml",
      'CMD ["conda", "run", "--no-capture-output", "-n", "inf-conda-env", "azmlinfsrv", "--entry_script", "/var/azureml-app/svc-code/src/score.py", "--port", "5001"]',
      "",
    ]);
    expect(buildCommand("docker", spec, "/ctx")).toEqual(["docker", "build", "--tag", "aci-migrate-rehearsal:abc", "/ctx"]);
    const run = runCommand("docker", spec, layout, "rehearsal-1");
    expect(run.slice(0, 6)).toEqual(["docker", "run", "--detach", "--name", "rehearsal-1", "--publish"]);
    expect(run).toContain("127.0.0.1::5001");
    expect(run).toContain(`${layout.codeDir}:/var/azureml-app/svc-code:ro`);
    expect(run).toContain(`${layout.modelDir}:/var/azureml-app/azureml-models/m/3:ro`);
    expect(run).toContain("AZUREML_MODEL_DIR=/var/azureml-app/azureml-models/m/3");
    expect(run).toContain("AML_APP_ROOT=/var/azureml-app/svc-code/src");
    expect(run).toContain("AZUREML_ENTRY_SCRIPT=score.py");
    expect(run).toContain("THRESHOLD=0.4");
    expect(run.at(-1)).toBe("aci-migrate-rehearsal:abc");
  });

  it("--runner docker with no engine running is 'could not judge', saying how to get a verdict", async () => {
    const saved = process.env.PATH;
    process.env.PATH = await mkdtemp(join(tmpdir(), "aci-migrate-empty-path-"));
    root = process.env.PATH;
    try {
      const outcome = await rehearse({ ...job("x"), environment: { image: spec.image } }, join(root, "state"), { runner: "docker" });
      expect(outcome.verdict).toMatchObject({ kind: "not-judged", why: "neither Docker nor Podman has a daemon running on this machine." });
      expect((outcome.verdict as { next: string }).next).toContain("--runner venv");
    } finally {
      process.env.PATH = saved;
    }
  });
});
