import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { makeTempFolder } from "../fs/temp-folders.js";
import { join, relative, sep } from "node:path";
import { x as extract } from "tar";
import { UserFixableError } from "../domain/errors.js";
import { printable } from "../domain/printable.js";
import { applyEdits, type ScriptEdit } from "../domain/script-habits.js";

/** One file of a code folder: read from disk when it is uploaded (a big folder is never held in memory). */
export interface CodeFile {
  /** Path inside the code folder, with `/`. */
  readonly path: string;
  readonly size: number;
  /** Where it is on disk (a local folder), or its content (a snapshot, unpacked in memory). */
  readonly source: { readonly disk: string } | { readonly content: Buffer };
}

export interface CodeFiles {
  /** Sorted by path. */
  readonly files: readonly CodeFile[];
  readonly totalBytes: number;
  /** sha256 over the sorted paths and contents: the same code always gets the same hash. */
  readonly hash: string;
}

/**
 * Unpacks a v1 source snapshot (.tar.gz) and keeps the service's source directory (AZUREML_SOURCE_DIRECTORY,
 * e.g. `source_dir/`), whose contents become the v2 code folder.
 */
export async function unpackSnapshot(archive: Buffer, sourceDirectory: string | undefined): Promise<CodeFiles> {
  const dir = await makeTempFolder("aci-migrate-snapshot-");
  try {
    const file = join(dir, "snapshot.tar.gz");
    await writeFile(file, archive);
    const out = join(dir, "out");
    await mkdir(out);
    await extract({ file, cwd: out, strict: true });
    const root = sourceDirectory ? join(out, sourceDirectory) : out;
    const listed = await listFolder(root);
    const files = await Promise.all(listed.map(async (f) => ({ path: f.path, size: f.size, source: { content: await readFile(f.file) } })));
    return { files, totalBytes: sum(files), hash: await hashFiles(files) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The files of a local code folder (what `--code-dir` names), hashed like a snapshot's. Symbolic links are
 * followed while they point inside the folder; one that leaves it, dangles or loops is refused, as is a folder
 * without the scoring script: before anything is uploaded or created.
 */
export async function readCodeFolder(root: string, scoringScript?: string): Promise<CodeFiles> {
  const listed = await checkedListing(root, scoringScript);
  const files = listed.map((f) => ({ path: f.path, size: f.size, source: { disk: f.file } }));
  return { files, totalBytes: sum(files), hash: await hashFiles(files) };
}

/** What readCodeFolder refuses, checked without reading the files: how many there are and their size. */
export async function checkCodeFolder(root: string, scoringScript: string): Promise<{ files: number; totalBytes: number }> {
  const listed = await checkedListing(root, scoringScript);
  return { files: listed.length, totalBytes: listed.reduce((n, f) => n + f.size, 0) };
}

async function checkedListing(root: string, scoringScript: string | undefined): Promise<Listed[]> {
  const listed = await listFolder(root);
  if (scoringScript && !listed.some((f) => f.path === scoringScript)) {
    throw new UserFixableError(`The code folder ${root} has no ${scoringScript}${listed.length ? "" : " (it holds no files at all)"}.`, {
      why: "The deployment runs that scoring script; without it the container would crash after minutes of provisioning.",
      nextStep: `Point --code-dir at the folder that holds ${scoringScript} (paths are relative to it), or add the script there.`,
      source: root,
      kind: "input",
    });
  }
  return listed;
}

/** The content hash (sha256 of `path\0content\0`…, paths sorted), streaming files from disk. */
export async function hashFiles(files: readonly CodeFile[]): Promise<string> {
  const h = createHash("sha256");
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`${f.path}\0`);
    if ("content" in f.source) h.update(f.source.content);
    else for await (const chunk of createReadStream(f.source.disk)) h.update(chunk as Buffer);
    h.update("\0");
  }
  return h.digest("hex");
}

const sum = (files: readonly CodeFile[]) => files.reduce((n, f) => n + f.size, 0);

interface Listed {
  readonly path: string;
  readonly file: string;
  readonly size: number;
}

async function listFolder(root: string): Promise<Listed[]> {
  const realRoot = await realpath(root);
  const out: Listed[] = [];
  const refuse = (path: string, why: string) =>
    new UserFixableError(`The code folder ${root} has a link that cannot be followed: ${printable(path, 200)} ${why}.`, {
      why: "Links inside the folder are followed and uploaded as files; a link that leaves the folder would upload files you did not point at.",
      nextStep: "Replace that link with the file itself (or remove it), then run the command again.",
      source: root,
      kind: "input",
    });
  // `ancestors` are the real folders on the way down: a link back to one of them is a loop.
  const visit = async (dir: string, rel: string, ancestors: readonly string[]): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const abs = join(dir, e.name);
      const path = rel ? `${rel}/${e.name}` : e.name;
      let real = abs;
      if (e.isSymbolicLink()) {
        try {
          real = await realpath(abs);
        } catch {
          throw refuse(path, "points at nothing (or at itself)");
        }
        if (real !== realRoot && !real.startsWith(realRoot + sep))
          throw refuse(path, `points outside the folder (to ${relative(realRoot, real).split(sep).join("/")})`);
      }
      const st = e.isSymbolicLink() ? await stat(real) : undefined;
      if (e.isDirectory() || st?.isDirectory()) {
        const realDir = e.isSymbolicLink() ? real : await realpath(abs);
        if (ancestors.includes(realDir)) throw refuse(path, "points back at a folder that contains it (a loop)");
        await visit(realDir, path, [...ancestors, realDir]);
      } else if (e.isFile() || st?.isFile()) {
        out.push({ path, file: real, size: st?.size ?? (await stat(abs)).size });
      }
    }
  };
  await visit(realRoot, "", [realRoot]);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The text of one file of the code (the scoring script), or undefined when the code has no such file. */
export async function codeFileText(code: CodeFiles, path: string): Promise<string | undefined> {
  const f = code.files.find((x) => x.path === path);
  if (!f) return undefined;
  return ("content" in f.source ? f.source.content : await readFile(f.source.disk)).toString("utf8");
}

/**
 * The code with the scoring script's accepted edits made, in memory (the snapshot or folder itself is never
 * changed), hashed again: the edited code is a code version of its own.
 */
export async function withScriptEdits(code: CodeFiles, path: string, edits: readonly ScriptEdit[]): Promise<CodeFiles> {
  const text = await codeFileText(code, path);
  if (text === undefined || !edits.length) return code;
  const content = Buffer.from(applyEdits(text, edits).text);
  const files = code.files.map((f) => (f.path === path ? { path, size: content.length, source: { content } } : f));
  return { files, totalBytes: sum(files), hash: await hashFiles(files) };
}
