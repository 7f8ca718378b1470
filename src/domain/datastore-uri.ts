/**
 * `azureml://[subscriptions/{s}/resourcegroups/{g}/workspaces/{w}/]datastores/{name}/paths/{path}`: where an asset
 * lives in a workspace's datastore (a model's `modelUri`, as Azure and the v2 SDK write it). Undefined: another form.
 */
export function parseDatastoreUri(uri: string): { datastore: string; path: string } | undefined {
  const m = /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/i.exec(uri);
  return m ? { datastore: m[1]!, path: decodeURIComponent(m[2]!) } : undefined;
}
