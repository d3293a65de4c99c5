#!/usr/bin/env bash
# `make serve`: the production set-up on this machine. PostgreSQL (database $PGDATABASE, made if
# missing), Redis for the shared cache, gunicorn and $TASK_WORKERS task workers under supervisord
# (each restarted when it exits), static files by WhiteNoise, one JSON line per request.
# `make serve-stop` stops it; `scripts/serve.sh status` lists the processes. Every setting can be
# given in the environment or in var/serve.env (README, "Operations").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
[ -f var/serve.env ] && { set -a; . var/serve.env; set +a; }

export DANGVU_BIN=$ROOT/.venv/bin
export DB=postgres PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGDATABASE=${PGDATABASE:-dangvu}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export DANGVU_VAR_DIR=${DANGVU_VAR_DIR:-$ROOT/var/serve}
export MEDIA_ROOT=${MEDIA_ROOT:-$DANGVU_VAR_DIR/media} STATIC_ROOT=${STATIC_ROOT:-$DANGVU_VAR_DIR/static}
export HOST=${HOST:-127.0.0.1} PORT=${PORT:-8000}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export DEBUG=0 STATIC_MANIFEST=1 REQUEST_LOG=1 DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-60}
export TASK_WORKERS=${TASK_WORKERS:-2}
case "$HOST" in 127.0.0.1|localhost|::1) export PLAIN_HTTP_ON_LOOPBACK=1 ;; esac
CONF=deploy/supervisord.conf
mkdir -p "$DANGVU_VAR_DIR/log"

if [ "${1:-start}" = status ]; then
  exec "$DANGVU_BIN/supervisorctl" -c $CONF status
fi
if [ "${1:-start}" = stop ]; then
  if [ -S "$DANGVU_VAR_DIR/supervisor.sock" ] && "$DANGVU_BIN/supervisorctl" -c $CONF shutdown >/dev/null 2>&1; then
    # supervisord stops the server and the workers (each finishes or hands back its job) before it exits
    while [ -f "$DANGVU_VAR_DIR/supervisord.pid" ] && kill -0 "$(cat "$DANGVU_VAR_DIR/supervisord.pid")" 2>/dev/null; do sleep 0.5; done
    echo "Đã dừng dangvu."
  else
    echo "dangvu không chạy."
  fi
  exit 0
fi

if [ -S "$DANGVU_VAR_DIR/supervisor.sock" ] && "$DANGVU_BIN/supervisorctl" -c $CONF pid >/dev/null 2>&1; then
  echo "dangvu đã chạy trên http://$HOST:$PORT (dừng: make serve-stop)."
  exit 0
fi
"$DANGVU_BIN/python" scripts/create_database.py
"$DANGVU_BIN/python" -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL'], socket_timeout=3).ping()" \
  2>/dev/null || { echo "Không kết nối được Redis tại $REDIS_URL: cài và chạy redis-server, hoặc đặt REDIS_URL." >&2; exit 1; }
"$DANGVU_BIN/dangvu" migrate -v0
[ "${DEMO:-1}" = 1 ] && "$DANGVU_BIN/dangvu" demo --if-empty  # DEMO=0 on a real installation
"$DANGVU_BIN/dangvu" collectstatic --noinput -v0
"$DANGVU_BIN/dangvu" check --deploy --fail-level WARNING
"$DANGVU_BIN/supervisord" -c $CONF

# ready when /healthz says so (the workers beat within seconds of starting)
for _ in $(seq 1 60); do
  if "$DANGVU_BIN/python" - <<PY 2>/dev/null; then break; fi
import urllib.request
urllib.request.urlopen("http://$HOST:$PORT/healthz", timeout=2)
PY
  sleep 1
done
"$DANGVU_BIN/python" - <<PY || { echo "dangvu chưa sẵn sàng: xem $DANGVU_VAR_DIR/log/" >&2; exit 1; }
import json, urllib.request, urllib.error
try:
    print("healthz:", json.load(urllib.request.urlopen("http://$HOST:$PORT/healthz", timeout=5)))
except urllib.error.HTTPError as e:
    print("healthz:", e.read().decode()); raise SystemExit(1)
PY
"$DANGVU_BIN/dangvu" login_info
echo "  gunicorn, $TASK_WORKERS tiến trình xử lý nền, PostgreSQL $PGDATABASE, Redis $REDIS_URL"
echo "  Nhật ký: $DANGVU_VAR_DIR/log/ · trạng thái: scripts/serve.sh status · dừng: make serve-stop"
