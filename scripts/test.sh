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

# Debian packages some tests use, installed when missing; without them those tests are skipped. Swagger UI is tested
# in a real browser (chromium, chromium-driver); /metrics is checked by promtool and scraped by a real Prometheus
# (prometheus: both programs).
faltan=()
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || faltan+=(chromium chromium-driver)
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || faltan+=(prometheus)
if [[ ${#faltan[@]} -gt 0 ]] && command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    [[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
    echo "test: installing ${faltan[*]}..." >&2
    { "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${faltan[@]}"; } >/dev/null 2>&1 \
        || echo "test: could not install ${faltan[*]}; the tests that need them will be skipped" >&2
    # Debian starts the service it installs where an init system runs: the tests start their own Prometheus.
    if [[ " ${faltan[*]} " == *" prometheus "* ]]; then
        { "${sudo_cmd[@]}" service prometheus stop || true; } >/dev/null 2>&1
    fi
fi

status=0
dotnet test CompromisosApi.sln -c Release \
    --logger "trx;LogFilePrefix=results" \
    --results-directory TestResults \
    "$@" || status=$?
exit "$status"
