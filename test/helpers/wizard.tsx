import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { act } from "react";
import { AzureMigrationAdapter } from "../../src/azure/migration-adapter.js";
import { connectionFor } from "../../src/cli/sandbox-connection.js";
import { wizardBackend } from "../../src/cli/wizard-backend.js";
import type { JourneyBackend } from "../../src/journey/backend.js";
import { runJourney, type JourneyOptions } from "../../src/journey/journey.js";
import { parseFaultSpec, startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { Host } from "../../src/ui/Host.js";
import { HostStore } from "../../src/ui/host-store.js";
import { inkPrompter } from "../../src/ui/ink-prompter.js";
import type { InkInstance } from "./ink.js";

/** One test's own world: a sandbox, a state directory and an export folder, all gone when it ends. */
export interface WizardWorld {
  readonly sb: Sandbox;
  readonly stateDir: string;
  readonly exportDir: string;
  backend(): JourneyBackend;
  /** Mounts the wizard (the Host and the ink prompter) and starts the journey; `exit` resolves with its code. */
  open(o?: JourneyOptions & { columns?: number; rows?: number }): { ink: InkInstance; exit: Promise<number> };
  close(): Promise<void>;
}

export const SPEED = 400;

export async function wizardWorld(o: { faults?: string } = {}): Promise<WizardWorld> {
  const stateDir = mkdtempSync(join(tmpdir(), "aci-migrate-wizard-"));
  const exportDir = mkdtempSync(join(tmpdir(), "aci-migrate-yaml-"));
  const sb = await startSandbox({ speed: SPEED, ...(o.faults ? { faults: parseFaultSpec(o.faults) } : {}) });
  const mounted: InkInstance[] = [];
  const backend = () => {
    const conn = connectionFor({ armEndpoint: sb.armEndpoint, caPem: sb.caPem, token: sb.token, speed: SPEED });
    return wizardBackend(
      { conn, sandbox: true, close: async () => {} },
      { stateDir, exportDir, port: new AzureMigrationAdapter(conn), command: (args) => `aci-migrate --sandbox --state-dir ${stateDir} ${args}` },
    );
  };
  return {
    sb,
    stateDir,
    exportDir,
    backend,
    open(o = {}) {
      const store = new HostStore();
      const b = backend();
      const ask = inkPrompter(store, { decorated: false, command: b.command });
      const ink = render(<Host store={store} decorated={false} onInterrupt={() => ask.interrupt()} />);
      sizeTo(ink, o.columns ?? 120, o.rows ?? 40);
      mounted.push(ink);
      return { ink, exit: runJourney(b, ask, o) };
    },
    async close() {
      for (const ink of mounted) ink.unmount();
      await sb.stop();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(exportDir, { recursive: true, force: true });
    },
  };
}

/** Gives ink-testing-library's stdout a terminal size, as a resize would. */
export function sizeTo(ink: InkInstance, columns: number, rows: number): void {
  Object.defineProperty(ink.stdout, "columns", { configurable: true, get: () => columns });
  Object.defineProperty(ink.stdout, "rows", { configurable: true, get: () => rows });
  act(() => void ink.stdout.emit("resize"));
}

/** The live area only: what follows the last line printed above it (the frame holds the Static lines too). */
export function liveArea(frame: string, marker: string): string {
  return frame.slice(frame.lastIndexOf(marker));
}
