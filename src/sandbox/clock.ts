/**
 * The sandbox's sense of time. Provisioning is computed from timestamps against this clock (never timers),
 * so a sandbox restarted later finds operations that advanced meanwhile. Tests pass a manual clock.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 10, 25, 9, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
