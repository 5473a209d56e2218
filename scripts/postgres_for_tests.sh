#!/bin/sh
# A throwaway PostgreSQL cluster for the test suite: made, started, and its DSN printed.
#
#   export MODELUNIT_TEST_POSTGRES="$(scripts/postgres_for_tests.sh)"   # start; DSN on stdout
#   python -m pytest                                                   # store tests run on it
#   scripts/postgres_for_tests.sh stop "$MODELUNIT_TEST_POSTGRES"      # stop and delete it
#
# The cluster lives in a new directory under ${TMPDIR:-/tmp}, listens on a Unix socket
# there only (no TCP port), trusts local connections and has one database,
# modelunit_test, owned by the user modelunit. Run as root, the server runs as the
# postgres user (PostgreSQL refuses to run as root); otherwise as the caller. The
# server's binaries are Debian's (/usr/lib/postgresql/<version>/bin, the newest), or
# those in $PG_BIN. Everything but the DSN goes to stderr.
set -eu

bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "postgres_for_tests.sh: no PostgreSQL server found (install postgresql or set PG_BIN)" >&2
    exit 1
fi

as_server() {
    # Run a command as the user that owns the cluster.
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$*"
    else
        sh -c "$*"
    fi
}

if [ "${1:-}" = stop ]; then
    # The DSN names the socket directory: postgresql://modelunit@/modelunit_test?host=DIR/sock
    dir=$(printf '%s' "${2:?usage: postgres_for_tests.sh stop DSN}" | sed -n 's/.*host=\(.*\)\/sock$/\1/p')
    [ -d "$dir/data" ] || { echo "postgres_for_tests.sh: no cluster at '$dir'" >&2; exit 1; }
    as_server "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >&2
    rm -rf "$dir"
    exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/modelunit-pg.XXXXXX")
mkdir "$dir/sock"
if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$dir"
fi
as_server "'$bin/initdb' -D '$dir/data' -U modelunit --auth=trust -E UTF8 --no-instructions" >&2
as_server "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w \
    -o \"-k '$dir/sock' -c listen_addresses='' -c fsync=off\" start" >&2
as_server "'$bin/createdb' -h '$dir/sock' -U modelunit modelunit_test" >&2
echo "postgresql://modelunit@/modelunit_test?host=$dir/sock"
