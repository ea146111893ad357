#!/usr/bin/env bash
# Starts the hub the way the README's first command does (embedded PGlite, fresh data
# folder), runs one query with the printed admin token, and stops it with SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=$(mktemp -d)
log=$(mktemp)
port=${SMOKE_PORT:-$((20000 + RANDOM % 20000))}
cleanup() { [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null || true; rm -rf "$data_dir" "$log"; }
trap cleanup EXIT

HUB_DATA_DIR="$data_dir" PORT="$port" LOG_LEVEL=info node --import tsx src/main.ts >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 120); do
  grep -q '"hub listening"' "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "smoke: hub exited early:"; cat "$log"; exit 1; }
  sleep 0.5
done
token=$(grep -oE 'hub_[A-Za-z0-9_-]{43}' "$log" | head -n1)
[[ -n "$token" ]] || { echo "smoke: no admin token printed on first start"; cat "$log"; exit 1; }

answer=$(curl -sS -X POST "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -H "authorization: Bearer $token" \
  -d '{"query":"mutation { createTicket(input: { title: \"smoke\" }) { ticket { key } } }"}')
echo "smoke: createTicket -> $answer"
grep -q '"key":"HUB-1"' <<<"$answer" || { echo "smoke: unexpected answer"; cat "$log"; exit 1; }
curl -sSf "http://127.0.0.1:$port/readyz" >/dev/null

kill -TERM "$pid"
wait "$pid" && status=0 || status=$?
pid=
[[ $status -eq 0 ]] || { echo "smoke: hub exited with $status on SIGTERM"; cat "$log"; exit 1; }
grep -q '"stopped"' "$log" || { echo "smoke: no clean stop logged"; cat "$log"; exit 1; }
echo "smoke: embedded hub started, answered and stopped cleanly"
