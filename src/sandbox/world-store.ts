import { mkdirSync, openSync, readFileSync, renameSync, writeSync, fsyncSync, closeSync, existsSync } from "node:fs";
import { join } from "node:path";
import { WORLD_SCHEMA_VERSION, type SandboxWorld } from "./world.js";

export const WORLD_FILE = "sandbox-world.json";

/**
 * Holds the world in memory and, with a state directory, on disk: written atomically (temp, fsync, rename)
 * after each change. Without a state directory the world lives and dies with the process.
 */
export class WorldStore {
  private constructor(
    readonly world: SandboxWorld,
    private readonly stateDir: string | undefined,
  ) {}

  static open(stateDir: string | undefined, seed: () => SandboxWorld): WorldStore {
    if (!stateDir) return new WorldStore(seed(), undefined);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const file = join(stateDir, WORLD_FILE);
    if (existsSync(file)) {
      let world: SandboxWorld;
      try {
        world = JSON.parse(readFileSync(file, "utf8")) as SandboxWorld;
      } catch (e) {
        throw new Error(`The sandbox state ${file} is unreadable (${(e as Error).message}); move it away to start a fresh world.`);
      }
      if (world.schemaVersion !== WORLD_SCHEMA_VERSION) {
        throw new Error(`The sandbox state ${file} has schema version ${world.schemaVersion}, this sandbox reads ${WORLD_SCHEMA_VERSION}; move it away to start a fresh world.`);
      }
      return new WorldStore(world, stateDir);
    }
    const store = new WorldStore(seed(), stateDir);
    store.save();
    return store;
  }

  save(): void {
    if (!this.stateDir) return;
    const file = join(this.stateDir, WORLD_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify(this.world));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }
}
