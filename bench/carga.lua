-- wrk script: random ids per request and p50/p95/p99 from wrk's own histogram.
--   wrk -s bench/carga.lua URL -- MODO N [ALCORTE]
--   MODO e1: GET <prefix>/compromisos/{1..N}           (prefix from the URL path: /api/v1 or empty for the baseline)
--   MODO e2: GET /api/v1/compromisos?programaId={1..N}&calificacion=<random>&limit=50
--   MODO e3: GET /api/v1/compromisos?ministerioId={1..N}&vencidos=true&alCorte=ALCORTE&limit=100
local modo, n, corte, prefijo
local calificaciones = { "Cumplido", "Cancelado", "ParcialmenteCumplido", "NoCumplido", "Pendiente" }
local hilos = 0

function setup(thread)
  thread:set("id", hilos)
  hilos = hilos + 1
end

function init(args)
  modo = args[1] or "e1"
  n = tonumber(args[2] or "10000")
  corte = args[3] or "2015-12-31"
  prefijo = wrk.path:gsub("/$", "")
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  local k = math.random(1, n)
  if modo == "e1" then
    return wrk.format("GET", prefijo .. "/compromisos/" .. k)
  elseif modo == "e2" then
    return wrk.format("GET", "/api/v1/compromisos?programaId=" .. k .. "&calificacion="
      .. calificaciones[math.random(1, #calificaciones)] .. "&limit=50")
  else
    return wrk.format("GET", "/api/v1/compromisos?ministerioId=" .. k .. "&vencidos=true&alCorte=" .. corte .. "&limit=100")
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f requests=%d errors=%d non2xx=%d p50=%.2f p95=%.2f p99=%.2f max=%.2f\n",
    summary.requests / (summary.duration / 1e6), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
