import type { CommandIo } from "../io.js";

/**
 * Output that waits while a question is open: the engine keeps emitting (other services go on), and lines
 * printed under a prompt would garble it. Questions are asked one at a time, in the order they come.
 */
export class HeldOutput implements CommandIo {
  private held: { stream: "out" | "err"; text: string }[] | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly io: CommandIo) {}

  get decorated(): boolean {
    return this.io.decorated;
  }

  out(text: string): void {
    if (this.held) this.held.push({ stream: "out", text });
    else this.io.out(text);
  }

  err(text: string): void {
    if (this.held) this.held.push({ stream: "err", text });
    else this.io.err(text);
  }

  /** Runs `question` when the questions before it are answered; `say` prints at once (the question's context). */
  ask<T>(question: (say: (text: string) => void) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      this.held = [];
      try {
        return await question((text) => this.io.out(text));
      } finally {
        const lines = this.held ?? [];
        this.held = undefined;
        for (const line of lines) this.io[line.stream](line.text);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
