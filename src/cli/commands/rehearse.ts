import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { addOverrideOptions } from "../plan-override-options.js";
import { addRehearsalOptions } from "../rehearsal-options.js";

export function rehearseCommand(io: CommandIo, connect: Connect): Command {
  const cmd = new Command("rehearse")
    .description(
      "Run a v1 service on this machine in the managed deployment's layout, score a sample, and compare with the v1 service: before Azure is touched.",
    )
    .option("--service <name>", "a service in your workspace (with --workspace; reads it from Azure, or the sandbox with --sandbox)")
    .option("--service-json <file>", "the service as `az ml service show` or the v1 REST API returns it (JSON or YAML)")
    .option("--deployment-config <file>", "the v1 CLI deploymentconfig.json/.yml the service was deployed with")
    .option("--inference-config <file>", "the v1 CLI inferenceconfig.json/.yml (with --deployment-config)")
    .option("--service-name <name>", "the service's name (deployment config files do not carry it)")
    .option("--code-dir <dir>", "the scoring code folder, instead of the v1 snapshot or the inference config's source directory")
    .option("--model-dir <dir>", "offline: a folder holding what $AZUREML_MODEL_DIR holds on the deployment (the model's files)")
    .option("--sample-request <file>", 'JSON request to score (default: the service\'s swagger sample, else {"data": [[0.5, 1.5, 2.5, 3.5]]})');
  return addRehearsalOptions(addOverrideOptions(cmd))
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate --sandbox rehearse -w ml-prod-eastus --service credit-2cpu-4gb
  $ aci-migrate --sandbox rehearse -w ml-prod-eastus --service ensemble-two-models --apply-script-edits
  $ aci-migrate --sandbox rehearse -w ml-prod-eastus --service churn-keyauth --runner python --json
  $ aci-migrate rehearse --deployment-config samples/v1-cli-yaml/deploymentconfig.yml --inference-config samples/v1-cli-yaml/inferenceconfig.yml --model churn:1

The code and the model are laid out as the managed deployment has them (/var/azureml-app/<code>/,
AZUREML_MODEL_DIR, AML_APP_ROOT), in a folder of the state directory that is removed afterwards. Runners, best
first: Docker or Podman (the environment's image, the inference server over HTTP); a virtual environment built
from the environment's pip and conda packages (kept in the state directory's environments/ and reused); an
interpreter as it is (--python PATH, or python3). pip follows its own settings (PIP_INDEX_URL, PIP_FIND_LINKS,
PIP_NO_INDEX).

Exit codes: 0 passed or could not judge (the verdict says why), 1 a blocker (a crash, a refused sample, a
different answer), 2 bad input.`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/rehearse.js").then((m) => m.runRehearse(io, connect, _local, cmd)));
}
