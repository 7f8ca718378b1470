import type { StepName } from "../../session/session-file.js";
import { code } from "./code.js";
import { compare } from "./compare.js";
import { deployment } from "./deployment.js";
import { endpoint } from "./endpoint.js";
import { model } from "./model.js";
import { preflight } from "./preflight.js";
import { smokeTest } from "./smoke-test.js";
import type { Step } from "./step.js";
import { traffic } from "./traffic.js";

export type { Step, StepOutcome } from "./step.js";

/** Each step of a service's migration, by name; the engine runs them in the order of its STAGES. */
export const STEPS: Readonly<Record<StepName, Step>> = { preflight, code, model, endpoint, deployment, "smoke-test": smokeTest, compare, traffic };
