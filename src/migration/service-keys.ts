/** A primary/secondary key pair (v1 service or managed endpoint). Lives in memory only, never in a file. */
export interface ServiceKeys {
  readonly primaryKey: string;
  readonly secondaryKey: string;
}
