/**
 * The embedded default: the lab's shape (one cluster, one vault, two sample secrets, one
 * workload that mounts both), with the hardened profile. `npm run synth` uses it when no
 * CONFIG is given. Everything not set here takes the documented default in parse-config.ts.
 */
export const DEFAULT_CONFIG = {
  location: "westeurope",
  namePrefix: "kvcsi",
  tags: { project: "aks-keyvault-csi", managedBy: "cdktf" },
  keyVault: {
    secrets: [
      { name: "db-password", contentType: "text/plain", expirationDate: "2027-12-31T00:00:00Z" },
      { name: "api-key", contentType: "text/plain", expirationDate: "2027-12-31T00:00:00Z" },
    ],
  },
  workloads: [
    {
      name: "demo",
      namespace: "demo",
      objects: [{ objectName: "db-password" }, { objectName: "api-key" }],
    },
  ],
} as const;
