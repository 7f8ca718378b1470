import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { repoPath } from "./fixtures.js";

/**
 * The built binary in a real terminal: a tmux session on its own socket, driven with send-keys and read with
 * capture-pane. CI is unset for the child (ink draws only the last frame under CI).
 */
export class TmuxTerminal {
  private readonly socket = `aci-e2e-${process.pid}`;
  private readonly exitFile: string;

  constructor(
    readonly name: string,
    private readonly workDir: string,
    args: readonly string[],
    size = { columns: 100, rows: 50 },
    env: Readonly<Record<string, string>> = {},
    /** A command line the tool printed, run as a person would paste it (`aci-migrate` on PATH); `args` are ignored. */
    pasted?: string,
  ) {
    this.exitFile = join(workDir, `${name}.exit`);
    const assignments = Object.entries(env)
      .map(([k, v]) => quote(`${k}=${v}`))
      .join(" ");
    const run = pasted ?? `${quote(process.execPath)} ${quote(repoPath("bin/aci-migrate.js"))} ${args.map(quote).join(" ")}`;
    const path = pasted ? `PATH=${quote(`${binOnPath(workDir)}:${process.env.PATH ?? ""}`)}` : "";
    // A pasted line goes through a shell of its own (as typed); the binary itself runs directly, so that a Ctrl+C
    // reaches it and not a shell in between.
    const command = `env -u CI ${path} ${assignments} ${pasted ? `sh -c ${quote(run)}` : run}; echo $? > ${quote(this.exitFile)}; sleep 600`;
    this.tmux("new-session", "-d", "-s", name, "-x", String(size.columns), "-y", String(size.rows), "-c", workDir, command);
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** Sends keys one at a time (tmux key names: Enter, Down, Escape, Space, C-c; or literal text). */
  async send(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.tmux("send-keys", "-t", this.name, ...(k.length > 1 && /^[A-Z]|^C-/.test(k) ? [k] : ["-l", k]));
      await new Promise((r) => setTimeout(r, 60));
    }
  }

  /** The screen, with the scrollback above it (finished lines scroll up). */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-J", "-t", this.name, "-S", "-300");
  }

  /** The whole history as the terminal drew it: one entry per row, a long line's rows apart (no -J). */
  rows(): string[] {
    return this.tmux("capture-pane", "-p", "-t", this.name, "-S", "-").split("\n");
  }

  /** The visible screen with its colour codes (capture-pane -e). */
  colours(): string {
    return this.tmux("capture-pane", "-p", "-e", "-t", this.name);
  }

  /** The visible screen only. */
  visible(): string {
    return this.tmux("capture-pane", "-p", "-t", this.name);
  }

  async waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const s = this.screen();
      if (predicate(s)) return s;
      if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Screen:\n${this.visible()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The binary's exit code once it has ended. */
  async exitCode(timeoutMs = 20_000): Promise<number> {
    await this.waitFor(() => existsSync(this.exitFile) && readFileSync(this.exitFile, "utf8").trim() !== "", "the process to exit", timeoutMs);
    return Number(readFileSync(this.exitFile, "utf8").trim());
  }

  kill(): void {
    try {
      this.tmux("kill-session", "-t", this.name);
    } catch {
      /* already gone */
    }
  }

  static killServer(): void {
    try {
      execFileSync("tmux", ["-L", `aci-e2e-${process.pid}`, "kill-server"], { stdio: "ignore" });
    } catch {
      /* no server */
    }
  }
}

/** A folder holding `aci-migrate` (a link to the binary), as `npm link` would put it on PATH. */
function binOnPath(workDir: string): string {
  const dir = join(workDir, "bin-on-path");
  if (!existsSync(join(dir, "aci-migrate"))) {
    mkdirSync(dir, { recursive: true });
    symlinkSync(repoPath("bin/aci-migrate.js"), join(dir, "aci-migrate"));
  }
  return dir;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
