import { describe, expect, it } from "vitest";
import { isValidName, nameProblems, suggestEndpointName } from "../../src/domain/names.js";
import { seededRandom } from "../helpers/random.js";

/** Azure's rule (azure-ai-ml EndpointConfigurations.NAME_REGEX_PATTERN) plus length, and single dashes. */
const AZURE_NAME = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const valid = (n: string) => AZURE_NAME.test(n) && n.length >= 3 && n.length <= 32 && !n.includes("--");

describe("nameProblems names each broken rule", () => {
  it.each([
    ["ab", /at least 3/],
    ["a".repeat(33), /at most 32/],
    ["1model", /must start with a letter/],
    ["my_model", /"_"; only letters, digits and dashes/],
    ["my.model", /"\."/],
    ["my--model", /two dashes in a row/],
    ["my-model-", /must end with a letter or digit/],
  ])("%s", (name, message) => {
    const problems = nameProblems(name, "endpoint");
    expect(problems.join("\n")).toMatch(message);
    expect(isValidName(name)).toBe(false);
  });

  it("reports every broken rule at once", () => {
    const problems = nameProblems("_a", "deployment");
    expect(problems).toHaveLength(3); // too short, starts with "_", contains "_"
    expect(problems.every((p) => p.includes('deployment name "_a"'))).toBe(true);
  });

  it.each(["blue", "abc", "my-endpoint-1", "A1b", "x".repeat(32)])("accepts %s", (name) => {
    expect(nameProblems(name, "endpoint")).toEqual([]);
  });
});

describe("suggestEndpointName", () => {
  it.each([
    ["sklearn-aci-svc", "sklearn-aci-svc-online"],
    ["MyService", "myservice-online"],
    ["123-svc", "svc-online"],
    ["---", "endpoint-online"],
    ["café_au_lait", "cafe-au-lait-online"],
    ["a-very-long-service-name-that-goes-on", "a-very-long-service-name-online"],
  ])("%s → %s", (service, endpoint) => {
    expect(suggestEndpointName(service)).toBe(endpoint);
  });

  it("gives numbered alternatives for a name taken in the region", () => {
    expect(suggestEndpointName("fraud", 1)).toBe("fraud-online-2");
    expect(suggestEndpointName("fraud", 9)).toBe("fraud-online-10");
  });

  it("never returns the service's own name", () => {
    expect(suggestEndpointName("fraud-online")).not.toBe("fraud-online");
    expect(valid(suggestEndpointName("fraud-online"))).toBe(true);
  });

  it("is valid and differs from the service for 20,000 random service names", () => {
    const rand = seededRandom(7);
    const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. /:é漢🙂";
    const chars = [...alphabet];
    for (let i = 0; i < 20_000; i++) {
      const len = Math.floor(rand() * 60);
      let name = "";
      for (let j = 0; j < len; j++) name += chars[Math.floor(rand() * chars.length)];
      const attempt = Math.floor(rand() * 3);
      const suggestion = suggestEndpointName(name, attempt);
      expect(valid(suggestion), `${JSON.stringify(name)} → ${suggestion}`).toBe(true);
      expect(nameProblems(suggestion, "endpoint"), JSON.stringify(name)).toEqual([]);
      expect(suggestion).not.toBe(name);
    }
  });
});
