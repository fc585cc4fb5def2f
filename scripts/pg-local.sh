#!/usr/bin/env bash
# Local PostgreSQL cluster without Docker.
#
#   scripts/pg-local.sh ensure-binaries       install the Debian 'postgresql' package if no initdb is found
#   scripts/pg-local.sh start DATADIR PORT    init (if needed) and start a cluster on 127.0.0.1:PORT, create the
#                                             roles compromisos_owner (owns database 'compromisos') and
#                                             compromisos_app (LOGIN, nothing else: the service's migration grants
#                                             it what it needs); last stdout line = the superuser's connection string
#   scripts/pg-local.sh stop DATADIR          stop the cluster
#   scripts/pg-local.sh status DATADIR        exit 0 when running
#
# PG_LOCAL_OPTIONS adds server settings at start (the tests' throwaway clusters turn fsync off), and
# PG_LOCAL_INITDB_OPTIONS options to initdb (they skip its final sync with --no-sync).
#
# Can also be sourced for its functions. Diagnostics go to stderr so that callers can
# take the connection string from stdout.

PG_LOCAL_DB_NAME="${PG_LOCAL_DB_NAME:-compromisos}"
PG_LOCAL_OWNER=compromisos_owner
PG_LOCAL_APP=compromisos_app

pg_log() { printf 'pg-local: %s\n' "$*" >&2; }
pg_die() { pg_log "error: $*"; exit 1; }

pg_is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Prints the directory holding initdb and pg_ctl: PATH first, then the highest
# /usr/lib/postgresql/<version>/bin (Debian keeps them off PATH).
pg_find_bindir() {
    local initdb dir
    if initdb="$(command -v initdb 2>/dev/null)"; then
        # Follow symlinks (e.g. /usr/local/bin/initdb) to the real bin dir, which also has psql.
        dir="$(dirname "$(readlink -f "$initdb")")"
        if [[ -x "$dir/pg_ctl" ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    fi
    local candidate
    while IFS= read -r candidate; do
        if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -t/ -k5,5 -V -r)
    return 1
}

# initdb and pg_ctl refuse to run as root, so as root everything runs as 'postgres'.
# cd / keeps the tools from complaining about a cwd 'postgres' cannot read.
pg_as_owner() {
    if pg_is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

pg_ensure_binaries() {
    local bindir
    if bindir="$(pg_find_bindir)"; then
        pg_log "PostgreSQL binaries: $bindir"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 \
        || pg_die "no initdb/pg_ctl found and apt-get is unavailable; install the PostgreSQL server binaries (e.g. package 'postgresql')"
    local -a sudo=()
    if ! pg_is_root; then
        command -v sudo >/dev/null 2>&1 \
            || pg_die "no initdb/pg_ctl found; run as root or install the Debian package 'postgresql'"
        sudo=(sudo)
    fi
    pg_log "installing the Debian package 'postgresql'..."
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
    bindir="$(pg_find_bindir)" || pg_die "package installed but initdb/pg_ctl still not found"
    pg_log "PostgreSQL binaries: $bindir"
}

pg_abs_path() {
    local path="$1"
    [[ "$path" == /* ]] || path="$PWD/$path"
    # Only normalise; the directory may not exist yet.
    realpath -m -- "$path"
}

pg_running() {
    local bindir="$1" datadir="$2"
    [[ -f "$datadir/postmaster.pid" ]] && pg_as_owner "$bindir/pg_ctl" status -D "$datadir" >/dev/null 2>&1
}

pg_init() {
    local bindir="$1" datadir="$2"
    if [[ -d "$datadir" && -n "$(ls -A "$datadir" 2>/dev/null)" ]]; then
        pg_die "$datadir exists, is not empty and is not a PostgreSQL cluster"
    fi
    mkdir -p "$datadir"
    if pg_is_root; then
        id postgres >/dev/null 2>&1 || pg_die "no 'postgres' user to own the cluster; run 'scripts/pg-local.sh ensure-binaries'"
        chown postgres:postgres "$datadir"
        runuser -u postgres -- test -w "$datadir" \
            || pg_die "user 'postgres' cannot reach $datadir (a parent directory is not traversable); use a directory under /tmp or /var/tmp"
    fi
    chmod 700 "$datadir"
    pg_log "initialising cluster in $datadir"
    local locale out
    for locale in C.UTF-8 C; do
        # shellcheck disable=SC2086 # PG_LOCAL_INITDB_OPTIONS is a list of options
        if out="$(pg_as_owner "$bindir/initdb" -D "$datadir" -A trust -U postgres --encoding=UTF8 --locale="$locale" ${PG_LOCAL_INITDB_OPTIONS:-} 2>&1)"; then
            return 0
        fi
        # A failed initdb leaves files behind; the retry needs an empty directory.
        find "$datadir" -mindepth 1 -delete 2>/dev/null || true
    done
    printf '%s\n' "$out" >&2
    pg_die "initdb failed"
}

pg_port_of() {
    sed -n 4p "$1/postmaster.pid" 2>/dev/null
}

pg_start() {
    local datadir port bindir
    [[ $# -eq 2 ]] || pg_die "usage: $0 start DATADIR PORT"
    datadir="$(pg_abs_path "$1")"
    port="$2"
    [[ "$port" =~ ^[0-9]+$ ]] || pg_die "invalid port: $port"
    bindir="$(pg_find_bindir)" || pg_die "no initdb/pg_ctl found; run '$0 ensure-binaries' first"

    [[ -f "$datadir/PG_VERSION" ]] || pg_init "$bindir" "$datadir"

    if pg_running "$bindir" "$datadir"; then
        local actual
        actual="$(pg_port_of "$datadir")"
        if [[ -n "$actual" && "$actual" != "$port" ]]; then
            pg_log "already running on port $actual (not $port); leaving it as is"
            port="$actual"
        else
            pg_log "already running on port $port"
        fi
    else
        # Unix socket paths are limited to ~107 bytes; a deep DATADIR falls back to /tmp.
        local sockdir="$datadir"
        (( ${#datadir} + 20 < 100 )) || sockdir=/tmp
        pg_log "starting cluster $datadir on 127.0.0.1:$port"
        if ! pg_as_owner "$bindir/pg_ctl" start -w -t 60 -D "$datadir" -l "$datadir/server.log" \
            -o "-p $port -k $sockdir -c listen_addresses=127.0.0.1 ${PG_LOCAL_OPTIONS:-}" >&2; then
            tail -n 20 "$datadir/server.log" >&2 2>/dev/null || true
            pg_die "could not start the cluster (is port $port already in use?)"
        fi
    fi

    local psql_bin="$bindir/psql"
    [[ -x "$psql_bin" ]] || psql_bin="$(command -v psql)" || pg_die "psql not found"
    local -a psql=("$psql_bin" -X -q -h 127.0.0.1 -p "$port" -U postgres)
    local exists
    exists="$(PGCONNECT_TIMEOUT=10 "${psql[@]}" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_LOCAL_DB_NAME'")" \
        || pg_die "cannot connect to 127.0.0.1:$port"
    # Trust authentication on loopback: the roles need no password here (docker-compose's do).
    "${psql[@]}" -d postgres -v ON_ERROR_STOP=1 >&2 <<SQL
SELECT 'CREATE ROLE $PG_LOCAL_OWNER LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_LOCAL_OWNER')
\\gexec
SELECT 'CREATE ROLE $PG_LOCAL_APP LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_LOCAL_APP')
\\gexec
SQL
    if [[ "$exists" != 1 ]]; then
        pg_log "creating database $PG_LOCAL_DB_NAME"
        "${psql[@]}" -d postgres -c "CREATE DATABASE \"$PG_LOCAL_DB_NAME\" OWNER $PG_LOCAL_OWNER" >&2
    else
        pg_own_database "${psql[@]}" -d "$PG_LOCAL_DB_NAME"
    fi

    printf 'Host=127.0.0.1;Port=%s;Username=postgres;Database=%s\n' "$port" "$PG_LOCAL_DB_NAME"
}

# A database created before the two roles belongs to 'postgres', and so do its tables: hand them to the owner role,
# so that it can migrate them and grant the runtime role its privileges. Extension members stay with 'postgres'.
pg_own_database() {
    "$@" -v ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$
DECLARE
    o record;
BEGIN
    IF (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) = '$PG_LOCAL_OWNER' THEN
        RETURN;
    END IF;
    EXECUTE format('ALTER DATABASE %I OWNER TO $PG_LOCAL_OWNER', current_database());
    FOR o IN SELECT c.oid::regclass AS nombre FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO $PG_LOCAL_OWNER', o.nombre);
    END LOOP;
    FOR o IN SELECT p.oid::regprocedure AS nombre FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO $PG_LOCAL_OWNER', o.nombre);
    END LOOP;
END
\$\$;
SQL
}

pg_stop() {
    local datadir bindir
    [[ $# -eq 1 ]] || pg_die "usage: $0 stop DATADIR"
    datadir="$(pg_abs_path "$1")"
    bindir="$(pg_find_bindir)" || pg_die "no initdb/pg_ctl found"
    if pg_running "$bindir" "$datadir"; then
        pg_as_owner "$bindir/pg_ctl" stop -w -t 60 -D "$datadir" -m fast >&2
    else
        pg_log "not running: $datadir"
    fi
}

pg_status() {
    local datadir bindir
    [[ $# -eq 1 ]] || pg_die "usage: $0 status DATADIR"
    datadir="$(pg_abs_path "$1")"
    bindir="$(pg_find_bindir)" || return 1
    pg_running "$bindir" "$datadir"
}

pg_local_main() {
    set -euo pipefail
    local cmd="${1:-}"
    shift || true
    case "$cmd" in
        ensure-binaries) pg_ensure_binaries ;;
        start) pg_start "$@" ;;
        stop) pg_stop "$@" ;;
        status) pg_status "$@" ;;
        *)
            echo "usage: $0 {ensure-binaries | start DATADIR PORT | stop DATADIR | status DATADIR}" >&2
            exit 2
            ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    pg_local_main "$@"
fi
