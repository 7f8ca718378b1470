// Run by sandbox.bench.ts in a process of its own: lists every v1 service the sandbox named by
// ACI_MIGRATE_BENCH_SANDBOX serves, as `aci-migrate services` does, and prints one JSON line: how long the
// listing took, how many services it found, and how far RSS rose above what it was once the modules were loaded
// (sampled every 5 ms). A process of its own starts both sizes from the same heap, and counts the tool's memory,
// not the sandbox's. Needs dist/ (npm run bench builds it).
/* global process, setInterval, clearInterval, console, performance */
const { connectionFor } = await import("../../dist/cli/sandbox-connection.js");
const { discoverServices } = await import("../../dist/azure/discovery.js");

const info = JSON.parse(process.env.ACI_MIGRATE_BENCH_SANDBOX ?? "{}");
const base = process.memoryUsage().rss;
let peak = base;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const started = performance.now();
const listed = await discoverServices(connectionFor(info));
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const services = listed.flatMap((s) => s.workspaces).reduce((n, w) => n + ("services" in w ? w.services.length : 0), 0);
console.log(JSON.stringify({ ms, services, peakMb: (peak - base) / 1024 / 1024 }));
