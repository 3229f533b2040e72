import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../../config/parse-config";
import { AppConfig } from "../../config/types";
import { PLATFORM_OUTPUTS } from "../../stacks/platform-outputs";
import { synthAny } from "../helpers/synth";
import { asList, kubectl, kubectlOk, workloadObjects } from "../cluster/harness";
import { FakeAzure, startFakeAzure } from "./fake-azure";
import { startAzureProvider, stopProcess } from "./azure-provider";
import { E2E_DIR, eventually } from "./node";

/**
 * The app under test, shared by the e2e test files: the test config, the platform's outputs as the
 * fake Azure serves them, and the start of the fake Azure and the Azure provider with the workload
 * stack's objects applied. Each file starts its own (a file's afterAll stops them).
 */

/** The platform's outputs as Azure would fill them in; the fake Azure serves exactly these. */
export const TENANT_ID = "6b2e4c1d-8f3a-4e5b-9c7d-0a1b2c3d4e5f";
export const VAULT_NAME = "kv-kve2e-1a2b3c4d";
export const ADDON_CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
/** A client id per federated identity, so a pod presenting another workload's id is caught. */
export const workloadClientId = (workload: string) => {
  const hex = Buffer.from(workload.padEnd(16, "-")).toString("hex").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
/** The OIDC issuer of scripts/control-plane.sh's API server: what the cluster's oidc_issuer_url output says here. */
export const OIDC_ISSUER = "https://kubernetes.default.svc.cluster.local";

export const IMAGE = "e2e.local/secret-reader:1";
export const MOUNT = "/mnt/secrets-store";

export function outputValue(output: string): string {
  if (output === PLATFORM_OUTPUTS.keyVaultName) return VAULT_NAME;
  if (output === PLATFORM_OUTPUTS.tenantId) return TENANT_ID;
  if (output === PLATFORM_OUTPUTS.secretsProviderClientId) return ADDON_CLIENT_ID;
  const workload = /^workload_identity_client_id_(.+)$/.exec(output);
  if (workload) return workloadClientId(workload[1].replace(/_/g, "-"));
  throw new Error(`no value for platform output ${output}`);
}

/** The test config: the lab profile, the locally built image, and the fake vault's cloud environment. */
export function e2eConfig(cloudEnvFile: string): AppConfig {
  const app = (name: string, identity: "workload" | "addon", objects: object[], extra: object = {}) => ({
    name, namespace: name, identity, image: IMAGE, imagePullPolicy: "Never", command: ["/secret-reader"],
    probe: { exec: ["/secret-reader", "check", `${MOUNT}/${(objects[0] as any).objectAlias ?? (objects[0] as any).objectName}`] },
    cloudName: "AzureStackCloud", cloudEnvFileName: cloudEnvFile, objects, ...extra,
  });
  return parseConfig({
    profile: "lab",
    namePrefix: "kve2e",
    keyVault: {
      secrets: [{ name: "db-password" }, { name: "api-key" }, { name: "report-token" }, { name: "not-yet-set" }],
    },
    workloads: [
      app("orders", "workload", [{ objectName: "db-password", filePermission: "0444" }, { objectName: "api-key", objectAlias: "api-key.txt" }]),
      app("billing", "addon", [{ objectName: "db-password" }]),
      app("reports", "workload", [{ objectName: "report-token" }], {
        syncToKubernetesSecret: { secretName: "reports-env", items: [{ objectName: "report-token", key: "token", envVar: "REPORT_TOKEN" }] },
      }),
      app("pending", "workload", [{ objectName: "not-yet-set" }]),
    ],
  }, "e2e config");
}

/**
 * The federated credentials the platform stack declares, keyed to the client id its output
 * gives: subject and audience as synthesized, issuer as the cluster's OIDC issuer output.
 */
function federatedCredentials(platform: any): { clientId: string; subject: string; issuer: string; audience: string }[] {
  const identityOf = (ref: string) => /\$\{azurerm_user_assigned_identity\.([a-z0-9_]+)\.(?:client_id|id)\}/.exec(ref)?.[1];
  const credentials = Object.values(platform.resource.azurerm_federated_identity_credential ?? {}) as any[];
  return Object.entries(platform.output as Record<string, { value: string }>)
    .filter(([name]) => name.startsWith("workload_identity_client_id_"))
    .flatMap(([name, { value }]) => credentials.filter((c) => identityOf(c.parent_id) === identityOf(value)).map((c) => {
      expect(c.issuer).toMatch(/oidc_issuer_url\}$/);
      return { clientId: outputValue(name), subject: c.subject, issuer: OIDC_ISSUER, audience: c.audience[0] };
    }));
}

/**
 * The secrets each identity may read, from the platform stack's "Key Vault Secrets User" role
 * assignments (scope: the secret; principal: the identity), keyed by the client id the output
 * naming the same identity gives.
 */
function secretReaders(platform: any): Record<string, string[]> {
  const identityOf = (ref: string) => ref.replace(/\.(?:principal_id|object_id|client_id)\}$/, "");
  const clientIds = new Map(Object.entries(platform.output as Record<string, { value: string }>)
    .filter(([name]) => name === PLATFORM_OUTPUTS.secretsProviderClientId || name.startsWith("workload_identity_client_id_"))
    .map(([name, { value }]) => [identityOf(value), outputValue(name)]));
  const readers: Record<string, string[]> = {};
  for (const grant of Object.values(platform.resource.azurerm_role_assignment) as any[]) {
    if (grant.role_definition_name !== "Key Vault Secrets User") continue;
    const secret = /^\$\{azurerm_key_vault_secret\.([a-z0-9_]+)\.resource_versionless_id\}$/.exec(grant.scope)?.[1];
    const clientId = clientIds.get(identityOf(grant.principal_id));
    if (!secret || !clientId) throw new Error(`cannot read the grant ${JSON.stringify(grant)}`);
    (readers[clientId] ??= []).push(platform.resource.azurerm_key_vault_secret[secret].name);
  }
  return readers;
}

export const VALUES = { "db-password": "correct horse battery staple", "api-key": "ak-0001", "report-token": "rt-0001" } as const;

export interface AppUnderTest {
  readonly fake: FakeAzure;
  readonly provider: ChildProcess;
  readonly config: AppConfig;
  /** The workload stack's objects, as applied. */
  readonly objects: any[];
  /** Client id -> the secrets the platform grants it. */
  readonly readers: Record<string, string[]>;
}

/** Starts the fake Azure (serving VALUES) and the provider, and applies the workload stack's objects. */
export async function startApp(): Promise<AppUnderTest> {
  const saKey = fs.readFileSync(path.join(E2E_DIR, "pki", "sa.pub"), "utf8");
  // Inside the node's folder, which `node.sh` removes with everything else.
  const fakeDir = path.join(E2E_DIR, "fake-azure");
  fs.mkdirSync(fakeDir, { recursive: true });
  const platformPreview = synthAny(e2eConfig("/placeholder")).stackJson("platform");
  const readers = secretReaders(platformPreview);
  const fake = await startFakeAzure({
    dir: fakeDir,
    tenantId: TENANT_ID,
    vaultName: VAULT_NAME,
    workloadIdentities: federatedCredentials(platformPreview),
    managedIdentityClientIds: [ADDON_CLIENT_ID],
    serviceAccountIssuerPublicKey: saKey,
    secretReaders: readers,
  });
  for (const [name, value] of Object.entries(VALUES)) fake.setSecret(name, value);
  const provider = await startAzureProvider(fake.proxyUrl, fake.caFile);
  const config = e2eConfig(fake.cloudEnvFile);
  const objects = workloadObjects(config, "workload", outputValue);
  kubectlOk(["apply", "--server-side", "--field-manager=e2e", "-f", "-"], asList(objects));
  return { fake, provider, config, objects, readers };
}

/**
 * Stops what startApp started, and removes its identity admission policy: the e2e files share one
 * node, and one config's policy refuses the add-on identity in another config's namespaces (one
 * config per cluster, see the README).
 */
export async function stopApp(app: AppUnderTest | undefined): Promise<void> {
  if (app?.provider) await stopProcess(app.provider);
  if (app?.fake) await app.fake.close();
  if (app?.objects) await removeIdentityPolicy(app.objects);
}

const BINDING = "ValidatingAdmissionPolicyBinding";

/**
 * Whether the API server enforces an identity admission policy now: a dry-run of a
 * SecretProviderClass naming the add-on identity in `default`, which no config may use, is
 * refused. The policy plugin loads (and drops) policies and bindings asynchronously.
 */
export function admissionEnforced(): boolean {
  const probe = {
    apiVersion: "secrets-store.csi.x-k8s.io/v1",
    kind: "SecretProviderClass",
    metadata: { name: "admission-probe", namespace: "default" },
    spec: { provider: "azure", parameters: { useVMManagedIdentity: "true", userAssignedIdentityID: ADDON_CLIENT_ID } },
  };
  return kubectl(["create", "--dry-run=server", "-f", "-"], JSON.stringify(probe)).status !== 0;
}

/** Waits until the API server enforces the policy (`enforced` true) or no longer does. */
export async function admissionBecomes(enforced: boolean): Promise<void> {
  await eventually(`the identity admission policy ${enforced ? "enforced" : "lifted"}`, 30_000,
    () => (admissionEnforced() === enforced ? true : undefined));
}

/**
 * Runs `fn` with the workload stack's admission binding removed, to show what the cluster would
 * allow without it, and puts the binding back (and waits until it is enforced again) whatever
 * `fn` does.
 */
export async function withoutAdmissionBinding<T>(objects: readonly any[], fn: () => Promise<T>): Promise<T> {
  const binding = objects.find((o) => o.kind === BINDING);
  if (!binding) throw new Error("the workload stack has no ValidatingAdmissionPolicyBinding");
  await admissionBecomes(true);
  kubectlOk(["delete", BINDING.toLowerCase(), binding.metadata.name]);
  try {
    await admissionBecomes(false);
    return await fn();
  } finally {
    kubectlOk(["apply", "--server-side", "--field-manager=e2e", "-f", "-"], JSON.stringify(binding));
    await admissionBecomes(true);
  }
}

/** Deletes the identity admission policy and binding among `objects`, and waits until no identity policy is enforced. */
export async function removeIdentityPolicy(objects: readonly any[]): Promise<void> {
  for (const o of objects.filter((x) => x.kind === "ValidatingAdmissionPolicy" || x.kind === BINDING)) {
    kubectlOk(["delete", o.kind.toLowerCase(), o.metadata.name, "--ignore-not-found"]);
  }
  await admissionBecomes(false);
}
