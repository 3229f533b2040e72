/**
 * A fake Azure on loopback for the e2e test: Entra ID (login), IMDS and one Key Vault, reached
 * only through an HTTP proxy, so the real Azure provider of the Secrets Store CSI driver
 * (secrets-store-csi-driver-provider-azure v1.7.0) runs unchanged with HTTPS_PROXY, HTTP_PROXY
 * and SSL_CERT_FILE pointing here.
 *
 * Wire details follow the provider's own dependencies (versions from its go.mod); the comments
 * name the file that makes each one necessary. Nothing here opens an outgoing connection: the
 * proxy hands tunnelled sockets to an in-process TLS server that never listens on a port.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type * as net from "node:net";
import * as path from "node:path";

/** Login endpoint of the test cloud (the environment file's activeDirectoryEndpoint). */
export const LOGIN_HOST = "login.e2e.test";
/**
 * MSAL Go v1.2.2 validates an authority it does not know by asking this host
 * (apps/internal/oauth/ops/authority/authority.go: defaultHost, AADInstanceDiscovery). Managed
 * identity never asks: its MSAL client has a token provider, which turns discovery off
 * (apps/confidential/confidential.go: disableInstanceDiscovery: cred.tokenProvider != nil).
 */
export const DISCOVERY_HOST = "login.microsoftonline.com";
/** Key Vault DNS suffix of the test cloud: vault `x` is https://x.vault.e2e.test/. */
export const VAULT_DNS_SUFFIX = "vault.e2e.test";
/** Key Vault's token audience in the test cloud; the challenge's `resource`, so scope `<this>/.default`. */
export const VAULT_RESOURCE = `https://${VAULT_DNS_SUFFIX}`;
/** Audience a service-account token must carry to be exchanged (Entra's federated credential default). */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
const IMDS_HOST = "169.254.169.254";
const TOKEN_LIFETIME_SECONDS = 3599;

/** A federated identity credential on an app registration or managed identity. */
export interface WorkloadIdentity {
  readonly clientId: string;
  /** `system:serviceaccount:<namespace>:<name>` */
  readonly subject: string;
  /** The cluster's service-account issuer URL. */
  readonly issuer: string;
  /** @default "api://AzureADTokenExchange" */
  readonly audience?: string;
}

export interface FakeAzureOptions {
  /** Where ca.crt, the server key and certificate and the cloud environment file are written (a tempDir()). */
  readonly dir: string;
  /** The only tenant served; the vault's challenge names it. */
  readonly tenantId: string;
  /** The only vault served, at https://<vaultName>.vault.e2e.test/. */
  readonly vaultName: string;
  /** Federated credentials the platform declared. @default - no token exchange succeeds */
  readonly workloadIdentities?: readonly WorkloadIdentity[];
  /** User-assigned identities IMDS hands tokens for (AKS add-on mode). @default - IMDS knows no identity */
  readonly managedIdentityClientIds?: readonly string[];
  /**
   * PEM public key of the API server's service-account signing key. When given, a client
   * assertion's RS256 signature must verify, as Entra checks it against the issuer's JWKS.
   * @default - signatures are not checked
   */
  readonly serviceAccountIssuerPublicKey?: string;
  /**
   * The secrets each client id may read, as the platform's per-secret "Key Vault Secrets User"
   * role assignments scope them. When given, any other read is refused like an RBAC vault does
   * (403, ForbiddenByRbac).
   * @default - every token the fake issued reads every secret
   */
  readonly secretReaders?: Readonly<Record<string, readonly string[]>>;
}

/** One request the fake saw. Outcomes name names and versions, never secret values or tokens. */
export interface FakeRequest {
  /** `CONNECT` for a tunnel request. */
  readonly method: string;
  readonly host: string;
  /** Path and query (no query carries a secret: assertions travel in POST bodies). */
  readonly path: string;
  readonly status: number;
  /** What the fake made of it, e.g. "token issued to <client id>" or "refused: subject ...". */
  readonly outcome: string;
}

export interface FakeAzure {
  /** `http://127.0.0.1:<port>`, for HTTPS_PROXY and HTTP_PROXY. */
  readonly proxyUrl: string;
  /** The test CA, for SSL_CERT_FILE. */
  readonly caFile: string;
  /** AzureStackCloud environment file, for the SecretProviderClass parameter cloudEnvFileName. */
  readonly cloudEnvFile: string;
  /** `https://<vaultName>.vault.e2e.test/`, the URL the provider builds. */
  readonly vaultUrl: string;
  /** Stores a new version, which becomes the latest; returns its id. */
  setSecret(name: string, value: string): string;
  /** Removes the secret and all its versions. */
  deleteSecret(name: string): void;
  /**
   * A vault token for `clientId`, as Entra would issue one to a person or pipeline signed in with
   * `az login` (for `npm run status`, which reads with KEYVAULT_ACCESS_TOKEN). With secretReaders,
   * the client id reads what that map grants it.
   */
  issueVaultToken(clientId: string): string;
  readonly log: readonly FakeRequest[];
  close(): Promise<void>;
}

interface IssuedToken {
  readonly tenantId: string;
  readonly clientId: string;
  readonly resource: string;
  readonly expiresAt: number;
}

interface SecretVersion {
  readonly id: string;
  readonly value: string;
  readonly created: number;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly outcome: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const reply = (status: number, body: unknown, outcome: string, headers?: Record<string, string>): Reply => ({ status, body, outcome, headers });

/** Entra's error body (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). */
function entraError(status: number, error: string, code: number, description: string, outcome: string): Reply {
  return reply(status, { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code] }, outcome);
}

/** Key Vault's error body: {"error":{"code","message"}}. */
const vaultError = (status: number, code: string, message: string, outcome: string, headers?: Record<string, string>): Reply =>
  reply(status, { error: { code, message } }, outcome, headers);

export async function startFakeAzure(opts: FakeAzureOptions): Promise<FakeAzure> {
  const vaultHost = `${opts.vaultName}.${VAULT_DNS_SUFFIX}`;
  const vaultUrl = `https://${vaultHost}/`;
  // Exact names, no wildcard: a tunnel to any other vault is refused, so the log shows it.
  const servedHosts = new Set([LOGIN_HOST, DISCOVERY_HOST, vaultHost]);
  const loginHosts = new Set([LOGIN_HOST, DISCOVERY_HOST]);
  const identities = opts.workloadIdentities ?? [];
  const managedIds = new Set(opts.managedIdentityClientIds ?? []);
  const { caFile, keyFile, certFile } = makeCertificates(opts.dir, [...servedHosts]);
  const cloudEnvFile = writeCloudEnvironment(opts.dir);

  const log: FakeRequest[] = [];
  const tokens = new Map<string, IssuedToken>();
  const secrets = new Map<string, SecretVersion[]>();

  function issueToken(clientId: string, resource: string): string {
    const token = crypto.randomBytes(32).toString("base64url");
    tokens.set(token, { tenantId: opts.tenantId, clientId, resource, expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000 });
    return token;
  }

  // ---- Entra ID ----------------------------------------------------------------------------

  function entra(method: string, url: URL, form: URLSearchParams): Reply {
    if (method === "GET" && url.pathname === "/common/discovery/instance") return instanceDiscovery(url);
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(url.pathname);
    if (!m) return reply(404, { error: "not_found" }, "refused: no such login endpoint");
    const [, tenant, endpoint] = m;
    if (tenant !== opts.tenantId) {
      return entraError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found.`, `refused: tenant '${tenant}' is not '${opts.tenantId}'`);
    }
    if (endpoint.startsWith("v2.0") && method === "GET") return openIdConfiguration(url.host, tenant);
    if (endpoint.startsWith("oauth2") && method === "POST") return tokenExchange(form);
    return reply(405, { error: "invalid_request" }, `refused: ${method} not allowed`);
  }

  /**
   * MSAL asks login.microsoftonline.com about an authority it does not know
   * (authority.go AADInstanceDiscovery: api-version=1.1, authorization_endpoint=https://<host>/<tenant>/oauth2/v2.0/authorize)
   * and then fetches the tenant_discovery_endpoint of the answer (resolvers.go openIDConfigurationEndpoint).
   * The test login host is treated as a known cloud; Entra answers others with AADSTS50049.
   */
  function instanceDiscovery(url: URL): Reply {
    let host = "";
    let tenant = "";
    try {
      const endpoint = new URL(url.searchParams.get("authorization_endpoint") ?? "");
      host = endpoint.host;
      tenant = endpoint.pathname.split("/")[1] ?? "";
    } catch {
      // answered below as an unknown instance
    }
    if (!loginHosts.has(host)) {
      return entraError(400, "invalid_instance", 50049, "Unknown or invalid instance.", `refused: unknown instance '${host}'`);
    }
    return reply(200, {
      tenant_discovery_endpoint: `https://${host}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }, `instance ${host} known`);
  }

  /** MSAL needs authorization_endpoint, token_endpoint and issuer (authority.go TenantDiscoveryResponse.Validate). */
  function openIdConfiguration(host: string, tenant: string): Reply {
    const base = `https://${host}/${tenant}`;
    return reply(200, {
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `https://${host}/${tenant}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      tenant_region_scope: "WW",
    }, "openid configuration");
  }

  /**
   * Client-credentials grant with a federated client assertion, as MSAL sends it
   * (accesstokens.go FromAssertion: grant_type=client_credentials, client_assertion_type,
   * client_assertion, client_id, client_info=1, scope="<resource>/.default openid offline_access profile").
   * Checked in the order that gives the most precise reason.
   */
  function tokenExchange(form: URLSearchParams): Reply {
    const clientId = form.get("client_id") ?? "";
    if (form.get("grant_type") !== "client_credentials") {
      return entraError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.", `refused: grant_type '${form.get("grant_type")}'`);
    }
    if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
      return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_assertion_type'.", "refused: no jwt-bearer client assertion");
    }
    const credentials = identities.filter((i) => i.clientId === clientId);
    if (credentials.length === 0) {
      return entraError(400, "unauthorized_client", 700016,
        `Application with identifier '${clientId}' was not found in the directory '${opts.tenantId}'.`,
        `refused: client id '${clientId}' has no federated credential`);
    }
    const jwt = decodeJwt(form.get("client_assertion") ?? "");
    if (!jwt) return entraError(400, "invalid_client", 50027, "JWT token is invalid or malformed.", "refused: client assertion is not a JWT");
    if (opts.serviceAccountIssuerPublicKey !== undefined && !jwt.verify(opts.serviceAccountIssuerPublicKey)) {
      return entraError(400, "invalid_client", 700027, "Client assertion contains an invalid signature.",
        `refused: assertion signature (alg '${jwt.header.alg}') does not verify with the issuer's key`);
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = Number(jwt.claims.exp);
    const nbf = Number(jwt.claims.nbf ?? jwt.claims.iat ?? 0);
    if (!Number.isFinite(exp) || exp <= now || nbf > now + 300) {
      return entraError(400, "invalid_client", 700024, "Client assertion is not within its valid time range.",
        `refused: assertion valid from ${nbf} until ${exp}, now ${now}`);
    }
    const iss = String(jwt.claims.iss ?? "");
    const sub = String(jwt.claims.sub ?? "");
    const aud = ([] as unknown[]).concat(jwt.claims.aud ?? []).map(String);
    if (!credentials.some((c) => c.issuer === iss)) {
      return entraError(400, "invalid_client", 700211, `No matching federated identity record found for presented assertion issuer '${iss}'.`,
        `refused: issuer '${iss}' is not ${credentials.map((c) => `'${c.issuer}'`).join(" or ")}`);
    }
    const audienceOf = (c: WorkloadIdentity) => c.audience ?? TOKEN_EXCHANGE_AUDIENCE;
    if (!credentials.some((c) => c.issuer === iss && c.subject === sub && aud.includes(audienceOf(c)))) {
      const reasons = credentials.filter((c) => c.issuer === iss).map((c) =>
        c.subject !== sub ? `subject '${sub}' is not '${c.subject}'` : `audience [${aud.join(", ")}] lacks '${audienceOf(c)}'`);
      return entraError(400, "invalid_client", 70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud.join(",")}'.`,
        `refused: ${reasons.join("; ")}`);
    }
    const scopes = (form.get("scope") ?? "").split(" ").filter((s) => s.endsWith("/.default"));
    const resource = scopes.length === 1 ? scopes[0].slice(0, -"/.default".length) : "";
    if (resource !== VAULT_RESOURCE) {
      return entraError(400, "invalid_resource", 500011, `The resource principal named ${resource || form.get("scope")} was not found in the tenant named ${opts.tenantId}.`,
        `refused: scope '${form.get("scope")}' is not for ${VAULT_RESOURCE}`);
    }
    return reply(200, {
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: issueToken(clientId, resource),
    }, `token issued to ${clientId} for ${resource} (subject '${sub}')`);
  }

  // ---- IMDS ----------------------------------------------------------------------------------

  /**
   * azidentity v1.6.0 ManagedIdentityCredential (managed_identity_client.go createIMDSAuthRequest):
   * GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&client_id=<id>&resource=<scope minus /.default>
   * with `Metadata: true`, over azcore's default transport (Proxy: http.ProxyFromEnvironment), so it
   * arrives here as an absolute-URI proxy request. A 400 for a requested identity reads
   * "the requested identity isn't assigned to this resource" in the provider's error.
   */
  function imds(method: string, url: URL, headers: http.IncomingHttpHeaders): Reply {
    if (url.pathname !== "/metadata/identity/oauth2/token") return reply(404, { error: "Not found" }, "refused: IMDS path not served");
    if (method !== "GET") return reply(405, { error: "invalid_request" }, `refused: ${method} not allowed`);
    if (headers.metadata !== "true") {
      return reply(400, { error: "invalid_request", error_description: "Required metadata header not specified" }, "refused: no Metadata: true header");
    }
    const clientId = url.searchParams.get("client_id") ?? "";
    if (!managedIds.has(clientId)) {
      return reply(400, { error: "invalid_request", error_description: "Identity not found" }, `refused: managed identity '${clientId}' is not assigned`);
    }
    const resource = (url.searchParams.get("resource") ?? "").replace(/\/$/, "");
    if (resource !== VAULT_RESOURCE) {
      return reply(400, { error: "invalid_resource", error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${opts.tenantId}.` },
        `refused: resource '${resource}' is not ${VAULT_RESOURCE}`);
    }
    const now = Math.floor(Date.now() / 1000);
    // IMDS sends numbers as strings.
    return reply(200, {
      access_token: issueToken(clientId, resource),
      client_id: clientId,
      expires_in: String(TOKEN_LIFETIME_SECONDS),
      expires_on: String(now + TOKEN_LIFETIME_SECONDS),
      ext_expires_in: String(TOKEN_LIFETIME_SECONDS),
      not_before: String(now),
      resource,
      token_type: "Bearer",
    }, `managed identity token issued to ${clientId} for ${resource}`);
  }

  // ---- Key Vault -----------------------------------------------------------------------------

  /**
   * The challenge Key Vault sends to a request without a token. azsecrets v0.13.0 sends its first
   * request unauthenticated and parses this header (security/keyvault/internal v0.8.0
   * challenge_policy.go updateTokenRequestOptions): the tenant is the 4th "/"-part of
   * `authorization`, the scope is `resource` + "/.default", and the vault host must end with
   * "." + the resource's host unless DisableChallengeResourceVerification, which the provider
   * does not set (pkg/provider/keyvault.go NewClient passes nil options).
   */
  const challenge = { "WWW-Authenticate": `Bearer authorization="https://${LOGIN_HOST}/${opts.tenantId}", resource="${VAULT_RESOURCE}"` };

  function vault(method: string, url: URL, headers: http.IncomingHttpHeaders): Reply {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1];
    if (!bearer) {
      return vaultError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", "challenge: no bearer token", challenge);
    }
    const token = tokens.get(bearer);
    if (!token || token.expiresAt <= Date.now()) {
      return vaultError(401, "Unauthorized", "The access token is not one this vault's tenant issued, or it expired.", "refused: unknown or expired token", challenge);
    }
    if (method !== "GET") return vaultError(405, "BadParameter", `${method} is not supported by this fake.`, `refused: ${method} not allowed`);
    const m = /^\/secrets\/([^/]+)(?:\/([^/]*))?$/.exec(url.pathname);
    if (!m) return vaultError(404, "NotFound", "Not Found", "refused: not a secret path");
    const [, name, version = ""] = m;
    if (opts.secretReaders && !(opts.secretReaders[token.clientId] ?? []).includes(name)) {
      const action = version === "versions" ? "readMetadata" : "getSecret";
      return reply(403, {
        error: {
          code: "Forbidden",
          message: `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=${token.clientId}\r\nAction: 'Microsoft.KeyVault/vaults/secrets/${action}/action'\r\nResource: '${opts.vaultName}/secrets/${name}'\r\nAssignment: (not found)\r\nVault: ${opts.vaultName}\r\n`,
          innererror: { code: "ForbiddenByRbac" },
        },
      }, `refused: ${token.clientId} has no read grant on ${name}`);
    }
    const versions = secrets.get(name) ?? [];
    if (version === "versions") {
      return reply(200, { value: [...versions].reverse().map((v) => ({ id: secretId(name, v.id), attributes: attributes(v) })), nextLink: null },
        `listed ${versions.length} versions of ${name} for ${token.clientId}`);
    }
    const found = version === "" ? versions.at(-1) : versions.find((v) => v.id === version);
    const nameId = version === "" ? name : `${name}/${version}`;
    if (!found) {
      // Key Vault's wording, quoted by the provider in pod events.
      return vaultError(404, "SecretNotFound",
        `A secret with (name/id) ${nameId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
        `not found: ${nameId}`);
    }
    return reply(200, { value: found.value, id: secretId(name, found.id), attributes: attributes(found), tags: {} },
      `secret ${name}/${found.id} read by ${token.clientId}`);
  }

  const secretId = (name: string, version: string) => `https://${vaultHost}/secrets/${name}/${version}`;
  const attributes = (v: SecretVersion) => ({ enabled: true, created: v.created, updated: v.created, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 });

  // ---- Transport -----------------------------------------------------------------------------

  function send(res: http.ServerResponse, req: http.IncomingMessage, host: string, r: Reply): void {
    log.push({ method: req.method ?? "", host, path: req.url ?? "", status: r.status, outcome: r.outcome });
    const body = JSON.stringify(r.body);
    res.writeHead(r.status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body), ...r.headers });
    res.end(body);
  }

  /** The TLS side: every tunnelled name ends here, told apart by the Host header. */
  const tlsServer = https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, (req, res) => {
    const host = (req.headers.host ?? "").replace(/:443$/, "");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", `https://${host}`);
      const method = req.method ?? "";
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      let r: Reply;
      if (loginHosts.has(host)) r = entra(method, url, form);
      else if (host === vaultHost) r = vault(method, url, req.headers);
      else r = reply(421, { error: "misdirected" }, `refused: host '${host}' not served`);
      send(res, req, host, r);
    });
  });

  const sockets = new Set<net.Socket>();
  const proxy = http.createServer((req, res) => {
    // HTTP_PROXY requests carry an absolute URI; only IMDS is answered.
    let url: URL | undefined;
    try {
      url = new URL(req.url ?? "");
    } catch {
      // a direct request, not a proxy request
    }
    if (url?.protocol === "http:" && url.host === IMDS_HOST) {
      req.resume();
      req.on("end", () => send(res, req, IMDS_HOST, imds(req.method ?? "", url!, req.headers)));
      return;
    }
    req.resume();
    send(res, req, url?.host ?? req.headers.host ?? "", reply(502, { error: "not served" }, "refused: not served by the fake"));
  });
  proxy.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  proxy.on("connect", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const target = req.url ?? "";
    const [host, port] = target.split(/:(?=\d+$)/);
    const served = port === "443" && servedHosts.has(host);
    log.push({ method: "CONNECT", host: target, path: "", status: served ? 200 : 502, outcome: served ? "tunnel" : "refused: not served by the fake" });
    if (!served) {
      socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    tlsServer.emit("connection", socket);
  });

  await new Promise<void>((resolve, reject) => {
    proxy.once("error", reject);
    proxy.listen(0, "127.0.0.1", resolve);
  });
  const { port } = proxy.address() as net.AddressInfo;

  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    caFile,
    cloudEnvFile,
    vaultUrl,
    log,
    setSecret(name, value) {
      // Key Vault's secret name rule; anything else could never be requested.
      if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) throw new Error(`secret name '${name}' must match ^[0-9a-zA-Z-]{1,127}$`);
      const version = crypto.randomBytes(16).toString("hex");
      secrets.set(name, [...(secrets.get(name) ?? []), { id: version, value, created: Math.floor(Date.now() / 1000) }]);
      return version;
    },
    deleteSecret(name) {
      secrets.delete(name);
    },
    issueVaultToken(clientId) {
      return issueToken(clientId, VAULT_RESOURCE);
    },
    close() {
      return new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

/** A JWT's parts, without trusting it. */
function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown>; verify(publicKeyPem: string): boolean } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    if (typeof header !== "object" || typeof claims !== "object" || !header || !claims) return undefined;
    return {
      header,
      claims,
      verify: (publicKeyPem) => header.alg === "RS256" &&
        crypto.verify("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), publicKeyPem, Buffer.from(parts[2], "base64url")),
    };
  } catch {
    return undefined;
  }
}

/**
 * A fresh CA and one server certificate for every served name, made with the openssl CLI (Node
 * cannot issue certificates). ECDSA P-256 keeps generation fast; Go and Node both accept it.
 */
function makeCertificates(dir: string, names: readonly string[]): { caFile: string; keyFile: string; certFile: string } {
  const f = (name: string) => path.join(dir, name);
  fs.writeFileSync(f("ca.cnf"), [
    "[req]", "distinguished_name = dn", "prompt = no", "x509_extensions = ca",
    "[dn]", "CN = fake-azure test CA",
    "[ca]", "basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign", "subjectKeyIdentifier = hash", "",
  ].join("\n"));
  fs.writeFileSync(f("server.cnf"), ["[req]", "distinguished_name = dn", "prompt = no", "[dn]", "CN = fake-azure", ""].join("\n"));
  fs.writeFileSync(f("server.ext"), [
    `subjectAltName = ${names.map((n) => `DNS:${n}`).join(",")}`,
    "basicConstraints = CA:FALSE", "keyUsage = critical,digitalSignature", "extendedKeyUsage = serverAuth", "",
  ].join("\n"));
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  openssl(["req", "-x509", "-config", f("ca.cnf"), ...ec, "-keyout", f("ca.key"), "-out", f("ca.crt"), "-days", "2"]);
  openssl(["req", "-new", "-config", f("server.cnf"), ...ec, "-keyout", f("server.key"), "-out", f("server.csr")]);
  openssl(["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"),
    "-set_serial", `0x${crypto.randomBytes(8).toString("hex")}`, "-days", "2", "-extfile", f("server.ext"), "-out", f("server.crt")]);
  return { caFile: f("ca.crt"), keyFile: f("server.key"), certFile: f("server.crt") };
}

/**
 * The environment go-autorest reads for cloudName AzureStackCloud from the file the provider
 * points AZURE_ENVIRONMENT_FILEPATH at (provider pkg/provider/provider.go setAzureEnvironmentFilePath;
 * go-autorest autorest/azure/environments.go EnvironmentFromFile). Provider v1.7.0 reads only
 * keyVaultDNSSuffix (the vault URL), activeDirectoryEndpoint (the login authority) and
 * keyVaultEndpoint (pod-identity mode's resource); the token scope comes from the vault's challenge.
 */
function writeCloudEnvironment(dir: string): string {
  const file = path.join(dir, "azurestackcloud.json");
  fs.writeFileSync(file, JSON.stringify({
    name: "AzureStackCloud",
    activeDirectoryEndpoint: `https://${LOGIN_HOST}/`,
    keyVaultDNSSuffix: VAULT_DNS_SUFFIX,
    keyVaultEndpoint: `${VAULT_RESOURCE}/`,
    resourceIdentifiers: { keyVault: VAULT_RESOURCE },
  }, null, 2));
  return file;
}
