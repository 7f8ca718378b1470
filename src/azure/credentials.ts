import {
  AzureCliCredential,
  AzureDeveloperCliCredential,
  ChainedTokenCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  type TokenCredential,
} from "@azure/identity";
import type { SignInPrompt } from "../migration/events.js";
import type { AzureConnection } from "./connection.js";
import { CLOUDS, type CloudName } from "./clouds.js";

export { CLOUDS, CLOUD_NAMES, type CloudName } from "./clouds.js";

export interface SignInOptions {
  readonly cloud?: CloudName;
  readonly tenantId?: string;
  /** Device-code sign-in is offered only when someone can read the code and type it in a browser. */
  readonly interactive: boolean;
  /** Where the device-code instructions go ("To sign in, open … and enter the code …"): the front end's event stream. */
  readonly onDeviceCode?: (prompt: SignInPrompt) => void;
}

/**
 * Reuses the sign-in the user already has, in this order: a service principal in the environment
 * (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET…), `az login`, `azd auth login`; then, in an interactive
 * terminal, device-code sign-in. The tool never asks for or stores a password, key or token.
 */
export function signInCredential(o: SignInOptions): TokenCredential {
  const cloud = CLOUDS[o.cloud ?? "AzureCloud"];
  const tenantId = o.tenantId;
  const chain: TokenCredential[] = [
    new EnvironmentCredential({ authorityHost: cloud.authorityHost }),
    new AzureCliCredential({ tenantId }),
    new AzureDeveloperCliCredential({ tenantId }),
  ];
  if (o.interactive) {
    chain.push(
      new DeviceCodeCredential({
        tenantId: tenantId ?? "organizations",
        authorityHost: cloud.authorityHost,
        userPromptCallback: (info) => o.onDeviceCode?.({ message: info.message, verificationUri: info.verificationUri, userCode: info.userCode }),
      }),
    );
  }
  return new ChainedTokenCredential(...chain);
}

/** Azure in the chosen cloud, as the signed-in user. */
export function azureConnection(o: SignInOptions): AzureConnection {
  const cloud = CLOUDS[o.cloud ?? "AzureCloud"];
  return { armEndpoint: cloud.armEndpoint, scope: `${cloud.armEndpoint}/.default`, credential: signInCredential(o) };
}
