import { afterEach, describe, expect, it } from "vitest";
import { runJourney } from "../../src/journey/journey.js";
import { BACK } from "../../src/journey/prompter.js";
import { buildPlan } from "../../src/domain/plan.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { findSku } from "../../src/domain/sku-catalog.js";
import { familiesFittingAll } from "../../src/domain/suggest-sku.js";
import { readJson } from "../helpers/fixtures.js";
import { fakeAzure, type FakeAzure } from "../helpers/fake-azure.js";
import { scriptedPrompter } from "../helpers/scripted-prompter.js";

// The journey against a workspace in memory and a scripted face: no sandbox, no ink, no inquirer.
let azure: FakeAzure | undefined;
afterEach(() => azure?.close());

describe("the journey", () => {
  it("a taken endpoint name blocks at review with a free one offered; renamed, it migrates under that name", async () => {
    azure = fakeAzure(["alpha"]);
    azure.takenInRegion.add("alpha-online");
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": [(values: unknown[]) => (expect(values).toContain("rename"), "rename"), "go"],
      "Start the migration of alpha now?": [true],
      "Retire the old ACI service alpha now?": [""],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect([...azure.endpoints.keys()]).toEqual(["alpha-online-2"]);
    expect(ask.said.join("\n")).toContain("retire it later with: aci-migrate --state-dir");
  });

  it("several proven services are retired in one list, confirmed once by their count; what is kept gets one command", async () => {
    azure = fakeAzure(["alpha", "bravo", "charlie"]);
    let offered: unknown[] = [];
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha", "bravo", "charlie"]],
      "Review 1 of 3: alpha: what next?": ["go"],
      "Review 2 of 3: bravo: what next?": ["go"],
      "Review 3 of 3: charlie: what next?": ["go"],
      "Start the migration of 3 services now?": [true],
      "Retire old ACI services now?": [(values: unknown[]) => ((offered = values), ["alpha", "charlie"])],
      'Type "retire 2" to delete alpha, charlie for good': ["retire 2"],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect([...offered].sort()).toEqual(["alpha", "bravo", "charlie"]);
    expect(ask.asked.filter((m) => m.startsWith("Retire"))).toHaveLength(1); // one question for three, not three
    expect([...azure.services.keys()]).toEqual(["bravo"]);
    const said = ask.said.join("\n");
    expect(said).toContain("✓ alpha retired.");
    expect(said).toContain("✓ charlie retired.");
    expect(said).toMatch(/bravo stays; retire it later with: aci-migrate .*retire -w ws --service bravo --yes/);
  });

  it("several kept when the count typed is not the one asked: nothing is deleted, and one command retires them all later", async () => {
    azure = fakeAzure(["alpha", "bravo"]);
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha", "bravo"]],
      "Review 1 of 2: alpha: what next?": ["go"],
      "Review 2 of 2: bravo: what next?": ["go"],
      "Start the migration of 2 services now?": [true],
      "Retire old ACI services now?": [["alpha", "bravo"]],
      'Type "retire 2"': ["yes"],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect([...azure.services.keys()].sort()).toEqual(["alpha", "bravo"]);
    const said = ask.said.join("\n");
    expect(said).toContain('"yes" is not "retire 2"; nothing was retired.');
    expect(said).toMatch(/alpha, bravo stay; retire them later with: aci-migrate .*retire -w ws --service (alpha|bravo) --service (alpha|bravo) --yes/);
  });

  it("a change made to all selected services at once reaches each: the one under review, those reviewed before and those after", async () => {
    azure = fakeAzure(["alpha", "bravo", "charlie"]);
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha", "bravo", "charlie"]],
      "Review 1 of 3: alpha: what next?": ["go"],
      "Review 2 of 3: bravo: what next?": [(values: unknown[]) => (expect(values).toContain("change-all"), "change-all"), "go"],
      "Review 3 of 3: charlie: what next?": ["go"],
      "Change what for all 3 services?": ["instanceCount"],
      "Instances (1-": ["3"],
      "Start the migration of 3 services now?": [true],
      "Retire old ACI services now?": [[]],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect([...azure.deployments.values()].map((d) => d.instanceCount)).toEqual([3, 3, 3]);
    expect(ask.said).toContain("Every selected service now has 3 instances.");
  });

  it("a VM size family for all: each gets that family's size; one it leaves short of quota is reviewed again", async () => {
    const families = familiesFittingAll([{ cpu: 1, memoryGb: 2 }]);
    const planned = buildPlan(parseServiceJson(readJson("samples/service-sklearn-1cpu-2gb.json"), "sample")).sku.name;
    const other = families.find((f) => f.sizes[0]!.name !== planned && findSku(planned!)!.family !== f.family)!;
    azure = fakeAzure(["alpha", "bravo"], { freeQuota: { [other.family]: 0 } });
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha", "bravo"]],
      "Review 1 of 2: alpha: what next?": ["go", (values: unknown[]) => (expect(values).not.toContain("go"), "skip")],
      "Review 2 of 2: bravo: what next?": ["change-all", "skip"],
      "Change what for all 2 services?": ["family"],
      "VM size family for all 2 services": [(values: unknown[], names: string[]) => (expect(names.join("\n")).toContain(other.sizes[0]!.name), other.family)],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect(ask.said).toContain(
      `Every selected service now has the ${other.family} VM size family (alpha on ${other.sizes[0]!.name}, bravo on ${other.sizes[0]!.name}).`,
    );
    expect(ask.said.join("\n")).toContain("alpha has quota-short since the change to every service; its review again.");
    expect(ask.asked.filter((m) => m.startsWith("Review 1 of 2: alpha"))).toHaveLength(2);
    expect(azure.endpoints.size).toBe(0);
  });

  it("a service in a VNet: the review offers to turn public network access off; the endpoint is made so, and the tests from outside are skipped, not failed", async () => {
    azure = fakeAzure(["alpha"], { inVnet: ["alpha"] });
    let offered: unknown[] = [];
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": [
        (values: unknown[]) => ((offered = values), "private"),
        (values: unknown[]) => (expect(values).not.toContain("private"), "go"),
      ],
      "Acknowledge vnet-redo": [true],
      "Start the migration of alpha now?": [true],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect(offered).toContain("private");
    expect(azure.endpoints.get("alpha-online")?.publicNetworkAccess).toBe("Disabled");
    const said = ask.said.join("\n");
    expect(said).toMatch(/alpha → alpha-online\/blue · .* · no public access/); // the confirmation says so
    expect(said).toMatch(/Smoke test +skipped: the endpoint takes no public traffic/);
    // Nothing proved the new endpoint answers: the old service is not offered for retirement.
    expect(ask.asked.some((m) => m.startsWith("Retire"))).toBe(false);
  });

  it("back from the change menu (Esc) returns to the review with the plan as it was", async () => {
    azure = fakeAzure(["alpha"]);
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": ["change", "skip"],
      "What do you want to change for alpha?": [BACK],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect(ask.asked.filter((m) => m.startsWith("Review 1 of 1: alpha"))).toHaveLength(2);
  });

  it("the VM size picker says which sizes the region's free quota takes, and by how much the others fall short", async () => {
    azure = fakeAzure(["alpha"], { freeQuota: { standardDSv2Family: 2 } });
    let offered: string[] = [];
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": ["change", "skip"],
      "What do you want to change for alpha?": ["sku", "done"],
      "VM size for alpha": [(values: unknown[], names: string[]) => ((offered = names), values[0])],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    // 1 instance reserves ceil(1.2 × 1) = 2 instances' vCPUs: a 2-vCPU DSv2 needs 4, and 2 are free.
    expect(offered.find((n) => n.startsWith("Standard_DS2_v2 "))).toContain("quota short: needs 4 vCPUs of standardDSv2Family, 2 free");
    expect(offered.filter((n) => n.includes("fits quota")).length).toBeGreaterThan(0);
  });

  it("a blocker Azure would refuse offers neither going on nor accepting it: the review leads straight to the change that clears it", async () => {
    azure = fakeAzure(["alpha"]);
    azure.takenInRegion.add("alpha-online");
    let offered: unknown[] = [];
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": [(values: unknown[]) => ((offered = values), "clear-endpointName"), "go"],
      "Endpoint name": ["alpha-scoring"],
      "Start the migration of alpha now?": [true],
      "Retire the old ACI service alpha now?": [""],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect(offered).not.toContain("go");
    expect(offered.slice(0, 2)).toEqual(["rename", "clear-endpointName"]);
    expect(ask.asked.filter((m) => m.startsWith("What do you want to change") || m.startsWith("Acknowledge"))).toEqual([]);
    expect([...azure.endpoints.keys()]).toEqual(["alpha-scoring"]);
  });

  it("short quota leads to the VM size picker, which marks what fits", async () => {
    azure = fakeAzure(["alpha"], { freeQuota: { standardDAv4Family: 2 } });
    let sizes: string[] = [];
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": [
        (values: unknown[]) => (expect(values.slice(0, 2)).toEqual(["clear-sku", "clear-instanceCount"]), "clear-sku"),
        "skip",
      ],
      "VM size for alpha": [(values: unknown[], names: string[]) => ((sizes = names), values[names.findIndex((n) => n.includes("fits quota"))])],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect(sizes.some((n) => n.includes("fits quota"))).toBe(true);
  });

  it("a migrated service planned again on another VM size: the review and the confirmation say green goes beside blue, and the run asks nothing", async () => {
    azure = fakeAzure(["alpha"]);
    const first = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": ["go"],
      "Start the migration of alpha now?": [true],
      "Retire the old ACI service alpha now?": [""],
    });
    expect(await runJourney(azure.backend(), first)).toBe(0);
    let review = "";
    const again = scriptedPrompter({
      "Start a new migration, or roll back": [""],
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": ["change", "go"],
      "What do you want to change for alpha?": ["sku", "done"],
      "VM size for alpha": [(values: unknown[]) => values.find((v) => v === "Standard_DS2_v2")],
      "Start the migration of alpha now?": [true],
      "Retire the old ACI service alpha now?": [""],
    });
    const select = again.selectOrBack;
    again.selectOrBack = async (message, choices, o) => ((review = o?.details?.text ?? review), select(message, choices, o));
    expect(await runJourney(azure.backend(), again)).toBe(0);
    expect(review).toMatch(/Deployment +green, beside blue \(Standard_D\w+\), which it replaces/);
    expect(again.said.join("\n")).toMatch(/alpha → alpha-online\/green .*\n +blue\/green: green is created beside blue/);
    expect(again.asked.filter((m) => !/^(Start a new|Which services|Review|What do you want|VM size|Start the migration|Retire)/.test(m))).toEqual([]);
    expect([...azure.deployments.keys()]).toEqual(["alpha-online/green"]);
  });

  it("rehearse in the review: the verdict is printed with the script's line, and a crash is a blocker to settle", async () => {
    azure = fakeAzure(["alpha"], {
      script:
        'import os\n\n\ndef init():\n    open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "alpha", "1", "model.pkl"))\n\n\ndef run(raw):\n    return raw\n',
    });
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": [
        (values: unknown[]) => (expect(values).toContain("rehearse"), "rehearse"),
        (values: unknown[]) => (expect(values).toContain("rehearse"), "go"),
        "skip",
      ],
      "Acknowledge rehearsal-crashed": [false],
    });
    const code = await runJourney(azure.backend(), ask);
    const said = ask.said.join("\n");
    expect(code, `${said}\n${ask.asked.join("\n")}`).toBe(0);
    expect(said).toContain("Rehearsal of alpha: BLOCKER: it crashed");
    expect(said).toContain("init() failed at score.py:5, in init():");
    expect(said).toContain("FileNotFoundError");
    expect(said).toContain("alpha stays blocked by rehearsal-crashed");
    expect(azure.endpoints.size).toBe(0);
  });

  it("a batch's confirmation says what the services cost together a month, before and after", async () => {
    azure = fakeAzure(["alpha", "bravo"]);
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha", "bravo"]],
      "Review 1 of 2: alpha: what next?": ["go"],
      "Review 2 of 2: bravo: what next?": ["go"],
      "Start the migration of 2 services now?": [false],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    const confirmation = ask.said.find((t) => t.startsWith("In workspace ws"))!;
    const each = [...confirmation.matchAll(/about \$([\d,.]+)\/month/g)].map((m) => Number(m[1]!.replace(",", "")));
    const together = /Together about \$([\d,.]+)\/month \(ACI about \$([\d,.]+)\/month/.exec(confirmation);
    expect(together, confirmation).not.toBeNull();
    expect(Number(together![1]!.replace(",", ""))).toBeCloseTo(each[0]! + each[1]!, 2);
  });

  it("back from the second review reaches the first, back from the first reaches the services", async () => {
    azure = fakeAzure(["alpha", "bravo"]);
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha", "bravo"], ["bravo"]],
      "Review 1 of 2: alpha: what next?": ["go", BACK],
      "Review 2 of 2: bravo: what next?": [BACK],
      "Review 1 of 1: bravo: what next?": ["go"],
      "Start the migration of bravo now?": [false],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect(ask.asked.map((m) => m.split(":")[0])).toEqual([
      "Which services of ws do you want to migrate? (Space selects, Enter goes on)",
      "Review 1 of 2",
      "Review 2 of 2",
      "Review 1 of 2",
      "Which services of ws do you want to migrate? (Space selects, Enter goes on)",
      "Review 1 of 1",
      "Start the migration of bravo now?",
    ]);
    expect(ask.said).toContain("Nothing was changed.");
  });

  it("a crashed deployment: another environment from the list, marked by its inference server, and the retry deploys with it", async () => {
    azure = fakeAzure(["alpha"], { crashing: ["alpha"] });
    const ask = scriptedPrompter({
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": ["go"],
      "Acknowledge missing-inference-server": [true],
      "Start the migration of alpha now?": [true],
      "What now for alpha?": ["adapt"],
      "Change what, then apply?": ["environment", "apply"],
      "Environment for alpha": [
        (values: unknown[]) => (expect(values).toEqual(["sklearn-inference-env:4", "bare-env:1", "", "\u0000type"]), "sklearn-inference-env:4"),
      ],
      "Retire the old ACI service alpha now?": ["alpha"],
    });
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect([...azure.deployments.values()].map((d) => d.environmentId)).toEqual(["/environments/sklearn-inference-env/versions/4"]);
    expect(azure.services.has("alpha")).toBe(false); // retired by its name
    expect(ask.events.filter((e) => e.type === "needs-input")).toHaveLength(1);
  });

  it("stopping after a failure ends with 1 and the session can be resumed by id to the end", async () => {
    azure = fakeAzure(["alpha"], { crashing: ["alpha"] });
    const failedId = await failThenFix(azure);
    const again = scriptedPrompter({ "What now for alpha?": ["retry"], "Retire the old ACI service alpha now?": [""] });
    expect(await runJourney(azure.backend(), again, { resume: failedId })).toBe(0);
    // The resumed run says again what the earlier one failed with (it was gone from the screen after the stop).
    const asked = again.events.find((e) => e.type === "needs-input" && e.situation === "failed-earlier") as { message: string } | undefined;
    expect(asked?.message).toMatch(/^Deployment blue is Failed from an earlier run\. It failed with: .+/);
    expect([...azure.endpoints.values()].map((e) => e.traffic)).toEqual([{ blue: 100 }]);
  });

  it("a failed session whose service a later session migrated is no longer offered to resume", async () => {
    azure = fakeAzure(["alpha"], { crashing: ["alpha"] });
    const failedId = await failThenFix(azure);
    const anew = scriptedPrompter({
      "Resume a session, or start a new migration?": [(values: unknown[]) => (expect(values).toContain(failedId), "")],
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": ["go"],
      "Acknowledge missing-inference-server": [true],
      "Start the migration of alpha now?": [true],
      "What now for alpha?": ["retry"],
      "Retire the old ACI service alpha now?": [""],
    });
    expect(await runJourney(azure.backend(), anew), `${anew.asked.join("\n")}\n${anew.said.join("\n")}`).toBe(0);
    const later = scriptedPrompter({
      "Start a new migration, or roll back an earlier one?": [(values: unknown[]) => (expect(values).not.toContain(failedId), "")],
      "Which services of ws": [[]],
    });
    await runJourney(azure.backend(), later).catch(() => undefined);
    expect(later.asked[0]).toBe("Start a new migration, or roll back an earlier one?");
  });

  it("the services list says where each stands: findings, blockers, and the migration Azure already has", async () => {
    azure = fakeAzure(["alpha", "bravo"], { crashing: ["bravo"] });
    await azure.port.createOrUpdateEndpoint(azure.ws, { name: "alpha-online", authMode: "Key", tags: { "migrated-from": "alpha" }, description: "" }, {});
    let names: string[] = [];
    const ask = scriptedPrompter({ "Which services of ws": [(_v: unknown[], n: string[]) => ((names = n), BACK)] });
    await runJourney(azure.backend(), ask).catch(() => undefined);
    expect(names.find((n) => n.startsWith("alpha"))).toMatch(/\d+ findings · already migrated → alpha-online$/);
    expect(names.find((n) => n.startsWith("bravo"))).toMatch(/1 blocker \(missing-inference-server\)/);
  });

  it("rollback from the start question: shows what goes and what stays, and deletes only what its session made", async () => {
    azure = fakeAzure(["alpha", "bravo"]);
    const migrate = (name: string) =>
      runJourney(
        azure!.backend(),
        scriptedPrompter({
          "Start a new migration, or roll back an earlier one?": [""],
          "Which services of ws": [[name]],
          [`Review 1 of 1: ${name}: what next?`]: ["go"],
          [`Start the migration of ${name} now?`]: [true],
          [`Retire the old ACI service ${name} now?`]: [""],
        }),
      );
    expect(await migrate("alpha")).toBe(0);
    expect(await migrate("bravo")).toBe(0);
    const alphaSession = azure
      .backend()
      .sessions.list()
      .find((s) => s.session?.services[0]?.name === "alpha")!.id;
    let shown = "";
    const ask = scriptedPrompter({
      "Start a new migration, or roll back an earlier one?": [(values: unknown[]) => (expect(values).toContain("\u0000rollback"), "\u0000rollback")],
      "Roll back which session?": [alphaSession],
      "Delete these 2 resources from Azure?": [true],
    });
    const confirm = ask.confirm.bind(ask);
    ask.confirm = async (message, o) => ((shown = o?.details?.text ?? ""), confirm(message, o));
    expect(await runJourney(azure.backend(), ask)).toBe(0);
    expect(shown).toContain("endpoint alpha-online (with its deployment blue)");
    expect(shown).toContain("code alpha-code:1 (code version registered by this session)");
    expect([...azure.endpoints.keys()]).toEqual(["bravo-online"]);
    expect([...azure.assets.keys()]).toEqual(["/codes/bravo-code/versions/1"]);
    expect(azure.services.has("alpha")).toBe(true);
  });
});

/**
 * Migrates alpha, whose deployment crashes, and stops there (exit 1, a failed session); then makes the remedy
 * Azure-side (the environment's version gains the inference server). Resolves with the failed session's id.
 */
async function failThenFix(azure: FakeAzure): Promise<string> {
  const first = scriptedPrompter({
    "Which services of ws": [["alpha"]],
    "Review 1 of 1: alpha: what next?": ["go"],
    "Acknowledge missing-inference-server": [true],
    "Start the migration of alpha now?": [true],
    "What now for alpha?": ["stop"],
  });
  expect(await runJourney(azure.backend(), first)).toBe(1);
  const finished = first.events.find((e) => e.type === "session-finished");
  expect(finished).toMatchObject({ status: "failed" });
  azure.environments.splice(1, 1, { name: "bare-env", version: "1", condaFile: "dependencies:\n  - pip:\n    - azureml-inference-server-http\n" });
  return (finished as { sessionId: string }).sessionId;
}

describe("the remedy of another workspace", () => {
  it("a service in a VNet: the review offers another workspace; picked, the plan speaks of it and the session creates the endpoint there", async () => {
    azure = fakeAzure(["alpha"], { inVnet: ["alpha"], otherWorkspaces: ["ws-isolated"] });
    const ask = scriptedPrompter({
      "Which workspace?": [0],
      "Which services of ws": [["alpha"]],
      "Review 1 of 1: alpha: what next?": [
        (values: unknown[]) => (expect(values).toContain("into"), "into"),
        (values: unknown[]) => (expect(values).not.toContain("into"), "go"),
      ],
      "Which workspace should the endpoint": [(values: unknown[], names: string[]) => (expect(names).toEqual(["ws-isolated  rg · eastus"]), values[0])],
      "Acknowledge vnet-redo": [true],
      "Start the migration of alpha now?": [true],
      "Retire the old ACI service alpha now?": [""],
    });
    expect(await runJourney(azure.backend(), ask), ask.asked.join("\n") + ask.said.join("\n")).toBe(0);
    expect(ask.said.join("\n")).toContain("In workspace ws-isolated (rg, eastus) aci-migrate will create:");
    expect(azure.endpointWorkspaces.get("alpha-online")).toBe("ws-isolated");
    const session = azure.backend().sessions.list()[0]!.session!;
    expect(session.target).toMatchObject({ workspace: "ws", into: { workspace: "ws-isolated" } });
    // The plan as reviewed spoke of the target.
    const plan = session.services[0]!.plan;
    expect(plan.into).toEqual({ workspace: "ws-isolated", location: "eastus" });
    expect(plan.findings.find((f) => f.id === "vnet-redo")!.remedy).toContain("managed network isolation in ws-isolated (where the endpoint goes)");
  });
});
