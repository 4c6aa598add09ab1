#!/usr/bin/env bash
# Starts or stops the PostgreSQL server that the tests running on PostgreSQL share (CTest fixture
# `postgres_server`; see tests/support/postgres_server.h). Debian's server, in DIR, on a Unix socket
# there only (no TCP), fsync off (FANZHA_PG_FSYNC=on for figures that count syncs), run as the
# postgres user when root.
#   postgres_server.sh start DIR     initialises DIR and starts the server (DIR is made afresh)
#   postgres_server.sh stop DIR      stops it and removes DIR
set -euo pipefail
action=${1:?start or stop}
dir=${2:?the server\'s folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "postgres_server.sh: no PostgreSQL server installed (/usr/lib/postgresql/*/bin/initdb);" \
       "bash scripts/setup.sh installs it" >&2
  exit 1
fi
as_server() {
  if [[ $(id -u) == 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case "$action" in
  start)
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$dir"
    as_server "$bin/initdb -D $dir/data -A trust -E UTF8 --no-locale -U postgres > $dir/initdb.log 2>&1" ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_server "$bin/pg_ctl -D $dir/data -l $dir/log -w -o \"-k $dir -p 5432 -c listen_addresses= -c fsync=${FANZHA_PG_FSYNC:-off} -c max_connections=200\" start > /dev/null" ||
      { cat "$dir/log" >&2; exit 1; }
    ;;
  stop)
    [[ -d "$dir/data" ]] && as_server "$bin/pg_ctl -D $dir/data -m immediate stop > /dev/null" || true
    rm -rf "$dir"
    ;;
  *) echo "postgres_server.sh: start or stop, not '$action'" >&2; exit 2 ;;
esac
