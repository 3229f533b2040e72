/**
 * Whether a node pool's VM size can hold an ephemeral OS disk (`cluster.ephemeralOsDisk`).
 *
 * The rule. This app leaves the OS disk size unset, and then "AKS by default provisions an
 * Ephemeral OS disk with a size that scales according to the total temp storage of the VM SKU so
 * long as the temp is at least 128GiB" (AKS, "Storage options for applications", Default OS disk
 * sizing: https://learn.microsoft.com/azure/aks/concepts-storage#default-os-disk-sizing). Below
 * that, the default disk (128 GiB for 1-7 vCPUs) does not fit, and an explicit ephemeral request
 * "receive[s] a validation error" at apply (same page, Ephemeral OS disk). The v5 sizes have no
 * cache disk, only the temp disk ("The latest generation of VM series doesn't have a dedicated
 * cache, but only temporary storage"), so the temp disk decides.
 *
 * The table: temp disk sizes in GiB, read 2026-12-04 from the Azure VM size pages
 * - Ddsv5: https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/ddsv5-series
 * - Dadsv5: https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dadsv5-series
 * - Edsv5: https://learn.microsoft.com/azure/virtual-machines/sizes/memory-optimized/edsv5-series
 * - Dsv5, no temp disk ("Ephemeral OS Disk: Not Supported"):
 *   https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv5-series
 *
 * A size that is not in the table is refused with ephemeral OS disks: whether it holds one
 * depends on numbers we have not checked (a cache disk, a temp disk, NVMe), and a wrong guess
 * fails only at apply. To use another size, add its row here from its size page.
 */
export const VM_TEMP_DISK_GIB: Readonly<Record<string, number>> = {
  Standard_D2ds_v5: 75,
  Standard_D4ds_v5: 150,
  Standard_D8ds_v5: 300,
  Standard_D16ds_v5: 600,
  Standard_D32ds_v5: 1200,
  Standard_D48ds_v5: 1800,
  Standard_D64ds_v5: 2400,
  Standard_D96ds_v5: 3600,
  Standard_D2ads_v5: 75,
  Standard_D4ads_v5: 150,
  Standard_D8ads_v5: 300,
  Standard_D16ads_v5: 600,
  Standard_D32ads_v5: 1200,
  Standard_D48ads_v5: 1800,
  Standard_D64ads_v5: 2400,
  Standard_D96ads_v5: 3600,
  Standard_E2ds_v5: 75,
  Standard_E4ds_v5: 150,
  Standard_E8ds_v5: 300,
  Standard_E16ds_v5: 600,
  Standard_E20ds_v5: 750,
  Standard_E32ds_v5: 1200,
  Standard_E48ds_v5: 1800,
  Standard_E64ds_v5: 2400,
  Standard_E96ds_v5: 3600,
  Standard_E104ids_v5: 3800,
  Standard_D2s_v5: 0,
  Standard_D4s_v5: 0,
  Standard_D8s_v5: 0,
  Standard_D16s_v5: 0,
  Standard_D32s_v5: 0,
  Standard_D48s_v5: 0,
  Standard_D64s_v5: 0,
  Standard_D96s_v5: 0,
};

/** The smallest temp disk on which AKS places its default ephemeral OS disk. */
export const EPHEMERAL_OS_DISK_MIN_TEMP_GIB = 128;

/**
 * Why `vmSize` cannot hold an ephemeral OS disk, as the rest of a sentence that starts with the
 * size; undefined when it can.
 */
export function ephemeralOsDiskProblem(vmSize: string): string | undefined {
  const temp = VM_TEMP_DISK_GIB[vmSize];
  if (temp !== undefined && temp >= EPHEMERAL_OS_DISK_MIN_TEMP_GIB) return undefined;
  const example = Object.entries(VM_TEMP_DISK_GIB).find(([, gib]) => gib >= EPHEMERAL_OS_DISK_MIN_TEMP_GIB)![0];
  const choose = `choose a size with a temp disk of at least ${EPHEMERAL_OS_DISK_MIN_TEMP_GIB} GiB such as ${JSON.stringify(example)}`;
  if (temp === undefined) {
    return "is not known to hold an ephemeral OS disk: its temp disk is not in config/vm-temp-disks.ts; " +
      `${choose}, or add the size's temp disk to that table from its Azure VM size page`;
  }
  const disk = temp === 0 ? "it has no temp disk" : `its temp disk has ${temp} GiB`;
  return `cannot hold an ephemeral OS disk: ${disk}, and AKS places its default ephemeral OS disk only on a temp disk of at ` +
    `least ${EPHEMERAL_OS_DISK_MIN_TEMP_GIB} GiB; ${choose}`;
}
