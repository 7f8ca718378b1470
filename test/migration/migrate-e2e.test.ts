import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { SESSION_SCHEMA_VERSION } from "../../src/session/session-file.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { runBin } from "../helpers/run-bin.js";
import { score } from "../helpers/score.js";
import { documented, documentedStream } from "../helpers/json-schema.js";

const SPEED = 200; // a deployment takes ~3 s: long enough to kill a process inside it
const sandbox = useAttachedSandbox({ speed: SPEED });
const outputs: string[] = [];

async function cli(args: string[]) {
  const r = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
  outputs.push(r.stdout, r.stderr);
  return r;
}
const events = (stdout: string) => documentedStream(stdout).events;
const finalOf = (stdout: string) => documentedStream(stdout).result;
const inProd = <T extends { workspace: string }>(list: T[]) => list.filter((x) => x.workspace.endsWith("/workspaces/ml-prod-eastus"));

describe("aci-migrate migrate (against the sandbox, over HTTPS)", () => {
  it("migrates a key-auth service: keys carried, smoke test against ACI, traffic 100%", async () => {
    const r = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes", "--json"]);
    expect(r.code).toBe(0);
    const final = finalOf(r.stdout);
    expect(final).toMatchObject({
      status: "done",
      services: [
        { service: "credit-2cpu-4gb", endpointName: "credit-2cpu-4gb-online", deploymentName: "blue", status: "migrated", smokeTest: { status: "passed" } },
      ],
    });
    const evs = events(r.stdout);
    expect(evs.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["session-started", "step-started", "step-progress", "log-lines", "step-finished", "service-finished", "session-finished"]),
    );
    expect(
      evs
        .filter((e: { type: string }) => e.type === "log-lines")
        .flatMap((e: { lines: string[] }) => e.lines)
        .join("\n"),
    ).toContain("ready for requests");
    // Its scoring script declares a schema, so the smoke test scores the sample its swagger documents.
    expect(evs).toContainEqual(
      expect.objectContaining({ type: "step-progress", step: "smoke-test", message: "scoring the sample input from the service's swagger" }),
    );

    const endpoint = sandbox.sb.world.endpoints.find((e) => e.name === "credit-2cpu-4gb-online")!;
    expect(endpoint.traffic).toEqual({ blue: 100 });
    const deployment = sandbox.sb.world.deployments.find((d) => d.endpoint === "credit-2cpu-4gb-online")!;
    expect(deployment.properties).toMatchObject({
      requestSettings: { requestTimeout: "PT60S" },
      livenessProbe: { initialDelay: "PT10S", period: "PT10S", timeout: "PT2S", failureThreshold: 30, successThreshold: 1 },
      readinessProbe: { period: "PT10S" },
    });
    expect(endpoint.tags).toMatchObject({ "migrated-from": "credit-2cpu-4gb", "aci-migrate-session": final.sessionId });
    const v1 = sandbox.sb.world.services.find((s) => s.name === "credit-2cpu-4gb" && s.workspace.endsWith("ml-prod-eastus"))!;
    const answer = await score(sandbox.sb, final.services[0].scoringUri, v1.keys!.primaryKey, { data: [[1, 2, 3]] });
    expect(answer.status).toBe(200); // callers keep their v1 key; only the URL changes
  });

  it("running it again reuses everything: one endpoint, one deployment, one code version", async () => {
    const r = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes", "--json"]);
    expect(r.code).toBe(0);
    const finished = events(r.stdout).filter((e: { type: string }) => e.type === "step-finished");
    expect(
      finished
        .filter((e: { step: string }) => ["code", "endpoint", "deployment", "traffic"].includes(e.step))
        .every((e: { outcome: string }) => e.outcome === "skipped"),
    ).toBe(true);
    expect(sandbox.sb.world.endpoints.filter((e) => e.name === "credit-2cpu-4gb-online")).toHaveLength(1);
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "credit-2cpu-4gb-online")).toHaveLength(1);
    expect(inProd(sandbox.sb.world.codes).filter((c) => c.name === "credit-2cpu-4gb-code")).toHaveLength(1);
  });

  it("reports ResourceNotReady with the crash lines for the environment without the inference server", async () => {
    const r = await cli([
      "migrate",
      "--workspace",
      "ml-prod-eastus",
      "--service",
      "broken-env",
      "--acknowledge",
      "missing-inference-server",
      "--yes",
      "--json",
    ]);
    expect(r.code).toBe(1);
    const evs = events(r.stdout);
    const failed = evs.find((e: { type: string }) => e.type === "step-failed");
    expect(failed).toMatchObject({ service: "broken-env", step: "deployment", error: { kind: "azure", message: expect.stringContaining("ResourceNotReady") } });
    // The request that started the failed operation, as Azure support asks for it (README promises it).
    expect(failed.error.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const logs = evs
      .filter((e: { type: string }) => e.type === "log-lines")
      .flatMap((e: { lines: string[] }) => e.lines)
      .join("\n");
    expect(logs).toContain("ModuleNotFoundError: No module named 'azureml_inference_server_http'");
    expect(finalOf(r.stdout)).toMatchObject({ status: "failed", services: [{ status: "failed" }] });
    expect(sandbox.sb.world.endpoints.find((e) => e.name === "broken-env-online")?.traffic).toEqual({}); // traffic never moved
    // Asked what to do when it failed, the command (no one at the keyboard) left it as it was.
    expect(evs).toContainEqual(expect.objectContaining({ type: "needs-input", situation: "failed-now", choices: ["retry", "adapt", "stop"] }));
    expect(evs).toContainEqual(expect.objectContaining({ type: "input-received", answer: { choice: "stop" } }));
  });

  it("run again with an environment that has the inference server, the failed deployment is updated in place", async () => {
    const r = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "broken-env", "--environment", "sklearn-inference-env:4", "--yes", "--json"]);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(evs).toContainEqual(
      expect.objectContaining({ type: "needs-input", situation: "failed-earlier", message: "Deployment blue is Failed from an earlier run." }),
    );
    expect(evs).toContainEqual(expect.objectContaining({ type: "input-received", answer: { choice: "retry" } }));
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "broken-env-online")).toHaveLength(1);
    expect(sandbox.sb.world.endpoints.find((e) => e.name === "broken-env-online")?.traffic).toEqual({ blue: 100 });
  });

  it("refuses the taken endpoint name before creating anything", async () => {
    const codesBefore = sandbox.sb.world.codes.length;
    const r = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "fraud-detector", "--yes", "--json"]);
    expect(r.code).toBe(1);
    const failed = events(r.stdout).find((e: { type: string }) => e.type === "step-failed");
    expect(failed).toMatchObject({
      step: "preflight",
      error: {
        kind: "user-fixable",
        message: "The endpoint name fraud-detector-online is already taken in eastus.",
        nextStep: expect.stringContaining("fraud-detector-online-2"),
      },
    });
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "fraud-detector-online")).toBe(false);
    expect(sandbox.sb.world.codes.length).toBe(codesBefore);
    // With another name it goes through.
    const ok = await cli([
      "migrate",
      "--workspace",
      "ml-prod-eastus",
      "--service",
      "fraud-detector",
      "--endpoint-name",
      "fraud-detector-online-2",
      "--yes",
      "--json",
    ]);
    expect(ok.code).toBe(0);
  });

  it("deploys an image-based service, once acknowledged, as a custom container built from its v1 image", async () => {
    const blocked = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "legacy-image", "--yes", "--json"]);
    expect(blocked.code).toBe(1);
    expect(events(blocked.stdout).find((e: { type: string }) => e.type === "step-failed").error.nextStep).toContain("--acknowledge image-based-service");
    const r = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "legacy-image", "--acknowledge", "image-based-service", "--yes", "--json"]);
    expect(r.code).toBe(0);
    expect(finalOf(r.stdout).services[0]).toMatchObject({
      status: "migrated",
      smokeTest: { status: "passed", detail: "the new deployment answers as the ACI service (numbers within the tolerance)" },
    });
    expect(events(r.stdout)).toContainEqual(
      expect.objectContaining({ type: "step-progress", step: "smoke-test", message: expect.stringContaining("a default sample") }),
    ); // no swagger
    const env = inProd(sandbox.sb.world.environments).find((e) => e.name === "legacy-image-image-env")!;
    expect(env.image).toBe("mlprodeastusacr.azurecr.io/legacy-fraud-image:3");
    expect(env.inferenceConfig).toMatchObject({ scoringRoute: { path: "/score", port: 5001 } });
    const d = sandbox.sb.world.deployments.find((x) => x.endpoint === "legacy-image-online")!;
    expect(d.properties.codeConfiguration).toBeUndefined();
    expect(inProd(sandbox.sb.world.codes).some((c) => c.name === "legacy-image-code")).toBe(false);
  });

  it("takes the scoring code from a local folder with --code-dir, under that folder's content hash", async () => {
    const r = await cli([
      "migrate",
      "--workspace",
      "ml-prod-eastus",
      "--service",
      "iris-noauth",
      "--code-dir",
      repoPath("samples/v1-cli-json/src"),
      "--yes",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const { readCodeFolder } = await import("../../src/azure/code-snapshot.js");
    const expected = (await readCodeFolder(repoPath("samples/v1-cli-json/src"))).hash;
    const code = inProd(sandbox.sb.world.codes).find((c) => c.name === "iris-noauth-code")!;
    expect(code.version).toBe(expected.slice(0, 16));
    expect(code.properties.hash_sha256).toBe(expected);
    const uploaded = Object.keys(sandbox.sb.world.blobs).find((k) => k.includes(`/LocalUpload/${expected.slice(0, 32)}/iris-noauth-code/score.py`));
    expect(sandbox.sb.readBlob(uploaded!)?.toString()).toBe(readFileSync(repoPath("samples/v1-cli-json/src/score.py"), "utf8"));
    const missing = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "iris-noauth", "--code-dir", "/no/such/dir", "--yes"]);
    expect(missing.stderr).toContain("--code-dir /no/such/dir is not a folder."); // (first, so a failure shows what it said)
    expect(missing.code).toBe(2);
  });

  it("a process killed inside the deployment's LRO is finished by resume in a new process, without a second PUT", async () => {
    const env = { ...process.env };
    delete env.CI;
    const child = spawn(
      process.execPath,
      [
        repoPath("bin/aci-migrate.js"),
        "--sandbox",
        "--state-dir",
        sandbox.stateDir,
        "migrate",
        "--workspace",
        "ml-prod-eastus",
        "--service",
        "churn-keyauth",
        "--yes",
        "--json",
      ],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    const sessionId = await new Promise<string>((resolve, reject) => {
      let id = "";
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const e = JSON.parse(line).event;
        if (e?.type === "session-started") id = e.sessionId;
        if (e?.type === "log-lines") {
          child.kill("SIGKILL"); // mid-deployment: the PUT was sent, the LRO runs on
          resolve(id);
        }
      });
      child.once("exit", (code) => code !== null && reject(new Error(`migrate ended (${code}) before the deployment started`)));
    });
    await new Promise((r) => child.once("exit", r));
    const deploymentPuts = () =>
      sandbox.sb.world.operations.filter((o) => o.kind === "deployment-create" && o.target.includes("/onlineendpoints/churn-keyauth-online/")).length;
    expect(deploymentPuts()).toBe(1);

    const r = await cli(["resume", sessionId, "--yes", "--json"]);
    expect(r.code).toBe(0);
    const finished = events(r.stdout).filter((e: { type: string }) => e.type === "step-finished");
    expect(finished.find((e: { step: string }) => e.step === "deployment").detail).toContain("attached to the earlier operation");
    expect(deploymentPuts()).toBe(1);
    expect(sandbox.sb.world.endpoints.filter((e) => e.name === "churn-keyauth-online")).toHaveLength(1);
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "churn-keyauth-online")).toHaveLength(1);
    expect(inProd(sandbox.sb.world.codes).filter((c) => c.name === "churn-keyauth-code")).toHaveLength(1);
    expect(sandbox.sb.world.endpoints.find((e) => e.name === "churn-keyauth-online")!.traffic).toEqual({ blue: 100 });
  });
});

describe("sessions, resume and bad input", () => {
  it("lists the sessions with their outcome", async () => {
    const r = await cli(["sessions", "--json"]);
    expect(r.code).toBe(0);
    const list = documented(r.stdout, "sessions").sessions;
    expect(list.length).toBeGreaterThanOrEqual(5);
    expect(list.some((s: { services: { name: string; outcome: string }[] }) => s.services.some((x) => x.name === "broken-env" && x.outcome === "failed"))).toBe(
      true,
    );
  });

  it("shows one session (text and JSON) and forgets one; unknown ids and actions are bad input", async () => {
    const list = documented((await cli(["sessions", "--json"])).stdout, "sessions").sessions as { id: string; services: { name: string; outcome: string }[] }[];
    const credit = list.find((s) => s.services.some((x) => x.name === "credit-2cpu-4gb" && x.outcome === "migrated"))!;
    const text = await cli(["sessions", "show", credit.id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Session ${credit.id} · done · sandbox workspace ml-prod-eastus`);
    expect(text.stdout).toMatch(/credit-2cpu-4gb → credit-2cpu-4gb-online\/blue · 1 × Standard_DS2_v2 · migrated/);
    expect(text.stdout).toMatch(/traffic +(done|skipped)/);
    expect(text.stdout).toContain("smoke test passed");
    const json = documented((await cli(["sessions", "show", credit.id, "--json"])).stdout, "sessionShow");
    expect(json.session).toMatchObject({ id: credit.id, schemaVersion: SESSION_SCHEMA_VERSION, target: { workspace: "ml-prod-eastus" } });

    const broken = list.find((s) => s.services.some((x) => x.name === "broken-env" && x.outcome === "failed"))!;
    const forgot = await cli(["sessions", "forget", broken.id]);
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toContain("Azure resources it created are untouched");
    expect(documented((await cli(["sessions", "--json"])).stdout, "sessions").sessions.some((s: { id: string }) => s.id === broken.id)).toBe(false);
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "broken-env-online")).toBe(true);
    expect((await cli(["sessions", "forget", broken.id])).code).toBe(2);
    expect((await cli(["sessions", "show"])).stderr).toContain("needs a session id");
    expect((await cli(["sessions", "frob", credit.id])).code).toBe(2);
  }, 90_000);

  it("migrate without --yes, or with an unknown service, is bad input (exit 2)", async () => {
    expect((await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "credit-2cpu-4gb"])).stderr).toMatch(/needs --yes/);
    const unknown = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "nope", "--yes"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("has no service named nope");
    const badOverride = await cli(["migrate", "--workspace", "ml-prod-eastus", "--service", "iris-noauth", "--instances", "0", "--yes"]);
    expect(badOverride.code).toBe(2);
    expect(badOverride.stderr).toContain("--instances: The instance count must be a whole number from 1 to 50 (got 0).");
  });

  it("a corrupt or newer session file is reported (exit 1) and left untouched", async () => {
    const dir = join(sandbox.stateDir, "sessions");
    writeFileSync(join(dir, "20990101-000000-0bad.json"), "{ truncated");
    const r = await cli(["resume", "20990101-000000-0bad", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot be read");
    expect(readFileSync(join(dir, "20990101-000000-0bad.json"), "utf8")).toBe("{ truncated");
    writeFileSync(join(dir, "20990101-000000-0abc.json"), JSON.stringify({ schemaVersion: 99, id: "20990101-000000-0abc" }));
    const newer = await cli(["resume", "20990101-000000-0abc", "--yes"]);
    expect(newer.code).toBe(1);
    expect(newer.stderr).toContain("written by a newer aci-migrate");
  });

  it("--verbose prints each HTTP request (method, URL without its query, status, request id)", async () => {
    // (--rate 0: its 240 collected requests are replayed as fast as the sandbox answers.)
    const r = await cli(["--verbose", "migrate", "--workspace", "ml-prod-eastus", "--service", "telemetry-svc", "--rate", "0", "--yes"]);
    expect(r.code).toBe(0);
    const http = r.stderr.split("\n").filter((l) => l.startsWith("  http "));
    expect(
      http.some((l) =>
        /^ {2}http PUT https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/onlineEndpoints\/telemetry-svc-online → 20[01] \(\d+ ms, request id [0-9a-f-]{36}\)$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(http.some((l) => l.includes("/modelmanagement/v1.0/"))).toBe(true);
    expect(http.every((l) => !l.includes("?"))).toBe(true); // queries (SAS signatures) are never printed
    expect(http.filter((l) => !/ → \d{3} \(/.test(l))).toEqual([]); // each line a request Azure answered (none cancelled before it left)
  });

  it("no v1 key or endpoint key appears in any file of the state dir or in any output", () => {
    const secrets = [
      ...sandbox.sb.world.services.flatMap((s) => (s.keys ? [s.keys.primaryKey, s.keys.secondaryKey] : [])),
      ...sandbox.sb.world.endpoints.flatMap((e) => [e.keys.primaryKey, e.keys.secondaryKey]),
    ];
    expect(secrets.length).toBeGreaterThan(10);
    // Session files and the container logs kept beside them (`<id>.logs/`).
    const sessionFiles = readdirSync(join(sandbox.stateDir, "sessions"), { recursive: true, encoding: "utf8" })
      .map((f) => join(sandbox.stateDir, "sessions", f))
      .filter((f) => statSync(f).isFile());
    expect(sessionFiles.some((f) => f.endsWith(".log"))).toBe(true);
    for (const f of sessionFiles) {
      if ((f.endsWith(".json") || f.endsWith(".log")) && !f.includes("20990101")) expect(statSync(f).mode & 0o777).toBe(0o600);
      const text = readFileSync(f, "utf8");
      for (const s of secrets) expect(text.includes(s), `${f} holds a key`).toBe(false);
    }
    for (const out of outputs) for (const s of secrets) expect(out.includes(s), "a command printed a key").toBe(false);
  });
});
