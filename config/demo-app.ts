/** The demo app: busybox 1.36.1 pinned by its multi-arch index digest. */
export const DEMO_IMAGE =
  "docker.io/library/busybox:1.36.1@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662";

/**
 * The demo app's loop: every 30 s, each mounted file's name and the first 16 hex digits of its
 * SHA-256, so rotation is visible in the logs while the values never are.
 */
export function demoCommand(mountPath: string): string[] {
  return [
    "sh",
    "-c",
    `while true; do for f in ${mountPath}/*; do echo "$(date -u +%FT%TZ) $(basename "$f") sha256:$(sha256sum "$f" | cut -c1-16)"; done; sleep 30; done`,
  ];
}
