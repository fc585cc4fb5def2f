#!/usr/bin/env bash
# Runs the API on http://localhost:${PORT:-5080} with demo data, on a fresh machine.
#
#   scripts/run.sh         start PostgreSQL (Docker compose 'db' if a daemon answers, else a local
#                          cluster in .local/pg on port 55432) and run the API in the foreground
#   scripts/run.sh stop    stop the database (Ctrl-C on the API leaves it running)
#
# Env: PORT (API port, default 5080), PG_PORT (local cluster port, default 55432),
#      PG_DATA_DIR (local cluster directory, default .local/pg).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root="$PWD"

PORT="${PORT:-5080}"
PG_PORT="${PG_PORT:-55432}"
PG_DATA_DIR="${PG_DATA_DIR:-}"

log() { printf 'run: %s\n' "$*" >&2; }

docker_ok() {
    command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1
}

compose() {
    if docker compose version >/dev/null 2>&1; then
        docker compose "$@"
    elif command -v docker-compose >/dev/null 2>&1; then
        docker-compose "$@"
    else
        return 127
    fi
}

if [[ -z "$PG_DATA_DIR" ]]; then
    PG_DATA_DIR="$repo_root/.local/pg"
    # As root the cluster belongs to 'postgres', which cannot reach a checkout under e.g. /root.
    if [[ "$(id -u)" -eq 0 ]] && id postgres >/dev/null 2>&1 \
        && ! runuser -u postgres -- test -x "$repo_root" 2>/dev/null; then
        PG_DATA_DIR="/var/tmp/compromisos-pg"
    fi
fi

if [[ "${1:-}" == "stop" ]]; then
    if scripts/pg-local.sh status "$PG_DATA_DIR" 2>/dev/null; then
        scripts/pg-local.sh stop "$PG_DATA_DIR"
    fi
    if docker_ok; then
        compose stop db || true
    fi
    exit 0
fi

# compose takes its passwords from .env: on first use, random ones (letters and digits, git-ignored, readable by the
# user only). The same values build the service's connection strings below.
ensure_env_file() {
    if [[ ! -f .env ]]; then
        log "writing .env with random database passwords"
        local v
        (umask 077 && for v in POSTGRES_PASSWORD COMPROMISOS_OWNER_PASSWORD COMPROMISOS_APP_PASSWORD; do
            printf '%s=%s\n' "$v" "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
        done >.env)
    fi
    set -a
    # shellcheck source=/dev/null
    source .env
    set +a
}

wait_for_compose_db() {
    local i
    for ((i = 0; i < 60; i++)); do
        if compose exec -T db pg_isready -U postgres -d compromisos >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
    done
    log "the compose 'db' service did not become ready in 60 s"
    return 1
}

# Two roles (README, Database roles): the service runs as compromisos_app and migrates as compromisos_owner.
if docker_ok && compose version >/dev/null 2>&1; then
    log "Docker daemon found: starting the compose 'db' service"
    ensure_env_file
    compose up -d db >&2
    wait_for_compose_db
    app="Host=127.0.0.1;Port=55432;Username=compromisos_app;Password=$COMPROMISOS_APP_PASSWORD;Database=compromisos"
    owner="Host=127.0.0.1;Port=55432;Username=compromisos_owner;Password=$COMPROMISOS_OWNER_PASSWORD;Database=compromisos"
else
    log "no Docker daemon: using a local PostgreSQL cluster in $PG_DATA_DIR (port $PG_PORT)"
    scripts/pg-local.sh ensure-binaries
    # Its last line is the superuser's connection; the cluster trusts loopback, so the roles need no password.
    superuser="$(scripts/pg-local.sh start "$PG_DATA_DIR" "$PG_PORT" | tail -n 1)"
    app="${superuser/Username=postgres/Username=compromisos_app}"
    owner="${superuser/Username=postgres/Username=compromisos_owner}"
fi

export ConnectionStrings__Compromisos="$app" ConnectionStrings__Migraciones="$owner"
log "database: ${app/Password=*;/Password=…;} (migrations as compromisos_owner)"
echo "Swagger UI: http://localhost:$PORT/swagger"
# --urls after '--' goes to the app and overrides the launch profile's applicationUrl.
exec dotnet run --project src/CompromisosApi -c Release -- --urls "http://localhost:$PORT" --seed-demo
