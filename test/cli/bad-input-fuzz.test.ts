import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readJson, repoPath } from "../helpers/fixtures.js";
import { seededRandom } from "../helpers/random.js";
import { looksLikeBug, runCliHere } from "../helpers/run-cli.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { writeSession } from "../helpers/session-files.js";
import { SESSION_SCHEMA_VERSION } from "../../src/session/session-file.js";

/**
 * A seeded fuzz test: hundreds of generated bad inputs (service JSON and YAML, session files, session ids,
 * flags, code folders), each run through the CLI, each answered with exit 1 or 2, one message and no stack, nothing
 * changed outside the state directory, and under --json exactly one JSON object on stderr.
 */
const random = seededRandom(20261201);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

interface Case {
  readonly label: string;
  /** Writes the inputs into `inputs` (and the state dir) and returns the arguments. */
  readonly build: (inputs: string, state: string) => string[];
  /** Whether the case needs the attached sandbox (its state dir is then the sandbox's). */
  readonly sandbox?: boolean;
}

const SAMPLE = readJson("samples/service-sklearn-1cpu-2gb.json") as Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function badServiceDoc(): { text: string; ext: string; what: string } {
  const doc = clone(SAMPLE) as Record<string, any>;
  const kind = int(0, 15);
  switch (kind) {
    case 0:
      doc.name = pick([42, [], {}, true, ""]);
      if (doc.name === "") delete doc.name;
      return { text: JSON.stringify(doc), ext: ".json", what: "name of the wrong type" };
    case 1:
      doc.computeType = pick(["AKS", "AMLCOMPUTE", "weird", 5, []]);
      return { text: JSON.stringify(doc), ext: ".json", what: "not ACI" };
    case 2:
      doc.containerResourceRequirements.cpu = pick(["abc", -1, 0, {}, [], "1e999", true]);
      return { text: JSON.stringify(doc), ext: pick([".json", ".yml"]), what: "bad cpu" };
    case 3:
      doc.state = pick(["Sleeping", "", 7]);
      if (doc.state === "") doc.state = "   ";
      return { text: JSON.stringify(doc), ext: ".json", what: "bad state" };
    case 4:
      doc.kvTags = pick([[1, 2], "tags", { a: { b: 1 } }, { a: [1] }]);
      return { text: JSON.stringify(doc), ext: ".json", what: "bad tags" };
    case 5:
      doc.environmentImageRequest = pick(["text", [], 3]);
      return { text: JSON.stringify(doc), ext: ".json", what: "bad image request" };
    case 6:
      return { text: JSON.stringify(pick([[], 42, "str", null, [doc]])), ext: ".json", what: "not an object" };
    case 7: {
      const text = JSON.stringify(doc, null, pick([0, 2]));
      return { text: text.slice(0, int(1, text.length - 2)), ext: ".json", what: "truncated JSON" };
    }
    case 8: {
      const bytes = Buffer.alloc(int(1, 4096));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(0, 255);
      bytes[0] = pick([0x00, 0x1b, 0x07, 0xff]);
      return { text: bytes.toString("latin1"), ext: pick([".json", ".yml", ".bin"]), what: "binary" };
    }
    case 9: {
      const levels = int(6, 12);
      const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i < levels; i++)
        lines.push(
          `a${i}: &a${i} [${Array(9)
            .fill(`*a${i - 1}`)
            .join(",")}]`,
        );
      return { text: `${lines.join("\n")}\nname: *a${levels - 1}\n`, ext: ".yml", what: "alias bomb" };
    }
    case 10:
      return { text: pick(["key: [unclosed", 'name: "unterminated', "{a: 1", "a: b: c", "- a\nb: c", "\t- tab"]), ext: ".yml", what: "YAML syntax" };
    case 11:
      return { text: pick(["", "   \n\n", "\uFEFF"]), ext: pick([".json", ".yml"]), what: "empty" };
    case 12: {
      const depth = int(2000, 20000);
      return { text: `${"[".repeat(depth)}${"]".repeat(depth)}`, ext: pick([".json", ".yml"]), what: "deep nesting" };
    }
    case 13:
      doc.name = pick(["svc\u001b]0;retitled\u0007", "a\u001b[2Jb", "tab\there", "nul\u0000"]);
      return { text: JSON.stringify(doc), ext: pick([".json", ".yml"]), what: "name with control characters" };
    case 14:
      doc.containerResourceRequirements[pick(["cpu", "memoryInGB"])] = pick([1e308, 1e20, 5000000]);
      return { text: JSON.stringify(doc), ext: ".json", what: "size no ACI container had" };
    default:
      return { text: "{}", ext: pick([".json", ".yml"]), what: "empty object" };
  }
}

const REQUIRED_SESSION_PATHS = [
  "schemaVersion",
  "id",
  "createdAt",
  "updatedAt",
  "status",
  "target",
  "target.kind",
  "target.workspace",
  "target.location",
  "services",
  "services.0",
  "services.0.name",
  "services.0.plan",
  "services.0.steps",
  "services.0.steps.code",
  "services.0.steps.code.status",
  "services.0.resources",
  "services.0.overrides",
];

function damageSession(text: string): string {
  const doc = JSON.parse(text) as Record<string, any>;
  const kind = int(0, 5);
  if (kind === 0) return text.slice(0, int(1, text.length - 2));
  if (kind === 1) return pick(["null", "[]", '"text"', "42", "{}", "true"]);
  if (kind === 2) return JSON.stringify({ ...doc, schemaVersion: pick([99, SESSION_SCHEMA_VERSION + 1]) });
  if (kind === 3) return Buffer.from(Array.from({ length: int(1, 512) }, () => int(0, 255))).toString("latin1");
  const path = pick(REQUIRED_SESSION_PATHS).split(".");
  let at: any = doc;
  for (const p of path.slice(0, -1)) at = at[p];
  const last = path.at(-1)!;
  if (kind === 4) delete at[last];
  else at[last] = pick([null, 5, "x", [], false].filter((v) => typeof v !== typeof at[last] || (v === null) !== (at[last] === null)));
  return JSON.stringify(doc);
}

function badSessionId(): string {
  return pick([
    `../${pick(["sandbox-world", "x", "..", "sessions/x"])}`,
    `/etc/${pick(["passwd", "hosts"])}`,
    `${int(10000000, 99999999)}-${int(100000, 999999)}-${pick(["zzzz", "ABCD", "12345", "1"])}`,
    `20261127-101500-ab12/../../${pick(["x", "y"])}`,
    pick(["", " ", "\u001b[31mred", "a\u0000b", "ünïcödé", "x".repeat(300), "20261127-101500-ab12 ", "C:\\Windows"]),
    `20261127-101500-ab12${pick([".json", ".lock", "/", "\n"])}`,
  ]);
}

const SERVICE = "samples/service-sklearn-1cpu-2gb.json";
const BAD_FLAGS: readonly string[][] = [
  ["plan"],
  ["plan", "--service-json", SERVICE, "--deployment-config", SERVICE],
  ["plan", "--service-json", SERVICE, "--instances", pick(["0", "-3", "abc", "51", "1.5"])],
  ["plan", "--service-json", SERVICE, "--sku", pick(["Standard_Nope", "", "DS1"])],
  ["plan", "--service-json", SERVICE, "--endpoint-name", pick(["-bad-", "a", "x".repeat(40), "UPPER_case", "with space"])],
  ["plan", "--service-json", SERVICE, "--bogus"],
  ["plan", "--service-json"],
  ["plan", "--service-json", "does/not/exist.json"],
  ["plan", "--service-json", "samples"],
  ["list", pick(["bogus", "models", "x"])],
  ["sessions", pick(["bogus", "delete", "rm"])],
  ["sessions", "show"],
  ["skus", "--cpu", pick(["abc", "-1", "0", ""])],
  ["skus", "--memory", pick(["lots", "-2"])],
  ["sandbox", "--port", pick(["abc", "-1", "1.5"])],
  ["sandbox", "--speed", pick(["0", "-1", "fast"])],
  ["sandbox", "--faults", pick(["nope", "429@", "@0.5", "drop@2", "latency=abc"])],
  ["retire"],
  ["migrate", "--yes"],
  ["migrate", "-w", "ws", "--all", "--service", "x", "--yes"],
  ["migrate", "-w", "ws", "--yes"],
  ["migrate", "-w", "ws", "--service", "a", "--service", "b", "--endpoint-name", "one", "--yes"],
  ["migrate", "-w", "ws", "--service", "a", "--code-dir", "does-not-exist", "--yes"],
  ["migrate", "-w", "ws", "--service", "a", "--concurrency", pick(["0", "x"]), "--yes"],
  ["resume", "20261201-000000-abcd", "--concurrency", pick(["0", "-1"]), "--yes"],
  [pick(["frobnicate", "migrat", "sesions", "--", "-x"])],
  ["--cloud", pick(["Mars", "azure", ""]), "skus"],
  ["--state-dir"],
];

function cases(): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < 230; i++) {
    const bad = badServiceDoc();
    const json = random() < 0.5;
    out.push({
      label: `service file: ${bad.what}${json ? " --json" : ""}`,
      build: (inputs) => {
        const file = join(inputs, `service${bad.ext}`);
        writeFileSync(file, Buffer.from(bad.text, "latin1"));
        return ["plan", "--service-json", file, ...(json ? ["--json"] : [])];
      },
    });
  }
  for (let i = 0; i < 130; i++) {
    const json = random() < 0.5;
    const command = pick([["sessions", "show"], ["resume"], ["sessions"]]);
    const seed = i;
    out.push({
      label: `session file (${command.join(" ")})${json ? " --json" : ""}`,
      build: (_inputs, state) => {
        const session = writeSession(state);
        const file = join(state, "sessions", `${session.id}.json`);
        const r = seededRandom(seed);
        void r;
        writeFileSync(file, Buffer.from(damageSession(readFileSync(file, "utf8")), "latin1"));
        return [
          "--state-dir",
          state,
          ...command,
          ...(command[0] === "sessions" && command.length === 1 ? [] : [session.id]),
          ...(command[0] === "resume" ? ["--yes"] : []),
          ...(json ? ["--json"] : []),
        ];
      },
    });
  }
  for (let i = 0; i < 60; i++) {
    const id = badSessionId();
    const json = random() < 0.5;
    const command = pick([["sessions", "show"], ["sessions", "forget"], ["resume"]]);
    out.push({
      label: `session id ${JSON.stringify(id).slice(0, 40)} (${command.join(" ")})`,
      build: (_inputs, state) => ["--state-dir", state, ...command, id, ...(command[0] === "resume" ? ["--yes"] : []), ...(json ? ["--json"] : [])],
    });
  }
  for (let i = 0; i < 100; i++) {
    const flags = pick(BAD_FLAGS);
    const json = random() < 0.6;
    const at = int(0, flags.length);
    out.push({
      label: `flags: ${flags.join(" ")}${json ? " --json" : ""}`,
      build: (_inputs, state) => ["--state-dir", state, ...(json ? [...flags.slice(0, at), "--json", ...flags.slice(at)] : flags)],
    });
  }
  const folders: [string, (dir: string, outside: string) => void][] = [
    ["empty", () => undefined],
    ["only a helper", (d) => writeFileSync(join(d, "helper.py"), "x = 1\n")],
    ["score.py links outside", (d, outside) => symlinkSync(outside, join(d, "score.py"))],
    ["a dangling link", (d) => (writeFileSync(join(d, "score.py"), "def init(): pass\n"), symlinkSync("gone.py", join(d, "gone-link.py")))],
    ["a loop", (d) => (writeFileSync(join(d, "score.py"), "def init(): pass\n"), mkdirSync(join(d, "sub")), symlinkSync("..", join(d, "sub", "up")))],
    ["score.py is a folder", (d) => mkdirSync(join(d, "score.py"))],
    ["a file, not a folder", () => undefined],
    ["missing", () => undefined],
  ];
  for (let i = 0; i < 40; i++) {
    const [what, make] = pick(folders);
    const json = random() < 0.5;
    out.push({
      label: `code folder: ${what}${json ? " --json" : ""}`,
      sandbox: true,
      build: (inputs, state) => {
        const outside = join(inputs, "outside.py");
        writeFileSync(outside, "def init(): pass\n");
        let dir = join(inputs, "code");
        if (what === "a file, not a folder") writeFileSync(dir, "not a folder");
        else if (what === "missing") dir = join(inputs, "missing");
        else {
          mkdirSync(dir);
          make(dir, outside);
        }
        return [
          "--sandbox",
          "--state-dir",
          state,
          "migrate",
          "-w",
          "ml-batch-eastus",
          "--service",
          "batch-scorer-09",
          "--code-dir",
          dir,
          "--yes",
          ...(json ? ["--json"] : []),
        ];
      },
    });
  }
  return out;
}

/** Every path under `dir` with its size and content hash: what "nothing changed" is checked against. */
function snapshot(dir: string, skip: (path: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (skip(p)) continue;
      if (e.isDirectory()) visit(p);
      else out[relative(dir, p)] = e.isSymbolicLink() ? "link" : createHash("sha1").update(readFileSync(p)).digest("hex");
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

describe("seeded fuzz of bad input", () => {
  const sandbox = useAttachedSandbox({ speed: 1000 });
  const root = mkdtempSync(join(tmpdir(), "aci-migrate-fuzz-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const all = cases();

  it(`${all.length} generated bad inputs: exit 1 or 2, one message, no stack, nothing outside the state dir changed`, { timeout: 600_000 }, async () => {
    expect(all.length).toBeGreaterThanOrEqual(500);
    const repoBefore = readdirSync(repoPath("")).sort();
    const worldBefore = JSON.stringify({ endpoints: sandbox.sb.world.endpoints.length, codes: sandbox.sb.world.codes.length });
    const failures: string[] = [];
    for (const [i, c] of all.entries()) {
      const dir = join(root, `case-${i}`);
      const inputs = join(dir, "inputs");
      mkdirSync(inputs, { recursive: true });
      const state = c.sandbox ? sandbox.stateDir : join(dir, "state");
      const argv = c.build(inputs, state);
      const before = snapshot(dir, (p) => p === state);
      const sessionsBefore = c.sandbox ? snapshot(join(sandbox.stateDir, "sessions")) : {};
      const r = await runCliHere(argv);
      const problems: string[] = [];
      if (r.code !== 1 && r.code !== 2) problems.push(`exit ${r.code}`);
      if (looksLikeBug(r.stderr) || looksLikeBug(r.stdout)) problems.push("reads as a bug (stack or Internal error)");
      if (!r.stderr.trim()) problems.push("no message");
      if (argv.includes("--json")) {
        const lines = r.stderr.trim().split("\n");
        let parsed: unknown;
        try {
          parsed = JSON.parse(r.stderr);
        } catch {
          /* reported below */
        }
        if (lines.length !== 1 || !(parsed as { error?: { message?: string } })?.error?.message)
          problems.push(`stderr is not one JSON object: ${r.stderr.slice(0, 200)}`);
      } else if (!/Error|error/.test(r.stderr)) problems.push("no error line");
      if ([...r.stderr].some((ch) => ch.charCodeAt(0) < 0x20 && ch !== "\n")) problems.push("raw control characters echoed");
      if (/Infinity|NaN/.test(r.stdout + r.stderr)) problems.push("prints Infinity or NaN");
      if (c.label.includes("empty object") && r.stderr.includes("remove it")) problems.push("tells to remove a required field");
      const after = snapshot(dir, (p) => p === state);
      if (JSON.stringify(after) !== JSON.stringify(before)) problems.push("files outside the state dir changed");
      if (c.sandbox && JSON.stringify(snapshot(join(sandbox.stateDir, "sessions"))) !== JSON.stringify(sessionsBefore)) problems.push("a session was created");
      if (problems.length)
        failures.push(`#${i} ${c.label} [${argv.join(" ").slice(0, 160)}]: ${problems.join("; ")}\n    ${r.stderr.split("\n").slice(0, 3).join("\n    ")}`);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
    expect(readdirSync(repoPath("")).sort()).toEqual(repoBefore);
    expect(JSON.stringify({ endpoints: sandbox.sb.world.endpoints.length, codes: sandbox.sb.world.codes.length })).toBe(worldBefore);
    expect(statSync(sandbox.stateDir).isDirectory()).toBe(true);
  });
});
