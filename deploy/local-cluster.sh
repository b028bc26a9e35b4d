#!/usr/bin/env bash
# The production topology on one machine: two `fangtong serve` processes on one fresh PostgreSQL
# database behind nginx running deploy/nginx/fangtong.conf, then deploy/check-cluster.ts checks
# it through nginx. Everything this script starts is stopped by its PID on exit, and the
# database it made is dropped.
#
#   bash deploy/local-cluster.sh
#
# PostgreSQL: CLUSTER_POSTGRES_URL (else CI_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test)
# names a database to connect to while creating ft_cluster_<pid> beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

NGINX=$(command -v nginx || true)
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]]; then
  echo "local-cluster: nginx is not installed. On Debian: apt-get install -y nginx-light" >&2
  exit 1
fi

ADMIN_URL=${CLUSTER_POSTGRES_URL:-${CI_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}}
DB_NAME="ft_cluster_$$"
DATABASE_URL="${ADMIN_URL%/*}/${DB_NAME}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fangtong-cluster.XXXXXX")
# nginx's workers drop root privileges and must still reach their temp directories in here.
chmod 755 "$WORK"
mkdir -p "$WORK/data" "$WORK/nginx-temp"

# TEST KEY, for this throwaway database only: never use it anywhere else.
TEST_ONLY_PII_KEY=7e57000000000000000000000000000000000000000000000000000000007e57

PIDS=()
DB_CREATED=0

admin_sql() {
  # Through the app's own pg driver, so the script needs no psql.
  node --input-type=module -e '
    import pg from "pg";
    const client = new pg.Client({ connectionString: process.argv[1] });
    await client.connect();
    try { await client.query(process.argv[2]); } finally { await client.end(); }
  ' "$ADMIN_URL" "$1"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A server lets its running job finish on SIGTERM; give them 15 s, then SIGKILL what is left.
  for _ in $(seq 1 150); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $status != 0 ]]; then
    for log in "$WORK"/*.log; do
      [[ -f "$log" ]] || continue
      echo "---- last lines of $(basename "$log") ----" >&2
      tail -n 30 "$log" >&2
    done
  fi
  if [[ $DB_CREATED == 1 ]]; then
    admin_sql "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)" || echo "local-cluster: could not drop ${DB_NAME}" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_ports() {
  node -e '
    const net = require("node:net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join(" "));
      for (const s of servers) s.close();
    });
  ' "$1"
}

wait_for() { # url what pid
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "local-cluster: $2 exited before answering $1" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "local-cluster: $2 did not answer $1 within 60 s" >&2
  return 1
}

read -r PORT_A PORT_B NGINX_PORT < <(free_ports 3)
NGINX_URL="http://127.0.0.1:${NGINX_PORT}"

# What every process of the cluster shares, as /etc/fangtong/fangtong.env would give it.
export NODE_ENV=production
# The in-process WeChat sandbox: the cluster checks take no payment.
export WECHAT_PAY_MODE=sandbox
# Codes go to each server's log, where the checks read them: no phone is texted.
export SMS_PROVIDER=log
export HOST=127.0.0.1
export DATABASE_URL
export FANGTONG_DATA_DIR="$WORK/data"
export FANGTONG_PII_KEY="$TEST_ONLY_PII_KEY"
export LOG_LEVEL=info
export PUBLIC_BASE_URL="$NGINX_URL"
export FANGTONG_JOBS=on
export FANGTONG_JOB_POLL_SECONDS=0.2
# nginx connects to the app servers from 127.0.0.2 (proxy_bind below), the address they trust.
# The checking client is on 127.0.0.1: if nginx also spoke from there, the client's own hop would
# count as a trusted proxy and the X-Forwarded-For it sent would be believed.
export TRUST_PROXY=127.0.0.2
# The servers run what production runs: the bundle `npm ci` (or `npm run build`) makes.
[[ -f dist/bundle/fangtong.cjs ]] || { echo "dist/bundle/fangtong.cjs is missing: run npm run build first" >&2; exit 1; }
FANGTONG=(node dist/bundle/fangtong.cjs)

echo "== database ${DB_NAME} =="
admin_sql "CREATE DATABASE ${DB_NAME}"
DB_CREATED=1
"${FANGTONG[@]}" migrate

start_server() { # name port [extra env...]
  local name=$1 port=$2
  shift 2
  env PORT="$port" "$@" "${FANGTONG[@]}" serve >"$WORK/server-$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  # Out of bash's job table: the check kills one of them on purpose, and bash would report it.
  disown "$pid"
  wait_for "http://127.0.0.1:${port}/healthz" "server $name" "$pid"
  echo "server $name: pid $pid, port $port"
  SERVER_ARGS+=(--server "$name:$pid:$port:$WORK/server-$name.log")
}

echo "== app servers =="
SERVER_ARGS=()
# The first one seeds the demo data into the empty database; the second starts on what it made.
start_server a "$PORT_A" FANGTONG_DEMO=1
start_server b "$PORT_B"

echo "== nginx on ${NGINX_URL} =="
# The production site with this machine's servers, a plain-HTTP listener and local log paths:
# the upstream's server lines are replaced, the redirecting port-80 server and the TLS lines
# dropped; every proxy, timeout, retry and header setting is kept as written.
awk -v servers="    server 127.0.0.1:${PORT_A} max_fails=1 fail_timeout=10s;\n    server 127.0.0.1:${PORT_B} max_fails=1 fail_timeout=10s;" \
  -v listen="    listen 127.0.0.1:${NGINX_PORT};\n    proxy_bind 127.0.0.2;" \
  -v logs="$WORK" '
  function flush() { if (block !~ /return 301/) printf "%s", block; block = ""; inserver = 0 }
  /^upstream fangtong \{/ { print; print servers; inupstream = 1; next }
  inupstream && /^\}/ { inupstream = 0 }
  inupstream && /^[ \t]*server[ \t]/ { next }
  /^server \{/ { inserver = 1; listened = 0 }
  inserver && /^[ \t]*listen[ \t]/ { if (!listened) block = block listen "\n"; listened = 1; next }
  inserver && /^[ \t]*ssl_/ { next }
  inserver && /Strict-Transport-Security/ { next }
  { gsub("/var/log/nginx/", logs "/nginx-") }
  inserver { block = block $0 "\n"; if ($0 ~ /^\}/) flush(); next }
  { print }
' deploy/nginx/fangtong.conf >"$WORK/fangtong.conf"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-main.error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $WORK/nginx-temp/body;
  proxy_temp_path $WORK/nginx-temp/proxy;
  fastcgi_temp_path $WORK/nginx-temp/fastcgi;
  uwsgi_temp_path $WORK/nginx-temp/uwsgi;
  scgi_temp_path $WORK/nginx-temp/scgi;
  include $WORK/fangtong.conf;
}
EOF
"$NGINX" -t -q -e "$WORK/nginx-main.error.log" -p "$WORK/" -c "$WORK/nginx.conf"
"$NGINX" -e "$WORK/nginx-main.error.log" -p "$WORK/" -c "$WORK/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
disown "$NGINX_PID"
wait_for "${NGINX_URL}/healthz" nginx "$NGINX_PID"
echo "nginx: pid $NGINX_PID"

echo "== checks through nginx =="
# In the background and waited for, so an interrupt runs the cleanup at once (bash runs a trap
# only after a foreground command ends) and the cleanup stops the check too.
node --import tsx deploy/check-cluster.ts --nginx "$NGINX_URL" --nginx-log "$WORK/nginx-fangtong.access.log" \
  "${SERVER_ARGS[@]}" &
CHECK_PID=$!
PIDS+=("$CHECK_PID")
wait "$CHECK_PID"
