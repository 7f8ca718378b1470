/* global process, URL */
// Preloaded with `node --import` by loaded-modules.ts: records every module the process loads (ES modules
// through a resolve hook, CommonJS through Module._load) into the file named by LOADED_MODULES_FILE, one URL
// or path per line. A test reads it to see which packages a command touched; no timing is involved.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

const file = process.env.LOADED_MODULES_FILE;
if (file) {
  register(new URL("./hooks.mjs", import.meta.url), { data: { file } });
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    try {
      appendFileSync(file, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // a built-in or an unresolvable request: the real load reports it
    }
    return load.apply(this, arguments);
  };
}
