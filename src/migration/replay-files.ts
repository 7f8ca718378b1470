import { replayHtml } from "../report/replay-html.js";
import { replayMarkdown } from "../report/replay-markdown.js";
import type { ReplayJournal } from "../session/replay-journal.js";
import type { ReplayOutcome } from "./replay.js";

export interface ReplayFiles {
  readonly markdown: string;
  readonly html: string;
  readonly json: string;
}

/** Writes a replay's report beside its journal (0600: its examples hold requests and answers); returns the files. */
export function saveReplayReport(journal: ReplayJournal, outcome: ReplayOutcome, now = new Date()): ReplayFiles {
  const when = `Compared on ${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return {
    markdown: journal.writeReport("markdown", replayMarkdown(outcome.report, outcome.samples, when)),
    html: journal.writeReport("html", replayHtml(outcome.report, outcome.samples, when)),
    json: journal.writeReport("json", `${JSON.stringify({ report: outcome.report, disagreements: outcome.samples }, null, 2)}\n`),
  };
}
