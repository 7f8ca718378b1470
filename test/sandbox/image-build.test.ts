import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { failedImageBuild } from "../../src/sandbox/image-build.js";

const env = (pip: string[]) => ({ name: "e", version: "1", condaFile: stringify({ dependencies: ["python=3.8", { pip }] }) });
const at = () => "2026-12-07T10:00:00Z";

describe("the sandbox's image build", () => {
  it("fails a pin to a release PyPI never had, as pip says it, and builds every real one", () => {
    const log = failedImageBuild(env(["azureml-defaults==1.43.0", "scikit-learn==1.0.22"]), at)!;
    expect(log).toContain("ERROR: No matching distribution found for scikit-learn==1.0.22");
    expect(log).toMatch(/from versions: .*1\.0, 1\.0\.1, 1\.0\.2,/);
    expect(failedImageBuild(env(["scikit-learn==0.25.0"]), at)).toContain("No matching distribution found for scikit-learn==0.25.0");
    for (const pin of [
      "scikit-learn==1.0.2",
      "scikit-learn==0.22.2.post1",
      "numpy==1.16.2",
      "pandas==1.5.3",
      "scikit-learn==0.19.1",
      "scikit-learn==9.1.0",
      "torch==1.0.22",
      "numpy==1.21.*",
    ])
      expect(failedImageBuild(env([pin]), at), pin).toBeUndefined();
  });
});
