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
