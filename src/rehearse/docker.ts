import { spawn } from "node:child_process";
import { stringify } from "yaml";
import type { Layout } from "./layout.js";

/** The container's port for the inference server (azure-ai-ml's local endpoints publish 5001). */
export const SERVER_PORT = 5001;

/** Docker, or Podman that speaks its command line; undefined when neither has a daemon to talk to. */
export async function containerEngine(): Promise<string | undefined> {
  for (const engine of ["docker", "podman"]) {
    const { code } = await exec(engine, ["info", "--format", "{{.ServerVersion}}"]).catch(() => ({ code: 1, out: "" }));
    if (code === 0) return engine;
  }
  return undefined;
}

export interface ImageSpec {
  /** The environment's base image. */
  readonly image: string;
  /** Its conda specification; none for an image that carries its own Python (a custom container). */
  readonly conda?: unknown;
  /** A tag for the built image, by the environment's content. */
  readonly tag: string;
}

/**
 * The Dockerfile azure-ai-ml writes for `az ml online-deployment create --local` (_local_endpoints/
 * dockerfile_resolver.py): the environment's image, /var/azureml-app as the working directory, the conda file
 * made into the `inf-conda-env` environment; the server started from that environment.
 */
export function dockerfile(spec: ImageSpec, layout: Layout): string {
  const lines = [`FROM ${spec.image}`, "RUN mkdir -p /var/azureml-app/", "WORKDIR /var/azureml-app/"];
  if (spec.conda !== undefined) {
    lines.push("COPY conda.yml /var/azureml-app/", "RUN conda env create -n inf-conda-env --file conda.yml");
    lines.push(
      `CMD ["conda", "run", "--no-capture-output", "-n", "inf-conda-env", "azmlinfsrv", "--entry_script", "${layout.containerEnv.AML_APP_ROOT}/${layout.containerEnv.AZUREML_ENTRY_SCRIPT}", "--port", "${SERVER_PORT}"]`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The build context's files besides the Dockerfile. */
export function buildContext(spec: ImageSpec): Record<string, string> {
  return spec.conda === undefined ? {} : { "conda.yml": stringify(spec.conda) };
}

/** `docker build`: the image of the environment, tagged by its content so a second rehearsal reuses it. */
export function buildCommand(engine: string, spec: ImageSpec, contextDir: string): string[] {
  return [engine, "build", "--tag", spec.tag, contextDir];
}

/**
 * `docker run`: the code and the model mounted read-only where the managed deployment has them, its variables
 * set with the container's paths, the server's port published on 127.0.0.1 only (a free port Docker picks).
 */
export function runCommand(engine: string, spec: ImageSpec, layout: Layout, name: string): string[] {
  return [
    engine,
    "run",
    "--detach",
    "--name",
    name,
    "--publish",
    `127.0.0.1::${SERVER_PORT}`,
    "--volume",
    `${layout.codeDir}:${layout.containerCodeDir}:ro`,
    "--volume",
    `${layout.modelDir}:${layout.containerModelDir}:ro`,
    ...Object.entries(layout.containerEnv).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    spec.tag,
  ];
}

export function exec(command: string, args: readonly string[], signal?: AbortSignal): Promise<{ code: number; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], signal });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? 1, out }));
  });
}
