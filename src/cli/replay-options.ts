import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_TOLERANCE } from "../domain/compare-answers.js";
import { DEFAULT_REPLAY_SETTINGS, type ReplaySettings } from "../domain/replay-report.js";
import { resolve } from "node:path";
import type { SessionReplay } from "../session/session-file.js";
import { atLeastOne, collect } from "./options.js";

export interface ReplayFlags {
  requests?: string;
  limit?: number;
  rtol?: number;
  atol?: number;
  ignore?: string[];
  minAgreement?: number;
  maxLatencyRatio?: number;
  concurrency?: number;
  /** `migrate`'s --concurrency is services at once; its replay's is this. */
  replayConcurrency?: number;
  rate?: number;
  noiseShare?: number;
}

/** A share given as a percentage (`99.5`, `99.5%`) or a fraction (`0.995`), as 0–1. */
function share(value: string): number {
  const m = /^\s*(\d*\.?\d+)\s*(%?)\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  const fraction = m?.[2] || n > 1 ? n / 100 : n;
  if (!m || !(fraction >= 0 && fraction <= 1)) throw new InvalidArgumentError("expected a percentage from 0 to 100 (e.g. 99.5 or 99.5%).");
  return fraction;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!/^\s*(\d*\.?\d+)([eE][-+]?\d+)?\s*$/.test(value) || !(n >= 0)) throw new InvalidArgumentError("expected a number of 0 or more (e.g. 1e-5 or 0.001).");
  return n;
}

function ratio(value: string): number {
  const n = nonNegative(value);
  if (!(n >= 1)) throw new InvalidArgumentError("expected a ratio of 1 or more (1.5: the new p95 may be 50% slower).");
  return n;
}

/** How requests are replayed and judged: shared by `compare` and the gate of `migrate`/`resume`. */
export function addReplayOptions(cmd: Command, o: { gate: boolean }): Command {
  const d = DEFAULT_REPLAY_SETTINGS;
  return cmd
    .option(
      "--requests <path>",
      o.gate
        ? "replay these requests before traffic moves: a JSON Lines file (a request body per line) or a folder of .json bodies"
        : "the requests to replay: a JSON Lines file (a request body per line) or a folder of .json bodies (default: the inputs the service's data collection kept)",
    )
    .option("--limit <n>", "replay at most this many requests (the newest collected ones; the first of a file)", atLeastOne)
    .option("--rtol <x>", `numbers agree when |old - new| <= atol + rtol * |old| (rtol default ${DEFAULT_TOLERANCE.relative})`, nonNegative)
    .option("--atol <x>", `the absolute part of that tolerance (default ${DEFAULT_TOLERANCE.absolute})`, nonNegative)
    .option("--ignore <field>", "leave a field out of the comparison: a key at any depth (timestamp) or a path ($.meta.id, $[*].ts); repeatable", collect)
    .option("--min-agreement <pct>", `traffic moves only when at least this share of the answers agree (default ${d.minAgreement * 100}%)`, share)
    .option("--max-latency-ratio <x>", `and the new p95 is at most this many times the old one's (default ${d.maxLatencyRatio})`, ratio)
    .option(o.gate ? "--replay-concurrency <n>" : "--concurrency <n>", `requests in flight at once on each side (default ${d.concurrency})`, atLeastOne)
    .option("--rate <n>", `requests per second to the old service at most, to protect it (default ${d.ratePerSecond}; 0: no limit)`, nonNegative)
    .option("--noise-share <pct>", `share of the requests also sent twice to the old service, to measure its noise (default ${d.noiseShare * 100}%)`, share);
}

/** The settings the flags give, the defaults elsewhere. */
export function replaySettingsFrom(f: ReplayFlags): ReplaySettings {
  const d = DEFAULT_REPLAY_SETTINGS;
  return {
    tolerance: { relative: f.rtol ?? DEFAULT_TOLERANCE.relative, absolute: f.atol ?? DEFAULT_TOLERANCE.absolute },
    ignore: f.ignore ?? d.ignore,
    minAgreement: f.minAgreement ?? d.minAgreement,
    maxLatencyRatio: f.maxLatencyRatio ?? d.maxLatencyRatio,
    concurrency: f.replayConcurrency ?? f.concurrency ?? d.concurrency,
    ratePerSecond: f.rate ?? d.ratePerSecond,
    noiseShare: f.noiseShare ?? d.noiseShare,
  };
}

/** What a session keeps of `migrate`'s replay flags (undefined when none was given: the defaults, on collected inputs). */
export function replayOfFlags(f: ReplayFlags): SessionReplay | undefined {
  const given = [f.requests, f.limit, f.rtol, f.atol, f.ignore, f.minAgreement, f.maxLatencyRatio, f.replayConcurrency, f.rate, f.noiseShare].some(
    (v) => v !== undefined,
  );
  if (!given) return undefined;
  return {
    ...(f.requests ? { requests: resolve(f.requests) } : {}),
    ...(f.limit ? { limit: f.limit } : {}),
    settings: replaySettingsFrom({ ...f, concurrency: undefined }),
  };
}
