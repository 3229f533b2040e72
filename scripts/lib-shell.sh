# Shell helpers shared by the scripts that build and run the local test clusters
# (scripts/control-plane.sh, scripts/e2e/*.sh). Sourced, not run. The sourcing script sets
# LOG_NAME (the prefix of its log lines) first.

log() { echo "${LOG_NAME:-script}: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# N distinct free TCP ports on 127.0.0.1, chosen by the kernel (bound together, then released; the
# short window before the servers bind them is accepted).
free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    });' "$1"
}

# Starts a binary in the background with its output in <dir>/<name>.log and its PID in <dir>/<name>.pid.
# It does not inherit descriptor 9, the e2e run's lock (scripts/e2e/node.sh), which would
# otherwise outlive the run in whatever the binary leaves behind.
spawn() {
  local dir=$1 name=$2; shift 2
  "$@" >"$dir/$name.log" 2>&1 9>&- &
  echo $! >"$dir/$name.pid"
}
