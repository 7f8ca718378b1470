import { describe, expect, it } from "vitest";
import { documented } from "../helpers/json-schema.js";
import { runCliHere } from "../helpers/run-cli.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const sandbox = useAttachedSandbox({ speed: 400 });
// pip is kept off every index: a rehearsal here never waits on the network, and the machine's pip settings do not count.
const OFFLINE = { PIP_NO_INDEX: "1", PIP_CONFIG_FILE: "/dev/null", PIP_FIND_LINKS: undefined, PIP_INDEX_URL: undefined, PIP_EXTRA_INDEX_URL: undefined };
const cli = (...args: string[]) => runCliHere(["--sandbox", "--state-dir", sandbox.stateDir, ...args], OFFLINE);

/** The services that break on a managed deployment, each with the line of its score.py a rehearsal names. */
const BREAKING: Record<string, { exception: string; line: number; code: string }> = {
  "syntax-error-svc": { exception: "SyntaxError", line: 11, code: "def run(raw_data)" },
  "v1-import-svc": { exception: "ModuleNotFoundError", line: 4, code: "from azureml.core.model import Model" },
  "ensemble-get-model-path": { exception: "ModelNotFoundException", line: 11, code: "with open(Model.get_model_path(name)) as f:" },
  "relative-path-svc": { exception: "FileNotFoundError", line: 10, code: 'labels.update(json.load(open("source_dir/labels.json")))' },
  // Its init() joins each model's v1 path onto AZUREML_MODEL_DIR; the open() in load() is where Python fails.
  "ensemble-two-models": { exception: "FileNotFoundError", line: 9, code: "with open(path) as f:" },
};

interface Verdict {
  kind: string;
  exception?: string;
  frame?: { file: string; line: number; code?: string };
  comparedWithV1?: boolean;
}

async function rehearseJson(service: string): Promise<{ code: number; verdict: Verdict; blockers: string[] }> {
  const r = await cli("rehearse", "-w", "ml-prod-eastus", "--service", service, "--runner", "python", "--json");
  const out = JSON.parse(r.stdout) as { rehearsed: { verdict: Verdict }; blockers: string[] };
  return { code: r.code, verdict: out.rehearsed.verdict, blockers: out.blockers };
}

describe("rehearse on the sandbox's services", { timeout: 240_000 }, () => {
  it("gives every seeded migratable ACI service a verdict: the ones that break crash at their line, the others answer as their v1 service", async () => {
    const services = sandbox.sb.world.services.filter(
      (s) => s.workspace.endsWith("/ml-prod-eastus") && s.doc.computeType === "ACI" && s.doc.state === "Healthy",
    );
    expect(services.length).toBeGreaterThan(10);
    for (const s of services) {
      const { code, verdict, blockers } = await rehearseJson(s.name);
      const breaking = BREAKING[s.name];
      if (breaking) {
        expect(verdict, s.name).toMatchObject({
          kind: "crashed",
          exception: breaking.exception,
          frame: { file: "score.py", line: breaking.line, code: breaking.code },
        });
        expect(blockers, s.name).toContain("rehearsal-crashed");
        expect(code, s.name).toBe(1);
      } else if (s.doc.imageId) {
        // A custom container: only a container engine runs its image.
        expect(verdict.kind, s.name).toBe("not-judged");
        expect(code, s.name).toBe(0);
      } else {
        // The rehearsal and the sandbox's v1 container both ran the same script on the same model files.
        expect(verdict, s.name).toMatchObject({ kind: "passed", comparedWithV1: true });
        expect(code, s.name).toBe(0);
      }
    }
  });

  it("the static check finds each breaking case too, as a blocker at the same script", async () => {
    const expected: Record<string, string> = {
      "syntax-error-svc": "script-not-python",
      "v1-import-svc": "script-v1-sdk-import",
      "ensemble-get-model-path": "script-v1-model-get-model-path",
      "relative-path-svc": "script-v1-relative-path",
      "ensemble-two-models": "script-v1-model-paths",
    };
    for (const [service, id] of Object.entries(expected)) {
      const r = await cli("plan", "-w", "ml-prod-eastus", "--service", service, "--json");
      const plan = JSON.parse(r.stdout) as { blockers: string[]; findings: { id: string; file?: string; line?: number }[] };
      expect(plan.blockers, service).toContain(id);
      expect(plan.findings.find((f) => f.id === id)?.file, service).toBe("score.py");
    }
  });

  it("migrate --rehearse stops each breaking case in preflight: nothing is created in Azure", async () => {
    const world = sandbox.sb.world;
    const before = { endpoints: world.endpoints.length, deployments: world.deployments.length, codes: world.codes.length, models: world.models.length };
    const r = await cli(
      "migrate",
      "-w",
      "ml-prod-eastus",
      ...Object.keys(BREAKING).flatMap((s) => ["--service", s]),
      "--rehearse",
      "--runner",
      "python",
      "--yes",
      "--json",
    );
    expect(r.code).toBe(1);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { event?: { type: string; service?: string; step?: string; error?: { message: string } } }).event)
      .filter((e) => e !== undefined);
    for (const service of Object.keys(BREAKING)) {
      const failed = events.find((e) => e.type === "step-failed" && e.service === service);
      expect(failed?.step, service).toBe("preflight");
      expect(failed?.error?.message, service).toContain("rehearsal-crashed");
    }
    expect({ endpoints: world.endpoints.length, deployments: world.deployments.length, codes: world.codes.length, models: world.models.length }).toEqual(
      before,
    );
    // The session keeps the choice to rehearse (a resume rehearses too), in the documented shape.
    const id = (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { sessionId: string }).sessionId;
    const shown = await cli("sessions", "show", id, "--json");
    const { session } = documented<{ session: { services: { rehearse?: unknown }[] } }>(shown.stdout, "sessionShow");
    expect(session.services.map((s) => s.rehearse)).toEqual(Object.keys(BREAKING).map(() => ({ runner: "python" })));
  });
});
