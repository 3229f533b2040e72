import type { RawConfig } from "./schema";

/**
 * The embedded default: the lab's shape (one cluster, one vault, two sample secrets, one
 * workload that mounts both), with the hardened profile. `npm run synth` uses it when no
 * CONFIG is given. Everything not set here takes the documented default in parse-config.ts.
 * Typed by the schema, so tsc checks its shape; a test also validates it against config.schema.json.
 * It carries no "$schema": that key is for files opened in an editor.
 */
export const DEFAULT_CONFIG: Readonly<RawConfig> = {
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
};
