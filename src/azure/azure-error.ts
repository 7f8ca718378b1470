/** A failed Azure call: enough to act on (status, code) and to report (request id, operation). */
export class AzureRequestError extends Error {
  override readonly name = "AzureRequestError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
    readonly operation: string,
  ) {
    super(message);
  }
}
