#!/usr/bin/env bash
# Benchmark of issue 7, first slice: E1 (GET /compromisos/{id}) through the full service vs a bare Npgsql baseline
# and pgbench with the same SQL; E2 and E3 through the service. Writes bench/RESULTS.md. Not part of CI.
#
#   bench/run.sh                 ESCALA=1 (500 programas, 10,000 compromisos, ~30,000 calificaciones)
#   ESCALA=10 DURACION=30 CONEXIONES=64 bench/run.sh
#
# Everything it starts (a throwaway PostgreSQL cluster under $TMPDIR, the service, the baseline) is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
RAIZ="$PWD"
ESCALA="${ESCALA:-1}"
DURACION="${DURACION:-15}"       # seconds per measured run
CALENTAR="${CALENTAR:-20}"       # seconds of warm-up per target, not measured (tiered JIT + PGO need ~30 s under load)
HILOS="${HILOS:-2}"
CONEXIONES="${CONEXIONES:-32}"
ALCORTE="${ALCORTE:-2015-12-31}" # E3 cut-off
SALIDA="${SALIDA:-bench/RESULTS.md}"
PG_SETTINGS="-c shared_buffers=256MB -c effective_cache_size=1GB -c work_mem=16MB -c maintenance_work_mem=256MB -c max_connections=200 -c synchronous_commit=off -c checkpoint_timeout=15min -c max_wal_size=2GB -c random_page_cost=1.1 -c jit=off"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
puerto_libre() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- tools ---------------------------------------------------------------------------------------------------
SUDO=(); [[ "$(id -u)" -eq 0 ]] || SUDO=(sudo)
if ! command -v wrk >/dev/null; then
  log "installing wrk"; "${SUDO[@]}" apt-get update -qq >&2; "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
scripts/pg-local.sh ensure-binaries
source scripts/pg-local.sh
BINDIR="$(pg_find_bindir)"
PGBENCH="$BINDIR/pgbench"; [[ -x "$PGBENCH" ]] || PGBENCH="$(command -v pgbench)"
PSQL="$BINDIR/psql"

# --- cleanup -------------------------------------------------------------------------------------------------
TRABAJO="$(mktemp -d "${TMPDIR:-/tmp}/compromisos-bench.XXXXXX")"
[[ "$(id -u)" -eq 0 ]] && chmod 755 "$TRABAJO"
PIDS=()
limpiar() {
  for p in "${PIDS[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  scripts/pg-local.sh stop "$TRABAJO/pg" >/dev/null 2>&1 || true
  rm -rf "$TRABAJO"
}
trap limpiar EXIT

# --- PostgreSQL ----------------------------------------------------------------------------------------------
PGPORT="$(puerto_libre)"
log "PostgreSQL on 127.0.0.1:$PGPORT with: $PG_SETTINGS"
CONN="$(PG_LOCAL_OPTIONS="$PG_SETTINGS" scripts/pg-local.sh start "$TRABAJO/pg" "$PGPORT" | tail -n1)"
PSQLC=("$PSQL" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d compromisos)

# --- builds --------------------------------------------------------------------------------------------------
log "building the service and the baseline (Release)"
dotnet build -c Release src/CompromisosApi -nologo -v q >&2
dotnet build -c Release bench/Baseline -nologo -v q >&2

# --- the service: migrations at start, then serves ----------------------------------------------------------
SVCPORT="$(puerto_libre)"
log "starting the service (Release, Production environment) on 127.0.0.1:$SVCPORT"
ConnectionStrings__Compromisos="$CONN" \
LimitesDeUso__SolicitudesPorMinuto=100000000 LimitesDeUso__SolicitudesAnonimasPorMinuto=100000000 \
ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
  dotnet run -c Release --no-build --no-launch-profile --project src/CompromisosApi --urls "http://127.0.0.1:$SVCPORT" \
  >"$TRABAJO/servicio.log" 2>&1 &
PIDS+=($!)
esperar() { # URL name
  for _ in $(seq 1 120); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "$2 did not become ready"; tail -n 40 "$TRABAJO/servicio.log" "$TRABAJO/baseline.log" 2>/dev/null >&2; exit 1
}
esperar "http://127.0.0.1:$SVCPORT/health/ready" "the service"

# --- data ----------------------------------------------------------------------------------------------------
log "generating data at ESCALA=$ESCALA"
T0=$(date +%s.%N)
GEN="$("${PSQLC[@]}" -v escala="$ESCALA" -f bench/generar.sql)"
T1=$(date +%s.%N)
printf '%s\n' "$GEN" >&2
read -r N_PROG N_REC N_COMP N_CAL N_MAX < <("${PSQLC[@]}" -tAF' ' -c \
  "SELECT (SELECT count(*) FROM programas),(SELECT count(*) FROM recomendaciones),(SELECT count(*) FROM compromisos),(SELECT count(*) FROM calificaciones),(SELECT max(n) FROM (SELECT count(*) n FROM compromisos GROUP BY programa_id) x)")
T_GEN="$(python3 -c "print(f'{$T1 - $T0:.1f}')")"
DISTRIB="$("${PSQLC[@]}" -tAF' ' -c "SELECT calificacion || '=' || count(*) FROM compromisos GROUP BY calificacion ORDER BY calificacion" | paste -sd' ')"
MESES="$("${PSQLC[@]}" -tA -c "SELECT round(100.0*count(*) FILTER (WHERE extract(month FROM fecha_vencimiento) IN (6,12))/count(*)) FROM compromisos")"

# --- the baseline --------------------------------------------------------------------------------------------
BLPORT="$(puerto_libre)"
ConnectionStrings__Compromisos="$CONN" dotnet bench/Baseline/bin/Release/net10.0/Baseline.dll --urls "http://127.0.0.1:$BLPORT" \
  >"$TRABAJO/baseline.log" 2>&1 &
PIDS+=($!)
esperar "http://127.0.0.1:$BLPORT/health/ready" "the baseline"

# Same answer from both (the JSON body of one compromiso).
A="$(curl -sf "http://127.0.0.1:$SVCPORT/api/v1/compromisos/7")"; B="$(curl -sf "http://127.0.0.1:$BLPORT/compromisos/7")"
[[ "$A" == "$B" ]] || { log "service and baseline differ for compromiso 7:"; printf '%s\n%s\n' "$A" "$B" >&2; exit 1; }

# --- load ----------------------------------------------------------------------------------------------------
wrk_run() { # name URL modo n → "RESULT rps=… …"
  wrk -t"$HILOS" -c"$CONEXIONES" -d"${CALENTAR}s" -s bench/carga.lua "$2" -- "$3" "$4" "$ALCORTE" >/dev/null
  log "$1: wrk -t$HILOS -c$CONEXIONES -d${DURACION}s $2 ($3)"
  local out; out="$(wrk -t"$HILOS" -c"$CONEXIONES" -d"${DURACION}s" --timeout 5s -s bench/carga.lua "$2" -- "$3" "$4" "$ALCORTE")"
  printf '%s\n' "$out" >"$TRABAJO/wrk-$1.txt"
  grep '^RESULT' <<<"$out" | tail -n1
}
campo() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" ${1#RESULT }"; }

R_SVC="$(wrk_run e1-servicio "http://127.0.0.1:$SVCPORT/api/v1" e1 "$N_COMP")"; log "$R_SVC"
R_BL="$(wrk_run e1-baseline "http://127.0.0.1:$BLPORT/" e1 "$N_COMP")"; log "$R_BL"
N_MIN="$("${PSQLC[@]}" -tA -c 'SELECT count(*) FROM ministerios')"
R_E2="$(wrk_run e2 "http://127.0.0.1:$SVCPORT/" e2 "$N_PROG")"; log "$R_E2"
R_E3="$(wrk_run e3 "http://127.0.0.1:$SVCPORT/" e3 "$N_MIN")"; log "$R_E3"

# pgbench: the E1 statement exactly as the service sends it (EF Core's SingleOrDefault → LIMIT 2), prepared.
cat >"$TRABAJO/e1.sql" <<SQL
\set id random(1, $N_COMP)
SELECT c.id, c.calificacion, c.fecha_calificacion, c.fecha_vencimiento, c.numero, c.programa_id, c.recomendacion_id, c.secuencia, c.texto, c.xmin FROM compromisos AS c WHERE c.id = :id LIMIT 2;
SQL
log "pgbench -n -M prepared -c $CONEXIONES -j $HILOS -T $DURACION (E1 SQL)"
PGB="$("$PGBENCH" -n -M prepared -c "$CONEXIONES" -j "$HILOS" -T "$DURACION" -h 127.0.0.1 -p "$PGPORT" -U postgres -f "$TRABAJO/e1.sql" compromisos 2>&1)"
PGB_TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$PGB" | head -n1)"
PGB_LAT="$(sed -n 's/^latency average = \([0-9.]*\).*/\1/p' <<<"$PGB")"
PGB_FAIL="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$PGB")"
log "pgbench tps=$PGB_TPS latency avg=$PGB_LAT ms"

R1="$(python3 -c "print(f'{$(campo "$R_SVC" rps)/$(campo "$R_BL" rps):.2f}')")"
R_DB="$(python3 -c "print(f'{$(campo "$R_SVC" rps)/$PGB_TPS:.2f}')")"
log "R1 = $R1"

# --- RESULTS.md ----------------------------------------------------------------------------------------------
SVC_RSS="$(ps -o rss= -p "$(pgrep -f "CompromisosApi.dll|bin/Release/net10.0/CompromisosApi" | head -n1)" 2>/dev/null || echo '?')"
fila() { # name result
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(campo "$2" rps)" "$(campo "$2" p50)" "$(campo "$2" p95)" \
    "$(campo "$2" p99)" "$(campo "$2" max)" "$(( $(campo "$2" errors) + $(campo "$2" non2xx) )) of $(campo "$2" requests)"
}
{
  echo "# Benchmark results (issue 7, first slice)"
  echo
  echo "Produced by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Figures are from **this machine** and only"
  echo "mean something as ratios within one run; the benchmark is not part of CI."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
  echo "- Memory: $(free -h | awk '/^Mem:/ {print $2}') total"
  echo "- OS: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- .NET SDK $(dotnet --version); $("$PSQLC" --version 2>/dev/null | head -n1 || true) server $("${PSQLC[@]}" -tA -c 'SHOW server_version')"
  echo "- $(wrk --version 2>&1 | head -n1 | cut -c1-60); $("$PGBENCH" --version)"
  echo "- Load generator, service, baseline and PostgreSQL share the same cores, over loopback, unpinned."
  echo
  echo "## Settings"
  echo
  echo "- PostgreSQL: throwaway cluster, \`$PG_SETTINGS\` (fsync on)."
  echo "- Service: \`dotnet run -c Release --no-launch-profile\`, environment Production, rate limits raised to 100,000,000/min"
  echo "  (\`LimitesDeUso__SolicitudesPorMinuto\`, \`LimitesDeUso__SolicitudesAnonimasPorMinuto\`), anonymous public reads."
  echo "- Baseline: \`bench/Baseline\` (Minimal API, raw Npgsql, source-generated JSON, nothing else), same SQL, same JSON, same ETag."
  echo "- Load: wrk closed loop (ceiling): $HILOS threads, $CONEXIONES connections, ${DURACION} s measured after ${CALENTAR} s warm-up,"
  echo "  random ids (\`bench/carga.lua\`); latencies in ms from wrk's histogram. Fixed-rate runs are not in this slice."
  echo "- pgbench: \`-n -M prepared -c $CONEXIONES -j $HILOS -T $DURACION\`, the E1 statement as the service sends it."
  echo
  echo "## Data (ESCALA=$ESCALA, generated in $T_GEN s with SQL)"
  echo
  echo "$N_PROG programas, $N_REC recomendaciones, $N_COMP compromisos (up to $N_MAX in one programa), $N_CAL calificaciones."
  echo "Compromisos by calificación: $DISTRIB. Due in June or December: $MESES %."
  echo
  echo "## Results"
  echo
  echo "| endpoint | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors (incl. non-2xx) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  fila "E1 service \`GET /api/v1/compromisos/{id}\`" "$R_SVC"
  fila "E1 bare baseline \`GET /compromisos/{id}\`" "$R_BL"
  fila "E2 service: a programa's compromisos by calificación, \`limit=50\`" "$R_E2"
  fila "E3 service: vencidos of a ministerio at $ALCORTE, \`limit=100\`" "$R_E3"
  echo "| E1 SQL in pgbench (database floor) | $PGB_TPS | | | | | ${PGB_FAIL:-0} failed (avg latency $PGB_LAT ms) |"
  echo
  echo "- **R1** = E1 service ÷ baseline = **$R1** (target ≥ 0.8: $(python3 -c "print('met' if $R1 >= 0.8 else 'not met')"))."
  echo "- E1 service ÷ pgbench = $R_DB."
  echo "- Service resident memory after the runs: $(( ${SVC_RSS:-0} / 1024 )) MB."
  echo
  echo "Not yet measured (rest of issue 7): 10× and 100× (R3), fixed-rate latency at half the ceiling, E4–E6, the"
  echo "deadline burst, start-up time on an existing database."
} >"$SALIDA"
log "wrote $SALIDA"
cat "$SALIDA"
