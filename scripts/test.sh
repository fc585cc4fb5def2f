#!/usr/bin/env bash
# Runs all tests. Integration tests get PostgreSQL from COMPROMISOS_TEST_CONNECTION, Docker
# (Testcontainers) or a throwaway local cluster started by the tests themselves; this script
# only makes sure the server binaries for the last case are installed.
# Extra arguments go to 'dotnet test' (e.g. --filter ...).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

docker_ok() {
    command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1
}

if [[ -z "${COMPROMISOS_TEST_CONNECTION:-}" ]] && ! docker_ok; then
    scripts/pg-local.sh ensure-binaries
fi

status=0
dotnet test CompromisosApi.sln -c Release \
    --logger "trx;LogFilePrefix=results" \
    --results-directory TestResults \
    "$@" || status=$?
exit "$status"
