import { processIo } from "./io.js";
import { runCli } from "./program.js";
import { endSoonAfterResult } from "./end-after-result.js";

// --no-color means what NO_COLOR means, for every renderer (chalk does not read NO_COLOR itself; see wizard.ts).
if (process.argv.includes("--no-color")) process.env.NO_COLOR = "1";
// Output piped into `head` or a closed pager: stop quietly, as Unix tools do, instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
// SIGTERM means what Ctrl+C means: where a run listens for Ctrl+C it stops the same way (drive-session.ts);
// elsewhere the process ends with Ctrl+C's exit code instead of 143.
process.on("SIGTERM", () => {
  if (process.listenerCount("SIGTERM") > 1) return; // a run's own handler is stopping it
  process.exit(130);
});
process.exitCode = await runCli(process.argv.slice(2), processIo);
// The result is out; nothing left open may keep the user waiting (--verbose says what was, without --json).
const argv = process.argv.slice(2);
endSoonAfterResult(argv.includes("--verbose") && !argv.includes("--json") ? (line) => processIo.err(line) : undefined);
