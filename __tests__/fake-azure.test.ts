import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as tls from "tls";
import { FakeAzure, LOGIN_HOST, startFakeAzure, TOKEN_EXCHANGE_AUDIENCE, VAULT_RESOURCE } from "./e2e/fake-azure";
import { tempDir } from "./helpers/temp";

const TENANT = "6b2e4c1d-8f3a-4e5b-9c7d-0a1b2c3d4e5f";
const CLIENT = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const MANAGED = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const ISSUER = "https://issuer.e2e.test";
const SUBJECT = "system:serviceaccount:shop:checkout";
const VAULT = "kv-e2e";
const VAULT_HOST = `${VAULT}.vault.e2e.test`;
const TOKEN_URL = `https://${LOGIN_HOST}/${TENANT}/oauth2/v2.0/token`;

const issuerKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const strangerKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });

let fake: FakeAzure;
beforeAll(async () => {
  fake = await startFakeAzure({
    dir: tempDir("fake-azure-"),
    tenantId: TENANT,
    vaultName: VAULT,
    workloadIdentities: [{ clientId: CLIENT, subject: SUBJECT, issuer: ISSUER }],
    managedIdentityClientIds: [MANAGED],
    serviceAccountIssuerPublicKey: issuerKey.publicKey.export({ type: "spki", format: "pem" }).toString(),
  });
});
afterAll(() => fake.close());

interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/** Opens a CONNECT tunnel through the fake's proxy, as Go's transport does for HTTPS_PROXY. */
function tunnel(target: string): Promise<net.Socket> {
  const proxy = new URL(fake.proxyUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: Number(proxy.port), method: "CONNECT", path: target });
    req.on("connect", (res, socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new Error(`CONNECT ${target} answered ${res.statusCode}`));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A request through the proxy: https URLs through a tunnel trusting only the fake's CA, http URLs as absolute-URI proxy requests. */
async function call(url: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Response> {
  const u = new URL(url);
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  const headers = { ...init.headers, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) };
  const proxy = new URL(fake.proxyUrl);
  const req = u.protocol === "http:"
    ? http.request({ host: proxy.hostname, port: Number(proxy.port), method: init.method ?? "GET", path: url, headers: { host: u.host, ...headers } })
    : await (async () => {
      const raw = await tunnel(`${u.hostname}:443`);
      const socket = tls.connect({ socket: raw, servername: u.hostname, ca: fs.readFileSync(fake.caFile) });
      return https.request({ host: u.hostname, port: 443, defaultPort: 443, path: u.pathname + u.search, method: init.method ?? "GET", headers, createConnection: () => socket });
    })();
  return new Promise((resolve, reject) => {
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        req.destroy();
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A service-account token like the kubelet's, RS256-signed. */
function serviceAccountToken(claims: Record<string, unknown> = {}, key = issuerKey.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${enc({ alg: "RS256", kid: "k1" })}.${enc({ aud: [TOKEN_EXCHANGE_AUDIENCE], iss: ISSUER, sub: SUBJECT, iat: now, nbf: now, exp: now + 3600, ...claims })}`;
  return `${unsigned}.${crypto.sign("RSA-SHA256", Buffer.from(unsigned), key).toString("base64url")}`;
}

/** The form MSAL Go v1.2.2 posts for a federated client assertion. */
function exchangeForm(assertion: string, clientId = CLIENT): Record<string, string> {
  return {
    grant_type: "client_credentials",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
    client_id: clientId,
    client_info: "1",
    scope: `${VAULT_RESOURCE}/.default openid offline_access profile`,
  };
}

async function accessToken(): Promise<string> {
  const r = await call(TOKEN_URL, { method: "POST", form: exchangeForm(serviceAccountToken()) });
  expect(r.status).toBe(200);
  return r.body.access_token;
}

const getSecret = async (path: string, token?: string) =>
  call(`https://${VAULT_HOST}/secrets/${path}?api-version=7.4`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** Log entries written while `action` ran; `tunnels` keeps the CONNECT entries. */
async function logOf(action: () => Promise<unknown>, tunnels = false) {
  const from = fake.log.length;
  await action();
  return fake.log.slice(from).filter((l) => tunnels || l.method !== "CONNECT");
}

describe("Key Vault", () => {
  test("answers a request without a token with the challenge the Key Vault client parses", async () => {
    fake.setSecret("db-password", "hunter2");
    const r = await getSecret("db-password/");
    expect(r.status).toBe(401);
    expect(r.headers["www-authenticate"]).toBe(`Bearer authorization="https://${LOGIN_HOST}/${TENANT}", resource="https://vault.e2e.test"`);
    expect(r.body).toEqual({ error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } });
  });

  test("serves the latest version to a token from the exchange, with Key Vault's id", async () => {
    const version = fake.setSecret("api-key", "v-latest");
    const r = await getSecret("api-key/", await accessToken());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ value: "v-latest", id: `https://${VAULT_HOST}/secrets/api-key/${version}`, attributes: { enabled: true } });
  });

  test("refuses a token it never issued", async () => {
    const r = await getSecret("api-key/", "forged");
    expect(r.status).toBe(401);
    expect(r.headers["www-authenticate"]).toMatch(/^Bearer authorization=/);
  });

  test("pins a version, and a new version becomes the latest", async () => {
    const token = await accessToken();
    const v1 = fake.setSecret("rotating", "one");
    const v2 = fake.setSecret("rotating", "two");
    expect((await getSecret(`rotating/${v1}`, token)).body.value).toBe("one");
    expect((await getSecret("rotating/", token)).body.value).toBe("two");
    const v3 = fake.setSecret("rotating", "three");
    expect((await getSecret("rotating", token)).body).toMatchObject({ value: "three", id: expect.stringContaining(v3) });
    expect((await getSecret(`rotating/${v2}`, token)).body.value).toBe("two");
    expect(new Set([v1, v2, v3]).size).toBe(3);
    expect(v1).toMatch(/^[0-9a-f]{32}$/);
  });

  test("answers a missing, deleted or unknown-version secret in Key Vault's words", async () => {
    const token = await accessToken();
    const wording = (nameId: string) => ({
      error: {
        code: "SecretNotFound",
        message: `A secret with (name/id) ${nameId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
      },
    });
    expect(await getSecret("never-set/", token)).toMatchObject({ status: 404, body: wording("never-set") });
    fake.setSecret("short-lived", "x");
    expect((await getSecret("short-lived/", token)).status).toBe(200);
    fake.deleteSecret("short-lived");
    expect(await getSecret("short-lived/", token)).toMatchObject({ status: 404, body: wording("short-lived") });
    fake.setSecret("versioned", "x");
    expect(await getSecret(`versioned/${"0".repeat(32)}`, token)).toMatchObject({ status: 404, body: wording(`versioned/${"0".repeat(32)}`) });
  });

  test("rejects a secret name Key Vault would never accept", () => {
    expect(() => fake.setSecret("db_password", "x")).toThrow("secret name 'db_password' must match ^[0-9a-zA-Z-]{1,127}$");
  });
});

describe("Key Vault with per-secret grants", () => {
  let unrestricted: FakeAzure;
  beforeAll(async () => {
    unrestricted = fake;
    fake = await startFakeAzure({
      dir: tempDir("fake-azure-grants-"),
      tenantId: TENANT,
      vaultName: VAULT,
      workloadIdentities: [{ clientId: CLIENT, subject: SUBJECT, issuer: ISSUER }],
      serviceAccountIssuerPublicKey: issuerKey.publicKey.export({ type: "spki", format: "pem" }).toString(),
      secretReaders: { [CLIENT]: ["granted"] },
    });
    fake.setSecret("granted", "yes");
    fake.setSecret("withheld", "withheld-value-7f3a");
  });
  afterAll(async () => {
    await fake.close();
    fake = unrestricted;
  });

  test("serves a secret the identity was granted", async () => {
    expect((await getSecret("granted/", await accessToken())).body.value).toBe("yes");
  });

  test("refuses any other secret as an RBAC vault does, without its value", async () => {
    const r = await getSecret("withheld/", await accessToken());
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("Forbidden");
    expect(r.body.error.innererror).toEqual({ code: "ForbiddenByRbac" });
    expect(r.body.error.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
    expect(JSON.stringify(r.body)).not.toContain("withheld-value-7f3a");
    expect(fake.log.at(-1)?.outcome).toBe(`refused: ${CLIENT} has no read grant on withheld`);
  });
});

describe("Entra ID token exchange", () => {
  test("answers MSAL's instance discovery for the test login host and refuses other instances", async () => {
    const discover = (host: string) => call(`https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`https://${host}/${TENANT}/oauth2/v2.0/authorize`)}`);
    expect((await discover(LOGIN_HOST)).body.tenant_discovery_endpoint).toBe(`https://${LOGIN_HOST}/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(await discover("login.elsewhere.test")).toMatchObject({ status: 400, body: { error: "invalid_instance" } });
    const config = await call(`https://${LOGIN_HOST}/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(config.body).toMatchObject({ token_endpoint: TOKEN_URL, issuer: `https://${LOGIN_HOST}/${TENANT}/v2.0` });
  });

  test("issues a token for the vault when client id, issuer, subject and audience match a federated credential", async () => {
    const log = await logOf(async () => {
      const r = await call(TOKEN_URL, { method: "POST", form: exchangeForm(serviceAccountToken()) });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ token_type: "Bearer", expires_in: expect.any(Number), access_token: expect.any(String) });
    });
    expect(log.map((l) => l.outcome)).toEqual([`token issued to ${CLIENT} for ${VAULT_RESOURCE} (subject '${SUBJECT}')`]);
  });

  test.each([
    ["the subject differs", serviceAccountToken({ sub: "system:serviceaccount:shop:other" }), CLIENT, "invalid_client", "AADSTS70021",
      `refused: subject 'system:serviceaccount:shop:other' is not '${SUBJECT}'`],
    ["the audience is not the exchange audience", serviceAccountToken({ aud: ["https://kubernetes.default.svc"] }), CLIENT, "invalid_client", "AADSTS70021",
      `refused: audience [https://kubernetes.default.svc] lacks '${TOKEN_EXCHANGE_AUDIENCE}'`],
    ["the issuer differs", serviceAccountToken({ iss: "https://other.issuer" }), CLIENT, "invalid_client", "AADSTS700211",
      `refused: issuer 'https://other.issuer' is not '${ISSUER}'`],
    ["the client id has no federated credential", serviceAccountToken(), "11111111-2222-3333-4444-555555555555", "unauthorized_client", "AADSTS700016",
      "refused: client id '11111111-2222-3333-4444-555555555555' has no federated credential"],
    ["another key signed the assertion", serviceAccountToken({}, strangerKey.privateKey), CLIENT, "invalid_client", "AADSTS700027",
      "refused: assertion signature (alg 'RS256') does not verify with the issuer's key"],
    ["the assertion expired", serviceAccountToken({ exp: Math.floor(Date.now() / 1000) - 60 }), CLIENT, "invalid_client", "AADSTS700024",
      expect.stringMatching(/^refused: assertion valid from \d+ until \d+, now \d+$/)],
  ])("fails when %s", async (_case, assertion, clientId, error, code, reason) => {
    const log = await logOf(async () => {
      const r = await call(TOKEN_URL, { method: "POST", form: exchangeForm(assertion, clientId) });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe(error);
      expect(r.body.error_description).toMatch(new RegExp(`^${code}: `));
    });
    expect(log.map((l) => l.outcome)).toEqual([reason]);
  });

  test("fails when the tenant in the path is not the served tenant", async () => {
    const other = "00000000-1111-2222-3333-444444444444";
    const r = await call(`https://${LOGIN_HOST}/${other}/oauth2/v2.0/token`, { method: "POST", form: exchangeForm(serviceAccountToken()) });
    expect(r).toMatchObject({ status: 400, body: { error: "invalid_tenant", error_description: `AADSTS90002: Tenant '${other}' not found.` } });
    expect(fake.log.at(-1)?.outcome).toBe(`refused: tenant '${other}' is not '${TENANT}'`);
  });

  test("fails when the scope is not the vault's", async () => {
    const r = await call(TOKEN_URL, { method: "POST", form: { ...exchangeForm(serviceAccountToken()), scope: "https://management.azure.com/.default" } });
    expect(r).toMatchObject({ status: 400, body: { error: "invalid_resource" } });
  });
});

describe("IMDS (add-on mode)", () => {
  const imds = (clientId: string, headers: Record<string, string> = { Metadata: "true" }) =>
    call(`http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&client_id=${clientId}&resource=${encodeURIComponent(VAULT_RESOURCE)}`, { headers });

  test("issues a token the vault accepts to an assigned user-assigned identity", async () => {
    fake.setSecret("addon", "via-imds");
    const r = await imds(MANAGED);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ client_id: MANAGED, resource: VAULT_RESOURCE, token_type: "Bearer", expires_in: "3599" });
    expect((await getSecret("addon/", r.body.access_token)).body.value).toBe("via-imds");
  });

  test("fails without the Metadata header or for an identity it does not know", async () => {
    expect(await imds(MANAGED, {})).toMatchObject({ status: 400, body: { error_description: "Required metadata header not specified" } });
    expect(await imds("12345678-0000-4000-8000-000000000000")).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: "Identity not found" } });
    expect(fake.log.at(-1)?.outcome).toBe("refused: managed identity '12345678-0000-4000-8000-000000000000' is not assigned");
  });
});

describe("proxy", () => {
  test("refuses tunnels to names it does not serve and plain requests to anything but IMDS, and logs them", async () => {
    const log = await logOf(async () => {
      await expect(tunnel("example.com:443")).rejects.toThrow("CONNECT example.com:443 answered 502");
      await expect(tunnel(`${LOGIN_HOST}:80`)).rejects.toThrow(`CONNECT ${LOGIN_HOST}:80 answered 502`);
      await expect(tunnel("other-vault.vault.e2e.test:443")).rejects.toThrow("answered 502");
      expect((await call("http://example.com/")).status).toBe(502);
    }, true);
    expect(log.map((l) => `${l.method} ${l.host} ${l.status}`)).toEqual([
      "CONNECT example.com:443 502", `CONNECT ${LOGIN_HOST}:80 502`, "CONNECT other-vault.vault.e2e.test:443 502", "GET example.com 502",
    ]);
  });

  test("listens on loopback only", async () => {
    const { hostname, port } = new URL(fake.proxyUrl);
    expect(hostname).toBe("127.0.0.1");
    const others = Object.values(os.networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === "IPv4").map((a) => a!.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: address, port: Number(port) });
        s.on("connect", () => { s.destroy(); resolve("connected"); });
        s.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      });
      expect(`${address}: ${outcome}`).toBe(`${address}: ECONNREFUSED`);
    }
  });

  test("never writes a secret value, an assertion or an access token to its log", async () => {
    fake.setSecret("logged", "do-not-log-me");
    const assertion = serviceAccountToken();
    const r = await call(TOKEN_URL, { method: "POST", form: exchangeForm(assertion) });
    expect((await getSecret("logged/", r.body.access_token)).body.value).toBe("do-not-log-me");
    const text = JSON.stringify(fake.log);
    expect(text).toContain("secret logged/");
    for (const secret of ["do-not-log-me", assertion, r.body.access_token]) expect(text).not.toContain(secret);
  });
});

test("writes the AzureStackCloud environment the provider reads through cloudEnvFileName", () => {
  expect(JSON.parse(fs.readFileSync(fake.cloudEnvFile, "utf8"))).toMatchObject({
    name: "AzureStackCloud",
    activeDirectoryEndpoint: `https://${LOGIN_HOST}/`,
    keyVaultDNSSuffix: "vault.e2e.test",
  });
  expect(fake.vaultUrl).toBe(`https://${VAULT_HOST}/`);
});
