/**
 * Storage's own addressing: `https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB`, which clients that build blob
 * URLs from the cloud's storage suffix (azure-ai-ml, az storage) send; it reaches the sandbox through a proxy
 * (HTTPS_PROXY) and is served as the sandbox's path-style `/ACCOUNT/CONTAINER/BLOB`.
 */
const STORAGE_HOST = /^([a-z0-9]{3,24})\.blob\.core\.windows\.net(?::\d+)?$/i;

/** The account a Host header names Storage's way, else undefined. */
export function storageHostAccount(host: string | undefined): string | undefined {
  return host ? STORAGE_HOST.exec(host)?.[1]?.toLowerCase() : undefined;
}

/** The URL as the sandbox routes it: host-style Storage requests become path-style. */
export function routedUrl(sent: URL, host: string | undefined): URL {
  const account = storageHostAccount(host);
  return account ? new URL(`/${account}${sent.pathname}${sent.search}`, sent.origin) : sent;
}
