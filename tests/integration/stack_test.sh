#!/usr/bin/env bash
# scripts/stack end to end: up gives a stack file listing live servers; the replica streams (a
# row written on the primary appears on it); status says up; down leaves no process and no
# folder; a failed up says which server failed and why, and cleans up after itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
stack="$root/scripts/stack"
work=$(mktemp -d)
dir="$work/stack"
fail() { echo "FAIL: $*" >&2; exit 1; }
trap '"$stack" down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "up"
file=$("$stack" up --dir "$dir" | tail -n 1)
[ "$file" = "$dir/stack.json" ] || fail "up printed '$file', not the stack file"
field() { /usr/bin/python3 -c "import json,sys; s=json.load(open('$file')); print($1)"; }
[ "$(field 'len(s["servers"])')" = 5 ] || fail "expected 5 servers"
[ "$(field '",".join(x["role"] for x in s["servers"])')" = "primary,replica,shard,shard,cache" ] \
  || fail "unexpected roles"
for role in viewer operator; do
  token=$(field "s['tokens']['$role']")
  [ "$(stat -c %a "$token")" = 600 ] || fail "$role token file is not private"
done

port() { field "[x['port'] for x in s['servers'] if x['name']=='$1'][0]"; }
q() { psql -X -qtA -h 127.0.0.1 -p "$(port "$1")" -U switchboard -d switchboard -c "$2"; }

echo "replication"
[ "$(q pg-primary "SELECT state FROM pg_stat_replication WHERE application_name='pg-replica-1'")" \
  = streaming ] || fail "replica not streaming"
[ "$(q pg-replica-1 'SELECT pg_is_in_recovery()')" = t ] || fail "replica not in recovery"
q pg-primary "CREATE TABLE stack_check (v text); INSERT INTO stack_check VALUES ('seen')" >/dev/null
seen=""
for _ in $(seq 50); do
  seen=$(q pg-replica-1 "SELECT v FROM stack_check" 2>/dev/null || true)
  [ "$seen" = seen ] && break
  sleep 0.1
done
[ "$seen" = seen ] || fail "a row written on the primary did not reach the replica in 5 s"

echo "shards and redis"
for shard in shard-1 shard-2; do
  [ "$(q "$shard" 'SELECT pg_is_in_recovery()')" = f ] || fail "$shard does not answer"
done
[ "$(redis-cli -p "$(port redis)" ping)" = PONG ] || fail "redis does not answer"

echo "status"
"$stack" status --dir "$dir" >/dev/null || fail "status says something is down"

echo "add-agent"
"$stack" add-agent --dir "$dir" --name demo-x --url http://127.0.0.1:1 --region us-east
[ "$(field 's["agents"][0]["name"]')" = demo-x ] || fail "agent not listed"

echo "down"
pids=$(field '" ".join(str(x["pid"]) for x in s["servers"])')
"$stack" down --dir "$dir" >/dev/null 2>&1 || fail "down failed"
# A zombie waiting for its parent to reap it has stopped running; anything else has not.
running() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
for pid in $pids; do
  ! running "$pid" || fail "process $pid still runs after down"
done
[ ! -e "$dir" ] || fail "down left the folder"
"$stack" status --dir "$dir" >/dev/null 2>&1 && fail "status of a stopped stack says up"

echo "a failed up cleans up"
blocker="$work/not-a-folder"
touch "$blocker"
set +e
output=$("$stack" up --dir "$blocker/stack" 2>&1)
code=$?
set -e
[ $code -ne 0 ] || fail "up into an impossible folder succeeded"
grep -q "cannot use" <<<"$output" || fail "no clear message: $output"

# A server that cannot start (here a redis-server that refuses its options): up must name it,
# show why, stop the PostgreSQL servers it had already started and remove its folder.
echo "a failed server is named and everything else stopped"
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
echo "PASS"
