import { LOG_TAIL_LINES, linesAfter, START_OF_LOG } from "../log-tail.js";
import { planOf, type ServiceRun } from "../service-run.js";

/**
 * Polls both containers' logs (their last LOG_TAIL_LINES lines, so no poll grows with the log) and emits only the
 * lines not seen before, after adding them to the session's full log file (`restart` when a new container starts).
 */
export function streamLogs(run: ServiceRun): { poll(): Promise<void>; restart(): void } {
  const cursors = { StorageInitializer: START_OF_LOG, InferenceServer: START_OF_LOG };
  let busy: Promise<void> | undefined;
  const pollOnce = async () => {
    const plan = planOf(run); // read each time: a VM size change moves the plan to a new deployment
    const containers = ["StorageInitializer", "InferenceServer"] as const;
    const texts = await Promise.all(
      containers.map((container) => run.port.deploymentLogs(run.at, plan.endpointName, plan.deploymentName, container, LOG_TAIL_LINES).catch(() => "")),
    );
    for (const [i, container] of containers.entries()) {
      const text = texts[i]!;
      const read = linesAfter(cursors[container], text ? text.split("\n") : []);
      cursors[container] = read.cursor;
      if (!read.lines.length) continue;
      run.session.appendLog(run.entry.name, plan.deploymentName, container, read.lines);
      run.emit({ type: "log-lines", service: run.entry.name, container, lines: read.lines });
    }
  };
  return {
    poll: () => (busy ??= pollOnce().finally(() => (busy = undefined))),
    restart: () => Object.assign(cursors, { StorageInitializer: START_OF_LOG, InferenceServer: START_OF_LOG }),
  };
}
