import type { BlockBlobClient } from "@azure/storage-blob";
import type { UploadProgress } from "../migration/port.js";
import type { CodeFile, CodeFiles } from "./code-snapshot.js";
import { retryThrottled } from "./throttled.js";

/** Files uploaded at once, and blocks of one big file at once: enough to fill a link, few enough for a laptop. */
export const FILE_CONCURRENCY = 8;
const BLOCK_CONCURRENCY = 4;
/**
 * Above this a file goes up as staged blocks (Put Block, then Put Block List), each retried on its own, instead
 * of one request: Azure takes up to 5000 MiB in one Put Blob, but one dropped connection would send it all again.
 */
export const BLOCK_SIZE = 8 * 1024 * 1024;
/** How often progress is reported at most (a file finishing always counts when it is the last). */
const PROGRESS_EVERY_MS = 500;

/**
 * Uploads every file of the code folder, FILE_CONCURRENCY at a time, big files in blocks; says the totals before
 * the first byte and how far it is as files finish.
 */
export async function uploadFiles(
  code: CodeFiles,
  blobOf: (f: CodeFile) => BlockBlobClient,
  o: { floorMs: number; onUpload?: (p: UploadProgress) => void },
): Promise<void> {
  const onUpload = o.onUpload;
  const totals = { totalFiles: code.files.length, totalBytes: code.totalBytes };
  let files = 0;
  let bytes = 0;
  let lastReport = 0;
  onUpload?.({ files, bytes, ...totals });
  const queue = [...code.files];
  const options = { blockSize: BLOCK_SIZE, maxSingleShotSize: BLOCK_SIZE, concurrency: BLOCK_CONCURRENCY };
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const blob = blobOf(f);
      const source = f.source;
      await retryThrottled(() => ("disk" in source ? blob.uploadFile(source.disk, options) : blob.uploadData(source.content, options)), o.floorMs);
      files++;
      bytes += f.size;
      const now = Date.now();
      if (files === totals.totalFiles || now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        onUpload?.({ files, bytes, ...totals });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CONCURRENCY, Math.max(1, queue.length)) }, worker));
}
