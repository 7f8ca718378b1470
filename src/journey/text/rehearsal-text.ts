import { crashCause } from "../../domain/python-crash.js";
import type { RehearsalOutcome } from "../../domain/rehearsal.js";
import { paint, wrapped } from "./text.js";

const answerText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The verdict of a rehearsal for a person: what ran it, what it answered or where it failed, and what to do. */
export function renderRehearsalText(o: RehearsalOutcome, decorated: boolean): string {
  const c = paint(decorated);
  const v = o.verdict;
  const out: string[] = [];
  const title = {
    passed: c.green("passed"),
    crashed: c.red("BLOCKER: it crashed"),
    refused: c.red("BLOCKER: it refused the sample"),
    differs: c.red("BLOCKER: it answers differently from the v1 service"),
    "not-judged": c.yellow("could not judge"),
  }[v.kind];
  out.push(c.bold(`Rehearsal of ${o.service}: `) + title);
  out.push(...wrapped(`Ran with ${o.runner.description}.`, "  "));
  if (!o.runner.judgedServer)
    out.push(...wrapped("The inference server itself was not run: a harness imported the script and called init() and run() as it does.", "  "));
  out.push(...wrapped(`Scored ${o.sample}.`, "  "));
  switch (v.kind) {
    case "passed":
      out.push(...wrapped(`Answer: ${answerText(v.answer)}`, "  "));
      out.push(
        ...wrapped(v.comparedWithV1 ? "The v1 service answers the same (numbers within the tolerance)." : "There was no v1 answer to compare with.", "  "),
      );
      break;
    case "crashed": {
      const { cause, remedy } = crashCause({ type: v.exception, message: v.message });
      const where = v.frame ? `${v.frame.file}:${v.frame.line}, in ${v.frame.function}()` : "the script";
      out.push(...wrapped(`${v.phase === "import" ? "Importing the script" : `${v.phase}()`} failed at ${where}:`, "  "));
      if (v.frame?.code) out.push(`    ${v.frame.line} | ${v.frame.code.trim()}`);
      out.push(...wrapped(`${v.exception}${v.message ? `: ${v.message}` : ""}`, "    "));
      out.push(...wrapped(`Likely cause: ${cause}`, "  "));
      out.push(...wrapped(`What to do: ${remedy}`, "  "));
      if (v.traceback.length) {
        out.push(c.dim("  Traceback (as in the container):"));
        for (const l of tracebackLines(v.traceback).slice(-12)) out.push(...wrapped(c.dim(l), "    "));
      }
      break;
    }
    case "refused":
      out.push(...wrapped(`It answered HTTP ${v.status}: ${v.body}`, "  "));
      break;
    case "differs":
      out.push(
        ...wrapped(`First difference at ${v.difference.path}: v1 ${answerText(v.difference.expected)}, rehearsal ${answerText(v.difference.actual)}.`, "  "),
      );
      out.push(...wrapped(`v1 answered:        ${answerText(v.v1Answer)}`, "  "));
      out.push(...wrapped(`the rehearsal gave: ${answerText(v.answer)}`, "  "));
      break;
    case "not-judged":
      out.push(...wrapped(`Why: ${v.why}`, "  "));
      for (const l of v.detail ?? []) out.push(...wrapped(c.dim(l), "    "));
      out.push(...wrapped(`For a verdict: ${v.next}`, "  "));
      break;
  }
  for (const n of o.notes) out.push(...wrapped(c.dim(`Note: ${n}`), "  "));
  return out.join("\n");
}

/** A traceback as a person reads it: without the harness's own frame and Python 3.11's ^^^ markers. */
function tracebackLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*[~^]+\s*$/.test(l)) continue;
    if (/^\s*File "<string>"/.test(l)) {
      if (lines[i + 1] !== undefined && !/^\s*File "|^\S/.test(lines[i + 1]!)) i++;
      continue;
    }
    out.push(l.trimEnd());
  }
  return out;
}
