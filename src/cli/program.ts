import { Command, CommanderError, Option } from "commander";
import { CLOUD_NAMES } from "../azure/credentials.js";
import { PRODUCT_VERSION } from "../domain/product.js";
import { migrateCommand } from "./commands/migrate.js";
import { planCommand } from "./commands/plan.js";
import { resumeCommand, sessionsCommand } from "./commands/sessions.js";
import { retireCommand } from "./commands/retire.js";
import { listCommand } from "./commands/list.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { servicesCommand } from "./commands/services.js";
import { skusCommand } from "./commands/skus.js";
import { EXIT } from "./exit-codes.js";
import type { CommandIo } from "./io.js";
import { renderError } from "./render/error.js";
import { connector } from "./connect.js";
import { UserFixableError } from "../domain/errors.js";
import { stateDirOf } from "./commands/migrate.js";
import { isInteractiveTerminal } from "./options.js";
import { runWizard, wizardBackend } from "./wizard.js";

export const VERSION = PRODUCT_VERSION;

export function buildProgram(io: CommandIo): Command {
  const program = new Command("aci-migrate")
    .description("Move Azure ML SDK v1 ACI web services to managed online endpoints, seeing and choosing every step.")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .option("--sandbox", "use the embedded Azure sandbox instead of Azure (attaches to one serving --state-dir, else starts one)")
    .addOption(new Option("--state-dir <dir>", "where sessions (and a sandbox's world) are kept").env("ACI_MIGRATE_STATE_DIR"))
    .addOption(new Option("--cloud <name>", "the Azure cloud").choices(CLOUD_NAMES).default("AzureCloud"))
    .option("--tenant <id>", "sign in to this Microsoft Entra tenant")
    .option("--verbose", "print each HTTP request to stderr (method, URL without its query, status, request id)")
    .option("--no-color", "no colour (also when NO_COLOR is set)")
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate --sandbox                      open the wizard on the sandbox
  $ aci-migrate                                open the wizard on Azure (signed in with az login)
  $ aci-migrate plan --service-json service.json
  $ aci-migrate skus --cpu 1 --memory 2
  $ aci-migrate --sandbox services
  $ aci-migrate sandbox --port 0 --json`,
    );
  const connect = connector(io);
  program.allowExcessArguments(true).action(async (_opts: unknown, cmd: Command) => {
    if (cmd.args.length) cmd.error(`error: unknown command '${cmd.args[0]}'`, { code: "commander.unknownCommand", exitCode: EXIT.usage });
    if (!isInteractiveTerminal()) {
      throw new UserFixableError("The wizard needs an interactive terminal, and this is not one.", {
        nextStep: "Use the commands instead: `aci-migrate services`, `aci-migrate plan`, `aci-migrate migrate --yes` (see --help).",
        kind: "input",
      });
    }
    const connected = await connect(cmd);
    try {
      process.exitCode = await runWizard(wizardBackend(connected, { stateDir: stateDirOf(cmd), cloud: (cmd.opts() as { cloud?: string }).cloud }));
    } finally {
      await connected.close();
    }
  });
  program.addCommand(planCommand(io, connect));
  program.addCommand(skusCommand(io));
  program.addCommand(servicesCommand(io, connect));
  program.addCommand(listCommand(io, connect));
  program.addCommand(migrateCommand(io, connect));
  program.addCommand(resumeCommand(io, connect));
  program.addCommand(sessionsCommand(io));
  program.addCommand(retireCommand(io, connect));
  program.addCommand(sandboxCommand(io));
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const cmd of program.commands) cmd.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  return program;
}

/** Runs the CLI and returns the exit code; never calls process.exit (so tests can call it). */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const program = buildProgram(io);
  const wantsJson = argv.includes("--json");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.done;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is a usage error.
      // "commander.help" is help shown because no command was given: a usage error.
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT.done : EXIT.usage;
    }
    const rendered = renderError(e, io.decorated);
    // Under --json the error is JSON on stderr, so stdout holds only the data a script reads.
    io.err(wantsJson ? JSON.stringify(rendered.json) : rendered.text);
    return rendered.exitCode;
  }
}
