import type { VmSku } from "./sku-types.js";

export interface QuotaNeed {
  /** The VM family quota that the deployment draws on. */
  readonly family: string;
  /** vCPUs of that family needed to create the deployment. */
  readonly cores: number;
  /** Whether the 20% upgrade reservation applies (not for A100/H100/ND families). */
  readonly reservation: boolean;
  readonly formula: string;
}

/**
 * vCPU quota a managed deployment needs: `ceil(1.2 × instances) × vCPUs`, keeping 20% spare for upgrades,
 * except for the families Microsoft exempts. Integer arithmetic: `1.2 × 5` in floating point is 6.000000000000001.
 */
export function quotaNeed(sku: VmSku, instances: number): QuotaNeed {
  if (sku.skipsQuotaReservation) {
    return {
      family: sku.family,
      cores: instances * sku.vcpus,
      reservation: false,
      formula: `${instances} × ${sku.vcpus} vCPUs (no 20% reservation for this family)`,
    };
  }
  const reserved = Math.ceil((instances * 12) / 10);
  return { family: sku.family, cores: reserved * sku.vcpus, reservation: true, formula: `ceil(1.2 × ${instances}) × ${sku.vcpus} vCPUs` };
}
