import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { x as extract } from "tar";

export interface CodeFiles {
  /** Relative path → content, of the folder that `code_configuration.code` names. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** sha256 over the sorted paths and contents: the same code always gets the same hash. */
  readonly hash: string;
}

/**
 * Unpacks a v1 source snapshot (.tar.gz) and keeps the service's source directory (AZUREML_SOURCE_DIRECTORY,
 * e.g. `source_dir/`), whose contents become the v2 code folder.
 */
export async function unpackSnapshot(archive: Buffer, sourceDirectory: string | undefined): Promise<CodeFiles> {
  const dir = await mkdtemp(join(tmpdir(), "aci-migrate-snapshot-"));
  try {
    const file = join(dir, "snapshot.tar.gz");
    await writeFile(file, archive);
    const out = join(dir, "out");
    await (await import("node:fs/promises")).mkdir(out);
    await extract({ file, cwd: out, strict: true });
    const root = sourceDirectory ? join(out, sourceDirectory) : out;
    const files = new Map<string, Buffer>();
    for (const path of await walk(root)) files.set(relative(root, path).split(sep).join("/"), await readFile(path));
    return { files, hash: hashFiles(files) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function hashFiles(files: ReadonlyMap<string, Buffer>): string {
  const h = createHash("sha256");
  for (const name of [...files.keys()].sort()) h.update(`${name}\0`).update(files.get(name)!).update("\0");
  return h.digest("hex");
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve(e.isFile() ? [join(dir, e.name)] : []))));
  return nested.flat();
}

/** The files of a local code folder (what `--code-dir` names), hashed like a snapshot's. */
export async function readCodeFolder(root: string): Promise<CodeFiles> {
  const files = new Map<string, Buffer>();
  for (const path of await walk(root)) files.set(relative(root, path).split(sep).join("/"), await readFile(path));
  return { files, hash: hashFiles(files) };
}
