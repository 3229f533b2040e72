import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../../config/parse-config";
import { AppConfig } from "../../config/types";
import { synthAny } from "../helpers/synth";
import { asList, kubectl, kubectlOk, workloadObjects } from "../cluster/harness";
import { FakeAzure, startFakeAzure } from "./fake-azure";
import { startAzureProvider, stopProcess } from "./azure-provider";
import { E2E_DIR, eventually } from "./node";
import { ADDON_CLIENT_ID, federatedCredentials, outputValue, secretReaders, TENANT_ID, VAULT_NAME } from "./platform";

/**
 * The app under test, shared by the e2e test files that use the seed's test config: the config, the
 * start of the fake Azure (with the platform's side from ./platform.ts) and the Azure provider with
 * the workload stack's objects applied, and the identity admission policy's switches. Each file
 * starts its own (a file's afterAll stops them).
 */

export const IMAGE = "e2e.local/secret-reader:1";
export const MOUNT = "/mnt/secrets-store";
/** Server-side apply, as the provider's kubernetes_manifest does, under the e2e run's field manager. */
export const E2E_APPLY = ["apply", "--server-side", "--field-manager=e2e", "-f", "-"];

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
  await applyAdmitted(objects);
  return { fake, provider, config, objects, readers };
}

/**
 * Stops what startApp started, and removes its identity admission policy: the e2e files share one
 * node, and one config's policy refuses the add-on identity in another config's namespaces (one
 * config per cluster, see docs/testing.md).
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
    kubectlOk(E2E_APPLY, JSON.stringify(binding));
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

/**
 * Applies a workload stack's objects as Terraform would: namespaces and the identity admission
 * policy first, then, once the API servers enforce this policy (not a previous one of the same
 * name: they reload policies every second), everything else. What the stack's time_sleep does in a
 * real apply, by asking instead of waiting.
 */
export async function applyAdmitted(objects: readonly any[]): Promise<void> {
  const first = objects.filter((o) => o.kind === "Namespace" || o.kind === "ValidatingAdmissionPolicy" || o.kind === BINDING);
  kubectlOk(E2E_APPLY, asList(first));
  const spcs = objects.filter((o) => o.kind === "SecretProviderClass");
  await eventually("every SecretProviderClass admitted by the stack's own identity policy", 30_000,
    () => (spcs.every((spc) => kubectl(["apply", "--server-side", "--field-manager=e2e", "--dry-run=server", "-f", "-"], JSON.stringify(spc)).status === 0)
      ? true : undefined));
  kubectlOk(E2E_APPLY, asList(objects));
}
