import type { CallersKit } from "../domain/callers-kit.js";

/** The kit's files by name: a README for the callers' owners, the sample, and a call in shell, Python and C#. */
export function callersKitFiles(kit: CallersKit, sample: unknown): Record<string, string> {
  return {
    "README.md": readme(kit),
    "sample-request.json": `${JSON.stringify(sample, null, 2)}\n`,
    "call.sh": `#!/bin/sh\n# Calls ${kit.endpoint} with the sample request; set KEY first (see README.md).\n${kit.shell[1]}\n`,
    "call.py": python(kit),
    "Call.cs": csharp(kit),
  };
}

function readme(k: CallersKit): string {
  const s = (ms: number) => `${ms / 1000} s`;
  return `# Calling ${k.service} on its managed online endpoint

The service moved from an ACI web service to the managed online endpoint \`${k.endpoint}\`.

| | before (ACI) | now (managed endpoint) |
|---|---|---|
| scoring URI | ${k.oldUri ? `\`${k.oldUri}\`` : "(not known)"} | \`${k.newUri}\` |
| authentication | ${k.keyIsNew ? "none" : "Authorization: Bearer <key>"} | ${k.authHeader} |
| request timeout | about ${s(k.timeout.oldMs)} | ${s(k.timeout.newMs)} |

- **Address.** Change the URL${k.schemeChange ? "; note the scheme changes from http to https" : ""}. The body and the answer are as before.
- **Key.** ${k.sameKey ? "The endpoint keeps the service's keys: callers keep theirs." : k.keyIsNew ? "The ACI service took no key; the endpoint needs one in every request." : "The endpoint has new keys: callers need the new one."} Read the primary key with:

      ${k.keyCommands.tool}

  or, with the Azure CLI's ml extension:

      ${k.keyCommands.az}

- **Timeout.** ${k.timeout.newMs < k.timeout.oldMs ? `Requests longer than ${s(k.timeout.newMs)} now fail with HTTP 408; callers that waited longer on ACI see it.` : "Requests may run as long as before."}
- **Swagger.** ${k.swaggerUri} (generated clients, Power BI).
${k.appInsightsQuery ? `- **Who still calls the old URI.** In the service's Application Insights (Logs):\n\n      ${k.appInsightsQuery}\n` : ""}
## Try it

\`sample-request.json\` is a request the service accepts. Set KEY, then call:

    ${k.shell[0]}
    ${k.shell[1]}

\`call.py\` (Python 3, standard library) and \`Call.cs\` (.NET 6+) do the same; both read KEY from the environment.
`;
}

function python(k: CallersKit): string {
  return `"""Calls ${k.endpoint} with sample-request.json; set KEY in the environment first (see README.md)."""
import json
import os
import ssl
import urllib.request

URI = ${JSON.stringify(k.newUri)}
HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "sample-request.json"), encoding="utf-8") as f:
    body = json.load(f)
request = urllib.request.Request(
    URI,
    data=json.dumps(body).encode("utf-8"),
    headers={"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["KEY"]},
)
context = ssl.create_default_context(${k.shell[1]!.includes("--cacert") ? `cafile=os.environ.get("CA_FILE")` : ""})
with urllib.request.urlopen(request, timeout=${Math.ceil(k.timeout.newMs / 1000) + 5}, context=context) as response:
    print(response.read().decode("utf-8"))
`;
}

function csharp(k: CallersKit): string {
  return `// Calls ${k.endpoint} with sample-request.json; set KEY in the environment first (see README.md).
using System.Net.Http.Headers;
using System.Text;

using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(${Math.ceil(k.timeout.newMs / 1000) + 5}) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Environment.GetEnvironmentVariable("KEY"));
var body = new StringContent(File.ReadAllText("sample-request.json"), Encoding.UTF8, "application/json");
var response = await client.PostAsync(${JSON.stringify(k.newUri)}, body);
Console.WriteLine(await response.Content.ReadAsStringAsync());
`;
}
