import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeAtomically } from "../fs/atomic-write.js";
import type { BlobRecord } from "./world.js";
import { makeFolder } from "../fs/make-folder.js";

/**
 * The bytes of the sandbox's blobs, by sha256: on disk beside the world (`sandbox-blobs/`) when it has a state
 * directory, else in memory. The world's JSON holds only each blob's properties, so a 400 MB upload costs a file,
 * not a 530 MB base64 string inside the world (which a JavaScript string cannot even hold past ~512 MB).
 */
export class BlobContents {
  private readonly memory = new Map<string, Buffer>();
  private readonly staged = new Map<string, Map<string, string>>();
  private readonly dir: string | undefined;

  constructor(stateDir: string | undefined) {
    this.dir = stateDir ? join(stateDir, "sandbox-blobs") : undefined;
    if (this.dir) makeFolder(this.dir);
  }

  /** Stores the bytes (once per content) and returns their sha256. */
  put(content: Buffer): string {
    const sha = createHash("sha256").update(content).digest("hex");
    if (!this.dir) this.memory.set(sha, content);
    else if (!existsSync(join(this.dir, sha))) writeAtomically(join(this.dir, sha), content, 0o600, { fsync: false });
    return sha;
  }

  /** Put Block: an uncommitted block of a blob (kept in memory; Azure discards them after a week). */
  stageBlock(blobKey: string, blockId: string, content: Buffer): void {
    let blocks = this.staged.get(blobKey);
    if (!blocks) this.staged.set(blobKey, (blocks = new Map()));
    blocks.set(blockId, this.put(content));
  }

  /** Put Block List: the blob's bytes from its staged blocks in order (undefined: a block id was never staged). */
  commitBlocks(blobKey: string, blockIds: readonly string[]): { bytes: Buffer; blocks: { id: string; size: number }[] } | undefined {
    const staged = this.staged.get(blobKey);
    const parts: Buffer[] = [];
    for (const id of blockIds) {
      const sha = staged?.get(id);
      const part = sha === undefined ? undefined : this.get(sha);
      if (!part) return undefined;
      parts.push(part);
    }
    this.staged.delete(blobKey);
    return { bytes: Buffer.concat(parts), blocks: blockIds.map((id, i) => ({ id, size: parts[i]!.length })) };
  }

  get(sha: string): Buffer | undefined {
    if (!this.dir) return this.memory.get(sha);
    const file = join(this.dir, sha);
    return existsSync(file) ? readFileSync(file) : undefined;
  }
}

/** A blob's properties for bytes stored now in `contents`. */
export function blob(contents: BlobContents, content: Buffer, contentType: string, nowMs: number): BlobRecord {
  return {
    sha256: contents.put(content),
    size: content.length,
    contentType,
    lastModifiedMs: nowMs,
    etag: `"0x${createHash("sha1").update(content).digest("hex").slice(0, 15).toUpperCase()}"`,
    contentMd5: createHash("md5").update(content).digest("base64"),
  };
}
