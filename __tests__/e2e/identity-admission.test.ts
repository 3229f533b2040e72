import { asList, kubectl, kubectlOk } from "../cluster/harness";
import { admissionBecomes, AppUnderTest, E2E_APPLY, MOUNT, startApp, stopApp, VALUES, withoutAdmissionBinding } from "./app";
import { containerPid, fileInContainer } from "./container";
import { eventsOf, eventually, getJson, podsOf, podState } from "./node";
import { ADDON_CLIENT_ID } from "./platform";

/**
 * Issue 21: the add-on identity sits on the node, so without a guard in the cluster any namespace
 * could name it in a SecretProviderClass and mount what another team's add-on workload was granted.
 * The workload stack's admission policy refuses that; this shows both sides on the real driver and
 * provider: refused with the policy, and the other team's secret as a file without it.
 */

/** A namespace the config does not know, with a team that wants billing's secret. */
const INTRUDER = "intruder";
let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp();
  await admissionBecomes(true);
});

afterAll(async () => {
  kubectl(["delete", "namespace", INTRUDER, "--ignore-not-found", "--wait=false"]);
  await stopApp(app);
});

/**
 * Copies of billing's objects (billing mounts db-password through the add-on identity) in the
 * intruder's namespace: its own namespace, ServiceAccount, Deployment, and a SecretProviderClass
 * naming the add-on identity exactly as billing's does.
 */
function intruderObjects(): { setup: any[]; spc: any; deployment: any } {
  const billing = (kind: string) => structuredClone(app.objects.find((o) => o.kind === kind && o.metadata.namespace === "billing"));
  const namespace = structuredClone(app.objects.find((o) => o.kind === "Namespace" && o.metadata.name === "billing"));
  namespace.metadata.name = INTRUDER;
  const account = billing("ServiceAccount");
  account.metadata.namespace = INTRUDER;
  const spc = billing("SecretProviderClass");
  spc.metadata.namespace = INTRUDER;
  const deployment = billing("Deployment");
  deployment.metadata.namespace = INTRUDER;
  expect(spc.spec.parameters).toEqual(expect.objectContaining({ useVMManagedIdentity: "true", userAssignedIdentityID: ADDON_CLIENT_ID }));
  expect(spc.spec.parameters.objects).toContain("db-password");
  return { setup: [namespace, account], spc, deployment };
}

const apply = (objects: readonly any[]) => kubectl(E2E_APPLY, asList(objects));

describe("a namespace that was not granted the add-on identity", () => {
  test("cannot create a SecretProviderClass naming it: the API server refuses, naming the namespace, the identity and the rule", () => {
    const { setup, spc } = intruderObjects();
    kubectlOk(E2E_APPLY, asList(setup));
    const r = apply([spc]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`SecretProviderClass ${INTRUDER}/${spc.metadata.name} names the VM managed identity ${ADDON_CLIENT_ID}: ` +
      `namespace ${INTRUDER} is not granted the add-on identity (rule: the add-on identity only in the namespaces the config grants it: billing)`);
    expect(kubectl(["get", "secretproviderclass", "-n", INTRUDER, spc.metadata.name]).status).not.toBe(0);
  });

  test("its pod cannot get another team's secret as a file", async () => {
    const { spc, deployment } = intruderObjects();
    kubectlOk(E2E_APPLY, JSON.stringify(deployment));
    try {
      const pod = await eventually("the intruder's pod", 30_000, () => podsOf(deployment)[0]);
      const failure = await eventually("a FailedMount event of the intruder's pod", 60_000,
        () => eventsOf(INTRUDER, pod.metadata.name).find((e) => e.startsWith("FailedMount")),
        () => podState(INTRUDER, pod.metadata.name));
      expect(failure).toContain(`${spc.metadata.name}`);
      expect(failure).toContain("not found");
      const live = getJson(["pod", "-n", INTRUDER, pod.metadata.name]);
      expect(live.status.phase).toBe("Pending");
      expect(live.status.containerStatuses?.[0]?.state?.running).toBeUndefined();
    } finally {
      kubectlOk(["delete", "deployment", "-n", INTRUDER, deployment.metadata.name, "--wait=false"]);
    }
  });

  test("without the policy's binding, the same pod does get billing's secret: the add-on identity is shared by every namespace", async () => {
    const { spc, deployment } = intruderObjects();
    await withoutAdmissionBinding(app.objects, async () => {
      kubectlOk(E2E_APPLY, asList([spc, deployment]));
      try {
        const pod = await eventually("the intruder's pod running", 90_000, () => podsOf(deployment).find((p) => p.status.phase === "Running"),
          () => podsOf(deployment).map((p) => podState(INTRUDER, p.metadata.name)).join("\n") || "no pod");
        const pid = containerPid(pod.status.containerStatuses[0].containerID);
        expect(fileInContainer(pid, `${MOUNT}/db-password`)?.content).toBe(VALUES["db-password"]);
      } finally {
        kubectlOk(["delete", "deployment", "-n", INTRUDER, deployment.metadata.name, "--wait=false"]);
        kubectlOk(["delete", "secretproviderclass", "-n", INTRUDER, spc.metadata.name, "--ignore-not-found"]);
      }
    });
    // Back on: the same object is refused again.
    expect(apply([spc]).status).not.toBe(0);
  });
});
