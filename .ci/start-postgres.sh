#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for the storage tests; print its URL.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL server binaries" >&2; exit 1; }
PGDATA=$(mktemp -d /tmp/dualuse-pg.XXXXXX)
PORT=${DUALUSE_PG_PORT:-$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$PGDATA"
  RUN_AS=(runuser -u postgres --)
fi
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U dualuse --auth=trust >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA -c fsync=off" start >/dev/null
echo "postgresql+psycopg://dualuse@127.0.0.1:$PORT/postgres"
