/** The Azure clouds aci-migrate signs in to. Apart from credentials.ts so that `--help` lists them without loading @azure/identity. */
export const CLOUDS = {
  AzureCloud: { armEndpoint: "https://management.azure.com", authorityHost: "https://login.microsoftonline.com" },
  AzureUSGovernment: { armEndpoint: "https://management.usgovcloudapi.net", authorityHost: "https://login.microsoftonline.us" },
  AzureChinaCloud: { armEndpoint: "https://management.chinacloudapi.cn", authorityHost: "https://login.chinacloudapi.cn" },
} as const;
export type CloudName = keyof typeof CLOUDS;
export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];
