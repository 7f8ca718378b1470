/**
 * How several v1 models become one v2 model. v1 mounted each model of a service at
 * `$AZUREML_MODEL_DIR/{name}/{version}/`; a managed deployment takes one model, so aci-migrate copies the models'
 * files into one folder, `models/{name}/{version}/…`, and registers that folder. Azure keeps a registered
 * folder's own name under `$AZUREML_MODEL_DIR` (a model registered from `./models` is found at
 * `$AZUREML_MODEL_DIR/models/…`), so each model moves one level down.
 */
export const COMBINED_MODEL_FOLDER = "models";

/** Where one v1 model of a combined model is, relative to `$AZUREML_MODEL_DIR` (v1 had `{name}/{version}`). */
export function combinedModelPath(name: string, version: string): string {
  return `${COMBINED_MODEL_FOLDER}/${name}/${version}`;
}

export function combinedModelName(serviceName: string): string {
  return `${serviceName}-models`.slice(0, 255);
}
