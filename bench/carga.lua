-- wrk script for bench/run.sh. Settings come from the environment (wrk passes no named options to scripts):
--   MODO   e1  GET <prefix>/compromisos/{1..N}           (prefix from the URL path: /api/v1, or empty for the baseline)
--          e2  GET /api/v1/compromisos?programaId={1..N}&calificacion=<random>&limit=50
--          e3  GET /api/v1/compromisos?ministerioId={1..N}&vencidos=true&alCorte=ALCORTE&limit=100
--          e4  POST /api/v1/compromisos/{id from IDS_E4}/calificaciones (analista token)
--          e5  GET /api/v1/programas/{id from IDS_E5}/informe?formato=texto
--          e6  GET /api/v1/estadisticas/cumplimiento?agruparPor=ministerio&anio={ANIOS}
--          e6x e6 with alCorte any day of 2000-2026 as well: nearly every request a new question, so the service
--              aggregates every time (its answers are kept only while the record does not change)
--          as-of cost (bench/run.sh, largest scale): e2a e2 at alCorte=ALCORTE; e2k e2 as known at CONOCIDO too;
--          e3h e3 today (no alCorte); e3k e3 as known at CONOCIDO too; e6k e6x as known at a random instant too
--          lecturas     the deadline burst's reads: 60 % e1, 25 % e2, 15 % e3
--          escrituras   the burst's writes: 60 % e4, 20 % e4 repeating one of 50 Idempotency-Keys (same body),
--                       20 % e4 with a stale If-Match (must be 412)
--   N, N_PROG, N_MIN   id ranges; IDS_E4, IDS_E5 files with one id per line; ANIOS "2000-2020"; ALCORTE; FECHA_E4
--   TOKEN  bearer token for writes
--   TASA   requests/s for the whole wrk process (all threads); unset or 0: closed loop (as fast as answers come)
--   HILOS  wrk's -t (to split TASA between threads)
--   CLAVES prefix of the repeated Idempotency-Keys (one per run of the burst)
-- Prints one line "RESULT rps=… requests=… errors=… non2xx=… p50=… p95=… p99=… max=… status=200:n,412:n" (ms).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function ahora_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local function env(nombre, defecto) return os.getenv(nombre) or defecto end
local modo = env("MODO", "e1")
local n = tonumber(env("N", "10000"))
local n_prog = tonumber(env("N_PROG", "500"))
local n_min = tonumber(env("N_MIN", "24"))
local corte = env("ALCORTE", "2015-12-31")
local conocido = env("CONOCIDO", "2018-01-01T00:00:00Z")
local fecha_e4 = env("FECHA_E4", "2026-06-30")
local token = env("TOKEN", "")
local claves = env("CLAVES", "bench")
local tasa = tonumber(env("TASA", "0"))
local hilos_total = tonumber(env("HILOS", "2"))
local anio_desde, anio_hasta = env("ANIOS", "2000-2020"):match("(%d+)-(%d+)")
anio_desde, anio_hasta = tonumber(anio_desde), tonumber(anio_hasta)
local calificaciones = { "Cumplido", "Cancelado", "ParcialmenteCumplido", "NoCumplido", "Pendiente" }
local prefijo

local function leer_ids(ruta)
  local ids = {}
  if ruta then for linea in io.lines(ruta) do ids[#ids + 1] = tonumber(linea) end end
  return ids
end
local ids_e4 = leer_ids(os.getenv("IDS_E4"))
local ids_e5 = leer_ids(os.getenv("IDS_E5"))

local hilos = {}
function setup(thread)
  thread:set("numero", #hilos)
  hilos[#hilos + 1] = thread
end

function init(args)
  prefijo = wrk.path:gsub("/$", "")
  math.randomseed(os.time() * 1000 + (numero or 0) * 7919 + math.floor(ahora_ms() % 1000))
  estados = {}
end

local function cuerpo_e4(calif) return '{"calificacion":"' .. calif .. '","fecha":"' .. fecha_e4 .. '"}' end

local function e4(tipo)
  local h = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  local id, calif
  if tipo == "clave" then
    -- Same key, same compromiso, same body: the service must answer the first and replay it (or 409 while in flight).
    local k = math.random(1, 50)
    id, calif = ids_e4[1 + (k * 7919) % #ids_e4], "NoCumplido"
    h["Idempotency-Key"] = '"' .. claves .. "-" .. k .. '"'
  else
    id = ids_e4[math.random(1, #ids_e4)]
    calif = (math.random() < 0.5) and "ParcialmenteCumplido" or "NoCumplido"
    if tipo == "vieja" then h["If-Match"] = '"1"' end
  end
  return wrk.format("POST", "/api/v1/compromisos/" .. id .. "/calificaciones", h, cuerpo_e4(calif))
end

local function lectura(m)
  if m == "e1" then
    return wrk.format("GET", prefijo .. "/compromisos/" .. math.random(1, n))
  elseif m == "e2" then
    return wrk.format("GET", "/api/v1/compromisos?programaId=" .. math.random(1, n_prog) .. "&calificacion="
      .. calificaciones[math.random(1, #calificaciones)] .. "&limit=50")
  elseif m == "e3" then
    return wrk.format("GET", "/api/v1/compromisos?ministerioId=" .. math.random(1, n_min) .. "&vencidos=true&alCorte="
      .. corte .. "&limit=100")
  elseif m == "e2a" or m == "e2k" then
    return wrk.format("GET", "/api/v1/compromisos?programaId=" .. math.random(1, n_prog) .. "&calificacion="
      .. calificaciones[math.random(1, #calificaciones)] .. "&limit=50&alCorte=" .. corte
      .. (m == "e2k" and ("&conocidoAl=" .. conocido) or ""))
  elseif m == "e3h" then
    return wrk.format("GET", "/api/v1/compromisos?ministerioId=" .. math.random(1, n_min) .. "&vencidos=true&limit=100")
  elseif m == "e3k" then
    return wrk.format("GET", "/api/v1/compromisos?ministerioId=" .. math.random(1, n_min) .. "&vencidos=true&alCorte="
      .. corte .. "&limit=100&conocidoAl=" .. conocido)
  elseif m == "e6k" then
    return wrk.format("GET", string.format(
      "/api/v1/estadisticas/cumplimiento?agruparPor=ministerio&anio=%d&alCorte=%04d-%02d-%02d&conocidoAl=%04d-%02d-%02dT12:00:00Z",
      math.random(anio_desde, anio_hasta), math.random(2000, 2026), math.random(1, 12), math.random(1, 28),
      math.random(2001, 2026), math.random(1, 12), math.random(1, 28)))
  elseif m == "e5" then
    return wrk.format("GET", "/api/v1/programas/" .. ids_e5[math.random(1, #ids_e5)] .. "/informe?formato=texto")
  elseif m == "e6x" then
    return wrk.format("GET", string.format("/api/v1/estadisticas/cumplimiento?agruparPor=ministerio&anio=%d&alCorte=%04d-%02d-%02d",
      math.random(anio_desde, anio_hasta), math.random(2000, 2026), math.random(1, 12), math.random(1, 28)))
  else
    return wrk.format("GET", "/api/v1/estadisticas/cumplimiento?agruparPor=ministerio&anio=" .. math.random(anio_desde, anio_hasta))
  end
end

function request()
  if modo == "e4" then return e4("nueva") end
  if modo == "lecturas" then
    local r = math.random()
    return lectura(r < 0.60 and "e1" or (r < 0.85 and "e2" or "e3"))
  end
  if modo == "escrituras" then
    local r = math.random()
    return e4(r < 0.60 and "nueva" or (r < 0.80 and "clave" or "vieja"))
  end
  return lectura(modo)
end

function response(status, headers, body)
  estados[status] = (estados[status] or 0) + 1
end

-- Fixed rate: each thread sends on its own schedule (TASA / HILOS per second). A request that is due while every
-- connection is busy goes out as soon as one frees (no request is skipped), so a slow phase builds a queue as real
-- clients would; wrk measures each latency from the moment the request is written.
if tasa > 0 then
  local intervalo = 1000 * hilos_total / tasa
  local proximo
  function delay()
    local t = ahora_ms()
    proximo = proximo or t
    local espera = proximo - t
    proximo = proximo + intervalo
    if espera <= 0 then return 0 end
    return math.floor(espera)
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(hilos) do
    for s, c in pairs(t:get("estados") or {}) do total[s] = (total[s] or 0) + c end
  end
  local claves_estado = {}
  for s in pairs(total) do claves_estado[#claves_estado + 1] = s end
  table.sort(claves_estado)
  local partes = {}
  for _, s in ipairs(claves_estado) do partes[#partes + 1] = s .. ":" .. total[s] end
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f requests=%d errors=%d non2xx=%d p50=%.2f p95=%.2f p99=%.2f max=%.2f status=%s\n",
    summary.requests / (summary.duration / 1e6), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(partes, ",")))
end
