#!/usr/bin/env bash
# Starts or stops a throwaway Debian PostgreSQL 15 server for the integration suite (the oldest supported
# server), on 127.0.0.1:${PG15_PORT:-55415} with its cluster in ${PG15_DIR:-/tmp/sessionproof-pg15}.
#   scripts/pg15.sh start   prints the admin URL to use as TEST_DATABASE_URL
#   scripts/pg15.sh stop
# initdb refuses to run as root, so the server runs as the postgres user (runuser).
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
DIR=${PG15_DIR:-/tmp/sessionproof-pg15}
PORT=${PG15_PORT:-55415}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if [ ! -x "$BIN/postgres" ]; then
      echo "PostgreSQL 15 is not installed: apt-get install -y postgresql-15" >&2
      exit 2
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --user-group postgres; fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -d "$DIR/data" ]; then as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
