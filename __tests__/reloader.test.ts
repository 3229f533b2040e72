import { TerraformStack } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { RELOADER_CHART } from "../config/reloader-chart";
import { Reloader, ReloaderProps, WorkloadNamespace } from "../constructs/kubernetes";
import { kubernetesStack, synthesized } from "./helpers/stacks";

const CHART = { repository: RELOADER_CHART.repository, version: RELOADER_CHART.version };

function helmStack(): TerraformStack {
  const stack = kubernetesStack();
  new HelmProvider(stack, "helm", {});
  return stack;
}

function build(props: Partial<Omit<ReloaderProps, "watchNamespaces">> & { watch?: string[] } = {}) {
  const stack = helmStack();
  const watchNamespaces = (props.watch ?? ["orders"]).map((name, i) => new WorkloadNamespace(stack, `ns-${name}-${i}`, { name }));
  new Reloader(stack, "reloader", { chart: CHART, watchNamespaces, ...props });
  const [release] = synthesized(stack, "helm_release");
  const namespaces = synthesized(stack, "kubernetes_namespace_v1");
  return { release, values: JSON.parse(release.values[0]), namespaces };
}

describe("Reloader", () => {
  test("a minimal definition installs the pinned chart into its own restricted namespace", () => {
    const { release, namespaces } = build();
    expect(release).toEqual(expect.objectContaining({
      name: "reloader", chart: "reloader", namespace: "reloader",
      repository: "https://stakater.github.io/stakater-charts", version: RELOADER_CHART.version,
    }));
    const own = namespaces.find((n) => n.metadata.name === "reloader");
    expect(own.metadata.labels).toEqual({ "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" });
  });

  test("watches the SecretProviderClassPodStatus objects of the given namespaces only, with no ClusterRole and no right on Secrets", () => {
    const { values } = build({ watch: ["payments", "orders", "orders"] });
    expect(values.reloader).toEqual(expect.objectContaining({
      // Scoped mode: one Role per namespace (and Reloader's own), no ClusterRole (chart role.yaml, clusterrole.yaml).
      watchGlobally: false,
      namespaces: ["orders", "payments"],
      enableCSIIntegration: true,
      // --resources-to-ignore=secrets, and the Roles list no Secrets.
      ignoreSecrets: true,
    }));
    expect(values.reloader.ignoreConfigMaps).toBeUndefined();
  });

  test("restarts by a pod-template annotation, not by adding an environment variable to the container", () => {
    expect(build().values.reloader.reloadStrategy).toBe("annotations");
  });

  test("runs hardened: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp, bounded", () => {
    const { values } = build();
    expect(values.reloader.readOnlyRootFileSystem).toBe(true);
    expect(values.reloader.deployment.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
    expect(values.reloader.deployment.containerSecurityContext).toEqual({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
    });
    expect(values.reloader.deployment.resources.limits).toEqual({ cpu: "100m", memory: "128Mi" });
    expect(values.reloader.enableHA).toBeUndefined();
  });

  test("is installed after its own and every watched namespace, since the chart puts a Role in each", () => {
    const { release } = build({ watch: ["orders", "payments"] });
    expect(release.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_namespace_v1\.reloader_namespace_/),
      expect.stringMatching(/^kubernetes_namespace_v1\.ns-orders-0_namespace_/),
      expect.stringMatching(/^kubernetes_namespace_v1\.ns-payments-1_namespace_/),
    ]);
  });

  test("takes the chart from a mirror", () => {
    const { release } = build({ chart: { repository: "oci://mirror.example.com/helm", version: "2.2.18" } });
    expect(release).toEqual(expect.objectContaining({ repository: "oci://mirror.example.com/helm", version: "2.2.18" }));
  });

  test.each([
    ["the chart version is a range", { chart: { ...CHART, version: "^2.2" } }, "Reloader chart.version must be an exact chart version"],
    ["the chart repository is plain http", { chart: { ...CHART, repository: "http://charts.example.com" } }, "Reloader chart.repository must be an https:// chart repository URL"],
    ["no namespace is watched", { watch: [] }, "Reloader watchNamespaces must name at least one namespace: with none, the chart would watch every namespace"],
    ["its namespace is a watched one", { watch: ["orders", "reloader"] }, "Reloader namespace \"reloader\" is also a watched workload namespace; Reloader needs its own"],
  ])("fails when %s", (_name, props, message) => {
    expect(() => build(props as any)).toThrow(message);
  });
});
