#!/usr/bin/env node
// The executable: loads the built CLI. `npm ci` builds dist/ (the prepare script); a checkout without it says so.
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("aci-migrate is not built yet: dist/cli/main.js is missing.\n  Next: run `npm run build` (or `npm ci`) in the aci-migrate folder.\n");
  process.exit(1);
}
await import(main.href);
