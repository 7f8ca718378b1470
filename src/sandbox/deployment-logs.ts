import type { DeploymentRecord, OperationRecord } from "./world.js";

export type ContainerType = "StorageInitializer" | "InferenceServer";

interface TimedLine {
  /** Fraction (0-1) of the deployment's provisioning time at which the line is written. */
  readonly at: number;
  readonly text: (stamp: string) => string;
}

/** `2026-11-25 09:00:04,312` — the inference server's log time format. */
function stamp(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)},${d.slice(20, 23)}`;
}

function assetName(armId: unknown, kind: string): string {
  const m = new RegExp(`/${kind}/([^/]+)/versions/([^/]+)$`, "i").exec(String(armId ?? ""));
  return m ? `${m[1]}/${m[2]}` : String(armId ?? "unknown");
}

const files = (n: number) => `${n} file${n === 1 ? "" : "s"}`;
const size = (bytes: number) => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);

function storageInitializerLines(d: DeploymentRecord): TimedLine[] {
  const model = assetName(d.properties.model, "models");
  const code = (d.properties.codeConfiguration as { codeId?: string } | undefined)?.codeId;
  const download = d.download;
  if (!download) {
    return [
      { at: 0.05, text: (t) => `${t} | INFO | storage-initializer | Starting storage initializer for deployment ${d.name}` },
      { at: 0.1, text: (t) => `${t} | ERROR | storage-initializer | ${d.crash}` },
    ];
  }
  return [
    { at: 0.05, text: (t) => `${t} | INFO | storage-initializer | Starting storage initializer for deployment ${d.name}` },
    { at: 0.08, text: (t) => `${t} | INFO | storage-initializer | Downloading model ${model} to /var/azureml-app/azureml-models/${model}` },
    { at: 0.2, text: (t) => `${t} | INFO | storage-initializer | Model download completed (${files(download.modelFiles)}, ${size(download.modelBytes)})` },
    ...(code
      ? [
          {
            at: 0.22,
            text: (t: string) => `${t} | INFO | storage-initializer | Downloading code ${assetName(code, "codes")} to /var/azureml-app/${codeFolder(d)}`,
          },
          { at: 0.28, text: (t: string) => `${t} | INFO | storage-initializer | Code download completed (${files(download.codeFiles ?? 0)})` },
        ]
      : []),
    { at: 0.3, text: (t) => `${t} | INFO | storage-initializer | Storage initialization finished` },
  ];
}

/** The probe failing and the container restarting, from `at` on. */
function restarting(at: number): TimedLine[] {
  return [
    { at, text: (t) => `${t} E [1] entrypoint - Liveness probe failed: HTTP probe failed with statuscode: 502` },
    { at: at + 0.05, text: (t) => `${t} E [1] entrypoint - Container exited with code 1; restarting (back-off 10s)` },
  ];
}

function inferenceServerLines(d: DeploymentRecord): TimedLine[] {
  if (!d.download) return []; // the storage initializer failed: the server never started
  const script = (d.properties.codeConfiguration as { scoringScript?: string } | undefined)?.scoringScript ?? "score.py";
  const model = assetName(d.properties.model, "models");
  const banner = [
    "Azure ML Inferencing HTTP server v1.2.2",
    "",
    "Server Settings",
    "---------------",
    `Entry Script Name: /var/azureml-app/${codeFolder(d)}/${script}`,
    `Model Directory: /var/azureml-app/azureml-models/${model}`,
    "Worker Count: 1",
    "Worker Timeout (seconds): 300",
    "Server Port: 31311",
    "Health Port: 31311",
    `Application Insights Enabled: ${d.properties.appInsightsEnabled ? "true" : "false"}`,
    "",
    "Server Routes",
    "---------------",
    "Liveness Probe: GET   127.0.0.1:31311/",
    "Score:          POST  127.0.0.1:31311/score",
    "",
  ];
  const lines: TimedLine[] = banner.map((text, i) => ({ at: 0.45 + i * 0.001, text: () => text }));
  if (d.crash && !d.init) {
    lines.push(
      { at: 0.47, text: (t) => `${t} E [1] entrypoint - ${d.crash}` },
      { at: 0.5, text: () => "Traceback (most recent call last):" },
      { at: 0.5, text: () => '  File "/opt/miniconda/envs/amlenv/bin/azmlinfsrv", line 5, in <module>' },
      { at: 0.5, text: () => "ModuleNotFoundError: No module named 'azureml_inference_server_http'" },
      ...restarting(0.55),
    );
    return lines;
  }
  // What the script printed, or Python's traceback, from the real run of its init() (see inference-container.ts).
  // A failed operation ends at 0.6 of its span, so a crash is told before that.
  const output = d.init?.lines ?? [];
  const crashed = d.init?.outcome === "crashed";
  const at = (success: number, crash: number) => (crashed ? crash : success);
  lines.push(
    { at: 0.5, text: (t) => `${t} I [32726] gunicorn.error - Starting gunicorn 20.1.0` },
    { at: 0.5, text: (t) => `${t} I [32726] gunicorn.error - Listening at: http://0.0.0.0:31311 (32726)` },
    { at: at(0.52, 0.505), text: (t) => `${t} I [32756] gunicorn.error - Booting worker with pid: 32756` },
    { at: at(0.6, 0.51), text: (t) => `${t} I [32756] azmlinfsrv.user_script - Found user script at /var/azureml-app/${codeFolder(d)}/${script}` },
    { at: at(0.6, 0.51), text: (t) => `${t} I [32756] azmlinfsrv.user_script - run() is not decorated. Server will invoke it with raw input.` },
    { at: at(0.62, 0.52), text: (t) => `${t} I [32756] azmlinfsrv.user_script - Invoking user's init function` },
  );
  if (crashed) {
    lines.push(
      { at: 0.53, text: (t) => `${t} E [32756] azmlinfsrv - User's init function failed` },
      { at: 0.53, text: (t) => `${t} E [32756] azmlinfsrv - Encountered Exception ${output[0] ?? ""}` },
      ...output.slice(1).map((text) => ({ at: 0.53, text: () => text })),
      { at: 0.54, text: (t) => `${t} I [32756] gunicorn.error - Worker exiting (pid: 32756)` },
      ...restarting(0.55),
    );
    return lines;
  }
  lines.push(
    ...output.map((text) => ({ at: 0.7, text: (t: string) => (d.init?.outcome === "not-run" ? `${t} W [32756] sandbox - ${text}` : text) })),
    { at: 0.8, text: (t) => `${t} I [32756] azmlinfsrv.user_script - User's init() completed successfully in 1412ms.` },
    { at: 0.8, text: (t) => `${t} I [32756] azmlinfsrv - Azure ML Inference HTTP server is up and ready for requests!` },
  );
  for (let at = 0.85; at < 1.0001; at += 0.05) lines.push({ at, text: (t) => `${t} I [32756] azmlinfsrv.access - GET / 200 2ms` });
  return lines;
}

/**
 * The container logs of a deployment as `getLogs` returns them at `nowMs`: the lines written so far, computed
 * from when its latest create/update started and how long it takes (so they appear line by line).
 */
export function deploymentLogs(d: DeploymentRecord, op: OperationRecord | undefined, container: ContainerType, nowMs: number, tail?: number): string {
  const start = op?.startedAtMs ?? d.createdAtMs;
  // A failed operation ends early (at the crash); its logs are laid out over what the full run would have taken.
  const span = op ? (op.outcome === "Failed" ? op.durationMs / 0.6 : op.durationMs) : 1;
  const lines = (container === "StorageInitializer" ? storageInitializerLines(d) : inferenceServerLines(d))
    .map((l) => ({ ms: start + l.at * span, text: l.text }))
    .filter((l) => l.ms <= nowMs)
    .map((l) => l.text(stamp(l.ms)));
  const picked = tail !== undefined && tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
  return picked.join("\n");
}

/** The code's folder under /var/azureml-app: the registered code's name (aci-migrate uploads it under that name). */
function codeFolder(d: DeploymentRecord): string {
  const codeId = String((d.properties.codeConfiguration as { codeId?: string } | undefined)?.codeId ?? "");
  return /\/codes\/([^/]+)\//i.exec(codeId)?.[1] ?? "code";
}
