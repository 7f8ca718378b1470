import { readFile } from "node:fs/promises";
import { UserFixableError } from "../domain/errors.js";

/** `--sample-request FILE`: the JSON request to score. */
export async function readSample(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new UserFixableError(`Cannot read the sample request ${file}: ${(e as Error).message}.`, {
      nextStep: "Pass a JSON file your scoring script accepts.",
      source: file,
      kind: "input",
    });
  }
}
