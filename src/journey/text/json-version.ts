/** Version of every `--json` shape (docs/json.md); the commands' documents carry it too (cli/render/json-output.ts). */
export const JSON_OUTPUT_VERSION = 1;
