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

# Swagger UI is tested in a real browser: Debian's chromium and chromium-driver. Without them that one test is skipped.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]] && command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    [[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
    echo "test: installing chromium and chromium-driver for the Swagger UI browser test..." >&2
    { "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } >/dev/null 2>&1 \
        || echo "test: could not install chromium; the browser test will be skipped" >&2
fi

status=0
dotnet test CompromisosApi.sln -c Release \
    --logger "trx;LogFilePrefix=results" \
    --results-directory TestResults \
    "$@" || status=$?
exit "$status"
