import { ACI_PRICES } from "./reference-data.generated.js";
import { HOURS_PER_MONTH } from "./sku-catalog.js";
import type { VmSku } from "./sku-types.js";

/** The region whose ACI prices stand in when the service's own region has none on file. */
export const DEFAULT_PRICE_REGION = "eastus";

export interface CostEstimate {
  /** ACI today: vCPU-hours + GB-hours for a month. */
  readonly aciMonthlyUsd: number;
  /** Managed: SKU price × instances for a month; null when the SKU has no known price. */
  readonly managedMonthlyUsd: number | null;
  readonly label: "indicative";
  readonly aciPrice: { readonly region: string; readonly asOf: string | null; readonly usedFallbackRegion: boolean };
  readonly skuPrice: { readonly kind: string; readonly asOf: string | null };
  readonly note: string;
}

export function estimateMonthlyCost(service: { cpu: number; memoryGb: number; location?: string }, sku: VmSku, instances: number): CostEstimate {
  const region = service.location?.toLowerCase().replace(/\s+/g, "");
  const aci = (region && ACI_PRICES[region]) || ACI_PRICES[DEFAULT_PRICE_REGION]!;
  const aciMonthlyUsd = round2((service.cpu * aci.vcpuHourUsd + service.memoryGb * aci.gbHourUsd) * HOURS_PER_MONTH);
  const managedMonthlyUsd = sku.usdPerHour === null ? null : round2(sku.usdPerHour * instances * HOURS_PER_MONTH);
  const usedFallbackRegion = aci.region !== region;
  return {
    aciMonthlyUsd,
    managedMonthlyUsd,
    label: "indicative",
    aciPrice: { region: aci.region, asOf: aci.asOf, usedFallbackRegion },
    skuPrice: { kind: sku.price.kind, asOf: sku.price.asOf },
    note:
      `Indicative list prices, ${HOURS_PER_MONTH} h/month, Linux pay-as-you-go: ACI ${aci.region} (${aci.asOf ?? "undated"})` +
      `${usedFallbackRegion ? ` standing in for ${service.location ?? "an unknown region"}` : ""}, ` +
      `VM ${sku.price.kind} (${sku.price.asOf ?? "undated"}). Not a quote; check the Azure pricing calculator.`,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
