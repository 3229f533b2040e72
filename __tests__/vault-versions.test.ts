import * as fs from "fs";
import { FakeAzure, startFakeAzure } from "./e2e/fake-azure";
import { tempDir } from "./helpers/temp";
import { VaultReader } from "../scripts/vault-versions";

/** `npm run status`'s vault side against the e2e's fake Key Vault, through its proxy: what the e2e relies on, without a node. */
const TENANT = "6b2e4c1d-8f3a-4e5b-9c7d-0a1b2c3d4e5f";
const READER = "5c4b3a29-1807-4f6e-9d5c-4b3a29180706";
let fake: FakeAzure;
let reader: VaultReader;
const challenges: string[] = [];

beforeAll(async () => {
  fake = await startFakeAzure({ dir: tempDir("vault-versions-"), tenantId: TENANT, vaultName: "kv-status", secretReaders: { [READER]: ["db-password", "api-key"] } });
  const token = fake.issueVaultToken(READER);
  reader = new VaultReader(fake.vaultUrl.replace(/\/$/, ""), {
    proxy: fake.proxyUrl,
    ca: fs.readFileSync(fake.caFile),
    token: (challenge) => { challenges.push(challenge); return token; },
  });
});
afterAll(() => fake.close());

describe("VaultReader", () => {
  test("reads the newest version of a secret from the versions list, asking for the token the challenge names, and never reads a value", async () => {
    fake.setSecret("db-password", "one");
    const newest = fake.setSecret("db-password", "two");
    const current = await reader.currentVersion("secret/db-password");
    expect(current).toMatchObject({ version: newest });
    expect("created" in current && current.created.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(challenges).toEqual([`Bearer authorization="https://login.e2e.test/${TENANT}", resource="https://vault.e2e.test"`]);
    const reads = fake.log.filter((r) => r.host === "kv-status.vault.e2e.test");
    expect(reads.map((r) => r.path)).toEqual(["/secrets/db-password/versions?api-version=7.4", "/secrets/db-password/versions?api-version=7.4"]);
    expect(reads.map((r) => r.status)).toEqual([401, 200]);
  });

  test("reports a missing secret and a refused one with Key Vault's code", async () => {
    expect(await reader.currentVersion("secret/api-key")).toEqual({ error: "the vault has no enabled version" });
    expect(await reader.currentVersion("secret/withheld")).toEqual({ error: "403 Forbidden/ForbiddenByRbac: Caller is not authorized to perform action on resource." });
    expect(await reader.currentVersion("blob/x")).toEqual({ error: "unknown object type blob" });
  });
});
