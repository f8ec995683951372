#!/usr/bin/env bash
# Load and fault test of refstack serve (not run by CI; about a minute).
# 32 clients upload signed 300-test results for DURATION; in the middle the
# server is killed with SIGKILL and restarted on the same database; at the
# end every upload the server acknowledged (201 with a test_id) must be
# stored, whole. Prints uploads/s and latency percentiles.
#
#   bench/load.sh                                   # SQLite in a temporary directory
#   DB='mysql://root:@127.0.0.1:3306/refstack_load' bench/load.sh   # an existing, empty database
#   CLIENTS=32 TESTS=300 DURATION=20s KILL_AFTER=8 bench/load.sh
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH

CLIENTS=${CLIENTS:-32}
TESTS=${TESTS:-300}
DURATION=${DURATION:-20s}
KILL_AFTER=${KILL_AFTER:-8}
PORT=${PORT:-18765}
work=$(mktemp -d)
DB=${DB:-sqlite:$work/refstack.db}
URL=http://127.0.0.1:$PORT
server_pid=

cleanup() {
	[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
log() { printf '%s\n' "$*" >&2; }

log "building refstack and loadgen"
go build -o "$work/refstack" ./adapters/refstack
go build -o "$work/loadgen" ./bench/loadgen
"$work/refstack" keygen --bits 2048 "$work/key" >/dev/null

start_server() {
	"$work/refstack" serve --addr "127.0.0.1:$PORT" --db "$DB" --guidelines "$work" 2>>"$work/server.log" &
	server_pid=$!
	for _ in $(seq 100); do
		curl -fsS "$URL/v1/results" >/dev/null 2>&1 && return
		sleep 0.1
	done
	log "the server did not start:"; cat "$work/server.log" >&2; exit 1
}

start_server
"$work/loadgen" -url "$URL" -key "$work/key" -register

log "load: $CLIENTS clients, $TESTS tests per upload, $DURATION; SIGKILL after ${KILL_AFTER}s"
"$work/loadgen" -url "$URL" -key "$work/key" -clients "$CLIENTS" -tests "$TESTS" -duration "$DURATION" -acked "$work/acked.txt" >"$work/load.txt" &
load_pid=$!
sleep "$KILL_AFTER"
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
log "killed the server with SIGKILL ($(wc -l <"$work/acked.txt") uploads acknowledged so far); restarting"
start_server
wait "$load_pid"
cat "$work/load.txt"

log "checking every acknowledged upload"
"$work/loadgen" -url "$URL" -key "$work/key" -tests "$TESTS" -check "$work/acked.txt"
kill -TERM "$server_pid"
wait "$server_pid"
server_pid=
log "SIGTERM: clean exit"
