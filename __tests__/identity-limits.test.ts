import * as path from "path";
import { IDENTITY_LIMITS, renderRoleAssignmentBudget, roleAssignmentCount } from "../config/identity-limits";
import { loadConfig } from "../config/load-config";
import { parseConfig } from "../config/parse-config";
import { AppConfig } from "../config/types";
import { AnnotationMetadataEntryType, TerraformStack, Testing } from "cdktf";
import { buildApp } from "../stacks/build-app";
import { warnRoleAssignmentShare } from "../stacks/identity-warnings";
import { configFrom, defaultRaw, resourcesOf, sharedSynthAny } from "./helpers/synth";
import { tempDir } from "./helpers/temp";
import { SHIPPED_CONFIGS } from "./helpers/shipped-configs";

const ROOT = path.resolve(__dirname, "..");
const NOW = new Date("2026-06-01T00:00:00Z");

/** Every resource of `type` across all stacks of the synthesized config (synthesized once per config for the file: the tests only read it). */
function everywhere(config: AppConfig, type: string, s = sharedSynthAny(config)): { stack: string; resource: any }[] {
  return s.stacks.flatMap((stack) => resourcesOf(s.stackJson(stack), type).map((resource) => ({ stack, resource })));
}

/** A config with `secrets` secrets, each mounted by `workloads` workload identities, synthesized only where a test needs it. */
function heavy(secrets: number, workloads: number, mutate: (raw: any) => void = () => undefined): AppConfig {
  const raw = defaultRaw();
  const names = Array.from({ length: secrets }, (_, i) => `s${i}`);
  raw.keyVault.secrets = names.map((name) => ({ name, expirationDate: "2027-12-31T00:00:00Z" }));
  raw.workloads = Array.from({ length: workloads }, (_, i) => ({ name: `app${i}`, objects: names.map((objectName) => ({ objectName })) }));
  mutate(raw);
  return parseConfig(raw, "heavy config", NOW);
}

describe("role assignments per subscription (Azure RBAC: 4,000)", () => {
  test.each(SHIPPED_CONFIGS)("%s: the count is exactly the role assignments its stacks create", (_name, config) => {
    expect(roleAssignmentCount(config).total).toBe(everywhere(config, "azurerm_role_assignment").length);
  });

  test.each([
    ["grantScope vault", configFrom((raw) => (raw.cluster = { grantScope: "vault" }))],
    ["keys and certificates", configFrom((raw) => raw.workloads[0].objects.push({ objectName: "tls", objectType: "cert" }, { objectName: "sign", objectType: "key" }))],
    ["keys and certificates with grantScope vault", configFrom((raw) => {
      raw.cluster = { grantScope: "vault" };
      raw.workloads[0].objects.push({ objectName: "tls", objectType: "cert" });
    })],
    ["two add-on workloads mounting the same secret", configFrom((raw) => {
      raw.workloads[0].identity = "addon";
      raw.workloads.push({ name: "api", namespace: "api", identity: "addon", objects: [{ objectName: "db-password" }] });
    })],
  ])("counts exactly what the stacks create with %s", (_name, config) => {
    expect(roleAssignmentCount(config).total).toBe(everywhere(config, "azurerm_role_assignment").length);
  });

  test("counts a fleet per stack: the vault's deployer grant, then each cluster's", () => {
    const config = loadConfig({ CONFIG: "envs/fleet.json" }, ROOT);
    const count = roleAssignmentCount(config);
    const byStack = new Map<string, number>();
    for (const { stack } of everywhere(config, "azurerm_role_assignment")) byStack.set(stack, (byStack.get(stack) ?? 0) + 1);
    expect(count.parts).toEqual([
      { where: "vault", count: byStack.get("vault") },
      ...config.clusters!.map((c) => ({ where: `cluster ${c.name}`, count: byStack.get(`cluster-${c.name}`) })),
    ]);
  });

  test("npm run mounts prints the count against the limit", () => {
    expect(renderRoleAssignmentBudget(configFrom())).toBe("Role assignments this config creates: 5 of Azure's 4,000 per subscription " +
      `(${IDENTITY_LIMITS.roleAssignmentsPerSubscription.source}); synthesis warns above 2,000 and refuses above 4,000.\n`);
  });

  test("warns at synth above half the limit, naming the count, and not below", () => {
    const warnings = (config: AppConfig) => {
      const stack = new TerraformStack(Testing.app({ outdir: tempDir() }), "platform");
      warnRoleAssignmentShare(stack, config);
      return stack.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
    };
    // 1 + 2 + 2 workloads x 999 secrets = 2,001.
    expect(roleAssignmentCount(heavy(999, 2)).level).toBe("warn");
    expect(warnings(heavy(999, 2))).toEqual([expect.stringContaining("This config creates 2001 role assignments, more than 50% of Azure's 4000 per subscription")]);
    // 1 + 2 + 2 x 998 = 1,999.
    expect(roleAssignmentCount(heavy(998, 2)).level).toBe("ok");
    expect(warnings(heavy(998, 2))).toEqual([]);
    // 1 + 2 + 3,997 = 4,000: still allowed, so still a warning.
    expect(roleAssignmentCount(heavy(3997, 1)).level).toBe("warn");
    expect(warnings(heavy(3997, 1))).toEqual([expect.stringContaining("This config creates 4000 role assignments")]);
  });

  test("the app puts the warning on the stack that holds the vault", () => {
    const { platform } = buildApp(heavy(999, 2), { outdir: tempDir() });
    expect(platform.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data))
      .toContainEqual(expect.stringContaining("This config creates 2001 role assignments"));
  });

  test("fails when a config would create more than 4,000, naming the count and where", () => {
    expect(() => heavy(2000, 2)).toThrow("workloads: creates 4003 role assignments (platform: 4003), more than Azure's 4000 per subscription, " +
      "which cannot be raised");
    expect(() => heavy(2000, 2, (raw) => (raw.cluster = { grantScope: "vault" }))).not.toThrow();
  });

  test("judges the limit only on an otherwise valid config, so a typo elsewhere is the one problem reported", () => {
    expect(() => heavy(2000, 2, (raw) => (raw.workloads[0].replicas = 0))).toThrow(expect.objectContaining({
      problems: [expect.objectContaining({ path: "workloads[0].replicas" })],
    }));
  });
});

describe("federated identity credentials per identity (Entra: 20)", () => {
  // Each workload identity is federated to its own ServiceAccount on its own cluster's issuer, once:
  // one credential per identity by construction, so no config can reach the limit and none is checked.
  test.each(SHIPPED_CONFIGS)("%s: every user-assigned identity has exactly one federated credential", (_name, config) => {
    const s = sharedSynthAny(config);
    const identities = everywhere(config, "azurerm_user_assigned_identity", s);
    const credentials = everywhere(config, "azurerm_federated_identity_credential", s);
    for (const { stack, resource } of identities) {
      const id = Object.entries<any>(s.stackJson(stack).resource.azurerm_user_assigned_identity).find(([, r]) => r.name === resource.name)![0];
      const own = credentials.filter((c) => c.stack === stack && c.resource.parent_id === `\${azurerm_user_assigned_identity.${id}.id}`);
      expect({ identity: resource.name, credentials: own.length }).toEqual({ identity: resource.name, credentials: 1 });
    }
    expect(credentials.length).toBe(identities.length);
    expect(credentials.length).toBeLessThanOrEqual(identities.length * IDENTITY_LIMITS.federatedCredentialsPerIdentity.limit);
  });
});
