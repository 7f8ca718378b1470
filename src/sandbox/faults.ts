/**
 * Deterministic fault injection. A spec is a comma-separated list:
 *   `429@0.2`                 answer 20% of requests with 429 (+ Retry-After)
 *   `503@OnlineEndpoints_Get` answer that operation with 503 every time; `…*2` only the first 2 times
 *   `drop@0.05`, `drop@Op*1`  destroy the connection without answering
 *   `latency=250`             add 250 ms before every answer; `latency=25-50` between 25 and 50 ms (seeded)
 *   `seed=7`                  seed of the choice of requests (default 1)
 * Operations are swagger operation ids (`OnlineDeployments_CreateOrUpdate`, `Services_ListQuery`, `Blob_Put`, `Score`).
 */
export interface FaultRule {
  readonly kind: "status" | "drop";
  readonly status?: number;
  /** Share of all requests (0-1), when the rule is not tied to an operation. */
  readonly share?: number;
  readonly operation?: string;
  /** How many matching requests fail; unlimited when absent. */
  readonly times?: number;
}

export interface FaultOptions {
  readonly rules?: readonly FaultRule[];
  readonly latencyMs?: number;
  /** With `latencyMs`, the most added: each answer waits between the two (seeded, like the faults). */
  readonly latencyMaxMs?: number;
  readonly seed?: number;
}

export type FaultDecision = { kind: "none" } | { kind: "status"; status: number } | { kind: "drop" };

export function parseFaultSpec(spec: string): FaultOptions {
  const rules: FaultRule[] = [];
  let latencyMs: number | undefined;
  let latencyMaxMs: number | undefined;
  let seed: number | undefined;
  for (const raw of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^latency=(\d+)(?:-(\d+))?$/.exec(raw))) {
      latencyMs = Number(m[1]);
      latencyMaxMs = m[2] !== undefined ? Math.max(latencyMs, Number(m[2])) : undefined;
    } else if ((m = /^seed=(\d+)$/.exec(raw))) seed = Number(m[1]);
    else if ((m = /^(\d{3}|drop)@(?:(0?\.\d+|1(?:\.0+)?)|([A-Za-z_]+)(?:\*(\d+))?)$/.exec(raw))) {
      const kind = m[1] === "drop" ? "drop" : "status";
      rules.push({
        kind,
        status: kind === "status" ? Number(m[1]) : undefined,
        share: m[2] !== undefined ? Number(m[2]) : undefined,
        operation: m[3],
        times: m[4] !== undefined ? Number(m[4]) : undefined,
      });
    } else {
      throw new Error(`Unknown fault "${raw}". Use e.g. 429@0.2, 503@OnlineEndpoints_Get*2, drop@0.05, latency=200, latency=25-50, seed=7.`);
    }
  }
  return { rules, latencyMs, latencyMaxMs, seed };
}

/** Decides, request by request, which fault (if any) applies. The same seed and request order give the same faults. */
export class FaultInjector {
  private state: number;
  private readonly used = new Map<FaultRule, number>();

  constructor(private readonly options: FaultOptions = {}) {
    this.state = (options.seed ?? 1) >>> 0;
  }

  /** The latency to add to the next answer (fixed, or drawn from the range). */
  latencyMs(): number {
    const { latencyMs = 0, latencyMaxMs } = this.options;
    return latencyMaxMs === undefined ? latencyMs : latencyMs + Math.round(this.next() * (latencyMaxMs - latencyMs));
  }

  decide(operation: string): FaultDecision {
    const roll = this.next();
    // Share rules split the roll between them: 429@0.1,500@0.1 fails 10% + 10% of requests, not 10% twice.
    let shareFloor = 0;
    for (const rule of this.options.rules ?? []) {
      let applies: boolean;
      if (rule.operation) applies = rule.operation.toLowerCase() === operation.toLowerCase();
      else {
        applies = roll >= shareFloor && roll < shareFloor + (rule.share ?? 0);
        shareFloor += rule.share ?? 0;
      }
      if (!applies) continue;
      const count = this.used.get(rule) ?? 0;
      if (rule.times !== undefined && count >= rule.times) continue;
      this.used.set(rule, count + 1);
      return rule.kind === "drop" ? { kind: "drop" } : { kind: "status", status: rule.status! };
    }
    return { kind: "none" };
  }

  /** mulberry32 */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
