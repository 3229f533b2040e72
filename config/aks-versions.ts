import { endOfDay } from "./end-of-day";

/**
 * The AKS Kubernetes release calendar: which minor versions AKS creates clusters on, and until
 * when. A version past its end of life is in "platform support" at best, and "the creation of
 * new clusters isn't possible during the platform support period" (same page, FAQ); only
 * long-term support (the Premium tier with the `AKSLongTermSupport` plan, which this app does not
 * configure) keeps creating it until its LTS end of life.
 *
 * Source: "Supported Kubernetes versions in AKS", sections "AKS Kubernetes release calendar" and
 * "LTS versions" (https://learn.microsoft.com/azure/aks/supported-kubernetes-versions, page dated
 * 2026-08-05, read 2026-12-04). "Unless an explicit date is provided, the End of Life (EOL) date
 * is the last day of the specified month." Dates after the page's own date (1.37's GA) are the
 * calendar's plan. When AKS publishes a new minor version, add its row here; a version missing
 * from this table is refused, so the table cannot silently go stale.
 */
export interface AksKubernetesVersion {
  /** "1.35" */
  readonly minor: string;
  /** The month AKS made it generally available, "YYYY-MM". */
  readonly ga: string;
  /** Last day of community support, "YYYY-MM-DD". */
  readonly endOfLife: string;
  /** Last day of long-term support, "YYYY-MM-DD". */
  readonly ltsEndOfLife: string;
}

export const AKS_KUBERNETES_VERSIONS: readonly AksKubernetesVersion[] = [
  { minor: "1.29", ga: "2024-03", endOfLife: "2025-03-31", ltsEndOfLife: "2026-04-30" },
  { minor: "1.30", ga: "2024-07", endOfLife: "2025-08-22", ltsEndOfLife: "2026-07-31" },
  { minor: "1.31", ga: "2024-11", endOfLife: "2025-11-01", ltsEndOfLife: "2026-11-30" },
  { minor: "1.32", ga: "2025-04", endOfLife: "2026-03-31", ltsEndOfLife: "2027-03-31" },
  { minor: "1.33", ga: "2025-06", endOfLife: "2026-07-31", ltsEndOfLife: "2027-07-31" },
  { minor: "1.34", ga: "2025-11", endOfLife: "2026-11-30", ltsEndOfLife: "2027-11-30" },
  { minor: "1.35", ga: "2026-03", endOfLife: "2027-03-31", ltsEndOfLife: "2028-03-31" },
  { minor: "1.36", ga: "2026-06", endOfLife: "2027-06-30", ltsEndOfLife: "2028-06-30" },
  { minor: "1.37", ga: "2026-10", endOfLife: "2027-10-31", ltsEndOfLife: "2028-10-31" },
];

export const AKS_VERSIONS_SOURCE = "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions (read 2026-12-04)";

/**
 * The first instant this app offers a version: the month after its GA month. AKS rolls a release
 * out region by region ("AKS release status", https://releases.aks.azure.com), so during the GA
 * month a region may not offer it yet.
 */
export function offeredFrom(v: AksKubernetesVersion): Date {
  const [year, month] = v.ga.split("-").map(Number);
  return new Date(Date.UTC(year, month, 1));
}

/** The last instant AKS creates clusters on it without long-term support: the end of its EOL day. */
export function createdUntil(v: AksKubernetesVersion): Date {
  return endOfDay(v.endOfLife);
}

/** The minor versions AKS creates clusters on at `now`, oldest first. */
export function creatableAt(now: Date): string[] {
  return AKS_KUBERNETES_VERSIONS.filter((v) => offeredFrom(v) <= now && now <= createdUntil(v)).map((v) => v.minor);
}

/**
 * The workload stack's identity admission policy is an admissionregistration.k8s.io/v1
 * ValidatingAdmissionPolicy, stable (and served) since Kubernetes 1.30:
 * https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export const MIN_KUBERNETES_MINOR = 30;

/**
 * Why a cluster cannot run on `version` ("1.35" or "1.35.2") at `now`, or undefined when it can:
 * older than the identity admission policy needs (judged first, since no date fixes it), or a
 * version AKS does not create clusters on at `now`. Patch availability is not judged: AKS lists
 * and removes patches every few weeks, and with a minor version alone AKS picks its latest patch.
 */
export function kubernetesVersionProblem(version: string, now: Date): string | undefined {
  const [majorNumber, minorNumber] = version.split(".").map(Number);
  const minor = version.split(".").slice(0, 2).join(".");
  const row = AKS_KUBERNETES_VERSIONS.find((v) => v.minor === minor);
  const choose = `choose one AKS creates clusters on now (${creatableAt(now).join(", ") || "none known"}), or leave it out for the region's default`;
  if (majorNumber === 1 && minorNumber < MIN_KUBERNETES_MINOR) {
    return `${JSON.stringify(version)} is too old: the identity admission policy (ValidatingAdmissionPolicy v1) needs ` +
      `Kubernetes 1.${MIN_KUBERNETES_MINOR} or later; ${choose}`;
  }
  if (!row) {
    return `${JSON.stringify(version)} is not in the AKS release calendar this app knows (config/aks-versions.ts, ${AKS_VERSIONS_SOURCE}); ${choose}`;
  }
  if (now < offeredFrom(row)) {
    return `${JSON.stringify(version)}: AKS makes ${minor} generally available in ${row.ga}, region by region, and this app offers it from ` +
      `${offeredFrom(row).toISOString().slice(0, 10)} (${AKS_VERSIONS_SOURCE}); ${choose}`;
  }
  if (now > createdUntil(row)) {
    return `${JSON.stringify(version)}: AKS ended community support for ${minor} on ${row.endOfLife} and creates no new cluster on it ` +
      `(long-term support, until ${row.ltsEndOfLife}, needs the Premium tier and the AKSLongTermSupport plan, which this app does not configure; ` +
      `${AKS_VERSIONS_SOURCE}); ${choose}. A cluster that already runs ${minor} upgrades one minor version at a time`;
  }
  return undefined;
}
