import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CONTAINERD_SOCKET } from "./node";

/**
 * The host PID of a container's main process, from containerd. The container's own view of
 * its file system is /proc/<pid>/root: reading there reads what the app reads, through the
 * container's mount namespace, without kubelet's exec (which would need kubelet serving).
 */
export function containerPid(containerId: string): number {
  const id = containerId.replace(/^containerd:\/\//, "");
  const r = spawnSync("ctr", ["--address", CONTAINERD_SOCKET, "-n", "k8s.io", "tasks", "ls"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ctr tasks ls failed: ${r.stderr}`);
  const line = r.stdout.split("\n").find((l) => l.startsWith(`${id} `));
  if (!line) throw new Error(`container ${id} has no task`);
  return Number.parseInt(line.trim().split(/\s+/)[1], 10);
}

/** A file as the container sees it: its content and permission bits, or undefined when absent. */
export function fileInContainer(pid: number, file: string): { content: string; mode: string } | undefined {
  const at = path.join(`/proc/${pid}/root`, file);
  if (!fs.existsSync(at)) return undefined;
  return { content: fs.readFileSync(at, "utf8"), mode: (fs.statSync(at).mode & 0o777).toString(8).padStart(4, "0") };
}

/** File names in a folder as the container sees it. */
export function filesInContainer(pid: number, dir: string): string[] {
  return fs.readdirSync(path.join(`/proc/${pid}/root`, dir)).filter((f) => !f.startsWith(".."));
}
