#!/usr/bin/env bash
# The Debian package end to end: cpack makes it from the build folder; its control data and file
# list are what we ship; apt could install it on this machine; extracted into a scratch root,
# its programs run, its desktop entry and AppStream metadata validate, and an outside CMake
# project builds against its agent with find_package(switchboard) and serves HTTP and HTTPS.
# Nothing from the build folder may be used at run time. Changes nothing outside a temporary
# folder, which it removes.
#
#   package_test.sh BUILD_DIR SOURCE_DIR VERSION LIBDIR
set -euo pipefail
build=$(cd "${1:?usage: package_test.sh BUILD_DIR SOURCE_DIR VERSION LIBDIR}" && pwd)
source_dir=$(cd "${2:?}" && pwd)
version=${3:?}
libdir=${4:?} # CMAKE_INSTALL_LIBDIR, relative to the package's /usr
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "-- $* ($((SECONDS))s)"; }

work=$(mktemp -d /tmp/switchboard-package-test.XXXXXX)
pids=()
stack_dir=
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$stack_dir" ] || "$root/usr/bin/switchboard-stack" down --dir "$stack_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "cpack"
timeout 180 cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$work/out/switchboard_${version}_amd64.deb"
[ -f "$deb" ] || { ls "$work/out"; fail "no $(basename "$deb")"; }
echo "   $(basename "$deb"): $(du -h "$deb" | cut -f1)"

step "control data"
info=$(dpkg-deb --info "$deb")
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = switchboard ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), not $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
# Named by hand (plugins, the scripts' interpreter) and found by dpkg-shlibdeps (linked libraries).
for needed in libqt6svg6 qt6-qpa-plugins python3 libssl-dev libqt6widgets6 libpqxx-6.4 \
  libhiredis0.14 libcivetweb1; do
  grep -Eq "(^|, )$needed( |,|$)" <<<"$depends" || fail "Depends lacks $needed: $depends"
done
grep -q "^ Recommends: .*postgresql-15" <<<"$info" || fail "no Recommends of postgresql-15"

step "file list"
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for path in /usr/bin/switchboard /usr/bin/switchboard-cli /usr/bin/switchboard-demo /usr/bin/switchboard-audit \
  /usr/bin/switchboard-stack /usr/bin/switchboard-demo-knobs \
  "/usr/$libdir/libswitchboard-agent.so" "/usr/$libdir/libswitchboard-agent.so.${version%%.*}" \
  "/usr/$libdir/switchboard/libswitchboard-civetweb-openssl3.so" \
  /usr/include/switchboard/agent.h /usr/include/switchboard/export.h \
  "/usr/$libdir/cmake/switchboard/switchboardConfig.cmake" \
  "/usr/$libdir/cmake/switchboard/switchboardConfigVersion.cmake" \
  "/usr/$libdir/cmake/switchboard/switchboardTargets.cmake" \
  /usr/share/applications/switchboard.desktop \
  /usr/share/icons/hicolor/scalable/apps/switchboard.svg \
  /usr/share/metainfo/io.github.switchboard.Switchboard.metainfo.xml \
  /usr/share/switchboard/scripts/stack /usr/share/switchboard/scripts/demo-knobs; do
  grep -qxF "$path" <<<"$contents" || fail "the package lacks $path"
done
# Tests, benchmarks, fuzz targets and the in-tree example install nothing; all is under /usr;
# the compatibility library (soname libssl.so) stays out of ldconfig's folders.
unexpected=$(grep -E '/(tst_|bench_|fuzz_)|embed_agent|/tests?/' <<<"$contents" || true)
[ -z "$unexpected" ] || fail "the package holds test files: $unexpected"
outside=$(grep -Ev '^/usr(/|$)|^/$' <<<"$contents" || true)
[ -z "$outside" ] || fail "files outside /usr: $outside"
grep -q "^/usr/$libdir/libswitchboard-civetweb" <<<"$contents" \
  && fail "the compatibility library is in /usr/$libdir, where ldconfig would link libssl.so to it"
echo "   $(grep -vc '/$' <<<"$contents") files"

step "apt-get install --simulate"
apt_output=$(timeout 60 apt-get install --simulate --no-install-recommends "$deb" 2>&1) \
  || { echo "$apt_output"; fail "its dependencies do not resolve on this machine"; }
grep -q "^Inst switchboard " <<<"$apt_output" || { echo "$apt_output"; fail "apt would not install it"; }
# The hand-written Recommends and Suggests name real packages (apt does not check them).
for name in $(field Recommends | tr -d ' ' | tr ',' ' ') $(field Suggests | tr -d ' ' | tr ',' ' '); do
  apt-cache show --no-all-versions "$name" >/dev/null 2>&1 || fail "no package $name on this Debian"
done

step "extract"
root="$work/root"
dpkg-deb -x "$deb" "$root"
export LD_LIBRARY_PATH="$root/usr/$libdir"
export QT_QPA_PLATFORM=offscreen

step "programs"
console_version=$(timeout 20 "$root/usr/bin/switchboard" --version)
grep -qx "switchboard $version" <<<"$console_version" || fail "switchboard --version: $console_version"
cli_version=$(timeout 20 "$root/usr/bin/switchboard-cli" --version)
grep -q "\"version\": \"$version\"" <<<"$cli_version" || fail "switchboard-cli --version: $cli_version"
audit_usage=$(timeout 20 "$root/usr/bin/switchboard-audit" --help 2>&1)
grep -q "switchboard-audit" <<<"$audit_usage" || fail "switchboard-audit --help: $audit_usage"
set +e
demo_usage=$(timeout 20 "$root/usr/bin/switchboard-demo" --help 2>&1)
set -e
grep -q "^usage: switchboard-demo" <<<"$demo_usage" || fail "switchboard-demo --help: $demo_usage"
stack_usage=$(timeout 20 "$root/usr/bin/switchboard-stack" --help 2>&1)
grep -q "up" <<<"$stack_usage" || fail "switchboard-stack --help: $stack_usage"
knobs_usage=$(timeout 20 "$root/usr/bin/switchboard-demo-knobs" --help 2>&1)
grep -q "demo-knobs PORT" <<<"$knobs_usage" || fail "switchboard-demo-knobs --help: $knobs_usage"

step "desktop entry and AppStream metadata"
# Its hints too: one main category, or menus list the console twice.
desktop_problems=$(desktop-file-validate "$root/usr/share/applications/switchboard.desktop" 2>&1) \
  || fail "desktop-file-validate: $desktop_problems"
[ -z "$desktop_problems" ] || fail "desktop-file-validate: $desktop_problems"
timeout 30 appstreamcli validate-tree --no-net "$root" >"$work/appstream.log" 2>&1 \
  || { cat "$work/appstream.log"; fail "appstreamcli validate-tree"; }

step "outside project: configure and build"
outside="$work/outside"
timeout 120 cmake -S "$source_dir/tests/install/outside-project" -B "$outside" -G Ninja \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH="$root/usr" \
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON -DCMAKE_FIND_PACKAGE_NO_SYSTEM_PACKAGE_REGISTRY=ON \
  >"$work/outside-configure.log" 2>&1 || { cat "$work/outside-configure.log"; fail "configure"; }
found=$(sed -n 's/^switchboard_DIR:PATH=//p' "$outside/CMakeCache.txt")
[ "$found" = "$root/usr/$libdir/cmake/switchboard" ] || fail "found switchboard in $found"
timeout 180 cmake --build "$outside" >"$work/outside-build.log" 2>&1 \
  || { cat "$work/outside-build.log"; fail "build"; }
backend="$outside/outside_backend"
runpath=$(readelf -d "$backend" | grep -E 'RUNPATH|RPATH' || true)
grep -qF "$build" <<<"$runpath" && fail "the outside binary's RUNPATH names the build folder: $runpath"
grep -qF "$build" "$outside/build.ninja" && fail "the outside build uses the build folder"

# Starts the outside backend on CONFIG, sets `port` and `pid` once it serves (within 30 s: a
# loaded CI machine starts processes slowly).
start_backend() {
  local log="$work/backend-$1.log"
  "$backend" "$work/$1.json" >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    port=$(sed -n 's/^agent on port \([1-9][0-9]*\)$/\1/p' "$log")
    [ -n "$port" ] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "outside_backend exited"; }
    sleep 0.1
  done
  cat "$log"
  fail "outside_backend did not serve within 30 s"
}
# Nothing the process mapped comes from the build folder; the agent is the package's.
check_mappings() {
  grep -qF "$build" "/proc/$pid/maps" && fail "the process maps files of the build folder: $(grep -F "$build" "/proc/$pid/maps" | head -3)"
  grep -qF "$root/usr/$libdir/libswitchboard-agent.so" "/proc/$pid/maps" \
    || fail "the process does not map the package's agent"
}
stop_backend() {
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  [ "$code" -eq 0 ] || fail "outside_backend exited $code on SIGTERM"
}

token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '{"name": "package-test", "role": "viewer", "token": "%s"}' "$token" >"$work/viewer.json"
chmod 600 "$work/viewer.json" # the agent refuses a token file other users can read

step "outside project: HTTP"
printf '{"service": "outside", "listen": "127.0.0.1:0", "token_files": ["%s"]}' \
  "$work/viewer.json" >"$work/http.json"
start_backend http
health=$(curl -sS --max-time 5 "http://127.0.0.1:$port/healthz")
grep -q '"status": *"ok"' <<<"$health" || fail "/healthz: $health"
info=$(curl -sS --max-time 5 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/info")
grep -q "\"agent_version\": *\"$version\"" <<<"$info" || fail "/v1/info: $info"
grep -q '"service": *"outside"' <<<"$info" || fail "/v1/info names another service: $info"
check_mappings
stop_backend

step "outside project: HTTPS"
# A CA and a certificate for 127.0.0.1 (README's recipe), made now.
(
  cd "$work"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=Switchboard test CA" -addext basicConstraints=critical,CA:TRUE \
    -keyout ca.key -out ca.pem
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout agent.key -out agent.csr
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >agent.ext
  openssl x509 -req -in agent.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
    -extfile agent.ext -out agent.crt
  cat agent.crt agent.key >agent.pem && chmod 600 agent.pem
) >"$work/openssl.log" 2>&1 || { cat "$work/openssl.log"; fail "openssl"; }
printf '{"service": "outside", "listen": "127.0.0.1:0", "token_files": ["%s"], "tls": {"certificate": "%s"}}' \
  "$work/viewer.json" "$work/agent.pem" >"$work/https.json"
start_backend https
health=$(curl -sS --max-time 5 --cacert "$work/ca.pem" "https://127.0.0.1:$port/healthz")
grep -q '"status": *"ok"' <<<"$health" || fail "https /healthz: $health"
info=$(curl -sS --max-time 5 --cacert "$work/ca.pem" -H "Authorization: Bearer $token" \
  "https://127.0.0.1:$port/v1/info")
grep -q '"tls": *true' <<<"$info" || fail "https /v1/info: $info"
check_mappings
grep -qF "$root/usr/$libdir/switchboard/libswitchboard-civetweb-openssl3.so" "/proc/$pid/maps" \
  || fail "the package's civetweb compatibility library is not loaded"
stop_backend

step "the package's stack and demo"
# The stack script from its installed place (nothing else of the source tree beside it), and
# the packaged demo against it.
stack_dir="$work/stack"
stack_file=$(timeout 120 "$root/usr/bin/switchboard-stack" up --profile minimal --dir "$stack_dir" \
  2>"$work/stack.log" | tail -n 1) || { cat "$work/stack.log"; fail "switchboard-stack up"; }
[ -f "$stack_file" ] || { cat "$work/stack.log"; fail "switchboard-stack up printed no stack file"; }
"$root/usr/bin/switchboard-demo" --stack "$stack_file" --instance package-demo --rate 5 \
  --port-file "$work/demo.port" >"$work/demo.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 300); do
  [ -s "$work/demo.port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/demo.log"; fail "switchboard-demo exited"; }
  sleep 0.1
done
[ -s "$work/demo.port" ] || { cat "$work/demo.log"; fail "switchboard-demo did not serve within 30 s"; }
stack_token=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' \
  "$stack_dir/tokens/viewer.json")
info=$(curl -sS --max-time 5 -H "Authorization: Bearer $stack_token" \
  "http://127.0.0.1:$(cat "$work/demo.port")/v1/info")
grep -q "\"agent_version\": *\"$version\"" <<<"$info" || fail "the demo's /v1/info: $info"
check_mappings
stop_backend
"$root/usr/bin/switchboard-stack" down --dir "$stack_dir" >/dev/null 2>"$work/stack.log" \
  || { cat "$work/stack.log"; fail "switchboard-stack down"; }
stack_dir=

step "done"
echo PASS
