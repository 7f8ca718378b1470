import { describe, expect, it } from "vitest";
import { parseFaultSpec } from "../../src/sandbox/index.js";
import { documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const SERVICES = ["iris-noauth", "churn-keyauth", "sklearn-1cpu-2gb", "pricing-tls"];
// One request in five is answered 503 with Retry-After: 0, discovery included.
const sandbox = useAttachedSandbox({ speed: 500, faults: parseFaultSpec("503@0.2,seed=13") });

describe("Azure unavailable for one request in five, from discovery on", () => {
  it("four services all migrate on the first run", async () => {
    const r = await runBin([
      "--sandbox",
      "--state-dir",
      sandbox.stateDir,
      "migrate",
      "-w",
      "ml-prod-eastus",
      ...SERVICES.flatMap((s) => ["--service", s]),
      "--yes",
      "--json",
    ]);
    const { events, result } = documentedStream(r.stdout);
    expect(result.status, r.stdout + r.stderr).toBe("done");
    // The empty subscription failed every try while listed; the workspace was in the other, and that was said.
    const notices = events.filter((e) => e.type === "notice").map((e) => e.message);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Subscription \S+ could not be read \(Injected fault: 503\.\); ml-prod-eastus was found in subscription /);
    expect(result.services.map((s: { service: string; status: string }) => `${s.service}:${s.status}`).sort()).toEqual(
      SERVICES.map((s) => `${s}:migrated`).sort(),
    );
  }, 240_000);
});

// The quota read beside the preflights is no step: its first five tries fail, more than the SDK retries.
const quotaBusy = useAttachedSandbox({ speed: 500, faults: parseFaultSpec("503@Usages_List*5") });

describe("Azure unavailable for the quota read", () => {
  it("the read is tried again as a step would be, and the service migrates", async () => {
    const r = await runBin(["--sandbox", "--state-dir", quotaBusy.stateDir, "migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes", "--json"]);
    expect(documentedStream(r.stdout).result.status, r.stdout + r.stderr).toBe("done");
  }, 120_000);
});
