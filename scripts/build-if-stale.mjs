// Builds dist/ only when something it is built from changed since the last build, and says so when it builds:
// `npm start` a second time goes straight to the tool (a full tsc run takes ~20 s on a small machine).
// Usage: node scripts/build-if-stale.mjs [ROOT]   (ROOT: the project folder, default: this script's parent)
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), "..", ".."));
/** Written after a build that succeeded; its time is the build's. */
const stamp = join(root, "dist", ".built-at");
const inputs = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"].map((p) => join(root, p)).filter((p) => existsSync(p));

/** The newest file among the inputs: its path and modification time. */
function newest() {
  let best = { path: "", mtimeMs: 0 };
  const visit = (path) => {
    const s = statSync(path);
    if (s.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (s.mtimeMs > best.mtimeMs) best = { path, mtimeMs: s.mtimeMs };
  };
  inputs.forEach(visit);
  return best;
}

const changed = newest();
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : undefined;
if (builtAt !== undefined && changed.mtimeMs <= builtAt) process.exit(0);

const why = builtAt === undefined ? "no build yet" : `${relative(root, changed.path)} changed since the last build`;
process.stderr.write(`Building aci-migrate (${why})…\n`);
const startedAt = Date.now();
try {
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
} catch (e) {
  // tsc has printed the errors; no stamp is written, so the next start builds again.
  process.stderr.write("The build failed (tsc's errors are above). Fix them and run the command again.\n");
  process.exit(typeof e.status === "number" ? e.status : 1);
}
// The stamp carries the time the build started: a source saved during the build makes the next start build again.
writeFileSync(stamp, "");
utimesSync(stamp, new Date(startedAt), new Date(startedAt));
