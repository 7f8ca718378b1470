import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessAlive } from "./process-alive.js";

/**
 * A folder in the system's temporary folder named `<prefix><pid>-…`, after sweeping the ones earlier processes
 * left (a SIGKILL skips every `finally`): those whose pid no longer runs. Only this tool's own prefix is touched.
 */
export async function makeTempFolder(prefix: string): Promise<string> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  await Promise.all(
    names.map((name) => {
      const pid = name.startsWith(prefix) ? Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]) : Number.NaN;
      return pid && pid !== process.pid && !isProcessAlive(pid) ? rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => undefined) : undefined;
    }),
  );
  return mkdtemp(join(tmpdir(), `${prefix}${process.pid}-`));
}
