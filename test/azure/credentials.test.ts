import { describe, expect, it } from "vitest";
import { clientOptions } from "../../src/azure/connection.js";
import { azureConnection, CLOUDS } from "../../src/azure/credentials.js";
import { toAzureError, NotSignedInError } from "../../src/azure/azure-error.js";

describe("sign-in and clouds", () => {
  it.each(Object.entries(CLOUDS))("%s: ARM endpoint and token scope of that cloud", (cloud, c) => {
    const conn = azureConnection({ cloud: cloud as keyof typeof CLOUDS, interactive: false });
    expect(conn.armEndpoint).toBe(c.armEndpoint);
    expect(clientOptions(conn)).toMatchObject({ endpoint: c.armEndpoint, $host: c.armEndpoint, credentialScopes: [`${c.armEndpoint}/.default`] });
  });

  it("with nothing to reuse and no terminal, says 'not signed in' instead of waiting for a device code", async () => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("AZURE_")) delete process.env[k];
    process.env.PATH = "/nonexistent";
    try {
      const conn = azureConnection({ interactive: false });
      const error = await conn.credential.getToken("https://management.azure.com/.default").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(toAzureError(error, "Subscriptions_List")).toBeInstanceOf(NotSignedInError);
    } finally {
      process.env = saved;
    }
  }, 30_000);
});
