import { INFERENCE_SERVER_PACKAGES } from "../domain/findings.js";
import { condaFilePackageNames } from "../domain/parse-v1-environment.js";
import type { MigrationPlan } from "../domain/plan.js";
import type { RegisteredEnvironment } from "../migration/port.js";
import type { WorkspaceContext } from "./draft.js";
import type { Choice, Prompter } from "./prompter.js";
import { environmentLabel } from "./text/plan-text.js";

/** Whether a registered environment starts the HTTP server managed endpoints need; unknown without a conda file. */
export function hasInferenceServer(env: RegisteredEnvironment): boolean | undefined {
  if (env.condaFile === undefined) return undefined;
  const names = condaFilePackageNames(env.condaFile);
  return INFERENCE_SERVER_PACKAGES.some((p) => names.includes(p));
}

/** The line a registered environment gets in the list: NAME:VERSION and whether it has the inference server. */
export function environmentChoiceName(env: RegisteredEnvironment): string {
  const server = hasInferenceServer(env);
  const mark =
    server === true
      ? "has the inference server"
      : server === false
        ? "no inference server: the container would not start"
        : "custom image: check it serves on port 5001";
  return `${env.name}:${env.version}  ${mark}`;
}

/**
 * Another environment from the workspace's registered ones, those with the inference server first; the service's
 * own (empty) and typing NAME:VERSION are offered too. Resolves with NAME:VERSION, or undefined for the service's own.
 */
export async function askEnvironment(ask: Prompter, p: MigrationPlan, ctx?: WorkspaceContext): Promise<string | undefined> {
  const listed = ctx ? await ask.working("Reading the workspace's environments", ctx.port.listEnvironments(ctx.ws)).catch(() => []) : [];
  const rank = (e: RegisteredEnvironment) => (hasInferenceServer(e) === true ? 0 : hasInferenceServer(e) === undefined ? 1 : 2);
  const sorted = [...listed].sort((a, b) => rank(a) - rank(b));
  const choices: Choice<string>[] = [
    ...sorted.map((e) => ({ value: `${e.name}:${e.version}`, name: environmentChoiceName(e) })),
    { value: "", name: `The service's own (${environmentLabel(p.environment)})` },
    { value: "\u0000type", name: "Another: type NAME:VERSION" },
  ];
  const current = p.environment.kind === "registered" && p.environment.version ? `${p.environment.name}:${p.environment.version}` : undefined;
  // The cursor starts on the current environment when it can serve, else on the first that can: the likely remedy.
  const serving =
    sorted.find((e) => `${e.name}:${e.version}` === current && hasInferenceServer(e) !== false) ?? sorted.find((e) => hasInferenceServer(e) === true);
  const picked = await ask.select(`Environment for ${p.service.name} (${listed.length} registered in the workspace):`, choices, {
    default: serving ? `${serving.name}:${serving.version}` : undefined,
  });
  if (picked !== "\u0000type") return picked || undefined;
  const typed = await ask.input("Registered environment NAME:VERSION:", {
    validate: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*:[0-9]+$/.test(v.trim()) ? true : `Write it NAME:VERSION, e.g. sklearn-env:5 (got "${v.trim()}").`),
  });
  return typed.trim();
}
