import { describe, expect, it } from "vitest";
import { sampleFromV1Swagger } from "../../src/domain/v1-swagger.js";

// The shape azureml's inference server generates from inference-schema decorators (swagger 2.0, and the
// OpenAPI 3 document newer servers also serve), written for these tests.
const swagger2 = (example?: unknown, inputName = "ServiceInput") => ({
  swagger: "2.0",
  paths: {
    "/score": {
      post: {
        operationId: "RunMLService",
        parameters: [{ name: "serviceInputPayload", in: "body", schema: { $ref: `#/definitions/${inputName}` } }],
        responses: { "200": { schema: { $ref: "#/definitions/ServiceOutput" } } },
      },
    },
  },
  definitions: {
    [inputName]: { type: "object", properties: { data: { type: "array" } }, ...(example === undefined ? {} : { example }) },
    ServiceOutput: { type: "array", example: [18.2] },
  },
});

describe("sampleFromV1Swagger", () => {
  it("takes the example of the schema /score's body refers to", () => {
    const example = { data: [{ vendorID: "1", passengerCount: 1, tripDistance: 4.2 }] };
    expect(sampleFromV1Swagger(swagger2(example))).toEqual(example);
    expect(sampleFromV1Swagger(swagger2({ data: [[1, 2]] }, "ScoreInput"))).toEqual({ data: [[1, 2]] });
  });

  it("reads OpenAPI 3 documents (components.schemas, requestBody)", () => {
    const doc = {
      openapi: "3.0.3",
      paths: { "/score": { post: { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/ServiceInput" } } } } } } },
      components: { schemas: { ServiceInput: { type: "object", example: { input_data: { data: [[3]] } } } } },
    };
    expect(sampleFromV1Swagger(doc)).toEqual({ input_data: { data: [[3]] } });
  });

  it("is undefined when the script declared no sample, or the document is not a swagger", () => {
    expect(sampleFromV1Swagger(swagger2())).toBeUndefined();
    expect(sampleFromV1Swagger(swagger2(null))).toBeUndefined();
    for (const doc of [undefined, null, "Not Found", [], { definitions: [] }, { paths: { "/score": "x" } }]) expect(sampleFromV1Swagger(doc)).toBeUndefined();
  });

  it("keeps falsy but real samples (an empty list is a sample)", () => {
    expect(sampleFromV1Swagger(swagger2([]))).toEqual([]);
    expect(sampleFromV1Swagger(swagger2(0))).toBe(0);
  });
});
