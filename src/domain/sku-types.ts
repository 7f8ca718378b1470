/** One VM size that managed online endpoints accept (from Microsoft's SKU list). */
export interface VmSku {
  readonly name: string;
  /** Quota family as Azure ML usage APIs name it, e.g. `standardDSv2Family`. */
  readonly family: string;
  readonly architecture: "cpu" | "gpu";
  readonly vcpus: number;
  readonly memoryGib: number;
  /** As the SKU list writes it: "0", "1", "1/6" (fractional A10). */
  readonly gpus: string;
  readonly gpuModel: string | null;
  /** A100/H100/ND families: quota needs no 20% reservation. */
  readonly skipsQuotaReservation: boolean;
  /** Linux pay-as-you-go, USD per hour; null where no price is known. */
  readonly usdPerHour: number | null;
  readonly price: PriceProvenance;
  readonly note: string | null;
}

export interface PriceProvenance {
  readonly kind: "indicative" | "estimated" | "unknown";
  /** Year-month (or date) of the price data, when the source gives one. */
  readonly asOf: string | null;
  readonly source: string;
}

/** A row of Microsoft's ACI → SKU table; both intervals are half-open `(gt, le]`. */
export interface SkuMappingRow {
  readonly row: number;
  readonly cpu: { readonly gt: number; readonly le: number };
  readonly memoryGb: { readonly gt: number; readonly le: number };
  readonly docLabel: string;
  readonly sku: string;
}

export interface AciPrice {
  readonly region: string;
  readonly vcpuHourUsd: number;
  readonly gbHourUsd: number;
  readonly source: string;
  readonly asOf: string | null;
}
