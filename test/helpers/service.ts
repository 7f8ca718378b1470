import type { V1Service } from "../../src/domain/v1-service.js";

/**
 * A healthy, unremarkable ACI service that trips no finding when planned with 3 instances and a 5 s timeout;
 * each test changes one thing about it.
 */
export function quietService(changes: Partial<V1Service> = {}): V1Service {
  return {
    origin: "service-json",
    source: "test",
    name: "quiet-svc",
    location: "eastus",
    state: "Healthy",
    tags: {},
    cpu: 1,
    memoryGb: 1,
    gpu: 0,
    authEnabled: true,
    keysPinned: false,
    tls: { enabled: false, customCertificate: false },
    appInsightsEnabled: false,
    dataCollection: { storageEnabled: false, eventHubEnabled: false },
    models: [{ name: "m", version: "1", id: "m:1" }],
    modelsKnown: true,
    environment: {
      name: "env",
      version: "1",
      userManagedDependencies: false,
      hasBaseDockerfile: false,
      condaDependencies: { dependencies: ["python=3.10", { pip: ["azureml-inference-server-http", "numpy"] }] },
      environmentVariables: {},
    },
    entryScript: "score.py",
    ...changes,
  };
}
