import { AzureCliCredential } from "@azure/identity";
import type { AzureConnection } from "./connection.js";

/** Public Azure, signed in as whoever `az login` signed in: the tool never asks for or stores a password. */
export function azureCliConnection(): AzureConnection {
  return { armEndpoint: "https://management.azure.com", credential: new AzureCliCredential() };
}
