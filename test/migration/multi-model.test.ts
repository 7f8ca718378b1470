import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { SANDBOX_PYTHON } from "../../src/sandbox/inference-container.js";
import { repoPath } from "../helpers/fixtures.js";
import { documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { score } from "../helpers/score.js";

/**
 * A v1 service with two models: aci-migrate copies both models' files (inside storage) into one folder model,
 * registers it, and deploys it. The sandbox runs the scoring script's init() in a real Python against the managed
 * layout, so the script's v1 paths fail there as they would on Azure, and the v2 paths work.
 */
const python = existsSync(SANDBOX_PYTHON) ? describe : describe.skip;
const sandbox = useAttachedSandbox({ speed: 300 }, (sb) => sb.world.quotaLimits.forEach((q) => (q.limit = 500)));
const SERVICE = "ensemble-two-models";
type Event = { type: string; step?: string; message?: string; lines?: string[]; sessionId?: string };

const cli = (args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const folderModels = () => sandbox.sb.world.models.filter((m) => m.name === `${SERVICE}-models`);
const folderFiles = () => Object.keys(sandbox.sb.world.blobs).filter((k) => k.includes(`/aci-migrate/models/${SERVICE}-models/`));

python("several v1 models, one folder model", () => {
  it("plans where each model will be found under AZUREML_MODEL_DIR", async () => {
    const r = await cli(["plan", "-w", "ml-prod-eastus", "--service", SERVICE, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.model).toEqual({
      kind: "combined",
      name: `${SERVICE}-models`,
      parts: ["ensemble-gbm:4", "ensemble-nn:2"],
      paths: { "ensemble-gbm:4": "models/ensemble-gbm/4", "ensemble-nn:2": "models/ensemble-nn/2" },
    });
    expect(plan.findings.find((f: { id: string }) => f.id === "multiple-models").message).toContain(
      "ensemble-gbm:4 is at $AZUREML_MODEL_DIR/models/ensemble-gbm/4",
    );
  });

  it("without the script's edit the plan is blocked and nothing is created", async () => {
    const r = await cli(["migrate", "-w", "ml-prod-eastus", "--service", SERVICE, "--yes", "--json"]);
    expect(r.code).toBe(1);
    const { result, events } = documentedStream(r.stdout);
    expect(result.services[0].status).toBe("blocked");
    expect(events.find((e: Event & { error?: { message: string } }) => e.type === "step-failed")).toMatchObject({
      step: "preflight",
      error: { message: expect.stringContaining("script-v1-model-paths") },
    });
    expect(folderModels()).toHaveLength(0);
    expect(sandbox.sb.world.endpoints.filter((e) => e.name === `${SERVICE}-online`)).toHaveLength(0);
  });

  it("killed inside the model step, resumed: one model version, one folder; the v1 paths then crash init() with Python's FileNotFoundError", async () => {
    const env = { ...process.env };
    delete env.CI;
    // The script check's blocker is acknowledged, not fixed: the deployment runs the v1 paths.
    const child = spawn(
      process.execPath,
      [
        repoPath("bin/aci-migrate.js"),
        "--sandbox",
        "--state-dir",
        sandbox.stateDir,
        "migrate",
        "-w",
        "ml-prod-eastus",
        "--service",
        SERVICE,
        "--acknowledge",
        "script-v1-model-paths",
        "--yes",
        "--json",
      ],
      { env, stdio: ["ignore", "pipe", "ignore"] },
    );
    let sessionId = "";
    let killed = false;
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const e = JSON.parse(line).event as Event | undefined;
      if (e?.type === "session-started") sessionId = e.sessionId!;
      if (e?.type === "step-progress" && e.step === "model" && !killed) killed = child.kill("SIGKILL");
    });
    await new Promise((done) => child.once("exit", done));
    expect(killed).toBe(true);

    const r = await cli(["resume", sessionId, "--yes", "--json"]);
    expect(r.code).toBe(1);
    const { events } = documentedStream(r.stdout);
    expect(folderModels()).toHaveLength(1);
    expect(
      folderFiles()
        .map((k) => k.replace(/^.*\/models\/ensemble-two-models-models\/[0-9a-f]{16}\//, ""))
        .sort(),
    ).toEqual(["models/ensemble-gbm/4/model.json", "models/ensemble-nn/2/model.json"]);
    const logs = events
      .filter((e: Event) => e.type === "log-lines")
      .flatMap((e: Event) => e.lines!)
      .join("\n");
    expect(logs).toContain("User's init function failed");
    expect(logs).toMatch(
      /FileNotFoundError: \[Errno 2\] No such file or directory: '\/var\/azureml-app\/azureml-models\/ensemble-two-models-models\/1\/ensemble-gbm\/4\/model\.json'/,
    );
  });

  it("with the script's edit accepted, migrates end to end: the patched code is deployed and answers as the ACI service", async () => {
    const r = await cli(["migrate", "-w", "ml-prod-eastus", "--service", SERVICE, "--apply-script-edits", "--yes", "--json"]);
    const { result, events } = documentedStream(r.stdout);
    expect(result.status, r.stderr).toBe("done");
    expect(result.services[0].smokeTest).toEqual({ status: "passed", detail: "the new deployment answers as the ACI service (numbers within the tolerance)" });
    expect(folderModels()).toHaveLength(1); // the folder model of the earlier run, reused
    expect(
      events
        .filter((e: Event) => e.type === "log-lines")
        .flatMap((e: Event) => e.lines!)
        .join("\n"),
    ).toContain("User's init() completed successfully");

    // The deployment runs the edited copy: its code version is the hash of the edited files, and they hold the edit.
    const deployment = sandbox.sb.world.deployments.find((d) => d.endpoint === `${SERVICE}-online` && !d.crash)!;
    const codeId = (deployment.properties.codeConfiguration as { codeId: string }).codeId;
    const code = sandbox.sb.world.codes.find((c) => codeId.endsWith(`/codes/${c.name}/versions/${c.version}`))!;
    const prefix = `${decodeURIComponent(new URL(code.codeUri!).pathname.slice(1))}/`;
    const files = Object.keys(sandbox.sb.world.blobs)
      .filter((k) => k.startsWith(prefix))
      .map((k) => ({ path: k.slice(prefix.length), content: sandbox.sb.readBlob(k)! }));
    const script = files.find((f) => f.path === "score.py")!.content.toString("utf8");
    expect(script).toContain('os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models", "ensemble-gbm", "4", "model.json")');
    const { hashFiles } = await import("../../src/azure/code-snapshot.js");
    const hash = await hashFiles(files.map((f) => ({ path: f.path, size: f.content.length, source: { content: f.content } })));
    expect(code.version).toBe(hash.slice(0, 16));
    expect(code.properties.hash_sha256).toBe(hash);

    // Callers keep their v1 key (the smoke test above compared the answers with the ACI service's).
    const v1 = sandbox.sb.world.services.find((s) => s.name === SERVICE)!;
    expect((await score(sandbox.sb, result.services[0].scoringUri, v1.keys!.primaryKey, { data: [[1, 2, 3, 4, 5]] })).status).toBe(200);
  });
});
