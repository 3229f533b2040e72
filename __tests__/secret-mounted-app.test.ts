import { Testing } from "cdktf";
import { MountIdentity, SecretMountedApp, SecretMountedAppProps, WorkloadNamespace } from "../constructs/kubernetes";
import { kubernetesStack, synthesized } from "./helpers/stacks";

function appProps(stack: ReturnType<typeof kubernetesStack>, props: Partial<SecretMountedAppProps> = {}): SecretMountedAppProps {
  return {
    name: "app",
    namespace: new WorkloadNamespace(stack, `ns-${stack.node.children.length}`, { name: "app" }),
    serviceAccountName: "app",
    identity: MountIdentity.addon("client-id"),
    keyVaultName: "kv",
    tenantId: "tenant",
    objects: [{ objectName: "a", objectType: "secret" }],
    image: "busybox@sha256:" + "0".repeat(64),
    ...props,
  };
}

function containerOf(props: Partial<SecretMountedAppProps>): any {
  const stack = kubernetesStack();
  new SecretMountedApp(stack, "a", appProps(stack, props));
  return synthesized(stack, "kubernetes_deployment_v1")[0].spec.template.spec.container[0];
}

describe("SecretMountedApp", () => {
  test.each([["name", "App"], ["serviceAccountName", "-sa"]])("fails when %s is %s", (prop, value) => {
    const stack = kubernetesStack();
    expect(() => new SecretMountedApp(stack, "a", appProps(stack, { [prop]: value }))).toThrow(
      `SecretMountedApp ${prop} ${JSON.stringify(value)} is invalid: must be a DNS-1123 label`,
    );
  });

  test("fails when the mount path is relative", () => {
    const stack = kubernetesStack();
    expect(() => new SecretMountedApp(stack, "a", appProps(stack, { mountPath: "secrets" }))).toThrow('SecretMountedApp mountPath "secrets" is invalid');
  });

  test("pulls the image with the given policy, for an image pre-loaded on the node", () => {
    expect(containerOf({ imagePullPolicy: "Never" }).image_pull_policy).toBe("Never");
    expect(containerOf({ imagePullPolicy: "IfNotPresent" }).image_pull_policy).toBe("IfNotPresent");
  });

  test("runs the image's entrypoint unless a command is given", () => {
    expect(containerOf({})).not.toHaveProperty("command");
    expect(containerOf({ command: ["/app/server"] }).command).toEqual(["/app/server"]);
  });

  test("checks the container with the given probe, or by default that the mount is not empty", () => {
    const probes = (props: Partial<SecretMountedAppProps>) => {
      const c = containerOf(props);
      return [c.liveness_probe, c.readiness_probe];
    };
    expect(probes({})).toEqual([
      { exec: { command: ["sh", "-c", 'test -n "$(ls -A /mnt/secrets-store)"'] }, period_seconds: 30 },
      { exec: { command: ["sh", "-c", 'test -n "$(ls -A /mnt/secrets-store)"'] }, period_seconds: 10 },
    ]);
    expect(probes({ probe: { httpGet: { path: "/healthz", port: 8080 } } })[1]).toEqual({ http_get: { path: "/healthz", port: "8080" }, period_seconds: 10 });
    expect(probes({ probe: { tcpSocket: { port: 5432 } } })[0]).toEqual({ tcp_socket: [{ port: "5432" }], period_seconds: 30 });
  });

  test("creates its objects after the namespace exists", () => {
    const stack = kubernetesStack();
    new SecretMountedApp(stack, "a", appProps(stack));
    const namespaceAddress = `kubernetes_namespace_v1.${Object.keys(JSON.parse(Testing.synth(stack)).resource.kubernetes_namespace_v1)[0]}`;
    expect(synthesized(stack, "kubernetes_service_account_v1")[0].depends_on).toEqual([namespaceAddress]);
    expect(synthesized(stack, "kubernetes_manifest")[0].depends_on).toEqual([namespaceAddress]);
  });
});

describe("SecretMountedApp in a namespace named differently from the app", () => {
  const stack = kubernetesStack();
  new SecretMountedApp(stack, "a", appProps(stack, { name: "checkout", serviceAccountName: "checkout", namespace: new WorkloadNamespace(stack, "ns", { name: "shop" }) }));

  test("puts the SecretProviderClass, ServiceAccount and Deployment into the namespace, not one named after the app", () => {
    const [spc] = synthesized(stack, "kubernetes_manifest");
    expect(spc.manifest.metadata).toEqual({ name: "checkout-secrets", namespace: "shop" });
    expect(synthesized(stack, "kubernetes_service_account_v1")[0].metadata.namespace).toBe("shop");
    const [deployment] = synthesized(stack, "kubernetes_deployment_v1");
    expect(deployment.metadata.namespace).toBe("shop");
    expect(deployment.spec.template.spec.volume[0].csi.volume_attributes).toEqual({ secretProviderClass: "checkout-secrets" });
  });
});

describe("SecretMountedApp minimal definition", () => {
  const stack = kubernetesStack();
  new SecretMountedApp(stack, "a", appProps(stack));
  const [deployment] = synthesized(stack, "kubernetes_deployment_v1");
  const pod = deployment.spec.template.spec;
  const [spc] = synthesized(stack, "kubernetes_manifest");

  test("mounts the secrets read-only at /mnt/secrets-store", () => {
    expect(pod.container[0].volume_mount).toContainEqual({ name: "secrets-store", mount_path: "/mnt/secrets-store", read_only: true });
  });

  test("pulls the image at every start, so the registry authorizes each pod", () => {
    expect(pod.container[0].image_pull_policy).toBe("Always");
  });

  test("keeps its pods on rotation: no Reloader annotation, Kubernetes' default strategy, no ignored change", () => {
    expect(deployment.metadata.annotations).toBeUndefined();
    expect(deployment.spec.strategy).toBeUndefined();
    expect(deployment.lifecycle).toBeUndefined();
  });

  test("runs one replica", () => {
    expect(deployment.spec.replicas).toBe("1");
  });

  test("leaves the cloud to the provider's default, with no environment file", () => {
    expect(spc.manifest.spec.parameters).not.toHaveProperty("cloudName");
    expect(spc.manifest.spec.parameters).not.toHaveProperty("cloudEnvFileName");
  });

  test("creates no Kubernetes Secret and sets no environment variable", () => {
    expect(spc.manifest.spec).not.toHaveProperty("secretObjects");
    expect(pod.container[0]).not.toHaveProperty("env");
  });

  test("runs the image's entrypoint and checks that the mount is not empty", () => {
    expect(pod.container[0]).not.toHaveProperty("command");
    expect(pod.container[0].readiness_probe.exec).toEqual({ command: ["sh", "-c", 'test -n "$(ls -A /mnt/secrets-store)"'] });
  });
});

describe("SecretMountedApp identity", () => {
  test.each([["addon", MountIdentity.addon("c")], ["workload", MountIdentity.workload("c")]])(
    "mounts no ServiceAccount token in %s mode: the CSI driver gets its own with each mount",
    (_mode, identity) => {
      const stack = kubernetesStack();
      new SecretMountedApp(stack, "a", appProps(stack, { identity }));
      const template = synthesized(stack, "kubernetes_deployment_v1")[0].spec.template;
      expect(template.spec.automount_service_account_token).toBe(false);
      expect(template.metadata.labels).not.toHaveProperty("azure.workload.identity/use");
      expect(synthesized(stack, "kubernetes_service_account_v1")[0].automount_service_account_token).toBe(false);
    },
  );
});

describe("SecretMountedApp onRotation restart", () => {
  const stack = kubernetesStack();
  new SecretMountedApp(stack, "a", appProps(stack, { onRotation: "restart", preconditions: [{ condition: "true", errorMessage: "never" }] }));
  const [deployment] = synthesized(stack, "kubernetes_deployment_v1");

  test("carries Reloader's annotation naming its own SecretProviderClass, on the Deployment only", () => {
    expect(deployment.metadata.annotations).toEqual({ "secretproviderclass.reloader.stakater.com/reload": "app-secrets" });
    expect(deployment.spec.template.metadata.annotations).toBeUndefined();
  });

  test("rolls with a surge and never fewer ready pods than replicas, so one replica stays available", () => {
    expect(deployment.spec.strategy).toEqual({ type: "RollingUpdate", rolling_update: { max_surge: "25%", max_unavailable: "0%" } });
  });

  test("leaves Reloader's restart mark on the pod template to Reloader, and keeps its preconditions", () => {
    expect(deployment.lifecycle.ignore_changes).toEqual(['spec[0].template[0].metadata[0].annotations["reloader.stakater.com/last-reloaded-from"]']);
    expect(deployment.lifecycle.precondition).toEqual([{ condition: "true", error_message: "never" }]);
  });
});
