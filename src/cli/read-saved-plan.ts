import { Ajv2020 } from "ajv/dist/2020.js";
import { UserFixableError } from "../domain/errors.js";
import type { SavedPlan } from "../domain/saved-plan.js";
import { SAVED_PLAN_SCHEMA } from "../domain/saved-plan-schema.js";
import { readDocument } from "./read-document.js";

let validator: ReturnType<Ajv2020["compile"]> | undefined;

/** A saved plan file (YAML or JSON), checked against its published schema; what does not hold is named with its place. */
export async function readSavedPlan(file: string): Promise<SavedPlan> {
  const doc = await readDocument(file, "saved plan");
  validator ??= new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true }).compile(SAVED_PLAN_SCHEMA);
  if (validator(doc)) return doc as unknown as SavedPlan;
  const e = validator.errors![0]!;
  const where = e.instancePath ? e.instancePath.slice(1).replaceAll("/", ".") : "the top level";
  throw new UserFixableError(`${file} is not a saved plan aci-migrate can apply: ${where} ${e.message}.`, {
    why: "A saved plan is applied exactly as it was reviewed, so a file that lacks a part (or was edited out of shape) is not guessed at.",
    nextStep: "Save the plan again with `aci-migrate plan -w WORKSPACE --service NAME --save FILE` and review that file.",
    source: file,
    kind: "input",
  });
}
