import { describe, expect, it } from "vitest";
import { collectedRequests, requestFromRows } from "../../src/domain/collected-inputs.js";

const AML =
  "$aml_dc_correlation_id,$aml_dc_scoring_timestamp,$aml_dc_boundary,$aml_workspace,$aml_service_name,$aml_model_name,$aml_model_version,$aml_request_id";
const base = "sub/rg/ws/svc/model/1";
const file = (designation: string, day: string, rows: string[], name = "data.csv") => ({
  path: `${base}/${designation}/2026/11/${day}/${name}`,
  text: [`age,plan,${AML}`, ...rows].join("\r\n"),
});
const row = (age: number, plan: string, id: string) => `${age},${plan},${id},2026-11-01T00:00:00Z,,sub/rg/ws,svc,model,1,${id}`;

describe("v1 model data collection as requests", () => {
  it("reads the inputs designation day by day, one request per request id (several rows when it sent several)", () => {
    const files = [
      file("inputs", "02", [row(50, "gold", "c"), row(51, "gold", "c")]),
      file("inputs", "01", [row(30, "basic", "a"), row(40, "", "b")]),
      file("predictions", "01", [row(1, "x", "a")]),
    ];
    const got = collectedRequests(files, 10);
    expect(got.featureNames).toEqual(["age", "plan"]);
    expect(got.requests).toEqual([
      [{ age: 30, plan: "basic" }],
      [{ age: 40, plan: null }],
      [
        { age: 50, plan: "gold" },
        { age: 51, plan: "gold" },
      ],
    ]);
    expect(got.files.map((f) => f.split("/").slice(-5).join("/"))).toEqual(["inputs/2026/11/01/data.csv", "inputs/2026/11/02/data.csv"]);
  });

  it("keeps the newest requests up to the limit, and reads <designation>.csv as the collector's docstring names it", () => {
    const files = [file("inputs", "01", [row(1, "a", "1"), row(2, "a", "2"), row(3, "a", "3")], "inputs.csv")];
    expect(collectedRequests(files, 2).requests.map((r) => r[0]!.age)).toEqual([2, 3]);
  });

  it("shapes a request as the service's sample: its list of rows replaced, lists or records as the sample has them", () => {
    const rows = [{ age: 30, plan: "basic" }];
    expect(requestFromRows({ data: [[1, "x"]] }, ["age", "plan"], rows)).toEqual({ data: [[30, "basic"]] });
    expect(requestFromRows({ Inputs: { data: [{ age: 1, plan: "y" }] }, GlobalParameters: 1 }, ["age", "plan"], rows)).toEqual({
      Inputs: { data: [{ age: 30, plan: "basic" }] },
      GlobalParameters: 1,
    });
    expect(requestFromRows("no rows here", ["age", "plan"], rows)).toEqual({ data: [[30, "basic"]] });
  });
});
