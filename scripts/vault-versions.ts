/** The vault side of `npm run status`: the current version of an object, read over Key Vault's REST API. */
import * as http from "http";
import * as https from "https";
import * as tls from "tls";
import { VaultVersion } from "./mount-status";

export interface ReaderOptions {
  /** `http://host:port` of an HTTP proxy to tunnel through. @default - direct */
  readonly proxy?: string;
  /** Extra CAs to trust. @default - Node's (and NODE_EXTRA_CA_CERTS) */
  readonly ca?: string | Buffer;
  /** The bearer token for the resource the vault's 401 challenge names (its WWW-Authenticate header). */
  readonly token: (challenge: string) => string;
}

/** GET over HTTPS, through an HTTP proxy when given (Node's https ignores HTTPS_PROXY). */
function get(url: string, headers: Record<string, string>, options: ReaderOptions): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const target = new URL(url);
  const proxy = options.proxy;
  return new Promise((resolve, reject) => {
    const send = (socket?: tls.TLSSocket) => {
      const req = https.request({ host: target.hostname, port: target.port || 443, path: target.pathname + target.search, headers, ca: options.ca, ...(socket ? { createConnection: () => socket } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${target.host} within 30 s`)));
      req.end();
    };
    if (!proxy) return send();
    const p = new URL(proxy);
    const connect = http.request({ host: p.hostname, port: p.port || 80, method: "CONNECT", path: `${target.hostname}:${target.port || 443}` });
    connect.on("connect", (res, socket) => {
      if (res.statusCode !== 200) return reject(new Error(`proxy ${p.host} refused the tunnel to ${target.host}: ${res.statusCode}`));
      send(tls.connect({ socket, servername: target.hostname, ca: options.ca }));
    });
    connect.on("error", reject);
    connect.end();
  });
}

/**
 * Reads the newest enabled version of each object from the versions list: metadata only, never
 * a value, so the caller needs only "Key Vault Reader". The first request goes without a token
 * to learn the resource from the 401 challenge, as Azure's Key Vault clients do.
 */
export class VaultReader {
  private token?: string;

  constructor(private readonly vaultUrl: string, private readonly options: ReaderOptions) {}

  async currentVersion(id: string): Promise<VaultVersion> {
    const [type, name] = id.split("/");
    const collection = { secret: "secrets", key: "keys", cert: "certificates" }[type];
    if (!collection) return { error: `unknown object type ${type}` };
    let next: string | null = `${this.vaultUrl}/${collection}/${name}/versions?api-version=7.4`;
    let newest: { version: string; created: Date } | undefined;
    while (next) {
      const page = await this.request(next);
      if (page.status !== 200) return { error: `${page.status} ${vaultErrorOf(page.body)}` };
      const body = JSON.parse(page.body);
      for (const v of body.value ?? []) {
        if (v.attributes?.enabled === false) continue;
        const created = new Date(Number(v.attributes?.created) * 1000);
        if (!newest || created > newest.created) newest = { version: String(v.id).split("/").pop()!, created };
      }
      next = body.nextLink ?? null;
    }
    return newest ?? { error: "the vault has no enabled version" };
  }

  private async request(url: string): Promise<{ status: number; body: string }> {
    if (!this.token) {
      const probe = await get(url, {}, this.options);
      if (probe.status !== 401) return probe;
      this.token = this.options.token(String(probe.headers["www-authenticate"] ?? ""));
    }
    return get(url, { Authorization: `Bearer ${this.token}` }, this.options);
  }
}

function vaultErrorOf(body: string): string {
  try {
    const e = JSON.parse(body).error;
    return `${e.code}${e.innererror?.code ? `/${e.innererror.code}` : ""}: ${String(e.message).split("\r\n")[0]}`;
  } catch {
    return body.slice(0, 200);
  }
}

