#!/usr/bin/env node
// The executable: loads the built CLI. `npm ci` builds dist/ (the prepare script); a checkout without it says so.
import { existsSync } from "node:fs";

// React runs its development build unless told otherwise: checks on every render that cost the wizard about
// 30 ms before its first frame and garbage on every frame after. A NODE_ENV that is set (tests set "test") stays.
process.env.NODE_ENV ??= "production";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("aci-migrate is not built yet: dist/cli/main.js is missing.\n  Next: run `npm run build` (or `npm ci`) in the aci-migrate folder.\n");
  process.exit(1);
}
await import(main.href);
