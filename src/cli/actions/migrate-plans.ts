import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { quote } from "shell-quote";
import type { AzureMigrationAdapter } from "../../azure/migration-adapter.js";
import type { WorkspaceSummary } from "../../azure/workspaces.js";
import type { MigrationRecord } from "../../domain/audit.js";
import { UserFixableError } from "../../domain/errors.js";
import { parseServiceJson } from "../../domain/parse-service-json.js";
import { driftLines, driftOf, type PlanDrift, type SavedPlan } from "../../domain/saved-plan.js";
import { EXIT } from "../../journey/exit-codes.js";
import { DRIVEN_ELSEWHERE } from "../../migration/driver-lease.js";
import { SessionStore } from "../../session/journal.js";
import { newStepRecords } from "../../session/session-file.js";
import { answerWithoutAsking } from "../answer-policy.js";
import { commandLineOf } from "../command-line.js";
import type { Connect, ConnectedSession } from "../connect.js";
import { connectWithEvents, driveSession, eventPrinter } from "../drive-session.js";
import type { CommandIo } from "../io.js";
import { localRehearser } from "../local-rehearser.js";
import { basisOf, planSource, readLiveSource } from "../plan-live.js";
import { flagsOf } from "../plan-override-options.js";
import { HeldOutput } from "../plain/held-output.js";
import { readRequests } from "../read-requests.js";
import { readSavedPlan } from "../read-saved-plan.js";
import { printJson } from "../render/json-output.js";
import { stateDirOf } from "../state-dir-option.js";
import { sessionTarget } from "../session-target.js";

/** A saved plan read from its file, with where it applies. */
interface PlanToApply {
  readonly file: string;
  readonly saved: SavedPlan;
  ws?: WorkspaceSummary;
  /** The workspace the endpoint goes into, when the plan names another one. */
  into?: WorkspaceSummary;
}

/** How one saved plan ended in this run. */
interface PlanOutcome {
  readonly file: string;
  readonly workspace: string;
  readonly service: string;
  readonly status: "migrated" | "failed" | "cancelled" | "already-migrated";
  readonly sessionId?: string;
}

/**
 * `migrate --plan FILE|DIR …`: applies saved plans exactly. Every plan is first checked against Azure as it is
 * now; if any was based on something that changed, each difference is said and nothing is created. Then each plan
 * runs in a session of its own. A service that Azure's tags show migrated is skipped, and one that another
 * process drives (its lease) is come back to, so several machines given one folder share its services.
 */
export async function runMigratePlans(io: CommandIo, connect: Connect, cmd: Command, o: { plan: string[]; json: boolean }): Promise<void> {
  const plans = await readPlans(o.plan);
  const connected = await connectWithEvents(connect, cmd, io, o.json);
  try {
    const [{ AzureMigrationAdapter }, { findWorkspace }] = await Promise.all([import("../../azure/migration-adapter.js"), import("../find-workspace.js")]);
    const adapter = new AzureMigrationAdapter(connected.conn);
    const notice = (message: string) => eventPrinter(io, o.json)({ type: "notice", message });
    for (const p of plans) {
      p.ws = await findWorkspace(connected.conn, p.saved.target.workspace, p.saved.target.subscriptionId, p.saved.target.resourceGroup);
      const into = p.saved.choices.into;
      if (into) p.into = await findWorkspace(connected.conn, into.workspace, into.subscriptionId, into.resourceGroup);
    }
    const drifted: { p: PlanToApply; lines: string[] }[] = [];
    const migrations = await migrationsOf(connected, plans);
    for (const p of plans) {
      if (migrations.get(p)?.serving) continue; // done already: nothing of it is applied again
      const drift = await driftNow(adapter, connected, p);
      if (drift.length) drifted.push({ p, lines: driftLines(drift) });
    }
    if (drifted.length) {
      throw new UserFixableError(
        `${drifted.length === 1 ? "A saved plan no longer matches" : `${drifted.length} saved plans no longer match`} what Azure holds now; nothing was created.`,
        {
          why: `What changed since it was saved (saved → now):\n  ${drifted.map(({ p, lines }) => `${p.file} (${p.saved.service}):\n    ${lines.join("\n    ")}`).join("\n  ")}`,
          nextStep: `Plan ${drifted.length === 1 ? "it" : "each"} again, review the new file, and apply that: ${drifted.map(({ p }) => `\`${planAgain(cmd, connected, p)}\``).join(", ")}.`,
          kind: "state",
          code: "PlanDrift",
        },
      );
    }
    const outcomes: PlanOutcome[] = [];
    let pending = [...plans];
    while (pending.length) {
      const waiting: PlanToApply[] = [];
      for (const p of pending) {
        const done = (await migrationsOf(connected, [p])).get(p); // read again: another machine may have finished it
        if (done?.serving) {
          notice(`${p.saved.service} is migrated already (endpoint ${done.endpoint}${done.sessionId ? `, session ${done.sessionId}` : ""}): skipped.`);
          outcomes.push({ ...describe(p), status: "already-migrated", ...(done.sessionId ? { sessionId: done.sessionId } : {}) });
          continue;
        }
        const ran = await applyPlan(io, cmd, connected, adapter, p, o.json);
        if (ran === "driven elsewhere") waiting.push(p);
        else outcomes.push(ran);
        if (ran !== "driven elsewhere" && ran.status === "cancelled") return finish(io, o.json, outcomes, EXIT.cancelled);
      }
      if (waiting.length) {
        notice(`${waiting.map((p) => p.saved.service).join(", ")}: driven by another process; looked at again in a moment.`);
        await new Promise((r) => setTimeout(r, connected.conn.leaseRenewMs ?? 20_000));
      }
      pending = waiting;
    }
    finish(io, o.json, outcomes, outcomes.some((x) => x.status === "failed") ? EXIT.failed : EXIT.done);
  } finally {
    await connected.close();
  }
}

/** The command that saves the plan again from Azure as it is now, with the same choices, over the same file. */
function planAgain(cmd: Command, connected: ConnectedSession, p: PlanToApply): string {
  const { target, service, choices } = p.saved;
  const where = ["-s", target.subscriptionId, "-g", target.resourceGroup, "-w", target.workspace, "--service", service];
  const code = choices.codeDir ? ["--code-dir", choices.codeDir] : [];
  const into = choices.into
    ? [
        "--target-subscription",
        choices.into.subscriptionId,
        "--target-resource-group",
        choices.into.resourceGroup,
        "--target-workspace",
        choices.into.workspace,
      ]
    : [];
  return commandLineOf(cmd, { sandbox: connected.sandbox })(`plan ${quote([...where, ...flagsOf(choices.overrides), ...code, ...into, "--save", p.file])}`);
}

const describe = (p: PlanToApply) => ({ file: p.file, workspace: p.saved.target.workspace, service: p.saved.service });

function finish(io: CommandIo, json: boolean, outcomes: readonly PlanOutcome[], exitCode: number): void {
  if (json) printJson(io, { plans: outcomes }, { compact: true });
  else {
    io.out("");
    for (const x of outcomes) io.out(`${x.service} (${x.file}): ${x.status.replace("-", " ")}${x.sessionId ? `, session ${x.sessionId}` : ""}`);
  }
  process.exitCode = exitCode;
}

/** The files named: each file itself, and each folder's .yml, .yaml and .json files in name order. */
async function readPlans(paths: readonly string[]): Promise<PlanToApply[]> {
  const files = paths.flatMap((path) => {
    const full = resolve(path);
    const folder = (() => {
      try {
        return statSync(full).isDirectory();
      } catch {
        return false; // said by the reader, with the path
      }
    })();
    if (!folder) return [path];
    const found = readdirSync(full)
      .filter((f) => /\.(ya?ml|json)$/i.test(f))
      .sort()
      .map((f) => join(path, f));
    if (!found.length)
      throw new UserFixableError(`The folder ${path} holds no saved plan (.yml, .yaml or .json).`, {
        nextStep: "Save plans into it with `aci-migrate plan -w WORKSPACE --service NAME --save FOLDER/NAME.yml`.",
        source: path,
        kind: "input",
      });
    return found;
  });
  const plans = await Promise.all(files.map(async (file) => ({ file, saved: await readSavedPlan(file) })));
  const seen = new Map<string, string>();
  for (const p of plans) {
    const key = `${p.saved.target.subscriptionId}/${p.saved.target.resourceGroup}/${p.saved.target.workspace}/${p.saved.service}`.toLowerCase();
    const other = seen.get(key);
    if (other)
      throw new UserFixableError(`${other} and ${p.file} are both plans for ${p.saved.service} in ${p.saved.target.workspace}.`, {
        why: "A service is migrated by one plan; two could create two different endpoints for it.",
        nextStep: "Keep the one that was reviewed and remove the other.",
        source: p.file,
        kind: "input",
      });
    seen.set(key, p.file);
  }
  return plans;
}

/** What Azure's tags say of each plan's service: its endpoint, the session that made it, whether it serves. */
async function migrationsOf(connected: ConnectedSession, plans: readonly PlanToApply[]): Promise<Map<PlanToApply, MigrationRecord>> {
  const { listMigrations } = await import("../../azure/workspaces.js");
  const byWorkspace = new Map<WorkspaceSummary, Map<string, MigrationRecord>>();
  const out = new Map<PlanToApply, MigrationRecord>();
  for (const p of plans) {
    if (!byWorkspace.has(p.ws!)) byWorkspace.set(p.ws!, await listMigrations(connected.conn, p.ws!));
    const record = byWorkspace.get(p.ws!)!.get(p.saved.service);
    if (record) out.set(p, record);
  }
  return out;
}

/** The plan made again from Azure as it is now, with the saved choices, compared with the saved one. */
async function driftNow(adapter: AzureMigrationAdapter, connected: ConnectedSession, p: PlanToApply): Promise<PlanDrift[]> {
  const { getV1Service } = await import("../../azure/workspaces.js");
  const doc = await getV1Service(connected.conn, p.ws!, p.saved.service);
  if (!doc) return [{ field: "v1 service", saved: `${p.saved.service} in ${p.saved.target.workspace}`, now: "deleted" }];
  const overrides = p.saved.choices.overrides;
  const source = await readLiveSource(adapter, p.ws!, { doc, service: parseServiceJson(doc, `${p.ws!.workspace}/${p.saved.service}`) }, overrides, {
    codeDir: p.saved.choices.codeDir,
    ...(p.into ? { into: p.into } : {}),
  });
  const plan = await planSource(source, overrides);
  return driftOf(p.saved, { basis: basisOf(source, plan), plan });
}

/** One saved plan in a session of its own: its plan as saved, its choices as made. */
async function applyPlan(
  io: CommandIo,
  cmd: Command,
  connected: ConnectedSession,
  adapter: AzureMigrationAdapter,
  p: PlanToApply,
  json: boolean,
): Promise<PlanOutcome | "driven elsewhere"> {
  const ws = p.ws!;
  const stateDir = stateDirOf(cmd);
  const secrets = new Set<string>();
  const store = new SessionStore(stateDir, () => [...secrets]);
  const session = store.create({
    status: "running",
    target: sessionTarget(connected, ws, p.into),
    services: [
      {
        name: p.saved.service,
        overrides: p.saved.choices.overrides,
        ...(p.saved.choices.codeDir ? { codeDir: p.saved.choices.codeDir } : {}),
        savedPlan: { file: resolve(p.file), service: p.saved.basedOn.service },
        plan: p.saved.plan,
        steps: newStepRecords(),
        resources: {},
      },
    ],
  });
  session.release();
  const command = commandLineOf(cmd, { sandbox: connected.sandbox });
  const result = await driveSession(new HeldOutput(io), json, adapter, store, session.data.id, secrets, {
    concurrency: 1,
    rehearser: localRehearser(stateDir),
    readRequests,
    callers: { command, caPem: connected.conn.caPem },
    resumed: false,
    command,
    answer: answerWithoutAsking,
    quietResult: json,
  });
  const refused = store.read(store.fileOf(session.data.id)).services[0]!.steps.preflight.error?.code === DRIVEN_ELSEWHERE;
  if (refused) {
    store.forget(session.data.id); // it created nothing: the other process's session is the one that counts
    return "driven elsewhere";
  }
  const status = result.exitCode === EXIT.done ? "migrated" : result.exitCode === EXIT.cancelled ? "cancelled" : "failed";
  return { ...describe(p), status, sessionId: session.data.id };
}
