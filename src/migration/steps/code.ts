import { progress, SESSION_TAG } from "../service-run.js";
import { codeSource } from "./code-source.js";
import { count, megabytes, type Step } from "./step.js";

/** 2. The scoring code as a registered code version (uploaded once per content hash). */
export const code: Step = async (run) => {
  const source = codeSource(run);
  if (!source) return { outcome: "skipped", detail: "the v1 image carries its scoring code (custom container)" };
  const { id, reused } = await run.port.ensureCode(
    run.at,
    source,
    `${run.entry.name}-code`,
    (p) =>
      progress(
        run,
        "code",
        p.files === 0
          ? `uploading ${count(p.totalFiles, "file")} (${megabytes(p.totalBytes)})`
          : `uploaded ${p.files.toLocaleString("en-US")} of ${count(p.totalFiles, "file")} (${megabytes(p.bytes)} of ${megabytes(p.totalBytes)})`,
      ),
    // The session that registers a version is named on it, so a rollback deletes only its own.
    { [SESSION_TAG]: run.session.data.id },
    run.ws, // a v1 snapshot is read where the service is, whichever workspace the code goes into
  );
  run.session.note(() => (run.entry.resources.codeId = id));
  return {
    outcome: reused ? "skipped" : "done",
    detail: reused ? `reused code version ${id.split("/").slice(-3).join("/")}` : `uploaded and registered ${id.split("/").slice(-3).join("/")}`,
  };
};
