import { bench, describe } from "vitest";
import { buildPlan } from "../src/domain/plan.js";
import { parseServiceJson } from "../src/domain/parse-service-json.js";
import { suggestEndpointName } from "../src/domain/names.js";
import { suggestSku } from "../src/domain/suggest-sku.js";
import { toAzMlYaml } from "../src/domain/az-ml-yaml.js";
import { readFileSync } from "node:fs";

// Targets: the review screen re-plans on every override keystroke, and a batch run plans a whole workspace.
// buildPlan + toAzMlYaml stay well under 1 ms per service (≥ 1,000 ops/s) on the 2-core CI machine.
const doc = JSON.parse(readFileSync(new URL("../samples/service-sklearn-1cpu-2gb.json", import.meta.url), "utf8"));
const service = parseServiceJson(doc, "bench");

describe("domain", () => {
  bench("suggestSku over a grid of 100 requests", () => {
    for (let cpu = 0.5; cpu <= 5; cpu += 0.5) for (let mem = 1; mem <= 20; mem += 2) suggestSku(cpu, mem);
  });
  bench("parseServiceJson + buildPlan", () => {
    buildPlan(parseServiceJson(doc, "bench"), { instanceCount: 3 });
  });
  bench("toAzMlYaml", () => {
    toAzMlYaml(buildPlan(service));
  });
  bench("suggestEndpointName", () => {
    suggestEndpointName("Some_Very.Long service name with spaces-and-more-2024");
  });
});
