#!/usr/bin/env bash
# scripts/stack end to end: up gives a stack file listing live servers; the replica streams (a
# row written on the primary appears on it); shards and Redis answer; status says up; a second
# stack at the same time shares nothing with the first; --extra-shard adds a third shard node
# that answers and that down stops; down stops the listed agents, leaves no process and no
# folder; a failed up says which server failed and why, and cleans up after itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
stack="$root/scripts/stack"
work=$(mktemp -d)
dir="$work/stack"
other="$work/other"
agent_pid=""
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "check: $*"; }
cleanup() {
  "$stack" down --dir "$dir" >/dev/null 2>&1 || true
  "$stack" down --dir "$other" >/dev/null 2>&1 || true
  "$stack" down --dir "$work/extra" >/dev/null 2>&1 || true
  [ -z "$agent_pid" ] || kill "$agent_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# A zombie waiting for its parent to reap it has stopped running; anything else has not.
running() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# A process's start time (clock ticks since boot): a pid reused by another process meanwhile (a
# busy machine cycles through pids) is not the same process.
born_at() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
# The same process (same pid, same start time) still runs 3 s later: a child that was already
# exiting when down returned has gone by then.
outlives() {
  local pid=$1 born=$2
  for _ in $(seq 30); do
    { running "$pid" && [ "$(born_at "$pid")" = "$born" ]; } || return 1
    sleep 0.1
  done
}

check "up starts the minimal profile and prints the stack file last"
started=$(date +%s%N)
file=$("$stack" up --dir "$dir" | tail -n 1)
echo "  up took $(( ($(date +%s%N) - started) / 1000000 )) ms"
[ "$file" = "$dir/stack.json" ] || fail "up printed '$file', not the stack file"
field() { /usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($1)" "${2:-$file}"; }
check "the stack file parses and lists five servers"
[ "$(field 'sorted(s)')" = "['agents', 'created_ms', 'dir', 'format', 'profile', 'servers', 'tokens']" ] \
  || fail "unexpected keys: $(field 'sorted(s)')"
[ "$(field 's["format"]')" = 1 ] || fail "format is not 1"
[ "$(field 'len(s["servers"])')" = 5 ] || fail "expected 5 servers"
[ "$(field '",".join(x["name"] for x in s["servers"])')" = "pg-primary,pg-replica-1,shard-1,shard-2,redis" ] \
  || fail "unexpected names"
[ "$(field '",".join(x["role"] for x in s["servers"])')" = "primary,replica,shard,shard,cache" ] \
  || fail "unexpected roles"
[ "$(field '[x.get("upstream") for x in s["servers"]][1]')" = pg-primary ] || fail "replica has no upstream"
check "token files are private and well formed"
for role in viewer operator; do
  token=$(field "s['tokens']['$role']")
  [ "$(stat -c %a "$token")" = 600 ] || fail "$role token file is not private"
  [ "$(field "s['role']+' '+s['name']+' '+str(len(s['token']))" "$token")" = "$role stack-$role 64" ] \
    || fail "$role token file is malformed"
done

port() { field "[x['port'] for x in s['servers'] if x['name']=='$1'][0]" "${2:-$file}"; }
q() { psql -X -qtA -h 127.0.0.1 -p "$(port "$1")" -U switchboard -d switchboard -c "$2"; }

check "the replica is streaming from the primary"
[ "$(q pg-primary "SELECT state FROM pg_stat_replication WHERE application_name='pg-replica-1'")" \
  = streaming ] || fail "replica not streaming"
[ "$(q pg-replica-1 'SELECT pg_is_in_recovery()')" = t ] || fail "replica not in recovery"
check "a row written on the primary appears on the replica within 5 s"
q pg-primary "CREATE TABLE stack_check (v text); INSERT INTO stack_check VALUES ('seen')" >/dev/null
seen=""
for _ in $(seq 50); do
  seen=$(q pg-replica-1 "SELECT v FROM stack_check" 2>/dev/null || true)
  [ "$seen" = seen ] && break
  sleep 0.1
done
[ "$seen" = seen ] || fail "a row written on the primary did not reach the replica in 5 s"

check "both shards and Redis answer"
for shard in shard-1 shard-2; do
  [ "$(q "$shard" 'SELECT pg_is_in_recovery()')" = f ] || fail "$shard does not answer"
done
[ "$(redis-cli -p "$(port redis)" ping)" = PONG ] || fail "redis does not answer"

check "status says every server is up"
"$stack" status --dir "$dir" || fail "status says something is down"

check "add-agent lists an agent; down stops it"
# A stand-in agent: a process listening on a free port.
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(300)' "$work/agent.port" &
agent_pid=$!
for _ in $(seq 50); do [ -s "$work/agent.port" ] && break; sleep 0.1; done
agent_url="http://127.0.0.1:$(cat "$work/agent.port")"
"$stack" add-agent --dir "$dir" --name demo-x --url http://127.0.0.1:1 --region us-east
"$stack" add-agent --dir "$dir" --name demo-x --url "$agent_url" --region us-east --pid "$agent_pid"
[ "$(field 'len(s["agents"])')" = 1 ] || fail "add-agent of the same name did not replace"
[ "$(field 's["agents"][0]["url"]')" = "$agent_url" ] || fail "agent not listed"
"$stack" status --dir "$dir" | grep -Eq "^demo-x +agent +[0-9]+  up$" || fail "status does not show the agent up"

check "a second stack at the same time uses other ports and folders"
other_file=$("$stack" up --dir "$other" 2>/dev/null | tail -n 1)
ports=$( (field '" ".join(str(x["port"]) for x in s["servers"])'; \
          field '" ".join(str(x["port"]) for x in s["servers"])' "$other_file") | tr ' ' '\n')
[ "$(sort -u <<<"$ports" | wc -l)" = 10 ] || fail "the two stacks share a port: $ports"
"$stack" status --dir "$dir" >/dev/null || fail "the first stack is down while the second runs"
"$stack" status --dir "$other" >/dev/null || fail "the second stack is not up"
other_pids=$(field '" ".join(str(x["pid"]) for x in s["servers"])' "$other_file")
"$stack" down --dir "$other" >/dev/null 2>&1 || fail "down of the second stack failed"
for pid in $other_pids; do ! running "$pid" || fail "process $pid of the second stack still runs"; done
"$stack" status --dir "$dir" >/dev/null || fail "down of the second stack touched the first"

check "--extra-shard adds shard-3, marked extra, that answers; down stops it"
extra="$work/extra"
extra_file=$("$stack" up --extra-shard --dir "$extra" 2>/dev/null | tail -n 1)
[ "$(field '",".join(x["name"] for x in s["servers"] if x["role"]=="shard")' "$extra_file")" \
  = "shard-1,shard-2,shard-3" ] || fail "--extra-shard did not add shard-3 after the others"
[ "$(field '[x.get("extra", False) for x in s["servers"] if x["role"]=="shard"]' "$extra_file")" \
  = "[False, False, True]" ] || fail "only shard-3 is to be marked extra"
[ "$(psql -X -qtA -h 127.0.0.1 -p "$(port shard-3 "$extra_file")" -U switchboard -d switchboard \
  -c 'SELECT pg_is_in_recovery()')" = f ] || fail "shard-3 does not answer"
# Into a variable first: grep -q leaving early would break the pipe under status (pipefail).
extra_status=$("$stack" status --dir "$extra") || fail "status of the --extra-shard stack says something is down"
grep -Eq "^shard-3 +shard +[0-9]+  up$" <<<"$extra_status" || fail "status does not show shard-3 up"
extra_pid=$(field '[x["pid"] for x in s["servers"] if x["name"]=="shard-3"][0]' "$extra_file")
"$stack" down --dir "$extra" >/dev/null 2>&1 || fail "down of the --extra-shard stack failed"
! running "$extra_pid" || fail "shard-3 (process $extra_pid) still runs after down"
[ ! -e "$extra" ] || fail "down left the --extra-shard stack's folder"

check "up refuses a folder that holds a stack, and an unknown profile"
set +e
"$stack" up --dir "$dir" >/dev/null 2>&1; code=$?
"$stack" up --profile huge --dir "$work/huge" >/dev/null 2>&1; profile_code=$?
set -e
[ $code = 2 ] || fail "up over a running stack exited $code, not 2"
[ $profile_code = 2 ] || fail "up with an unknown profile exited $profile_code, not 2"
[ ! -e "$work/huge" ] || fail "up with an unknown profile made its folder"

check "down stops every server and agent and removes the folder"
pids=$(field '" ".join(str(x["pid"]) for x in s["servers"])')
# The servers' own processes too: PostgreSQL's backends, walsender, checkpointer…
children=$(for pid in $pids; do ps -o pid= --ppid "$pid" || true; done)
[ -n "$children" ] || fail "no PostgreSQL child processes found"
declare -A born
for pid in $pids $children $agent_pid; do born[$pid]=$(born_at "$pid"); done
started=$(date +%s%N)
"$stack" down --dir "$dir" >/dev/null 2>&1 || fail "down failed"
echo "  down took $(( ($(date +%s%N) - started) / 1000000 )) ms"
for pid in $pids $children $agent_pid; do
  ! outlives "$pid" "${born[$pid]}" || fail "process $pid still runs 3 s after down"
done
! pgrep -f "$dir/" >/dev/null || fail "a process started for $dir still runs"
[ ! -e "$dir" ] || fail "down left the folder"
"$stack" status --dir "$dir" >/dev/null 2>&1 && fail "status of a stopped stack says up"
"$stack" down --dir "$dir" >/dev/null 2>&1 || fail "down of a stopped stack is not a no-op"

check "up into a folder that cannot exist fails clearly"
blocker="$work/not-a-folder"
touch "$blocker"
set +e
output=$("$stack" up --dir "$blocker/stack" 2>&1)
code=$?
set -e
[ $code -ne 0 ] || fail "up into an impossible folder succeeded"
grep -q "cannot use $blocker/stack" <<<"$output" || fail "no clear message: $output"

# A server that cannot start (here a redis-server that refuses its options): up must name it,
# show why, stop the PostgreSQL servers it had already started and remove its folder.
check "a server that fails is named with its cause, and everything else is stopped"
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "FATAL CONFIG FILE ERROR: bad directive" >&2\nexit 1\n' >"$work/bin/redis-server"
chmod +x "$work/bin/redis-server"
set +e
output=$(PATH="$work/bin:$PATH" "$stack" up --dir "$dir" 2>&1)
code=$?
set -e
[ $code -ne 0 ] || fail "up with a broken redis-server succeeded"
grep -q "redis: redis-server failed: FATAL CONFIG FILE ERROR" <<<"$output" \
  || fail "the failure does not name redis and its cause: $output"
! pgrep -f "$dir/" >/dev/null || fail "servers of the failed up still run"
[ ! -e "$dir" ] || fail "the failed up left its folder"

# A PostgreSQL server that cannot start: up names it and shows the end of its log. pg_ctl finds
# `postgres` next to itself, so a copy of pg_ctl sits beside a postgres that always fails.
check "a PostgreSQL server that fails is named with its log, into a given empty folder"
real=/usr/lib/postgresql/15/bin
mkdir -p "$work/pgbin" "$work/given"
for program in initdb pg_basebackup; do ln -s "$real/$program" "$work/pgbin/$program"; done
cp "$real/pg_ctl" "$work/pgbin/pg_ctl"
cat >"$work/pgbin/postgres" <<EOF
#!/bin/sh
case "\$1" in -V|--version) exec $real/postgres "\$1";; esac
echo "FATAL:  could not create shared memory segment: refused for the test" >&2
exit 1
EOF
chmod 755 "$work/pgbin" "$work/pgbin/postgres"
set +e
output=$(SWITCHBOARD_PG_BIN="$work/pgbin" "$stack" up --dir "$work/given" 2>&1)
code=$?
set -e
[ $code -ne 0 ] || fail "up with a failing postgres succeeded"
grep -Eq "(pg-primary|shard-1|shard-2): did not start" <<<"$output" \
  || fail "the failure does not name the server: $output"
grep -q "FATAL:  could not create shared memory segment: refused for the test" <<<"$output" \
  || fail "the failure does not show the server's log: $output"
! pgrep -f "$work/given/" >/dev/null || fail "servers of the failed up still run"
[ -d "$work/given" ] && [ -z "$(ls -A "$work/given")" ] \
  || fail "the failed up did not leave the given folder as it found it (empty)"
echo "PASS"
