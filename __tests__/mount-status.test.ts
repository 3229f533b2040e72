import { exitCodeOf, podStatus, PodInput, renderStatus, ROTATION_SLACK_SECONDS, VaultVersion } from "../scripts/mount-status";

const NOW = new Date("2026-06-01T12:00:00Z");
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const pod = (extra: Partial<PodInput> = {}): PodInput => ({
  namespace: "orders", workload: "orders", pod: "orders-abc",
  objects: [{ id: "secret/db-password" }, { id: "secret/api-key" }],
  mounted: [{ id: "secret/db-password", version: "v1" }, { id: "secret/api-key", version: "k1" }],
  ...extra,
});
const vault = (entries: Record<string, VaultVersion>) => new Map(Object.entries(entries));

describe("mount status", () => {
  test("a pod whose every object is the vault's current version is current", () => {
    const s = podStatus(pod(), vault({ "secret/db-password": { version: "v1", created: ago(3600) }, "secret/api-key": { version: "k1", created: ago(3600) } }), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    expect(s.state).toBe("current");
    expect(s.objects.map((o) => [o.id, o.mounted, o.expected, o.state])).toEqual([
      ["secret/db-password", "v1", "v1", "current"], ["secret/api-key", "k1", "k1", "current"],
    ]);
    expect(exitCodeOf([s])).toBe(0);
  });

  test("a newer vault version within the rotation interval plus slack is rotating, and does not fail the command", () => {
    const s = podStatus(pod(), vault({ "secret/db-password": { version: "v2", created: ago(120 + ROTATION_SLACK_SECONDS) }, "secret/api-key": { version: "k1", created: ago(9) } }), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    expect(s.state).toBe("rotating");
    expect(s.objects[0]).toMatchObject({ state: "rotating", mounted: "v1", expected: "v2", detail: "the vault's version is 135s old; the driver has 135s (rotation interval 120s + 15s)" });
    expect(exitCodeOf([s])).toBe(0);
  });

  test("a newer vault version older than the interval allows is stale, and fails the command", () => {
    const s = podStatus(pod(), vault({ "secret/db-password": { version: "v2", created: ago(136) }, "secret/api-key": { version: "k1", created: ago(9) } }), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    expect(s.state).toBe("stale");
    expect(exitCodeOf([s])).toBe(1);
  });

  test("on driver 1.6 a newer version waits for kubelet's next pod sync before it is stale", () => {
    const versions = vault({ "secret/db-password": { version: "v2", created: ago(120 + ROTATION_SLACK_SECONDS + 60) }, "secret/api-key": { version: "k1", created: ago(9) } });
    const onV16 = podStatus(pod(), versions, { intervalSeconds: 120, kubeletSyncSeconds: 90 }, NOW);
    expect(onV16.objects[0]).toMatchObject({
      state: "rotating",
      detail: "the vault's version is 195s old; the driver has 225s (rotation interval 120s + 15s + up to 90s until kubelet's next sync of the pod (driver 1.6))",
    });
    expect(podStatus(pod(), versions, { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW).state).toBe("stale");
  });

  test("a pod without a mounted volume is failing, with its last FailedMount event", () => {
    const s = podStatus(pod({ mounted: undefined, lastFailedMount: "MountVolume.SetUp failed ... SecretNotFound" }), vault({}), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    expect(s).toMatchObject({ state: "failing", lastMountEvent: "MountVolume.SetUp failed ... SecretNotFound" });
    expect(exitCodeOf([s])).toBe(1);
  });

  test("a pinned version is judged against the pin, not the vault's newest", () => {
    const s = podStatus(pod({ objects: [{ id: "secret/db-password", pinnedVersion: "v1" }] }), vault({}), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    expect(s.objects).toEqual([{ id: "secret/db-password", mounted: "v1", expected: "v1", state: "current", detail: "pinned objectVersion" }]);
  });

  test("an object whose vault version cannot be read is unknown and counts as stale", () => {
    const s = podStatus(pod({ objects: [{ id: "secret/db-password" }] }), vault({ "secret/db-password": { error: "403 Forbidden/ForbiddenByRbac: Caller is not authorized" } }), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    expect(s.objects[0]).toMatchObject({ state: "unknown", detail: "403 Forbidden/ForbiddenByRbac: Caller is not authorized" });
    expect(s.state).toBe("stale");
  });

  test("renders one row per pod and object, the failing pod's event, and a count", () => {
    const current = podStatus(pod(), vault({ "secret/db-password": { version: "v1aaaaaaaaaa", created: ago(1) }, "secret/api-key": { version: "k1", created: ago(1) } }), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    const failing = podStatus(pod({ workload: "pending", namespace: "pending", pod: "pending-x", objects: [{ id: "secret/not-yet-set" }], mounted: undefined, lastFailedMount: "MountVolume.SetUp failed\nmore" }), vault({}), { intervalSeconds: 120, kubeletSyncSeconds: 0 }, NOW);
    expect(renderStatus([current, failing]).split("\n")).toEqual([
      "| namespace | workload | pod | object | mounted | vault | state |",
      "|---|---|---|---|---|---|---|",
      "| orders | orders | orders-abc | secret/db-password | v1 | v1aaaaaa | rotating |",
      "| orders | orders | orders-abc | secret/api-key | k1 | k1 | current |",
      "| pending | pending | pending-x | secret/not-yet-set | - | - | failing |",
      "",
      "orders/orders-abc secret/db-password rotating: the vault's version is 1s old; the driver has 135s (rotation interval 120s + 15s)",
      "pending/pending-x failing to mount: MountVolume.SetUp failed",
      "",
      "2 pods: 0 current, 1 rotating, 0 stale, 1 failing",
      "",
    ]);
  });
});
