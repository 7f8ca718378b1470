import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeAtomically } from "../fs/atomic-write.js";
import type { ReplayRecord, ReplaySample } from "../domain/replay-report.js";
import { makeFolder } from "../fs/make-folder.js";

const PROGRESS = "progress.jsonl";
const SAMPLES = "disagreements.json";

/** The files a replay's report is written to, beside its progress. */
export const REPORT_FILES = { markdown: "report.md", html: "report.html", json: "report.json" } as const;

/**
 * A replay's journal, in a folder of the state directory (0700, files 0600): one line per request once both sides
 * answered (counts, statuses, timings and hashes; never a body, which may hold personal data), appended as it
 * happens, so a replay stopped half-way resumes without sending a finished request again. Its first line names
 * the replay (the requests' and the target's hash): a different replay in the same folder starts over.
 * The disagreements shown side by side (bodies) are kept only in the report's files.
 */
export class ReplayJournal {
  private constructor(
    readonly dir: string,
    readonly finished: ReadonlyMap<number, ReplayRecord>,
  ) {}

  static open(dir: string, identity: string): ReplayJournal {
    makeFolder(dir);
    const file = join(dir, PROGRESS);
    const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    const header = lines[0] ? safeParse(lines[0]) : undefined;
    if ((header as { replay?: string } | undefined)?.replay !== identity) {
      for (const name of [PROGRESS, SAMPLES, ...Object.values(REPORT_FILES)]) rmSync(join(dir, name), { force: true });
      appendFileSync(file, `${JSON.stringify({ replay: identity })}\n`, { mode: 0o600 });
      return new ReplayJournal(dir, new Map());
    }
    // A line cut by a kill mid-write is the last one, and only lost (its request is sent again).
    const records = lines
      .slice(1)
      .map(safeParse)
      .filter((r): r is ReplayRecord => typeof (r as ReplayRecord | undefined)?.index === "number");
    return new ReplayJournal(dir, new Map(records.map((r) => [r.index, r])));
  }

  /** Records a request both sides answered (synchronously: a kill right after loses nothing). */
  append(record: ReplayRecord): void {
    appendFileSync(join(this.dir, PROGRESS), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** The disagreements kept so far to show side by side (from the report's folder; none after a fresh start). */
  samples(): ReplaySample[] {
    const file = join(this.dir, SAMPLES);
    const parsed = existsSync(file) ? safeParse(readFileSync(file, "utf8")) : undefined;
    return Array.isArray(parsed) ? (parsed as ReplaySample[]) : [];
  }

  saveSamples(samples: readonly ReplaySample[]): void {
    writeAtomically(join(this.dir, SAMPLES), JSON.stringify(samples, null, 2), 0o600, { fsync: false });
  }

  /** Writes one of the report's files (0600); returns its path. */
  writeReport(kind: keyof typeof REPORT_FILES, text: string): string {
    const file = join(this.dir, REPORT_FILES[kind]);
    writeAtomically(file, text, 0o600);
    return file;
  }
}

/** Reduces a name to safe file-name characters, so no path leaves the folder. */
const safe = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, "_");

/** Where `compare` keeps a service's replay: `<state dir>/replays/<workspace>/<service>/`. */
export function compareReplayDir(stateDir: string, workspace: string, service: string): string {
  return join(stateDir, "replays", safe(workspace), safe(service));
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
