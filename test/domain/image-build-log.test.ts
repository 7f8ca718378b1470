import { describe, expect, it } from "vitest";
import { buildLogFailure, buildLogLocation } from "../../src/domain/image-build-log.js";

describe("an image build that failed", () => {
  it("names where its log is, in Azure's words", () => {
    const message =
      "Image build failed for environment sklearn-typo-env:1. Check Environment Build Log in ML Studio Workspace or Workspace storage for potential failures. You might be able to find the build log under the storage account 'mlprodeastus8f3c' in the container 'azureml' at the Path 'ImageLogs/5c2e1a/image_build_aggregate_log.txt'.";
    expect(buildLogLocation(message)).toEqual({ account: "mlprodeastus8f3c", container: "azureml", path: "ImageLogs/5c2e1a/image_build_aggregate_log.txt" });
    expect(buildLogLocation("ResourceNotReady: User container has crashed")).toBeUndefined();
  });

  it("reads the lines that say why from pip's and Docker's output, not the steps that went well", () => {
    const log = [
      "#7 [4/6] RUN conda env create -p /azureml-envs/azureml_0a1b -f conda_dependencies.yml",
      "#7 12.40 Collecting azureml-defaults==1.43.0",
      "2026-12-07T10:00:24.000Z #7 13.02 ERROR: Could not find a version that satisfies the requirement scikit-learn==1.0.22 (from versions: 1.0, 1.0.1, 1.0.2, 1.1.3)",
      "#7 13.03 ERROR: No matching distribution found for scikit-learn==1.0.22",
      "#7 13.10 CondaEnvException: Pip failed",
      '#7 ERROR: process "/bin/sh -c conda env create" did not complete successfully: exit code: 1',
    ].join("\n");
    expect(buildLogFailure(log)).toEqual([
      "ERROR: Could not find a version that satisfies the requirement scikit-learn==1.0.22 (from versions: 1.0, 1.0.1, 1.0.2, 1.1.3)",
      "ERROR: No matching distribution found for scikit-learn==1.0.22",
      "CondaEnvException: Pip failed",
      '#7 ERROR: process "/bin/sh -c conda env create" did not complete successfully: exit code: 1',
    ]);
  });
});
