import type { MigrationPlan } from "./plan.js";

/** How long ACI let a scoring request run (it has no setting; the docs and the requests seen say about 60 s). */
export const ACI_REQUEST_TIMEOUT_MS = 60_000;

/** Where the kit's files are, and how the commands it prints reach this Azure (or sandbox). */
export interface CallersKitInput {
  readonly plan: MigrationPlan;
  readonly workspace: { readonly name: string; readonly resourceGroup: string };
  readonly newUri: string;
  /** The kit's folder (its files are named there, so the commands work from anywhere). */
  readonly dir: string;
  /** The command that prints the endpoint's primary key, as this tool is run here (`aci-migrate … keys …`). */
  readonly keyCommand: string;
  /** The CA file a client must trust (the sandbox's); absent on Azure, whose certificates are public. */
  readonly caFile?: string;
}

/** What callers of a migrated service need to move: the new address, the key, the timeout, a request that works. */
export interface CallersKit {
  /** The kit's folder. */
  readonly dir: string;
  readonly service: string;
  readonly endpoint: string;
  readonly oldUri?: string;
  readonly newUri: string;
  /** The old URI was plain HTTP: callers move to HTTPS as well. */
  readonly schemeChange: boolean;
  readonly authHeader: string;
  /** The v1 keys were set on the endpoint: callers keep their key. */
  readonly sameKey: boolean;
  /** Callers of a v1 service without auth send a key from now on. */
  readonly keyIsNew: boolean;
  readonly keyCommands: { readonly tool: string; readonly az: string };
  readonly timeout: { readonly oldMs: number; readonly newMs: number };
  readonly swaggerUri: string;
  /** Where App Insights was on for the v1 service: the query that lists who still calls the old URI. */
  readonly appInsightsQuery?: string;
  readonly files: { readonly sample: string; readonly curl: string; readonly python: string; readonly csharp: string; readonly readme: string };
  /** The key line and the curl line, each a command to paste as it is. */
  readonly shell: readonly string[];
}

const quoteShell = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function callersKit(i: CallersKitInput): CallersKit {
  const { plan } = i;
  const oldUri = plan.service.scoringUri;
  const at = (name: string) => `${i.dir}/${name}`;
  const files = { sample: at("sample-request.json"), curl: at("call.sh"), python: at("call.py"), csharp: at("Call.cs"), readme: at("README.md") };
  const curl = [
    "curl",
    ...(i.caFile ? ["--cacert", quoteShell(i.caFile)] : []),
    "-X POST",
    quoteShell(i.newUri),
    '-H "Authorization: Bearer $KEY"',
    '-H "Content-Type: application/json"',
    `-d @${quoteShell(files.sample)}`,
  ].join(" ");
  const oldHost = oldUri ? safeHost(oldUri) : undefined;
  return {
    dir: i.dir,
    service: plan.service.name,
    endpoint: plan.endpointName,
    ...(oldUri ? { oldUri } : {}),
    newUri: i.newUri,
    schemeChange: Boolean(oldUri?.startsWith("http:")) && i.newUri.startsWith("https:"),
    authHeader: "Authorization: Bearer <key>",
    sameKey: plan.keysCarried,
    keyIsNew: !plan.keysCarried,
    keyCommands: {
      tool: i.keyCommand,
      az: `az ml online-endpoint get-credentials -n ${plan.endpointName} -g ${i.workspace.resourceGroup} -w ${i.workspace.name} --query primaryKey -o tsv`,
    },
    timeout: { oldMs: ACI_REQUEST_TIMEOUT_MS, newMs: plan.requestTimeoutMs },
    swaggerUri: i.newUri.replace(/\/score$/, "/swagger.json"),
    ...(plan.appInsightsEnabled && oldHost
      ? {
          appInsightsQuery: `requests | where timestamp > ago(7d) and url has "${oldHost}" | summarize calls = count(), last = max(timestamp) by client_IP, client_City | order by calls desc`,
        }
      : {}),
    files,
    shell: [`KEY=$(${i.keyCommand})`, curl],
  };
}

function safeHost(uri: string): string | undefined {
  try {
    return new URL(uri).host;
  } catch {
    return undefined;
  }
}
