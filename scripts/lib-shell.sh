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

# Runs jest with a config (env assignments go before: VAR=... run_jest <config> [args]) and
# returns its status, with the time it took logged. In the background, because bash runs a trap
# only once a foreground command has finished: a signal stops jest and becomes exit 130, so the
# caller's EXIT trap cleans up.
run_jest() {
  local config=$1 started=$SECONDS status=0; shift
  trap '[[ -n "${JEST_PID:-}" ]] && kill -TERM "$JEST_PID" 2>/dev/null; exit 130' INT TERM HUP
  node node_modules/jest/bin/jest.js -c "$config" "$@" 9>&- &
  JEST_PID=$!
  wait "$JEST_PID" || status=$?
  log "tests ran in $((SECONDS - started)) s"
  return "$status"
}
