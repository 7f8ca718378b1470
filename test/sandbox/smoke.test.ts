import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { expect, it } from "vitest";
import { startSandbox, ARM_SCOPE } from "../../src/sandbox/index.js";

it("smoke", async () => {
  const sb = await startSandbox({ speed: 1000 });
  try {
    const sub = sb.world.subscriptions[0]!.subscriptionId;
    const client = new AzureMachineLearningWorkspaces(sb.credential, sub, { endpoint: sb.armEndpoint, $host: sb.armEndpoint, credentialScopes: [ARM_SCOPE], tlsOptions: { ca: sb.caPem } } as never);
    const names: string[] = [];
    for await (const ws of client.workspaces.listBySubscription()) names.push(ws.name!);
    expect(names).toContain("ml-prod-eastus");
  } finally {
    await sb.stop();
  }
});
