import { warnIfStateDirLoose } from "./state-dir-option.js";
import { Command, CommanderError, Option } from "commander";
import { CLOUD_NAMES } from "../azure/clouds.js";
import { PRODUCT_VERSION } from "../domain/product.js";
import { migrateCommand } from "./commands/migrate.js";
import { planCommand } from "./commands/plan.js";
import { rehearseCommand } from "./commands/rehearse.js";
import { compareCommand } from "./commands/compare.js";
import { keysCommand } from "./commands/keys.js";
import { resumeCommand, sessionsCommand } from "./commands/sessions.js";
import { retireCommand } from "./commands/retire.js";
import { listCommand } from "./commands/list.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { servicesCommand } from "./commands/services.js";
import { auditCommand } from "./commands/audit.js";
import { skusCommand } from "./commands/skus.js";
import { EXIT } from "../journey/exit-codes.js";
import { layOutForTheTerminal, type CommandIo } from "./io.js";
import { connector } from "./connect.js";
import { UserFixableError } from "../domain/errors.js";
import { printableLines } from "../domain/printable.js";
import { stateDirOf } from "./state-dir-option.js";
import { chooseFrontEnd, optionsOf } from "./options.js";
import { commandLineOf, commandLineOfArgs } from "./command-line.js";
import { rollbackCommand } from "./commands/rollback.js";

export const VERSION = PRODUCT_VERSION;

/** Exit codes (docs/architecture.md) as the root help states them; each command's help says what they mean for it. */
const EXIT_CODES_HELP = "Exit codes: 0 done, 1 failed (a migration can be resumed), 2 bad input or usage, 130 cancelled (Ctrl+C).";

export function buildProgram(io: CommandIo, options: { json?: boolean } = {}): Command {
  const program = new Command("aci-migrate")
    .description("Move Azure ML SDK v1 ACI web services to managed online endpoints, seeing and choosing every step.")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .option("--sandbox", "use the embedded Azure sandbox instead of Azure (attaches to one serving --state-dir, else starts one)")
    .addOption(new Option("--state-dir <dir>", "where sessions (and a sandbox's world) are kept").env("ACI_MIGRATE_STATE_DIR"))
    .addOption(new Option("--cloud <name>", "the Azure cloud").choices(CLOUD_NAMES).default("AzureCloud"))
    .option("--tenant <id>", "sign in to this Microsoft Entra tenant")
    .option("-s, --subscription <id>", "the subscription (id, or name in the wizard); needed only when a workspace name repeats")
    .option("-g, --resource-group <name>", "the resource group of the workspace")
    .option("-w, --workspace <name>", "the Azure ML workspace")
    .option("--json", "print data as JSON on stdout (errors as one JSON object on stderr; see docs/json.md)")
    .option("--plain", "ask plain questions one after another and print progress line by line (screen readers; automatic when TERM=dumb)")
    .option("--no-logs", "print no container log lines during a run (plain mode, migrate, resume; the wizard starts with them hidden)")
    .option("--verbose", "print each HTTP request to stderr (method, URL without its query, status, request id)")
    .option("--no-color", "no colour (also when NO_COLOR is set)")
    .addHelpText(
      "after",
      `
Without a command, in a terminal, aci-migrate opens the wizard (or, with --plain, asks its questions one by one).

Examples (on the embedded sandbox; on Azure, drop --sandbox and sign in with az login first):
  $ aci-migrate --sandbox                      open the wizard
  $ aci-migrate --sandbox --plain              the same journey as plain questions, one at a time
  $ aci-migrate --sandbox services             every v1 service, with the VM size it would move to
  $ aci-migrate skus --cpu 1 --memory 2        Microsoft's table and the catalog, with the suggestion

${EXIT_CODES_HELP}`,
    );
  program.hook("preAction", (_program, action) => warnIfStateDirLoose(action, io));
  program.hook("preAction", () => layOutForTheTerminal());
  const connect = connector(io);
  program.allowExcessArguments(true).action(async (_opts: unknown, cmd: Command) => {
    if (cmd.args.length) cmd.error(`error: unknown command '${cmd.args[0]}'`, { code: "commander.unknownCommand", exitCode: EXIT.usage });
    const opts = optionsOf<object>(cmd);
    const front = chooseFrontEnd(opts);
    if (front === "none" || opts.json) {
      throw new UserFixableError(
        opts.json ? "The wizard asks questions; it does not print JSON." : "The wizard needs a person at a terminal, and stdin is not one.",
        {
          nextStep:
            "In a terminal run `aci-migrate` (or `aci-migrate --plain` for one question at a time); in scripts use the commands: `aci-migrate services`, `aci-migrate plan`, `aci-migrate migrate --yes` (see --help).",
          kind: "input",
        },
      );
    }
    const { connectingSource, runJourneyIn } = await import("./wizard.js");
    const sandbox = Boolean(opts.sandbox);
    const source = connectingSource(connect, cmd, front, { stateDir: stateDirOf(cmd), cloud: opts.cloud, command: commandLineOf(cmd, { sandbox }), sandbox });
    try {
      process.exitCode = await runJourneyIn(front, source, io, {
        subscription: opts.subscription,
        resourceGroup: opts.resourceGroup,
        workspace: opts.workspace,
        logs: opts.logs,
      });
    } finally {
      await source.close();
    }
  });
  program.addCommand(planCommand(io, connect));
  program.addCommand(rehearseCommand(io, connect));
  program.addCommand(compareCommand(io, connect));
  program.addCommand(keysCommand(io, connect));
  program.addCommand(skusCommand(io));
  program.addCommand(servicesCommand(io, connect));
  program.addCommand(auditCommand(io, connect));
  program.addCommand(listCommand(io, connect));
  program.addCommand(migrateCommand(io, connect));
  program.addCommand(resumeCommand(io, connect));
  program.addCommand(sessionsCommand(io));
  program.addCommand(retireCommand(io, connect));
  program.addCommand(rollbackCommand(io, connect));
  program.addCommand(sandboxCommand(io));
  // Under --json a usage error is one JSON object on stderr (runCli writes it), so commander's own text is held back.
  const json = Boolean(options.json);
  const output = {
    writeOut: (s: string) => io.out(s.trimEnd()),
    writeErr: (s: string) => (json ? undefined : io.err(s.trimEnd())), // e.g. "(run with --help for usage)"
    // Commander echoes what was typed ("unknown option '…'"): escaped, so stray control bytes never reach the terminal.
    outputError: (s: string, write: (s: string) => void) => (json ? undefined : write(printableLines(s))),
  };
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput(output);
    // The global flags work before or after the command (as az's do), so each command's help lists them too.
    cmd.configureHelp({ showGlobalOptions: true });
  }
  return program;
}

/** Runs the CLI and returns the exit code; never calls process.exit (so tests can call it). */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const wantsJson = argv.includes("--json");
  const program = buildProgram(io, { json: wantsJson });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.done;
  } catch (e) {
    // The error texts load for an error only: what every command loads before it runs stays small.
    const errorText = () => import("../journey/text/error-text.js");
    if (e instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is a usage error.
      // "commander.help" is help shown because no command was given: a usage error.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return EXIT.done;
      if (wantsJson) {
        const usage = new UserFixableError(printableLines(e.message.replace(/^error: /, "")), {
          nextStep: "Run the command with --help for its options and examples.",
          source: "command line",
          kind: "input",
        });
        io.err(JSON.stringify((await errorText()).renderError(usage, false).json));
      }
      return EXIT.usage;
    }
    const rendered = (await errorText()).renderError(e, io.decorated, commandLineOfArgs(argv));
    // Under --json the error is JSON on stderr, so stdout holds only the data a script reads.
    io.err(wantsJson ? JSON.stringify(rendered.json) : rendered.text);
    return rendered.exitCode;
  }
}
