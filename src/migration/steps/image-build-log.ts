import { BUILD_LOG_SAYS, buildLogFailure, buildLogLocation } from "../../domain/image-build-log.js";
import { OperationFailedError } from "../errors.js";
import type { ServiceRun } from "../service-run.js";

/**
 * A deployment whose environment's image did not build says only that; Azure keeps the build log in the
 * workspace's storage and names where. Its failing lines (the package that did not resolve) go into the error, so
 * the failure shown, journalled and diagnosed carries its cause. A log that cannot be read leaves the error as it is.
 */
export async function withImageBuildLog(run: ServiceRun, e: OperationFailedError): Promise<OperationFailedError> {
  if (e.code !== "ImageBuildFailure") return e;
  const where = buildLogLocation(e.message);
  const log = where ? await run.port.imageBuildLog(run.at, where).catch(() => undefined) : undefined;
  const failing = log ? buildLogFailure(log) : [];
  if (!failing.length) return e;
  return new OperationFailedError(`${e.message}\n${BUILD_LOG_SAYS}\n${failing.map((l) => `  ${l}`).join("\n")}`, e.code, e.operation, e.requestId);
}
