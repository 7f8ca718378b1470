import type { AnswerDifference } from "./compare-answers.js";
import type { Finding } from "./findings.js";
import { crashCause } from "./python-crash.js";

/** How the rehearsal ran the service: in the environment's image, in a virtual environment built from it, or in an interpreter as it is. */
export type RunnerKind = "docker" | "venv" | "python";

export interface RehearsalRunner {
  readonly kind: RunnerKind;
  /** One line: what ran it (`a virtual environment of Python 3.11 with the environment's 4 pip packages`). */
  readonly description: string;
  /** Whether the inference server itself served the request (azmlinfsrv), or a harness called init() and run(). */
  readonly judgedServer: boolean;
}

/** One frame of a traceback: where in the user's script it failed. */
export interface ScriptFrame {
  /** Relative to the code folder (`score.py`). */
  readonly file: string;
  readonly line: number;
  readonly function: string;
  /** The line's code, as the script has it. */
  readonly code?: string;
}

export type RehearsalVerdict =
  /** The script started and answered; `v1Answer` when the v1 service answered the same request (the same within tolerance). */
  | { readonly kind: "passed"; readonly answer: unknown; readonly comparedWithV1: boolean }
  | {
      readonly kind: "crashed";
      /** `import`: loading the script; `init`/`run`: in those functions. */
      readonly phase: "import" | "init" | "run";
      readonly exception: string;
      readonly message: string;
      /** The innermost frame in the user's code, when the traceback has one. */
      readonly frame?: ScriptFrame;
      /** The traceback with paths as the container has them. */
      readonly traceback: readonly string[];
    }
  /** run() answered with an error status (the server's 4xx/5xx for the request, not a crash of the script). */
  | { readonly kind: "refused"; readonly status: number; readonly body: string }
  | { readonly kind: "differs"; readonly answer: unknown; readonly v1Answer: unknown; readonly difference: AnswerDifference }
  /** Nothing could be said: why, and what would give a verdict. */
  | { readonly kind: "not-judged"; readonly why: string; readonly next: string; readonly detail?: readonly string[] };

export interface RehearsalOutcome {
  readonly service: string;
  readonly runner: RehearsalRunner;
  readonly verdict: RehearsalVerdict;
  /** Where the sample request came from (`--sample-request`, the swagger's, the default). */
  readonly sample: string;
  /** What differs from Azure in this run (an older Python, conda packages pip cannot install…). */
  readonly notes: readonly string[];
}

const LEARN = "https://learn.microsoft.com/azure/machine-learning";
/** Severity of each rehearsal finding id: the ones a blocker is made of. */
export const REHEARSAL_BLOCKERS = ["rehearsal-crashed", "rehearsal-refused", "rehearsal-answer-differs"] as const;

export type RehearsalFinding = Finding & { readonly file?: string; readonly line?: number; readonly code?: string };

const short = (v: unknown, max = 160) => {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** The rehearsal's verdict as a finding of the plan: a crash, a refusal or a different answer is a blocker. */
export function rehearsalFindings(o: RehearsalOutcome): RehearsalFinding[] {
  const how = `${o.runner.description}${o.runner.judgedServer ? "" : "; the inference server itself was not run, only the script's init() and run()"}`;
  const v = o.verdict;
  switch (v.kind) {
    case "passed":
      return [
        {
          id: "rehearsal-passed",
          severity: "info",
          docUrl: `${LEARN}/how-to-inference-server-http`,
          message: `The rehearsal started ${o.service} in the managed layout and scored ${o.sample}: ${v.comparedWithV1 ? "it answered as the v1 service does" : `it answered ${short(v.answer, 80)} (no v1 answer to compare with)`} (${how}).`,
          remedy: "Nothing to do.",
        },
      ];
    case "crashed": {
      const { cause, remedy } = crashCause({ type: v.exception, message: v.message });
      const where = v.frame ? `${v.frame.file}:${v.frame.line}${v.frame.code ? ` (${v.frame.code.trim()})` : ""}` : "the script";
      return [
        {
          id: "rehearsal-crashed",
          severity: "blocker",
          docUrl: `${LEARN}/how-to-troubleshoot-online-endpoints`,
          message: `Rehearsed in the managed layout, ${o.service} fails ${v.phase === "import" ? "while the script is imported" : `in ${v.phase}()`} at ${where}: ${v.exception}${v.message ? `: ${v.message}` : ""}. ${cause} (${how})`,
          remedy,
          ...(v.frame ? { file: v.frame.file, line: v.frame.line, code: v.frame.code?.trim() } : {}),
        },
      ];
    }
    case "refused":
      return [
        {
          id: "rehearsal-refused",
          severity: "blocker",
          docUrl: `${LEARN}/how-to-troubleshoot-online-endpoints`,
          message: `Rehearsed in the managed layout, ${o.service} answered ${o.sample} with HTTP ${v.status}: ${short(v.body)} (${how}).`,
          remedy: "Send the sample your callers send (--sample-request FILE), or fix the script's input handling.",
        },
      ];
    case "differs":
      return [
        {
          id: "rehearsal-answer-differs",
          severity: "blocker",
          docUrl: `${LEARN}/how-to-safely-rollout-online-endpoints`,
          message: `Rehearsed in the managed layout, ${o.service} answers ${o.sample} differently from the v1 service, first at ${v.difference.path}: v1 ${short(v.difference.expected, 60)}, rehearsal ${short(v.difference.actual, 60)}. v1 answered ${short(v.v1Answer)}; the rehearsal ${short(v.answer)} (${how}).`,
          remedy:
            "Check that the environment pins the versions the v1 service ran (a new library version changes predictions) and that the same model version is deployed.",
        },
      ];
    case "not-judged":
      return [
        {
          id: "rehearsal-not-judged",
          severity: "warning",
          docUrl: `${LEARN}/how-to-inference-server-http`,
          message: `The rehearsal could not judge ${o.service}: ${v.why}`,
          remedy: v.next,
        },
      ];
  }
}

/** Which runner the user asks for; `auto` takes the best this machine has (Docker, a virtual environment, Python as it is). */
export type RunnerChoice = "auto" | RunnerKind;

/** The names the managed deployment will use, which the rehearsal lays out. */
export interface RehearsalLayoutSpec {
  /** The code folder's name under /var/azureml-app. */
  readonly codeFolder: string;
  /** The entry script, relative to the code folder. */
  readonly scoringScript: string;
  /** `name/version` of the model under /var/azureml-app/azureml-models. */
  readonly modelFolder: string;
  readonly environmentVariables: Readonly<Record<string, string>>;
}

/** Everything a rehearsal needs, gathered by whoever knows where the service is (the engine, a command). */
export interface RehearsalJob {
  readonly service: string;
  readonly layout: RehearsalLayoutSpec;
  /** Writes the code that would be deployed (with the accepted edits) into `dir`; absent for a custom container, whose image holds it. */
  placeCode?(dir: string): Promise<void>;
  /** Writes what $AZUREML_MODEL_DIR holds into `dir`, saying how far it is. */
  placeModel(dir: string, onProgress: (message: string) => void): Promise<void>;
  readonly environment: {
    /** The conda specification, when the environment has one. */
    readonly conda?: unknown;
    /** Its base image (for the Docker runner). */
    readonly image?: string;
    /** Its package names, lower-case (what a missing module is checked against). */
    readonly packages?: readonly string[];
  };
  readonly sample: { readonly body: unknown; readonly source: string };
  /** The v1 service's answer to the same request, when there is a live service to ask. */
  v1Answer?(): Promise<{ status: number; body: unknown } | undefined>;
  readonly requestTimeoutMs: number;
}

/** How a rehearsal runs: which runner, with which interpreter, and what it says meanwhile. */
export interface RehearsalOptions {
  readonly runner: RunnerChoice;
  /** `--python PATH`: the interpreter to run with as it is (or to make the virtual environment from). */
  readonly python?: string;
  readonly onProgress?: (message: string) => void;
  /** The script's own output, line by line. */
  readonly onOutput?: (line: string) => void;
  readonly signal?: AbortSignal;
}
