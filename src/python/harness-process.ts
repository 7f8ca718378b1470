import { spawn, type ChildProcess } from "node:child_process";
import { HARNESS, parseHarnessEvents, type HarnessEvent } from "../domain/python-harness.js";

export type HarnessCrash = Extract<HarnessEvent, { event: "crash" }>;

/** How init() ended: the script is serving, it crashed (with Python's traceback), or the process never got there. */
export type HarnessStart =
  { readonly kind: "started" } | { readonly kind: "crashed"; readonly crash: HarnessCrash } | { readonly kind: "ended"; readonly why: string };

export interface HarnessAnswer {
  readonly status: number;
  readonly body: string;
  /** run()'s exception, when it raised one (the answer is then the server's 500). */
  readonly crash?: HarnessCrash;
}

export interface HarnessOptions {
  readonly cwd: string;
  /** The script's whole environment (nothing of this process's is passed on unless it is here). */
  readonly env: Readonly<Record<string, string>>;
  /** Applied to everything the process prints and reports (paths of this machine → the container's). */
  readonly rewrite?: (text: string) => string;
  /** Each line the script prints, as it prints it. */
  readonly onOutput?: (line: string) => void;
  /** Lines of output kept for `output` (the last ones). */
  readonly keep?: number;
}

/**
 * A scoring script served by the harness (domain/python-harness.ts) in a Python interpreter: init() once, then one
 * request at a time. The rehearsal uses one for a sample; the sandbox keeps one per container for its scoring.
 */
export class HarnessProcess {
  readonly started: Promise<HarnessStart>;
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  private readonly waiting: ((e: HarnessEvent | undefined) => void)[] = [];
  private readonly queue: HarnessEvent[] = [];
  private ended?: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(python: string, o: HarnessOptions) {
    const rewrite = o.rewrite ?? ((t: string) => t);
    this.child = spawn(python, ["-c", HARNESS], { cwd: o.cwd, env: { ...o.env }, stdio: ["pipe", "pipe", "pipe", "pipe"] });
    let partial = "";
    const onText = (chunk: Buffer) => {
      const lines = (partial + rewrite(chunk.toString("utf8"))).split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) {
        this.output.push(l);
        if (this.output.length > (o.keep ?? 200)) this.output.shift();
        o.onOutput?.(l);
      }
    };
    this.child.stdout?.on("data", onText);
    this.child.stderr?.on("data", onText);
    let events = "";
    (this.child.stdio[3] as NodeJS.ReadableStream).on("data", (c: Buffer) => {
      events += c.toString("utf8");
      const complete = events.lastIndexOf("\n");
      if (complete === -1) return;
      for (const e of parseHarnessEvents(rewrite(events.slice(0, complete)))) this.deliver(e);
      events = events.slice(complete + 1);
    });
    this.child.stdin?.on("error", () => undefined); // (a process that died is reported by its close)
    this.child.on("error", (e) => this.end(`${python}: ${e.message}`));
    this.child.on("close", (code, signal) => {
      if (partial) this.output.push(partial);
      this.end(signal ? `the process was stopped (${signal})` : `the process exited with code ${code}`);
    });
    this.started = this.next().then((e): HarnessStart => {
      if (e?.event === "started") return { kind: "started" };
      if (e?.event === "crash") return { kind: "crashed", crash: e };
      return { kind: "ended", why: this.ended ?? "no answer" };
    });
  }

  /** The script's last lines of output. */
  lines(): readonly string[] {
    return [...this.output];
  }

  /** Scores one request body (after init), one at a time in the order asked. Rejects if the process ends first. */
  score(body: string): Promise<HarnessAnswer> {
    const answer = this.chain.then(async () => {
      if ((await this.started).kind !== "started") throw new Error(this.ended ?? "the script did not start");
      this.child.stdin?.write(`${JSON.stringify(body)}\n`);
      let crash: HarnessCrash | undefined;
      for (;;) {
        const e = await this.next();
        if (!e) throw new Error(this.ended ?? "the process ended");
        if (e.event === "crash") crash = e;
        if (e.event === "answer") return { status: e.status, body: e.body, ...(crash ? { crash } : {}) };
      }
    });
    this.chain = answer.catch(() => undefined);
    return answer;
  }

  /** Stops the process (its stdin closes first, so a harness between requests ends on its own). */
  close(): void {
    this.child.stdin?.end();
    if (this.ended === undefined) this.child.kill("SIGKILL");
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  private next(): Promise<HarnessEvent | undefined> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private deliver(e: HarnessEvent): void {
    const w = this.waiting.shift();
    if (w) w(e);
    else this.queue.push(e);
  }

  private end(why: string): void {
    if (this.ended !== undefined) return;
    this.ended = why;
    for (const w of this.waiting.splice(0)) w(undefined);
  }
}
