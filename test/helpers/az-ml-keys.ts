/**
 * Top-level keys of Microsoft's current YAML reference (reference-yaml-endpoint-online.md and
 * reference-yaml-deployment-managed-online.md). The 2021 JSON schemas are older than these keys.
 */
export const ENDPOINT_KEYS = [
  "$schema",
  "name",
  "description",
  "tags",
  "auth_mode",
  "compute",
  "identity",
  "public_network_access",
  "traffic",
  "mirror_traffic",
];
export const DEPLOYMENT_KEYS = [
  "$schema",
  "name",
  "endpoint_name",
  "description",
  "tags",
  "model",
  "code_configuration",
  "environment",
  "instance_type",
  "instance_count",
  "app_insights_enabled",
  "scale_settings",
  "request_settings",
  "liveness_probe",
  "readiness_probe",
  "environment_variables",
  "egress_public_network_access",
  "data_collector",
  "properties",
];
export const REQUEST_SETTINGS_KEYS = ["request_timeout_ms", "max_concurrent_requests_per_instance", "max_queue_wait_ms"];

/** reference-yaml-model.md and reference-yaml-environment.md: the keys of model.yml and environment.yml. */
export const MODEL_KEYS = ["$schema", "name", "version", "description", "tags", "properties", "path", "type", "stage"];
export const ENVIRONMENT_KEYS = [
  "$schema",
  "name",
  "version",
  "description",
  "tags",
  "properties",
  "image",
  "conda_file",
  "build",
  "os_type",
  "inference_config",
];
