import * as fs from "fs";
import * as path from "path";
import { KUBECONFIG, kubectlOk } from "./harness";

const DIR = path.dirname(KUBECONFIG);
const pidOf = (name: string) => Number(fs.readFileSync(path.join(DIR, `${name}.pid`), "utf8").trim());

/** Local addresses (hex, as in /proc/net/tcp*) of the TCP sockets a process listens on. */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set(fs.readdirSync(`/proc/${pid}/fd`)
    .map((fd) => { try { return fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return ""; } })
    .map((target) => /^socket:\[(\d+)\]$/.exec(target)?.[1])
    .filter((inode): inode is string => inode !== undefined));
  const addresses: string[] = [];
  for (const table of ["tcp", "tcp6"]) {
    for (const line of fs.readFileSync(`/proc/${pid}/net/${table}`, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // f[1] local address:port, f[3] state (0A = LISTEN), f[9] inode
      if (f.length > 9 && f[3] === "0A" && inodes.has(f[9])) addresses.push(f[1].split(":")[0]);
    }
  }
  return addresses;
}

// /proc is Linux's; elsewhere this check cannot run and says so.
(fs.existsSync("/proc/self/net/tcp") ? describe : describe.skip)("the local control plane", () => {
  test.each(["etcd", "kube-apiserver"])("%s listens on 127.0.0.1 only", (name) => {
    const addresses = listeningAddresses(pidOf(name));
    expect(addresses.length).toBeGreaterThan(0);
    // 0100007F is 127.0.0.1 in /proc/net/tcp's little-endian hex.
    expect(new Set(addresses)).toEqual(new Set(["0100007F"]));
  });

  test("is the Kubernetes version the script builds, with RBAC on", () => {
    expect(JSON.parse(kubectlOk(["version", "-o", "json"])).serverVersion.gitVersion).toBe("v1.34.2");
    expect(kubectlOk(["api-versions"])).toContain("rbac.authorization.k8s.io/v1");
  });
});
