import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeAtomically } from "../fs/atomic-write.js";
import { BlobContents } from "./blob-contents.js";
import { WORLD_SCHEMA_VERSION, type SandboxWorld } from "./world.js";
import { makeFolder } from "../fs/make-folder.js";

export const WORLD_FILE = "sandbox-world.json";

/**
 * Holds the world in memory and, with a state directory, on disk: written atomically (temp, fsync, rename)
 * after each change, with blob bytes in their own files beside it. Without a state directory the world lives
 * and dies with the process.
 */
export class WorldStore {
  private constructor(
    readonly world: SandboxWorld,
    readonly contents: BlobContents,
    private readonly stateDir: string | undefined,
  ) {}

  static open(stateDir: string | undefined, seed: (contents: BlobContents) => SandboxWorld): WorldStore {
    if (!stateDir) {
      const contents = new BlobContents(undefined);
      return new WorldStore(seed(contents), contents, undefined);
    }
    makeFolder(stateDir);
    const contents = new BlobContents(stateDir);
    const file = join(stateDir, WORLD_FILE);
    if (existsSync(file)) {
      let world: SandboxWorld;
      try {
        world = JSON.parse(readFileSync(file, "utf8")) as SandboxWorld;
      } catch (e) {
        throw new Error(`The sandbox state ${file} is unreadable (${(e as Error).message}); move it away to start a fresh world.`);
      }
      if (world?.schemaVersion !== WORLD_SCHEMA_VERSION) {
        throw new Error(
          `The sandbox state ${file} has schema version ${String(world?.schemaVersion)}, this sandbox reads ${WORLD_SCHEMA_VERSION}; move it away to start a fresh world.`,
        );
      }
      const store = new WorldStore(world, contents, stateDir);
      if (moveInlineBlobs(world, contents)) store.save();
      return store;
    }
    const store = new WorldStore(seed(contents), contents, stateDir);
    store.save();
    return store;
  }

  private pending: NodeJS.Timeout | undefined;
  private lastSaveMs = 0;

  /**
   * Persists the world, at most every SAVE_EVERY_MS: a burst of changes (thousands of blob uploads) is written
   * once per interval instead of once per request, each write still whole (temp and rename). `flush` (at stop)
   * writes what is pending. A killed sandbox process loses at most the last interval; a killed client nothing.
   */
  save(): void {
    if (!this.stateDir || this.pending) return;
    const wait = this.lastSaveMs + SAVE_EVERY_MS - Date.now();
    if (wait <= 0) return this.flush();
    this.pending = setTimeout(() => this.flush(), wait);
    this.pending.unref();
  }

  flush(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (!this.stateDir) return;
    this.lastSaveMs = Date.now();
    writeAtomically(join(this.stateDir, WORLD_FILE), JSON.stringify(this.world), 0o600, { fsync: false });
  }
}

const SAVE_EVERY_MS = 25;

/** Worlds written before blobs moved out of the JSON kept their bytes inline (`contentBase64`): move them out. */
function moveInlineBlobs(world: SandboxWorld, contents: BlobContents): boolean {
  let moved = false;
  for (const [key, record] of Object.entries(world.blobs)) {
    const inline = (record as { contentBase64?: string }).contentBase64;
    if (inline === undefined) continue;
    const bytes = Buffer.from(inline, "base64");
    const { contentBase64: _dropped, ...rest } = record as typeof record & { contentBase64?: string };
    world.blobs[key] = { ...rest, sha256: contents.put(bytes), size: bytes.length };
    moved = true;
  }
  return moved;
}
