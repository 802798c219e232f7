#!/usr/bin/env bash
# scripts/stack up --profile full end to end: etcd, the us-east Patroni cluster behind HAProxy,
# the eu-west standby cluster, shard standbys, a Redis per region and Prometheus. A write through
# HAProxy's primary port reaches the us-east replica and the eu-west standby cluster; GET /cluster on each
# Patroni node shows the expected roles; the shard standbys are in recovery and streaming; status
# says up; down leaves no process (by folder and by port) and no folder; an interrupted up cleans
# up after itself; Prometheus is ready and scrapes an agent `add-agent` lists, with its labels.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
stack="$root/scripts/stack"
work=$(mktemp -d)
dir="$work/stack"
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "check: $*"; }
metrics_pid=""
cleanup() {
  [ -z "$metrics_pid" ] || kill "$metrics_pid" 2>/dev/null || true
  "$stack" down --dir "$dir" >/dev/null 2>&1 || true
  "$stack" down --dir "$work/interrupted" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

check "up --profile full starts in under 60 s and prints the stack file last"
started=$(date +%s%N)
file=$(timeout 90 "$stack" up --profile full --dir "$dir" | tail -n 1) || fail "up failed"
echo "  up took $(( ($(date +%s%N) - started) / 1000000 )) ms"
[ "$file" = "$dir/stack.json" ] || fail "up printed '$file', not the stack file"
field() { /usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($1)" "$file"; }
server() { field "[x['$2'] for x in s['servers'] if x['name']=='$1'][0]"; }

check "the stack file lists every server with its kind, role and region"
[ "$(field '",".join(x["name"]+":"+x["kind"]+":"+x["role"]+":"+x["region"] for x in s["servers"])' \
  | tr , '\n' | sed 's/^pg-us-east-[12]:patroni:\(leader\|replica\)/pg-us-east-N:patroni:ROLE/' | sort | tr '\n' ,)" \
  = "etcd:etcd:dcs:us-east,haproxy:haproxy:proxy:us-east,pg-eu-west-1:patroni:standby_leader:eu-west,pg-us-east-N:patroni:ROLE:us-east,pg-us-east-N:patroni:ROLE:us-east,prometheus:prometheus:metrics:us-east,redis-eu-west:redis:cache:eu-west,redis:redis:cache:us-east,shard-1-standby:postgresql:shard_standby:eu-west,shard-1:postgresql:shard:us-east,shard-2-standby:postgresql:shard_standby:eu-west,shard-2:postgresql:shard:us-east," ] \
  || fail "unexpected servers: $(field '[(x["name"], x["role"]) for x in s["servers"]]')"
[ "$(field 'sorted(x["role"] for x in s["servers"] if x.get("cluster")=="us-east")')" \
  = "['leader', 'replica']" ] || fail "us-east has not one leader and one replica"
[ "$(field 's["patroni"]["standby_cluster"]')" = eu-west ] || fail "no standby cluster named"
[ "$(field 's["patroni"]["haproxy"]["primary_port"] == [x for x in s["servers"] if x["name"]=="haproxy"][0]["primary_port"]')" \
  = True ] || fail "HAProxy's ports differ between the server and the patroni section"
for key in port rest_port pid data_dir log cluster; do
  [ "$(field "all(x.get('$key') for x in s['servers'] if x['kind']=='patroni')")" = True ] \
    || fail "a Patroni node lacks $key"
done

leader=$(field '[x["name"] for x in s["servers"] if x.get("cluster")=="us-east" and x["role"]=="leader"][0]')
replica=$(field '[x["name"] for x in s["servers"] if x.get("cluster")=="us-east" and x["role"]=="replica"][0]')
primary_port=$(server haproxy primary_port)
replica_port=$(server haproxy replica_port)
q() { psql -X -qtA -h 127.0.0.1 -p "$1" -U switchboard -d switchboard -c "$2"; }
json() { curl -sf --max-time 2 "http://127.0.0.1:$(server "$1" rest_port)$2"; }

check "GET /cluster on each Patroni node shows the expected roles"
for node in "$leader" "$replica"; do
  roles=$(json "$node" /cluster | /usr/bin/python3 -c 'import json,sys
print(" ".join(m["name"]+"="+m["role"]+"/"+m["state"] for m in sorted(json.load(sys.stdin)["members"], key=lambda m: m["name"])))')
  [ "$roles" = "$(printf '%s\n' "$leader=leader/running" "$replica=replica/running" | sort -t= -k1,1 | tr '\n' ' ' | sed 's/ $//')" ] \
    || fail "/cluster on $node says: $roles"
done
roles=$(json pg-eu-west-1 /cluster | /usr/bin/python3 -c 'import json,sys
print(" ".join(m["name"]+"="+m["role"]+"/"+m["state"] for m in json.load(sys.stdin)["members"]))')
[ "$roles" = "pg-eu-west-1=standby_leader/running" ] || fail "/cluster on pg-eu-west-1 says: $roles"

check "a write through HAProxy's primary port reaches the us-east replica and the eu-west standby"
[ "$(q "$primary_port" 'SELECT pg_is_in_recovery()')" = f ] || fail "the primary port leads to a standby"
[ "$(q "$replica_port" 'SELECT pg_is_in_recovery()')" = t ] || fail "the replica port leads to a primary"
q "$primary_port" "CREATE TABLE full_check (v text); INSERT INTO full_check VALUES ('seen')" >/dev/null
for node in "$replica" pg-eu-west-1; do
  seen=""
  for _ in $(seq 50); do
    seen=$(q "$(server "$node" port)" "SELECT v FROM full_check" 2>/dev/null || true)
    [ "$seen" = seen ] && break
    sleep 0.1
  done
  [ "$seen" = seen ] || fail "a row written through HAProxy did not reach $node in 5 s"
done

check "the shard standbys are in recovery and streaming from their shard"
for shard in shard-1 shard-2; do
  [ "$(q "$(server "$shard-standby" port)" 'SELECT pg_is_in_recovery()')" = t ] \
    || fail "$shard-standby is not in recovery"
  [ "$(q "$(server "$shard" port)" \
    "SELECT state FROM pg_stat_replication WHERE application_name='$shard-standby'")" = streaming ] \
    || fail "$shard-standby is not streaming from $shard"
done

check "etcd and both Redis answer; status says every server is up"
curl -sf --max-time 2 "http://127.0.0.1:$(server etcd port)/health" | grep -q '"health":"true"' \
  || fail "etcd is not healthy"
for redis in redis redis-eu-west; do
  [ "$(redis-cli -p "$(server "$redis" port)" ping)" = PONG ] || fail "$redis does not answer"
done
"$stack" status --dir "$dir" || fail "status says something is down"

check "Prometheus is ready and scrapes what add-agent lists, with its labels and the viewer token"
prom=$(server prometheus url)
[ "$prom" = "http://127.0.0.1:$(server prometheus port)" ] || fail "prometheus url '$prom'"
curl -sf --max-time 2 "$prom/-/ready" >/dev/null || fail "Prometheus is not ready"
[ "$(stat -c %a "$(server prometheus token_file)")" = 600 ] || fail "the scrape token is readable by others"
# No agent in this test: a stand-in /metrics that wants the viewer token, as an agent's does.
viewer=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$(field 's["tokens"]["viewer"]')")
metrics_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 - "$metrics_port" "$viewer" >"$work/metrics.log" 2>&1 <<'PY' &
import http.server, sys
port, token = int(sys.argv[1]), sys.argv[2]
class Metrics(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/metrics" and self.headers.get("Authorization") == f"Bearer {token}"
        body = b"stand_in_up 1\n" if ok else b"unauthorized\n"
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Metrics).serve_forever()
PY
metrics_pid=$!
"$stack" add-agent --dir "$dir" --name stand-in --region eu-west --service checkout \
  --url "http://127.0.0.1:$metrics_port" || fail "add-agent failed"
health=""
for _ in $(seq 100); do
  health=$(curl -sf --max-time 2 "$prom/api/v1/targets?state=active" | /usr/bin/python3 -c 'import json,sys
t=[t for t in json.load(sys.stdin)["data"]["activeTargets"] if t["labels"].get("instance")=="stand-in"]
print(t[0]["health"]+":"+t[0]["labels"].get("region","")+":"+t[0]["labels"].get("service","")+":"+t[0]["lastError"] if t else "")' || true)
  [ "${health%%:*}" = up ] && break
  sleep 0.1
done
[ "$health" = "up:eu-west:checkout:" ] || fail "Prometheus does not scrape the added agent: '$health'"
[ "$(curl -sf --max-time 2 "$prom/api/v1/query" --data-urlencode 'query=stand_in_up{instance="stand-in",region="eu-west"}' \
  | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')" = 1 ] \
  || fail "the stand-in's sample is not in Prometheus"
kill "$metrics_pid"; wait "$metrics_pid" 2>/dev/null || true

check "down stops everything: no process for the folder or on the stack's ports, no folder"
ports=$(field '" ".join(str(x[k]) for x in s["servers"] for k in ("port", "rest_port", "peer_port", "replica_port") if x.get(k))')
started=$(date +%s%N)
timeout 90 "$stack" down --dir "$dir" >/dev/null 2>&1 || fail "down failed"
echo "  down took $(( ($(date +%s%N) - started) / 1000000 )) ms"
! pgrep -af "$dir/" || fail "a process started for $dir still runs"
for port in $ports; do
  ! pgrep -af -- "[:= ]$port( |\$)" || fail "a process still names port $port"
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "port $port still accepts connections"
done
[ ! -e "$dir" ] || fail "down left the folder"
"$stack" status --dir "$dir" >/dev/null 2>&1 && fail "status of a stopped stack says up"

check "an up interrupted midway stops what it had started and removes its folder"
interrupted="$work/interrupted"
timeout 90 "$stack" up --profile full --dir "$interrupted" >/dev/null 2>"$work/interrupted.err" &
up_pid=$!
# Until Patroni runs: the middle of the start, with servers of every kind about.
for _ in $(seq 100); do pgrep -f "$interrupted/patroni/" >/dev/null && break; sleep 0.1; done
pgrep -f "$interrupted/patroni/" >/dev/null || fail "Patroni never started in the interrupted up"
sleep 1
kill -TERM "$up_pid"
set +e; wait "$up_pid"; code=$?; set -e
[ "$code" = 1 ] || fail "the interrupted up exited $code, not 1: $(cat "$work/interrupted.err")"
! pgrep -af "$interrupted/" || fail "a process of the interrupted up still runs"
[ ! -e "$interrupted" ] || fail "the interrupted up left its folder"
echo "PASS"
