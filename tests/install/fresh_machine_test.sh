#!/usr/bin/env bash
# The Debian package on a fresh Debian 12: debootstrap makes a minimal bookworm root, apt installs
# the package there from Debian's mirror with its dependencies (and nothing this machine has
# installed by hand), and inside it: the programs run, an outside CMake project builds against
# the installed agent with find_package(switchboard) and serves, switchboard-cli reads it, and the
# console connects to it and pictures every view (offscreen). Needs root (chroot) and the
# network to Debian's mirror; takes a few minutes, so it has its own CTest label (fresh-machine),
# outside scripts/test:  ctest --test-dir build/test -L fresh-machine --output-on-failure
#
#   fresh_machine_test.sh BUILD_DIR SOURCE_DIR VERSION
#   SWITCHBOARD_DEBIAN_MIRROR  the mirror (default http://deb.debian.org/debian)
#   SWITCHBOARD_FRESH_MACHINE_SHOTS=DIR  keep the console's pictures there, to look at
set -euo pipefail
build=$(cd "${1:?usage: fresh_machine_test.sh BUILD_DIR SOURCE_DIR VERSION}" && pwd)
source_dir=$(cd "${2:?}" && pwd)
version=${3:?}
mirror=${SWITCHBOARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $* ($((SECONDS))s)"; }

[ "$(id -u)" -eq 0 ] || { echo "SKIP: chroot needs root"; exit 77; }
command -v debootstrap >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null

work=$(mktemp -d /tmp/switchboard-fresh-machine.XXXXXX)
root="$work/root"
backend_pid=
cleanup() {
  [ -z "$backend_pid" ] || kill "$backend_pid" 2>/dev/null || true
  mountpoint -q "$root/proc" && umount "$root/proc"
  rm -rf "$work"
}
trap cleanup EXIT
# Runs a command line in the fresh root, bounded.
inside() { timeout "${limit:-300}" chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen DEBIAN_FRONTEND=noninteractive /bin/bash -c "$1"; }

step "cpack"
timeout 180 cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$work/out/switchboard_${version}_amd64.deb"
[ -f "$deb" ] || fail "no $(basename "$deb")"

step "debootstrap bookworm (minbase) from $mirror"
timeout 600 debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"

step "apt-get install the package (and a compiler for the outside project)"
# The package alone first, as an operator's workstation gets it (no recommends): that is what
# must resolve from Debian's archive.
limit=600 inside "apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" \
  >"$work/install.log" 2>&1 || { tail -30 "$work/install.log"; fail "apt-get install"; }
limit=600 inside "apt-get install -y -q --no-install-recommends cmake g++ ninja-build curl prometheus-cpp-dev" \
  >"$work/toolchain.log" 2>&1 || { tail -30 "$work/toolchain.log"; fail "apt-get install cmake g++"; }

step "programs"
console=$(inside "switchboard --version")
[ "$console" = "switchboard $version" ] || fail "switchboard --version: $console"
cli=$(inside "switchboard-cli --version")
grep -q "\"version\": \"$version\"" <<<"$cli" || fail "switchboard-cli --version: $cli"
inside "switchboard-audit --help" 2>&1 | grep -q "switchboard-audit" || fail "switchboard-audit --help"

step "outside project against /usr"
cp -r "$source_dir/tests/install/outside-project" "$root/tmp/outside-project"
limit=300 inside "cmake -S /tmp/outside-project -B /tmp/outside -G Ninja && cmake --build /tmp/outside" \
  >"$work/outside.log" 2>&1 || { cat "$work/outside.log"; fail "outside project"; }
grep -q "^switchboard_DIR:PATH=/usr/lib/cmake/switchboard$" "$root/tmp/outside/CMakeCache.txt" \
  || fail "found switchboard elsewhere: $(grep switchboard_DIR "$root/tmp/outside/CMakeCache.txt")"

token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '{"name": "fresh", "role": "viewer", "token": "%s"}' "$token" >"$root/tmp/viewer.json"
chmod 600 "$root/tmp/viewer.json"
printf '{"service": "fresh", "listen": "127.0.0.1:0", "token_files": ["/tmp/viewer.json"]}' \
  >"$root/tmp/agent.json"
# The chroot shares this machine's network: 127.0.0.1 inside is 127.0.0.1 here.
chroot "$root" /tmp/outside/outside_backend /tmp/agent.json >"$work/backend.log" 2>&1 &
backend_pid=$!
port=
for _ in $(seq 300); do
  port=$(sed -n 's/^agent on port \([1-9][0-9]*\)$/\1/p' "$work/backend.log")
  [ -n "$port" ] && break
  kill -0 "$backend_pid" 2>/dev/null || { cat "$work/backend.log"; fail "outside_backend exited"; }
  sleep 0.1
done
[ -n "$port" ] || fail "outside_backend did not serve within 30 s"
health=$(inside "curl -sS --max-time 5 http://127.0.0.1:$port/healthz")
grep -q '"status": *"ok"' <<<"$health" || fail "/healthz: $health"

step "switchboard-cli reads the agent"
agents=$(inside "switchboard-cli agents --agent http://127.0.0.1:$port --token-file /tmp/viewer.json")
grep -q '"reachable": true' <<<"$agents" || fail "switchboard-cli agents: $agents"
grep -q '"service": "fresh"' <<<"$agents" || fail "switchboard-cli agents: $agents"

step "the console connects and pictures every view"
limit=180 inside "switchboard --connect http://127.0.0.1:$port --token-file /tmp/viewer.json --screenshot /tmp/shots" \
  >"$work/console.log" 2>&1 || { cat "$work/console.log"; fail "switchboard --screenshot"; }
for picture in overview main-window breakers metrics audit; do
  [ -s "$root/tmp/shots/$picture.png" ] || { cat "$work/console.log"; fail "no $picture.png"; }
done
echo "   $(ls "$root/tmp/shots" | wc -l) files from the console on the fresh root"
if [ -n "${SWITCHBOARD_FRESH_MACHINE_SHOTS:-}" ]; then
  mkdir -p "$SWITCHBOARD_FRESH_MACHINE_SHOTS" && cp "$root"/tmp/shots/*.png "$SWITCHBOARD_FRESH_MACHINE_SHOTS/"
fi

kill -TERM "$backend_pid"
wait "$backend_pid" || fail "outside_backend exited $? on SIGTERM"
backend_pid=
echo "fresh machine: the package installs and runs ($((SECONDS)) s)"
