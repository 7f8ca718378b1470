import { processIo } from "./io.js";
import { runCli } from "./program.js";

// --no-color means what NO_COLOR means, for every renderer (chalk does not read NO_COLOR itself; see wizard.ts).
if (process.argv.includes("--no-color")) process.env.NO_COLOR = "1";
process.exitCode = await runCli(process.argv.slice(2), processIo);
