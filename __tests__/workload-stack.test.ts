import { AnnotationMetadataEntryType } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { identityClientIdOutput, PLATFORM_OUTPUTS } from "../stacks/platform-outputs";
import { configFrom, dataOf, resourcesOf, sharedSynthApp, synthAny, synthApp, withoutMetadata } from "./helpers/synth";
import { SHIPPED_CONFIGS } from "./helpers/shipped-configs";


// Required untyped: the typings of ajv and yaml and the typed JSON schemas add ~0.4 s to `tsc --noEmit`.
type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const Ajv = require("ajv").default as new (options: object) => { compile(schema: object): Validator };
const parseYaml = require("yaml").parse as (text: string) => any;
const spcSchema = require("./schemas/secret-provider-class.schema.json");
const objectSchema = require("./schemas/provider-object.schema.json");

const ref = (address: string) => "${" + address + "}";
const remote = (output: string) => ref(`data.terraform_remote_state.platform.outputs.${output}`);
const ajv = new Ajv({ allErrors: true, strict: false });
const validateSpc = ajv.compile(spcSchema);
const validateObject = ajv.compile(objectSchema);

function spcOf(workload: any, name = "demo-secrets"): any {
  return resourcesOf(workload, "kubernetes_manifest").map((m) => m.manifest).find((m) => m.metadata.name === name);
}
function deploymentOf(workload: any, name = "demo"): any {
  return resourcesOf(workload, "kubernetes_deployment_v1").find((d) => d.metadata.name === name);
}
function objectsOf(spc: any): any[] {
  const doc = parseYaml(spc.spec.parameters.objects);
  return doc.array.map((entry: string) => parseYaml(entry));
}

const WORKLOAD_IDENTITY = (raw: any) => {
  raw.workloads[0].identity = "workload";
  raw.workloads[0].serviceAccountName = "demo-reader";
};

const ADDON_IDENTITY = (raw: any) => {
  raw.workloads[0].identity = "addon";
};

describe("workload stack, add-on identity", () => {
  const synthesized = synthApp(configFrom(ADDON_IDENTITY));
  const workload = synthesized.stackJson("workload");
  const platform = synthesized.stackJson("platform");
  const text = synthesized.stackText("workload");
  const spc = spcOf(workload);

  test("reads the platform's outputs from remote state configured exactly like the platform's backend", () => {
    const [state] = dataOf(workload, "terraform_remote_state");
    expect(state.backend).toBe(Object.keys(platform.terraform.backend)[0]);
    expect(state.config).toEqual(platform.terraform.backend.local);
  });

  test("records the dependency on the platform in manifest.json", () => {
    expect(synthesized.manifest().stacks.workload.dependencies).toEqual(["platform"]);
    expect(synthesized.manifest().stacks.platform.dependencies).toEqual([]);
  });

  test("connects the kubernetes and helm providers through the cluster data source and kubelogin", () => {
    const [cluster] = dataOf(workload, "azurerm_kubernetes_cluster");
    expect(cluster).toEqual(expect.objectContaining({
      name: remote(PLATFORM_OUTPUTS.clusterName),
      resource_group_name: remote(PLATFORM_OUTPUTS.resourceGroupName),
    }));
    const exec = { api_version: "client.authentication.k8s.io/v1beta1", command: "kubelogin", args: ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"] };
    expect(workload.provider.kubernetes[0]).toEqual(expect.objectContaining({ exec: [exec], host: expect.stringContaining("kube_config[0].host") }));
    expect(workload.provider.helm[0].kubernetes).toEqual(expect.objectContaining({ exec }));
    expect(JSON.stringify(workload.provider)).not.toContain("client_key");
  });

  test("uses the cluster's admin certificate from the data source when local accounts are enabled", () => {
    const lab = synthApp(configFrom((raw) => (raw.profile = "lab"))).stackJson("workload");
    expect(lab.provider.kubernetes[0]).toEqual(expect.objectContaining({
      client_key: expect.stringContaining("data.azurerm_kubernetes_cluster.cluster.kube_admin_config[0].client_key"),
    }));
    expect(lab.provider.kubernetes[0]).not.toHaveProperty("exec");
  });

  test("creates a SecretProviderClass for the azure provider in the workload's namespace", () => {
    expect(text).toHaveResourceWithProperties(Manifest, {
      manifest: expect.objectContaining({ apiVersion: "secrets-store.csi.x-k8s.io/v1", kind: "SecretProviderClass", metadata: { name: "demo-secrets", namespace: "demo" } }),
    });
    expect(spc.spec.provider).toBe("azure");
  });

  test("sets every SPC parameter as a string, with vault, tenant and identity from platform outputs", () => {
    expect(spc.spec.parameters).toEqual({
      usePodIdentity: "false",
      useVMManagedIdentity: "true",
      userAssignedIdentityID: remote("secrets_provider_identity_client_id"),
      keyvaultName: remote("key_vault_name"),
      tenantID: remote("tenant_id"),
      objects: expect.any(String),
    });
    expect(Object.values(spc.spec.parameters).every((v) => typeof v === "string")).toBe(true);
  });

  test("points userAssignedIdentityID at the output that holds the add-on identity's client id", () => {
    const outputName = identityClientIdOutput({ name: "demo", identity: "addon" });
    expect(spc.spec.parameters.userAssignedIdentityID).toBe(remote(outputName));
    expect(platform.output[outputName].value).toMatch(/key_vault_secrets_provider\[0\]\.secret_identity\[0\]\.client_id\}$/);
  });

  test("renders objects as the provider's YAML array of entries", () => {
    expect(spc.spec.parameters.objects).toMatch(/^array:\n {2}- \|\n/);
    expect(objectsOf(spc)).toEqual([
      { objectName: "db-password", objectType: "secret" },
      { objectName: "api-key", objectType: "secret" },
    ]);
  });

  test("validates against the provider's documented SecretProviderClass schema", () => {
    expect(validateSpc(spc) ? [] : validateSpc.errors).toEqual([]);
    for (const entry of objectsOf(spc)) expect(validateObject(entry) ? [] : validateObject.errors).toEqual([]);
  });

  test("mounts a read-only CSI volume that names the SPC, without subPath", () => {
    const pod = deploymentOf(workload).spec.template.spec;
    expect(pod.volume).toContainEqual({
      name: "secrets-store",
      csi: { driver: "secrets-store.csi.k8s.io", read_only: true, volume_attributes: { secretProviderClass: "demo-secrets" } },
    });
    const mount = pod.container[0].volume_mount.find((m: any) => m.name === "secrets-store");
    expect(mount).toEqual({ name: "secrets-store", mount_path: "/mnt/secrets-store", read_only: true });
    expect(JSON.stringify(deploymentOf(workload))).not.toContain("sub_path");
    expect(deploymentOf(workload).metadata.namespace).toBe(spc.metadata.namespace);
  });

  test("mounts at the configured path", () => {
    const custom = synthApp(configFrom((raw) => {
      ADDON_IDENTITY(raw);
      raw.workloads[0].mountPath = "/var/run/app-secrets";
    })).stackJson("workload");
    const mount = deploymentOf(custom).spec.template.spec.container[0].volume_mount[0];
    expect(mount).toEqual({ name: "secrets-store", mount_path: "/var/run/app-secrets", read_only: true });
  });

  test("runs the demo app pinned, bounded, non-root, read-only, unprivileged, and waits for rollout", () => {
    expect(text).toHaveResourceWithProperties(DeploymentV1, { wait_for_rollout: true });
    const pod = deploymentOf(workload).spec.template.spec;
    const container = pod.container[0];
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(container.resources).toEqual({ requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
    expect(container.security_context).toEqual({
      run_as_non_root: true, allow_privilege_escalation: false, privileged: false, read_only_root_filesystem: true,
      capabilities: { drop: ["ALL"] }, seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(pod.security_context).toEqual(expect.objectContaining({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } }));
    expect(container.liveness_probe.exec.command.join(" ")).toContain("/mnt/secrets-store");
    expect(container.readiness_probe.exec.command.join(" ")).toContain("/mnt/secrets-store");
  });

  test("prints names and hashes of the mounted files, never their content", () => {
    const script = deploymentOf(workload).spec.template.spec.container[0].command.join(" ");
    expect(script).toContain("sha256sum");
    expect(script).not.toMatch(/\bcat\b|\bhead\b|\btail\b/);
  });

  test("mounts no ServiceAccount token in add-on mode", () => {
    expect(deploymentOf(workload).spec.template.spec.automount_service_account_token).toBe(false);
    expect(text).toHaveResourceWithProperties(ServiceAccountV1, { automount_service_account_token: false });
  });

  test("denies all pod traffic in the namespace, since the CSI driver fetches secrets on the node", () => {
    expect(resourcesOf(workload, "kubernetes_network_policy_v1")).toEqual([expect.objectContaining({
      metadata: { name: "default-deny-all", namespace: "demo" },
      spec: { pod_selector: {}, policy_types: ["Ingress", "Egress"] },
    })]);
  });

  test("creates no Kubernetes Secret and no secretObjects by default", () => {
    expect(spc.spec).not.toHaveProperty("secretObjects");
    expect(Object.keys(workload.resource)).not.toContain("kubernetes_secret_v1");
    expect(Object.keys(workload.resource)).not.toContain("kubernetes_secret");
  });

  test("hard-codes no platform value", () => {
    const platformValues = ["kv-kvcsi-", "rg-kvcsi", "aks-kvcsi"];
    for (const value of platformValues) expect(text).not.toContain(value);
  });

  test("matches the snapshot", () => {
    expect(withoutMetadata(workload)).toMatchSnapshot();
  });
});

describe("workload stack, workload identity", () => {
  const synthesized = synthApp(configFrom(WORKLOAD_IDENTITY));
  const workload = synthesized.stackJson("workload");
  const platform = synthesized.stackJson("platform");
  const spc = spcOf(workload);
  const output = identityClientIdOutput({ name: "demo", identity: "workload" });
  const uai = `azurerm_user_assigned_identity.${Object.keys(platform.resource.azurerm_user_assigned_identity)[0]}`;

  test("creates a user-assigned identity federated to the pod's ServiceAccount", () => {
    const [identity] = resourcesOf(platform, "azurerm_user_assigned_identity");
    expect(identity.name).toBe("id-kvcsi-demo");
    expect(resourcesOf(platform, "azurerm_federated_identity_credential")).toEqual([expect.objectContaining({
      issuer: "${azurerm_kubernetes_cluster.aks.oidc_issuer_url}",
      subject: "system:serviceaccount:demo:demo-reader",
      audience: ["api://AzureADTokenExchange"],
      parent_id: ref(`${uai}.id`),
    })]);
  });

  test("grants Secrets User to that identity and not to the add-on identity", () => {
    const reads = resourcesOf(platform, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Key Vault Secrets User");
    expect(reads.map((r) => r.principal_id)).toEqual([
      ref(`${uai}.principal_id`),
      ref(`${uai}.principal_id`),
    ]);
  });

  test("sets clientID from the output that holds the granted identity's client id, and no useVMManagedIdentity", () => {
    expect(platform.output[output].value).toBe(ref(`${uai}.client_id`));
    expect(spc.spec.parameters).toEqual(expect.objectContaining({ usePodIdentity: "false", clientID: remote(output) }));
    expect(spc.spec.parameters).not.toHaveProperty("useVMManagedIdentity");
    expect(spc.spec.parameters).not.toHaveProperty("userAssignedIdentityID");
    expect(validateSpc(spc) ? [] : validateSpc.errors).toEqual([]);
  });

  test("annotates the ServiceAccount with the client id and mounts no token: the CSI driver gets its own", () => {
    const [sa] = resourcesOf(workload, "kubernetes_service_account_v1");
    expect(sa.metadata).toEqual(expect.objectContaining({ name: "demo-reader", namespace: "demo", annotations: { "azure.workload.identity/client-id": remote(output) } }));
    expect(sa.automount_service_account_token).toBe(false);
    const pod = deploymentOf(workload).spec.template;
    expect(pod.metadata.labels).not.toHaveProperty("azure.workload.identity/use");
    expect(pod.spec.service_account_name).toBe("demo-reader");
    expect(pod.spec.automount_service_account_token).toBe(false);
  });

  test("matches the snapshot", () => {
    expect(withoutMetadata(workload)).toMatchSnapshot();
  });
});

describe("workload stack, the default config", () => {
  const synthesized = sharedSynthApp();
  const workload = synthesized.stackJson("workload");
  const platform = synthesized.stackJson("platform");

  test("mounts the demo workload through its own federated identity, not the add-on's", () => {
    const output = identityClientIdOutput({ name: "demo", identity: "workload" });
    expect(spcOf(workload).spec.parameters).toEqual(expect.objectContaining({ clientID: remote(output) }));
    expect(spcOf(workload).spec.parameters).not.toHaveProperty("useVMManagedIdentity");
    expect(resourcesOf(platform, "azurerm_user_assigned_identity").map((i) => i.name)).toEqual(["id-kvcsi-demo"]);
    expect(resourcesOf(platform, "azurerm_federated_identity_credential").map((c) => c.subject)).toEqual(["system:serviceaccount:demo:demo"]);
    const readers = resourcesOf(platform, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Key Vault Secrets User");
    expect(readers.map((r) => r.principal_id)).toEqual([
      ref("azurerm_user_assigned_identity.workload_identity_demo.principal_id"),
      ref("azurerm_user_assigned_identity.workload_identity_demo.principal_id"),
    ]);
  });
});

describe("workload stack, the identity admission policy", () => {
  const manifests = (stack: any) => resourcesOf(stack, "kubernetes_manifest").map((m) => m.manifest);
  const policyOf = (stack: any) => manifests(stack).find((m) => m.kind === "ValidatingAdmissionPolicy");
  const variable = (policy: any, name: string) => policy.spec.variables.find((v: any) => v.name === name).expression;

  test("comes before every SecretProviderClass: each waits for the binding to be enforced, the binding for the policy", () => {
    const workload = sharedSynthApp().stackJson("workload");
    // The API servers reload policies every second: the wait is replaced whenever the policy or the binding changes.
    expect(workload.resource.time_sleep.identity_admission_enforced).toEqual(expect.objectContaining({
      create_duration: "5s",
      depends_on: ["kubernetes_manifest.identity_admission_binding"],
      triggers: { policy: "${sha256(jsonencode([kubernetes_manifest.identity_admission_policy.manifest, kubernetes_manifest.identity_admission_binding.manifest]))}" },
    }));
    expect(workload.resource.kubernetes_manifest.identity_admission_binding.depends_on).toEqual(["kubernetes_manifest.identity_admission_policy"]);
    expect(workload.resource.kubernetes_manifest.identity_admission_binding.manifest).toEqual({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name: "kvcsi-secretproviderclass-identities" },
      spec: { policyName: "kvcsi-secretproviderclass-identities", validationActions: ["Deny"] },
    });
    expect(workload.resource.kubernetes_manifest.demo_secret_provider_class.depends_on).toContain("time_sleep.identity_admission_enforced");
  });

  test("lists each namespace with the client ids of its workloads, from the same outputs as their SecretProviderClasses", () => {
    const workload = synthApp(configFrom((raw) => {
      raw.workloads.push({ name: "api", namespace: "demo", objects: [{ objectName: "api-key" }] });
      raw.workloads.push({ name: "billing", namespace: "billing", identity: "addon", objects: [{ objectName: "api-key" }] });
    })).stackJson("workload");
    const policy = policyOf(workload);
    expect(variable(policy, "workloadIdentities")).toBe(`{"demo": ["${remote("workload_identity_client_id_demo")}", ` +
      `"${remote("workload_identity_client_id_api")}"].map(id, id.lowerAscii()), "billing": [].map(id, id.lowerAscii())}`);
    expect(variable(policy, "addonNamespaces")).toBe('["billing"]');
    expect(variable(policy, "addonClientId")).toBe(`"${remote("secrets_provider_identity_client_id")}".lowerAscii()`);
    for (const name of ["demo", "api"]) {
      expect(JSON.stringify(policy)).toContain(JSON.stringify(spcOf(workload, `${name}-secrets`).spec.parameters.clientID).slice(1, -1));
    }
  });

  test.each(SHIPPED_CONFIGS)("%s: every workload stack carries the policy and its binding", (_name, config) => {
    const s = synthAny(config);
    const workloadStacks = s.stacks.filter((stack) => stack === "workload" || stack.startsWith("workload-"));
    expect(workloadStacks.length).toBeGreaterThan(0);
    for (const stack of workloadStacks) {
      expect(manifests(s.stackJson(stack)).map((m) => m.kind).filter((k) => k.startsWith("ValidatingAdmissionPolicy")).sort())
        .toEqual(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
    }
  });

  test("lets no namespace use the VM identity when no workload uses the add-on identity", () => {
    const policy = policyOf(sharedSynthApp().stackJson("workload"));
    expect(variable(policy, "addonNamespaces")).toBe("[]");
    expect(variable(policy, "addonClientId")).toBe('"".lowerAscii()');
  });
});

describe("workload stack, several workloads and options", () => {
  test("gives each workload its own namespace, SPC and Deployment, and mixes identity modes", () => {
    const config = configFrom((raw) => {
      ADDON_IDENTITY(raw);
      raw.workloads.push({ name: "billing", namespace: "billing", identity: "workload", objects: [{ objectName: "api-key", objectAlias: "key.txt" }] });
    });
    const s = synthApp(config);
    const workload = s.stackJson("workload");
    expect(resourcesOf(workload, "kubernetes_namespace_v1").map((n) => n.metadata.name).sort()).toEqual(["billing", "demo"]);
    expect(spcOf(workload, "billing-secrets").metadata.namespace).toBe("billing");
    expect(spcOf(workload, "billing-secrets").spec.parameters.clientID).toBe(remote("workload_identity_client_id_billing"));
    expect(spcOf(workload, "demo-secrets").spec.parameters.userAssignedIdentityID).toBe(remote("secrets_provider_identity_client_id"));
    expect(deploymentOf(workload, "billing").spec.template.spec.volume[0].csi.volume_attributes.secretProviderClass).toBe("billing-secrets");
    expect(objectsOf(spcOf(workload, "billing-secrets"))).toEqual([{ objectName: "api-key", objectType: "secret", objectAlias: "key.txt" }]);
    expect(s.stackJson("platform").output).toHaveProperty("workload_identity_client_id_billing");
  });

  test("lets several workloads share one namespace, created once with its deny-all policy", () => {
    const config = configFrom((raw) => {
      raw.workloads.push({ name: "api", namespace: "demo", objects: [{ objectName: "api-key" }] });
    });
    const workload = synthApp(config).stackJson("workload");
    expect(resourcesOf(workload, "kubernetes_namespace_v1").map((n) => n.metadata.name)).toEqual(["demo"]);
    expect(resourcesOf(workload, "kubernetes_network_policy_v1")).toHaveLength(1);
    expect(resourcesOf(workload, "kubernetes_deployment_v1").map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual(["demo/api", "demo/demo"]);
    expect(resourcesOf(workload, "kubernetes_service_account_v1").map((a) => a.metadata.name).sort()).toEqual(["api", "demo"]);
  });

  test("renders every object option of the typed config", () => {
    const config = configFrom((raw) => {
      raw.workloads[0].cloudName = "AzurePublicCloud";
      raw.workloads[0].objects = [
        { objectName: "db-password", objectVersion: "0123456789abcdef0123456789abcdef", objectEncoding: "base64", filePermission: "0604", objectAlias: "db" },
        { objectName: "tls", objectType: "cert", objectFormat: "pem" },
        { objectName: "api-key", objectType: "secret", objectFormat: "pfx" },
      ];
    });
    const spc = spcOf(synthApp(config).stackJson("workload"));
    expect(spc.spec.parameters.cloudName).toBe("AzurePublicCloud");
    expect(objectsOf(spc)).toEqual([
      { objectName: "db-password", objectType: "secret", objectAlias: "db", objectVersion: "0123456789abcdef0123456789abcdef", objectEncoding: "base64", filePermission: "0604" },
      { objectName: "tls", objectType: "cert", objectFormat: "pem" },
      { objectName: "api-key", objectType: "secret", objectFormat: "pfx" },
    ]);
    expect(validateSpc(spc) ? [] : validateSpc.errors).toEqual([]);
  });

  test("points an Azure Stack Hub workload's SecretProviderClass at the cloud's environment file, and no other", () => {
    const config = configFrom((raw) => {
      raw.workloads[0].cloudName = "AzureStackCloud";
      raw.workloads[0].cloudEnvFileName = "/etc/kubernetes/azurestackcloud.json";
      raw.workloads.push({ name: "billing", namespace: "billing", objects: [{ objectName: "api-key" }] });
    });
    const workload = synthApp(config).stackJson("workload");
    const spc = spcOf(workload);
    expect(spc.spec.parameters.cloudName).toBe("AzureStackCloud");
    expect(spc.spec.parameters.cloudEnvFileName).toBe("/etc/kubernetes/azurestackcloud.json");
    expect(validateSpc(spc) ? [] : validateSpc.errors).toEqual([]);
    expect(spcOf(workload, "billing-secrets").spec.parameters).not.toHaveProperty("cloudEnvFileName");
  });

  test("pulls the image at every start by default and in the hardened profile", () => {
    expect(deploymentOf(sharedSynthApp().stackJson("workload")).spec.template.spec.container[0].image_pull_policy).toBe("Always");
    expect(() => configFrom((raw) => { raw.workloads[0].imagePullPolicy = "IfNotPresent"; })).toThrow(
      'workloads[0].imagePullPolicy: "IfNotPresent" is only allowed in the lab profile; the hardened profile needs "Always"',
    );
  });

  test("lets the lab profile run an image pre-loaded on the node (imagePullPolicy Never), with a warning", () => {
    const s = synthApp(configFrom((raw) => {
      raw.profile = "lab";
      raw.workloads[0].imagePullPolicy = "Never";
    }));
    expect(deploymentOf(s.stackJson("workload")).spec.template.spec.container[0].image_pull_policy).toBe("Never");
    const warnings = (s.manifest().stacks.workload.annotations as { level: string; message: string }[])
      .filter((a) => a.level === AnnotationMetadataEntryType.WARN).map((a) => a.message);
    expect(warnings).toContainEqual(expect.stringContaining("SecurityBaseline pod-image-pull-always relaxed"));
  });

  test("runs a custom image's own entrypoint, or the configured command, with the configured probe", () => {
    const config = configFrom((raw) => {
      raw.workloads[0].image = "registry.example/shop/api:2.1@sha256:" + "b".repeat(64);
      raw.workloads[0].probe = { httpGet: { path: "/healthz", port: 8080 } };
      raw.workloads.push({ name: "worker", namespace: "worker", image: raw.workloads[0].image, command: ["/app/worker", "--queue", "jobs"], objects: [{ objectName: "api-key" }] });
    });
    const workload = synthApp(config).stackJson("workload");
    const api = deploymentOf(workload).spec.template.spec.container[0];
    expect(api).not.toHaveProperty("command");
    expect(api.readiness_probe).toEqual({ http_get: { path: "/healthz", port: "8080" }, period_seconds: 10 });
    expect(deploymentOf(workload, "worker").spec.template.spec.container[0].command).toEqual(["/app/worker", "--queue", "jobs"]);
  });

  test("syncs to a Kubernetes Secret only on opt-in, exposes it as env vars, and warns at synth time", () => {
    const config = configFrom((raw) => {
      raw.workloads[0].syncToKubernetesSecret = { secretName: "demo-env", items: [{ objectName: "db-password", key: "password", envVar: "DB_PASSWORD" }] };
    });
    const s = synthApp(config);
    const workload = s.stackJson("workload");
    expect(spcOf(workload).spec.secretObjects).toEqual([{ secretName: "demo-env", type: "Opaque", data: [{ objectName: "db-password", key: "password" }] }]);
    expect(deploymentOf(workload).spec.template.spec.container[0].env).toEqual([
      { name: "DB_PASSWORD", value_from: { secret_key_ref: { name: "demo-env", key: "password" } } },
    ]);
    const warnings = s.manifest().stacks.workload.annotations.filter((a: any) => a.level === AnnotationMetadataEntryType.WARN);
    expect(warnings).toEqual([expect.objectContaining({ message: expect.stringMatching(/lives? in etcd.*restarts/) })]);
  });
});

describe("workload stack, restart on rotation (workloads[].onRotation)", () => {
  const restartConfig = configFrom((raw) => {
    raw.workloads[0].onRotation = "restart";
    raw.workloads.push({ ...raw.workloads[0], name: "steady", namespace: "steady", onRotation: "none" });
  });
  const workload = sharedSynthApp(restartConfig).stackJson("workload");
  const [release] = resourcesOf(workload, "helm_release");

  test("installs Reloader once, watching only the namespaces of the workloads that opt in", () => {
    expect(resourcesOf(workload, "helm_release")).toHaveLength(1);
    expect(release).toEqual(expect.objectContaining({ chart: "reloader", namespace: "reloader", version: "2.2.17" }));
    expect(JSON.parse(release.values[0]).reloader.namespaces).toEqual(["demo"]);
  });

  test("annotates only the opted-in Deployment", () => {
    expect(deploymentOf(workload).metadata.annotations).toEqual({ "secretproviderclass.reloader.stakater.com/reload": "demo-secrets" });
    expect(deploymentOf(workload, "steady").metadata.annotations).toBeUndefined();
  });

  test("names Reloader's resources from the domain", () => {
    expect(Object.keys(workload.resource.helm_release)).toEqual(["reloader"]);
    expect(Object.keys(workload.resource.kubernetes_namespace_v1)).toContain("reloader");
  });

  test("needs the driver's rotation, which is on with the add-on and with the helm driver (no setting turns it off)", () => {
    const platform = sharedSynthApp(restartConfig).stackJson("platform");
    const [cluster] = resourcesOf(platform, "azurerm_kubernetes_cluster");
    expect(cluster.key_vault_secrets_provider).toEqual(expect.objectContaining({ secret_rotation_enabled: true }));
    const helm = synthAny(configFrom((raw) => {
      raw.workloads[0].onRotation = "restart";
      raw.workloads[0].identity = "workload";
      raw.cluster = { ...raw.cluster, driver: { type: "helm" } };
    }));
    const driver = resourcesOf(helm.stackJson("csi-driver"), "helm_release").find((r) => r.chart === "secrets-store-csi-driver");
    expect(JSON.parse(driver.values[0]).enableSecretRotation).toBe(true);
    expect(resourcesOf(helm.stackJson("workload"), "helm_release").map((r) => r.chart)).toEqual(["reloader"]);
  });

  test("installs no Reloader when no workload opts in", () => {
    expect(sharedSynthApp().stackJson("workload").resource.helm_release).toBeUndefined();
  });

  test("takes the chart from the cluster's reloaderChart (a mirror)", () => {
    const mirrored = synthApp(configFrom((raw) => {
      raw.workloads[0].onRotation = "restart";
      raw.cluster = { ...raw.cluster, reloaderChart: { repository: "oci://mirror.example.com/helm" } };
    })).stackJson("workload");
    expect(resourcesOf(mirrored, "helm_release")[0]).toEqual(expect.objectContaining({ repository: "oci://mirror.example.com/helm", version: "2.2.17" }));
  });
});
