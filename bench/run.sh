#!/usr/bin/env bash
# The benchmark of issue 7. Writes bench/RESULTS.md. Not part of CI; ~25 minutes on a 2-core machine.
#
#   bench/run.sh                          1×, 10× and 100× (100× ≈ 1,000,000 compromisos), then the deadline burst
#   ESCALAS=1 RAFAGA=0 bench/run.sh       quick look: 1× only, no burst (~4 minutes)
#
# For each scale, in a database of its own: the service (Release, Production settings) migrates it, bench/generar.sql
# fills it with SQL, then wrk measures the ceiling of E1–E6 (closed loop), the bare baseline (bench/Baseline) E1, and
# pgbench the E1 statement. At the largest scale also: latency at a fixed rate of half each ceiling, the deadline
# burst, start-up time on the existing database and the service's memory. Everything it starts (a throwaway
# PostgreSQL cluster under $TMPDIR, the service, the baseline) is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ESCALAS="${ESCALAS:-1 10 100}"
DURACION="${DURACION:-10}"             # seconds per measured closed-loop run
CALENTAR="${CALENTAR:-6}"              # seconds of warm-up per endpoint after each start, and before each write run (not measured)
CALENTAR_INICIAL="${CALENTAR_INICIAL:-30}" # after each start: tiered JIT and dynamic PGO need ~30 s under load
FIJA="${FIJA:-10}"                     # seconds per fixed-rate run
FIJA_VECES="${FIJA_VECES:-3}"          # fixed-rate runs per endpoint
RAFAGA="${RAFAGA:-120}"                # seconds of burst (0: no burst)
RAFAGA_ANTES="${RAFAGA_ANTES:-30}"     # seconds at the base rate before it
RAFAGA_TRAMOS="${RAFAGA_TRAMOS:-12}"   # 5-second slices at the base rate after it
PARES="${PARES:-3}"                    # rounds of ceilings (every read endpoint and the baseline at every scale)
DURACION_R1="${DURACION_R1:-5}"        # seconds per E1 / baseline run in a round (four per scale: service, baseline, baseline, service)
HILOS="${HILOS:-2}"
CONEXIONES="${CONEXIONES:-32}"
ALCORTE="${ALCORTE:-2023-12-31}"       # E3: a cut-off at which every ministerio has more than a page of vencidos, at 1× too
FECHA_E4="${FECHA_E4:-2026-06-30}"     # E4's calificación date: a corte, not in the future, after every generated one
SALIDA="${SALIDA:-bench/RESULTS.md}"
PG_SETTINGS="-c shared_buffers=512MB -c effective_cache_size=2GB -c work_mem=16MB -c maintenance_work_mem=512MB -c max_connections=700 -c synchronous_commit=off -c checkpoint_timeout=15min -c max_wal_size=4GB -c random_page_cost=1.1 -c jit=off"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
puerto_libre() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
INICIO=$(date +%s)

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
RES="$TRABAJO/resultados.tsv"   # scale, key, value: what bench/informe.py turns into RESULTS.md
: >"$RES"
SVC_PID=""; BL_PID=""
declare -A SVC_URL BL_URL SVC_PIDS BL_PIDS NCOMP NPROG   # per scale: every scale's service runs during the rounds
detener() { # pid
  [[ -n "$1" ]] || return 0
  kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
}
limpiar() {
  for p in "${SVC_PIDS[@]}" "${BL_PIDS[@]}"; do detener "$p"; done
  detener "$SIN_OBS_PID"; detener "$SIN_TRAZA_PID"
  detener "$SVC_PID"; detener "$BL_PID"
  scripts/pg-local.sh stop "$TRABAJO/pg" >/dev/null 2>&1 || true
  rm -rf "$TRABAJO"
}
trap limpiar EXIT
trap "exit 130" INT TERM   # so that EXIT cleans up when the run is interrupted
anotar() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# --- PostgreSQL ----------------------------------------------------------------------------------------------
PGPORT="$(puerto_libre)"
log "PostgreSQL on 127.0.0.1:$PGPORT with: $PG_SETTINGS"
CONN0="$(PG_LOCAL_OPTIONS="$PG_SETTINGS" scripts/pg-local.sh start "$TRABAJO/pg" "$PGPORT" | tail -n1)"
psql_db() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$@"; }

# --- builds --------------------------------------------------------------------------------------------------
# The service as the Dockerfile publishes it: Release, ReadyToRun for linux-x64 (start-up does not wait for the JIT).
log "publishing the service (Release, ReadyToRun) and building the baseline (Release)"
SVC_DIR="$TRABAJO/servicio"
dotnet publish src/CompromisosApi -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$SVC_DIR" -nologo -v q >&2
dotnet build -c Release bench/Baseline -nologo -v q >&2

# A key the service trusts for the run (as `dotnet user-jwts` does) and an analista token signed with it, for E4.
CLAVE="$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')"
TOKEN="$(python3 - "$CLAVE" <<'PY'
import base64, hashlib, hmac, json, sys, time
clave = base64.b64decode(sys.argv[1]); ahora = int(time.time())
b64 = lambda d: base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).rstrip(b"=").decode()
cuerpo = b64({"alg": "HS256", "typ": "JWT"}) + "." + b64({"sub": "bench", "name": "bench", "role": "analista",
    "iss": "compromisos-bench", "aud": "compromisos-api", "nbf": ahora - 60, "iat": ahora, "exp": ahora + 6 * 3600})
firma = base64.urlsafe_b64encode(hmac.new(clave, cuerpo.encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
print(cuerpo + "." + firma)
PY
)"

# Starts the service on database $1 (the compiled dll, as a deployment runs it); T_LISTO = ms from launch to ready.
# Further arguments are extra settings (NAME=value) for this instance.
iniciar_servicio() {
  # Idle connections kept 5 minutes, as the baseline's Npgsql default does: the production setting (10 s) would empty
  # the pool of an instance between its measured runs, and each run would first open and warm its connections again.
  local conn="${CONN0/Database=compromisos/Database=$1};Connection Idle Lifetime=300" t0 t1; shift
  SVC_PORT="$(puerto_libre)"
  t0=$(date +%s%N)
  (cd "$SVC_DIR" && exec env ConnectionStrings__Compromisos="$conn" \
    LimitesDeUso__SolicitudesPorMinuto=100000000 LimitesDeUso__SolicitudesAnonimasPorMinuto=100000000 \
    Transferencias__PorDireccion="$CONEXIONES" \
    Authentication__Schemes__Bearer__ValidIssuer=compromisos-bench \
    Authentication__Schemes__Bearer__ValidAudiences__0=compromisos-api \
    Authentication__Schemes__Bearer__SigningKeys__0__Issuer=compromisos-bench \
    Authentication__Schemes__Bearer__SigningKeys__0__Value="$CLAVE" \
    ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production "$@" \
    dotnet CompromisosApi.dll --urls "http://127.0.0.1:$SVC_PORT") >>"$TRABAJO/servicio.log" 2>&1 &
  SVC_PID=$!
  esperar "http://127.0.0.1:$SVC_PORT/health/ready" "the service" 0.02
  t1=$(date +%s%N)
  T_LISTO=$(( (t1 - t0) / 1000000 ))
}
iniciar_baseline() {
  local conn="${CONN0/Database=compromisos/Database=$1}"
  BL_PORT="$(puerto_libre)"
  ConnectionStrings__Compromisos="$conn" dotnet bench/Baseline/bin/Release/net10.0/Baseline.dll --urls "http://127.0.0.1:$BL_PORT" \
    >>"$TRABAJO/baseline.log" 2>&1 &
  BL_PID=$!
  esperar "http://127.0.0.1:$BL_PORT/health/ready" "the baseline" 0.1
}
esperar() { # URL name poll-seconds
  local limite=$(( $(date +%s) + 90 ))
  while (( $(date +%s) < limite )); do
    curl -sf -o /dev/null "$1" 2>/dev/null && return 0
    sleep "$3"
  done
  log "$2 did not become ready"; tail -n 40 "$TRABAJO/servicio.log" "$TRABAJO/baseline.log" 2>/dev/null >&2; exit 1
}
rss_mb() { echo $(( $(ps -o rss= -p "$1" 2>/dev/null || echo 0) / 1024 )); }

# wrk with bench/carga.lua. Settings for the script travel in the environment (see carga.lua).
wrk_carga() { # duration URL [VAR=value...] → RESULT line
  local dur="$1" url="$2"; shift 2
  env N="$N_COMP" N_PROG="$N_PROG" N_MIN="$N_MIN" IDS_E4="$TRABAJO/e4.$ESC.ids" IDS_E5="$TRABAJO/e5.$ESC.ids" ANIOS="2000-2020" \
    ALCORTE="$ALCORTE" FECHA_E4="$FECHA_E4" TOKEN="$TOKEN" HILOS="$HILOS" "$@" \
    wrk -t"$HILOS" -c"$CONEXIONES" -d"${dur}s" --timeout 10s -s bench/carga.lua "$url" | grep '^RESULT' | tail -n1
}
techo() { # scale key URL MODO
  wrk_carga "$CALENTAR" "$3" MODO="$4" >/dev/null
  local r; r="$(wrk_carga "$DURACION" "$3" MODO="$4")"
  log "$1× $2 ceiling: $r"; anotar "$1" "techo.$2" "$r"
}
campo() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" ${1#RESULT }"; }

# --- every scale in its own database, each with its service and its baseline running -----------------------
ULTIMA=""; SIN_OBS_URL=""; SIN_OBS_PID=""; SIN_TRAZA_URL=""; SIN_TRAZA_PID=""
for ESCALA in $ESCALAS; do
  ULTIMA="$ESCALA"
  DB="compromisos_$ESCALA"
  log "=== ESCALA=$ESCALA (database $DB)"
  psql_db postgres -c "CREATE DATABASE $DB"
  iniciar_servicio "$DB"
  log "service ready after ${T_LISTO} ms (empty database, migrations applied)"
  anotar "$ESCALA" arranque.vacia "$T_LISTO"
  SVC_URL[$ESCALA]="http://127.0.0.1:$SVC_PORT"; SVC_PIDS[$ESCALA]="$SVC_PID"

  log "generating data at ESCALA=$ESCALA"
  T0=$(date +%s%N)
  psql_db "$DB" -v escala="$ESCALA" -f bench/generar.sql >&2
  psql_db "$DB" -c "VACUUM (ANALYZE)" >&2
  # Flush the generator's gigabytes of WAL now, not as a checkpoint in the middle of a measurement.
  psql_db "$DB" -c "CHECKPOINT" >&2
  anotar "$ESCALA" datos.segundos "$(( ($(date +%s%N) - T0) / 1000000000 ))"
  read -r N_PROG N_REC N_COMP N_CAL N_MAX N_EGR N_MIN < <(psql_db "$DB" -tAF' ' -c \
    "SELECT (SELECT count(*) FROM programas),(SELECT count(*) FROM recomendaciones),(SELECT count(*) FROM compromisos),(SELECT count(*) FROM calificaciones),(SELECT max(n) FROM (SELECT count(*) n FROM compromisos GROUP BY programa_id) x),(SELECT count(*) FROM programas WHERE estado='Egresado'),(SELECT count(*) FROM ministerios)")
  NCOMP[$ESCALA]="$N_COMP"; NPROG[$ESCALA]="$N_PROG"
  anotar "$ESCALA" datos "$N_PROG programas ($N_EGR egresados), $N_REC recomendaciones, $N_COMP compromisos (up to $N_MAX in one programa), $N_CAL calificaciones"
  anotar "$ESCALA" datos.distribucion "$(psql_db "$DB" -tAF' ' -c "SELECT calificacion || '=' || count(*) FROM compromisos GROUP BY calificacion ORDER BY calificacion" | paste -sd' ')"
  anotar "$ESCALA" datos.junio_diciembre "$(psql_db "$DB" -tA -c "SELECT round(100.0*count(*) FILTER (WHERE extract(month FROM fecha_vencimiento) IN (6,12))/count(*)) FROM compromisos")"
  anotar "$ESCALA" datos.tamano "$(psql_db "$DB" -tA -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  # E4: open compromisos (not final) of programas in follow-up. E5: programas with exactly 30 compromisos (else the nearest count).
  psql_db "$DB" -tA -c "SELECT c.id FROM compromisos c JOIN programas p ON p.id = c.programa_id WHERE p.estado = 'EnSeguimiento' AND c.calificacion NOT IN ('Cumplido','Cancelado') ORDER BY random() LIMIT 5000" >"$TRABAJO/e4.$ESCALA.ids"
  psql_db "$DB" -tA -c "WITH n AS (SELECT programa_id, count(*) k FROM compromisos GROUP BY programa_id) SELECT programa_id FROM n WHERE abs(k - 30) = (SELECT min(abs(k - 30)) FROM n) LIMIT 200" >"$TRABAJO/e5.$ESCALA.ids"
  anotar "$ESCALA" datos.e5 "$(wc -l <"$TRABAJO/e5.$ESCALA.ids") programas with $(psql_db "$DB" -tA -c "SELECT count(*) FROM compromisos WHERE programa_id = $(head -n1 "$TRABAJO/e5.$ESCALA.ids")") compromisos"

  iniciar_baseline "$DB"
  BL_URL[$ESCALA]="http://127.0.0.1:$BL_PORT"; BL_PIDS[$ESCALA]="$BL_PID"
  # At the smallest scale, a second service with OpenTelemetry off (no metrics, no activities): what the
  # instrumentation costs E1 is measured against it in the rounds (issue 16: at most 5 %).
  if [[ -z "$SIN_OBS_URL" ]]; then
    SVC_PID_CON="$SVC_PID"
    iniciar_servicio "$DB" Observabilidad__Habilitada=false
    SIN_OBS_URL="http://127.0.0.1:$SVC_PORT"; SIN_OBS_ESCALA="$ESCALA"; SIN_OBS_PID="$SVC_PID"; SVC_PID="$SVC_PID_CON"
    # And a third with the trace of every transaction off (issue 17: what it costs E1, at most 10 %).
    iniciar_servicio "$DB" Interoperabilidad__Trazas__Habilitada=false
    SIN_TRAZA_URL="http://127.0.0.1:$SVC_PORT"; SIN_TRAZA_PID="$SVC_PID"; SVC_PID="$SVC_PID_CON"
  fi
  # Same answer from both (the JSON body of one compromiso).
  A="$(curl -sf "${SVC_URL[$ESCALA]}/api/v1/compromisos/7")"; B="$(curl -sf "${BL_URL[$ESCALA]}/compromisos/7")"
  [[ "$A" == "$B" ]] || { log "service and baseline differ for compromiso 7:"; printf '%s\n%s\n' "$A" "$B" >&2; exit 1; }
done

# Sets what wrk_carga needs for scale $1.
usar() {
  ESC="$1"; N_COMP="${NCOMP[$1]}"; N_PROG="${NPROG[$1]}"; SVC="${SVC_URL[$1]}"; SVC_PID="${SVC_PIDS[$1]}"
}
url_de() { # scale key → URL to load
  case "$2" in e1) echo "${SVC_URL[$1]}/api/v1" ;; e1.baseline) echo "${BL_URL[$1]}/" ;; *) echo "${SVC_URL[$1]}/" ;; esac
}

for ESCALA in $ESCALAS; do
  usar "$ESCALA"
  for m in e2 e3 e5 e6 e6x; do # each endpoint answers 200 before it is measured
    r="$(wrk_carga 1 "$SVC/" MODO=$m)"
    [[ "$(campo "$r" non2xx)" == 0 && "$(campo "$r" errors)" == 0 ]] || { log "$ESCALA× $m fails: $r"; exit 1; }
  done
  log "$ESCALA×: warming up the service ${CALENTAR_INICIAL} s on E1 and ${CALENTAR} s on each other read, the baseline 10 s"
  wrk_carga "$CALENTAR_INICIAL" "$SVC/api/v1" MODO=e1 >/dev/null
  for m in e2 e3 e5 e6; do wrk_carga "$CALENTAR" "$SVC/" MODO=$m >/dev/null; done
  wrk_carga 10 "${BL_URL[$ESCALA]}/" MODO=e1 >/dev/null
  [[ "$ESCALA" != "$SIN_OBS_ESCALA" ]] || wrk_carga "$CALENTAR_INICIAL" "$SIN_OBS_URL/api/v1" MODO=e1 >/dev/null
  [[ "$ESCALA" != "$SIN_OBS_ESCALA" ]] || wrk_carga "$CALENTAR_INICIAL" "$SIN_TRAZA_URL/api/v1" MODO=e1 >/dev/null
done

# E1 on this scale's service against a second one with a part switched off ($3), in the mirrored order of R1: with, without,
# without, with. Recorded as "$1.<round>" (what bench/informe.py turns into the part's cost).
ab_e1() { # key label URL-of-the-other-service
  local a b c d
  wrk_carga 3 "$3/api/v1" MODO=e1 >/dev/null
  a="$(wrk_carga "$DURACION_R1" "$(url_de "$ESCALA" e1)" MODO=e1)"
  b="$(wrk_carga "$DURACION_R1" "$3/api/v1" MODO=e1)"
  c="$(wrk_carga "$DURACION_R1" "$3/api/v1" MODO=e1)"
  d="$(wrk_carga "$DURACION_R1" "$(url_de "$ESCALA" e1)" MODO=e1)"
  log "round $ronda, $ESCALA× e1 with / without $2: $(campo "$a" rps) / $(campo "$b" rps) / $(campo "$c" rps) / $(campo "$d" rps) req/s"
  anotar "$ESCALA" "$1.$ronda" "$(campo "$a" rps) $(campo "$b" rps) $(campo "$c" rps) $(campo "$d" rps)"
}

# Ceilings in rounds: each round measures every read endpoint (and the baseline) at every scale back to back. This
# machine drifts by tens of percent from one minute to the next, so R1 (service ÷ baseline) and R3 (100× ÷ 1×) are
# taken per round, between runs seconds apart, and the report gives the median of the rounds.
for ronda in $(seq 1 "$PARES"); do
  # E1 and the baseline, scale by scale, in short runs ordered service, baseline, baseline, service: R1 compares runs
  # seconds apart, and the mirrored order cancels a steady drift of the machine during them.
  for ESCALA in $ESCALAS; do
    usar "$ESCALA"
    # Both warmed on E1 first (not measured): the block follows other endpoints' load, at 100× the heaviest.
    wrk_carga 3 "$(url_de "$ESCALA" e1)" MODO=e1 >/dev/null; wrk_carga 3 "$(url_de "$ESCALA" e1.baseline)" MODO=e1 >/dev/null
    a="$(wrk_carga "$DURACION_R1" "$(url_de "$ESCALA" e1)" MODO=e1)"
    b="$(wrk_carga "$DURACION_R1" "$(url_de "$ESCALA" e1.baseline)" MODO=e1)"
    c="$(wrk_carga "$DURACION_R1" "$(url_de "$ESCALA" e1.baseline)" MODO=e1)"
    d="$(wrk_carga "$DURACION_R1" "$(url_de "$ESCALA" e1)" MODO=e1)"
    log "round $ronda, $ESCALA× e1 / baseline / baseline / e1: $(campo "$a" rps) / $(campo "$b" rps) / $(campo "$c" rps) / $(campo "$d" rps) req/s"
    anotar "$ESCALA" "techo.e1.$ronda" "$a"; anotar "$ESCALA" "techo.e1.baseline.$ronda" "$b"
    anotar "$ESCALA" "r1.$ronda" "$(campo "$a" rps) $(campo "$b" rps) $(campo "$c" rps) $(campo "$d" rps)"
    if [[ "$ESCALA" == "$SIN_OBS_ESCALA" ]]; then
      ab_e1 obs "OpenTelemetry" "$SIN_OBS_URL"
      ab_e1 traza "the trace" "$SIN_TRAZA_URL"
    fi
  done
  for k in e2 e3 e5 e6 e6x; do
    for ESCALA in $ESCALAS; do
      usar "$ESCALA"
      r="$(wrk_carga "$DURACION" "$(url_de "$ESCALA" "$k")" MODO="${k%.baseline}")"
      log "round $ronda, $ESCALA× $k: $r"; anotar "$ESCALA" "techo.$k.$ronda" "$r"
    done
  done
done

for ESCALA in $ESCALAS; do
  usar "$ESCALA"
  techo "$ESCALA" e4 "$SVC/" e4   # writes: after the reads, one run per scale
  # pgbench: the E1 statement exactly as the service sends it (EF Core's compiled FirstOrDefault → LIMIT 1), prepared.
  cat >"$TRABAJO/e1.sql" <<SQL
\set id random(1, $N_COMP)
SELECT c.id, c.calificacion, c.fecha_calificacion, c.fecha_vencimiento, c.ministerio_id, c.numero, c.prioritario, c.programa_id, c.recomendacion_id, c.secuencia, c.texto, c.tipo, c.xmin, CASE WHEN c.calificacion = 'Cumplido' THEN cumplido_al_corte(c.id, NULL, NULL) END FROM compromisos AS c WHERE c.id = :id LIMIT 1;
SQL
  PGB="$("$PGBENCH" -n -M prepared -c "$CONEXIONES" -j "$HILOS" -T "$DURACION" -h 127.0.0.1 -p "$PGPORT" -U postgres -f "$TRABAJO/e1.sql" "compromisos_$ESCALA" 2>&1)"
  anotar "$ESCALA" pgbench "$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$PGB" | head -n1) $(sed -n 's/^latency average = \([0-9.]*\).*/\1/p' <<<"$PGB")"
  log "$ESCALA× pgbench: $(tail -n 3 <<<"$PGB" | head -n1)"
done
# The median round stands for each endpoint's ceiling (the fixed rate and the burst's base are derived from it).
python3 - "$RES" <<'PY' >>"$RES"
import sys, collections
rondas = collections.defaultdict(list)
for linea in open(sys.argv[1], encoding="utf-8"):
    e, k, v = linea.rstrip("\n").split("\t", 2)
    partes = k.split(".")
    if partes[0] == "techo" and partes[-1].isdigit():
        rondas[(e, ".".join(partes[1:-1]))].append(v)
for (e, k), vs in rondas.items():
    vs.sort(key=lambda v: float(v.split("rps=")[1].split()[0]))
    print(f"{e}\ttecho.{k}\t{vs[len(vs) // 2]}")
PY
detener "$SIN_OBS_PID"; SIN_OBS_PID=""; detener "$SIN_TRAZA_PID"; SIN_TRAZA_PID=""
for ESCALA in $ESCALAS; do
  [[ "$ESCALA" == "$ULTIMA" ]] || { detener "${SVC_PIDS[$ESCALA]}"; }
  detener "${BL_PIDS[$ESCALA]}"
done
usar "$ULTIMA"

# --- at the largest scale: what reading the past costs (issue 13) ------------------------------------------------
# Each read today, at a cut-off (alCorte) and as known at an instant (conocidoAl), back to back, closed loop.
if [[ "${ASOF:-1}" != 0 ]]; then
  for m in e2 e2a e2k e3h e3 e3k e6x e6k; do
    r="$(wrk_carga 1 "$SVC/" MODO=$m)"
    [[ "$(campo "$r" non2xx)" == 0 && "$(campo "$r" errors)" == 0 ]] || { log "$ULTIMA× $m fails: $r"; exit 1; }
    wrk_carga "$CALENTAR" "$SVC/" MODO=$m >/dev/null
    r="$(wrk_carga "$DURACION" "$SVC/" MODO=$m)"
    log "$ULTIMA× as-of $m: $r"; anotar "$ULTIMA" "asof.$m" "$r"
  done
fi

# --- at the largest scale: fixed rate at half each ceiling -----------------------------------------------------
tasa_mitad() { python3 -c "print(max(1, int(float('$(campo "$(awk -F'\t' -v e="$ULTIMA" -v k="techo.$1" '$1==e && $2==k {print $3}' "$RES")" rps)') / 2)))"; }
# e6x with writes flowing (issue 19): calificaciones (E4) at ESCRITURAS req/s beside it, each run, so that its steps
# are appended and folded while the statistics are read.
ESCRITURAS="${ESCRITURAS:-20}"
for m in e1 e2 e3 e4 e5 e6 e6x; do
  t="$(tasa_mitad "$m")"
  wrk_carga 3 "$SVC/api/v1" MODO=$m TASA="$t" >/dev/null
  for vez in $(seq 1 "$FIJA_VECES"); do   # the report takes the median run by p99 (the machine drifts)
    escritor=""
    if [[ "$m" == e6x ]]; then
      HILOS=1 CONEXIONES=2 wrk_carga "$(( FIJA + 1 ))" "$SVC/api/v1" MODO=e4 TASA="$ESCRITURAS" >"$TRABAJO/escritor.$vez" & escritor=$!
    fi
    r="$(wrk_carga "$FIJA" "$SVC/api/v1" MODO=$m TASA="$t")"
    log "$ULTIMA× $m at $t req/s (run $vez): $r"; anotar "$ULTIMA" "fija.$m.$vez" "$t $r"
    if [[ -n "$escritor" ]]; then
      wait "$escritor"; log "  beside it, E4 at $ESCRITURAS req/s: $(cat "$TRABAJO/escritor.$vez")"
      anotar "$ULTIMA" "escrituras_e6x.$vez" "$ESCRITURAS $(cat "$TRABAJO/escritor.$vez")"
    fi
  done
done
anotar "$ULTIMA" rss.tras_carga "$(rss_mb "$SVC_PID")"

# --- the deadline burst ---------------------------------------------------------------------------------------
# Base rate: 4 % of the mixed ceiling (70 % reads as 60/25/15 of E1/E2/E3, 30 % writes as E4), so that 20× the base
# is 80 % of what the service can do at all: a real overload of short duration, not a saturation test.
if (( RAFAGA > 0 )); then
  BASE="$(python3 - "$RES" "$ULTIMA" <<'PY'
import sys
techos = {}
for linea in open(sys.argv[1]):
    e, k, v = linea.rstrip("\n").split("\t")
    if e == sys.argv[2] and k.startswith("techo."):
        techos[k[6:]] = float(v.split("rps=")[1].split()[0])
pesos = {"e1": 0.42, "e2": 0.175, "e3": 0.105, "e4": 0.30}
print(max(10, round(0.04 / sum(w / techos[m] for m, w in pesos.items()))))
PY
)"
  fase() { # name seconds rate → two RESULT lines (reads, writes) in the results
    local lect esc pid_l pid_e
    lect="$TRABAJO/fase-l.txt"; esc="$TRABAJO/fase-e.txt"
    HILOS=1 CONEXIONES=48 wrk_carga "$2" "$SVC/api/v1" MODO=lecturas TASA="$(( $3 * 7 / 10 ))" HILOS=1 >"$lect" &
    pid_l=$!
    HILOS=1 CONEXIONES=16 wrk_carga "$2" "$SVC/" MODO=escrituras TASA="$(( $3 * 3 / 10 ))" HILOS=1 CLAVES="rafaga-$INICIO" >"$esc" &
    pid_e=$!
    wait "$pid_l" "$pid_e"
    anotar "$ULTIMA" "rafaga.$1.lecturas" "$3 $(cat "$lect")"
    anotar "$ULTIMA" "rafaga.$1.escrituras" "$3 $(cat "$esc")"
    log "burst $1 at $3 req/s: reads $(cat "$lect")"
    log "burst $1 at $3 req/s: writes $(cat "$esc")"
  }
  log "deadline burst: base $BASE req/s, burst $(( BASE * 20 )) req/s for $RAFAGA s"
  fase antes "$RAFAGA_ANTES" "$BASE"
  ( max=0; while kill -0 "$SVC_PID" 2>/dev/null; do r="$(rss_mb "$SVC_PID")"; (( r > max )) && max=$r; echo "$max" >"$TRABAJO/rss-max"; sleep 1; done ) &
  MUESTREO=$!
  fase rafaga "$RAFAGA" "$(( BASE * 20 ))"
  kill "$MUESTREO" 2>/dev/null || true
  anotar "$ULTIMA" rss.rafaga "$(cat "$TRABAJO/rss-max" 2>/dev/null || echo '?')"
  for i in $(seq 1 "$RAFAGA_TRAMOS"); do fase "despues$i" 5 "$BASE"; done
fi

# --- at the largest scale: what the statistics' steps cost a calificación (issue 19: E4's ceiling ≤ 10 % lower) -----
# E4's ceiling with the triggers that write the steps and with them disabled, mirrored (with, without, without, with).
# Last, because a calificación written without them is missing from the statistics' steps from then on.
if [[ "${E4_PASOS:-1}" != 0 ]]; then
  pasos() { psql_db "compromisos_$ULTIMA" -c "ALTER TABLE calificaciones $1 TRIGGER estadisticas_calificaciones; ALTER TABLE compromisos $1 TRIGGER estadisticas_compromisos_cambiados" >&2; }
  vez_e4=0
  for fase_e4 in con sin sin con; do
    vez_e4=$(( vez_e4 + 1 ))
    if [[ "$fase_e4" == con ]]; then pasos ENABLE; else pasos DISABLE; fi
    wrk_carga 3 "$SVC/api/v1" MODO=e4 >/dev/null
    r="$(wrk_carga "$DURACION" "$SVC/api/v1" MODO=e4)"
    log "$ULTIMA× e4 ceiling $fase_e4 the statistics' steps: $r"; anotar "$ULTIMA" "e4_pasos.$vez_e4.$fase_e4" "$(campo "$r" rps)"
  done
  pasos ENABLE
fi

# --- start-up on the existing (largest) database --------------------------------------------------------------
detener "$SVC_PID"; SVC_PID=""
for i in 1 2 3; do
  iniciar_servicio "compromisos_$ULTIMA"
  anotar "$ULTIMA" arranque.existente "$T_LISTO"
  detener "$SVC_PID"; SVC_PID=""
done

# --- RESULTS.md -----------------------------------------------------------------------------------------------
{
  echo "cpu=$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
  echo "memoria=$(free -h | awk '/^Mem:/ {print $2}')"
  echo "os=$(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "dotnet=$(dotnet --version)"
  echo "postgres=$(psql_db postgres -tA -c 'SHOW server_version')"
  echo "wrk=$(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
  echo "pgbench=$("$PGBENCH" --version)"
  echo "pg_settings=$PG_SETTINGS"
  echo "parametros=PARES=$PARES DURACION=$DURACION DURACION_R1=$DURACION_R1 CALENTAR=$CALENTAR CALENTAR_INICIAL=$CALENTAR_INICIAL FIJA=$FIJA FIJA_VECES=$FIJA_VECES RAFAGA=$RAFAGA RAFAGA_ANTES=$RAFAGA_ANTES RAFAGA_TRAMOS=$RAFAGA_TRAMOS HILOS=$HILOS CONEXIONES=$CONEXIONES ALCORTE=$ALCORTE FECHA_E4=$FECHA_E4"
  echo "duracion_total=$(( $(date +%s) - INICIO ))"
  echo "fecha=$(date -u '+%Y-%m-%d %H:%M UTC')"
} >"$TRABAJO/maquina.txt"
# The raw measurements stay beside the report.
cp "$RES" bench/resultados.tsv; cp "$TRABAJO/maquina.txt" bench/maquina.txt
python3 bench/informe.py bench/resultados.tsv bench/maquina.txt bench/NOTAS.md >"$SALIDA"
log "wrote $SALIDA"
cat "$SALIDA"
