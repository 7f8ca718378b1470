import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import type { CodeFiles } from "./code-snapshot.js";
import type { SourceFile } from "./combined-model.js";

const DOWNLOADS_AT_ONCE = 4;

/** Where a relative path goes under `dir`; undefined for one that would leave it (`../x`). */
function inside(dir: string, path: string): string | undefined {
  const target = resolve(dir, path);
  return relative(dir, target).startsWith("..") ? undefined : target;
}

/** Writes the code's files into `dir` (the rehearsal's code folder). */
export async function writeCodeFiles(code: CodeFiles, dir: string): Promise<void> {
  for (const f of code.files) {
    const target = inside(dir, f.path);
    if (!target) continue;
    await mkdir(dirname(target), { recursive: true });
    if ("content" in f.source) await writeFile(target, f.source.content);
    else await copyFile(f.source.disk, target);
  }
}

/**
 * Downloads a model's blobs into `dir` at their places under $AZUREML_MODEL_DIR, a few at a time, saying how far it
 * is. The storage key stays in the client; nothing but the files' bytes reaches the disk.
 */
export async function downloadModelFiles(files: readonly SourceFile[], dir: string, onProgress?: (message: string) => void): Promise<void> {
  const total = files.reduce((n, f) => n + f.size, 0);
  const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`;
  onProgress?.(`downloading ${files.length} model file${files.length === 1 ? "" : "s"} (${mb(total)})`);
  let done = 0;
  let bytes = 0;
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const target = inside(dir, f.target.replace(/^\/+/, ""));
      if (!target) continue;
      await mkdir(dirname(target), { recursive: true });
      await f.source.getBlobClient(f.blobName).downloadToFile(target);
      done++;
      bytes += f.size;
      onProgress?.(`downloaded ${done} of ${files.length} model files (${mb(bytes)} of ${mb(total)})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DOWNLOADS_AT_ONCE, files.length) }, worker));
}
