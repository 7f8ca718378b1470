export { startSandbox, type Sandbox, type SandboxOptions, type ServedResponse } from "./start-sandbox.js";
export { parseFaultSpec, type FaultOptions } from "./faults.js";
export { ManualClock, type Clock } from "./clock.js";
export { ARM_SCOPE } from "./tokens.js";
