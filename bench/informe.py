"""Turns bench/run.sh's measurements into bench/RESULTS.md (stdout).

    python3 bench/informe.py resultados.tsv maquina.txt bench/NOTAS.md
"""
import sys
from collections import defaultdict

resultados_tsv, maquina_txt, notas_md = sys.argv[1:4]

res = defaultdict(dict)   # scale -> key -> value (arranque.existente may repeat: kept as a list)
arranques = defaultdict(list)
for linea in open(resultados_tsv, encoding="utf-8"):
    escala, clave, valor = linea.rstrip("\n").split("\t", 2)
    if clave == "arranque.existente":
        arranques[escala].append(int(valor))
    res[escala][clave] = valor
maq = dict(l.rstrip("\n").split("=", 1) for l in open(maquina_txt, encoding="utf-8") if "=" in l)
escalas = sorted(res, key=int)
mayor, menor = escalas[-1], escalas[0]


def wrk(valor):
    """A RESULT line (possibly after a leading rate) as a dict."""
    d = {}
    for parte in valor.split():
        if "=" in parte:
            k, v = parte.split("=", 1)
            d[k] = v
    d["status"] = dict(s.split(":") for s in d.get("status", "").split(",") if s)
    return d


def num(x, dec=1):
    return f"{float(x):,.{dec}f}"


def cumple(ok):
    return "**met**" if ok else "**not met**"


nombres = {
    "e1": "E1 `GET /compromisos/{id}`",
    "e1.baseline": "E1 bare baseline, raw Npgsql",
    "e2": "E2 a programa's compromisos by calificación, page of 50",
    "e3": "E3 vencidos of a ministerio at a cut-off, page of 100",
    "e4": "E4 `POST …/calificaciones`",
    "e5": "E5 informe as text, programa with ~30 compromisos",
    "e6": "E6 statistics by ministerio for a year",
    "e6x": "E6 computed on every request (alCorte varies: a new question each time)",
}
out = []
p = out.append
p("# Benchmark results (issue 7)")
p("")
p(f"Produced by `bench/run.sh` on {maq['fecha']} in {int(maq['duracion_total']) // 60} min {int(maq['duracion_total']) % 60} s. "
  "Figures are from **this machine** and only mean something as ratios within one run; the benchmark is not part of CI.")
p("The sections after *Notes* are written by hand (`bench/NOTAS.md`): what each change bought.")
p("")
p("## Machine and settings")
p("")
p(f"- CPU: {maq['cpu']}; memory {maq['memoria']}; {maq['os']}")
p(f"- .NET SDK {maq['dotnet']}; PostgreSQL {maq['postgres']}; {maq['wrk']}; {maq['pgbench']}")
p("- wrk (load), the service, the baseline and PostgreSQL share the same cores over loopback, unpinned.")
p(f"- PostgreSQL: throwaway cluster, `{maq['pg_settings']}` (fsync on).")
p("- Service: published as the Dockerfile does (Release, ReadyToRun, linux-x64) and run as `dotnet CompromisosApi.dll`,")
p("  environment Production, rate limits raised to")
p("  100,000,000/min, anonymous public reads, JWT analista token for E4 (a key trusted for the run).")
p("- Baseline: `bench/Baseline`, a Minimal API with raw Npgsql and source-generated JSON (nothing else): same SQL, same JSON, same ETag.")
p(f"- Run parameters: `{maq['parametros']}`.")
p("- Ceiling: wrk closed loop, each run after its own warm-up; fixed rate: the same wrk script sending on a schedule")
p("  (`TASA`; a request due while every connection is busy goes out when one frees, none is skipped). Latencies in ms")
p("  from wrk's histogram (from the moment a request is written).")
p("")
p("## Data")
p("")
p("| scale | record | calificación now | due June/December | generated in | database size |")
p("|---|---|---|---:|---:|---:|")
for e in escalas:
    r = res[e]
    p(f"| {e}× | {r['datos']} | {r['datos.distribucion']} | {r['datos.junio_diciembre']} % | {r['datos.segundos']} s | {r['datos.tamano']} |")
p("")
p(f"E5 uses {res[mayor]['datos.e5']} at {mayor}×.")
p("")
p("## Ceiling (closed loop)")
p("")
for e in escalas:
    r = res[e]
    p(f"### {e}×")
    p("")
    p("| endpoint | requests/s | p50 | p95 | p99 | max | errors (incl. non-2xx) |")
    p("|---|---:|---:|---:|---:|---:|---:|")
    for k in ["e1", "e1.baseline", "e2", "e3", "e4", "e5", "e6", "e6x"]:
        d = wrk(r[f"techo.{k}"])
        err = int(d["errors"]) + int(d["non2xx"])
        p(f"| {nombres[k]} | {num(d['rps'])} | {d['p50']} | {d['p95']} | {d['p99']} | {d['max']} | {err} of {int(d['requests']):,} |")
    tps, lat = r["pgbench"].split()
    p(f"| E1 SQL in pgbench (database floor) | {num(tps)} | | | | | avg latency {lat} ms |")
    p("")

p("## Ratios")
p("")


def pares(e, clave="r1"):
    """(service rps, other rps) of each round at scale e: the sums of its service, other, other, service runs."""
    n = sum(1 for k in res[e] if k.startswith(clave + "."))
    return [(a + d, b + c) for a, b, c, d in (map(float, res[e][f"{clave}.{i}"].split()) for i in range(1, n + 1))]


def mediana(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


r1 = {e: mediana([a / b for a, b in pares(e)]) for e in escalas}
p("Each round measures every read endpoint and the baseline at every scale back to back; a ratio compares runs of")
p("the same round, and the report gives the median over the rounds. For R1, each round warms the service and the")
p("baseline on E1 (3 s each, not measured), then runs E1 at each scale as four short runs, service, baseline, baseline,")
p("service, and compares the sums (the mirrored order cancels a steady drift);")
p("the ceiling tables show the first service and the first baseline run of the median round.")
p("")
p("| scale | E1 service ÷ baseline, each round (mean req/s of its runs) | R1 = median (target ≥ 0.85) | E1 service ÷ pgbench |")
p("|---|---|---:|---:|")
for e in escalas:
    pg = float(res[e]["pgbench"].split()[0])
    cada = "; ".join(f"{a / 2:,.0f} ÷ {b / 2:,.0f} = {a / b:.2f}" for a, b in pares(e))
    p(f"| {e}× | {cada} | **{r1[e]:.2f}** {cumple(r1[e] >= 0.85)} | {float(wrk(res[e]['techo.e1'])['rps']) / pg:.2f} |")
p("")
# What a part of the request path costs E1: a service with it switched off, in each round (bench/run.sh, ab_e1).
costos = {}
for clave, nombre, que, ajuste, objetivo in [
        ("obs", "OpenTelemetry", "OpenTelemetry (metrics and the service's own activities, no exporter configured)", "Observabilidad__Habilitada=false", 0.05),
        ("traza", "The trace", "the trace of every transaction (one row per request, buffered and written by COPY)", "Interoperabilidad__Trazas__Habilitada=false", 0.10)]:
    e = next((e for e in escalas if f"{clave}.1" in res[e]), None)
    if not e:
        continue
    costos[clave] = (nombre, 1 - mediana([a / b for a, b in pares(e, clave)]), objetivo)
    p(f"What {que} costs E1 at {e}×: another service on the same database with `{ajuste}`, measured in each round in")
    p("the same mirrored order (with, without, without, with): " + "; ".join(f"{a / 2:,.0f} ÷ {b / 2:,.0f} = {a / b:.2f}" for a, b in pares(e, clave))
      + f"; **cost = 1 − median = {costos[clave][1]:.1%}** (target ≤ {objetivo:.0%}).")
    p("")
r3 = {}
if mayor != menor:
    p(f"R3 = requests/s at {mayor}× ÷ at {menor}×, per round, median (target ≥ 0.9 for each read endpoint); the columns")
    p("are the median rounds:")
    p("")
    p(f"| endpoint | {menor}× | " + " | ".join(f"{e}×" for e in escalas[1:]) + " | R3 |")
    p("|---|" + "---:|" * (len(escalas) + 1))
    for k in ["e1", "e2", "e3", "e5", "e6", "e6x", "e4"]:
        v = [float(wrk(res[e][f"techo.{k}"])["rps"]) for e in escalas]
        rondas = sorted(int(c.rsplit(".", 1)[1]) for c in res[mayor] if c.rsplit(".", 1)[0] == f"techo.{k}" and c.rsplit(".", 1)[1].isdigit())
        if rondas:  # per round, then the median
            cada = [float(wrk(res[mayor][f"techo.{k}.{i}"])["rps"]) / float(wrk(res[menor][f"techo.{k}.{i}"])["rps"]) for i in rondas]
            r3[k] = mediana(cada)
            detalle = " (rounds: " + ", ".join(f"{x:.2f}" for x in cada) + ")"
        else:
            r3[k] = v[-1] / v[0]
            detalle = ""
        nota = {"e4": "(write, one run per scale; no target)",
                "e6x": f"(target ≥ 0.5, issue 19) {cumple(r3[k] >= 0.5)}"
                }.get(k, cumple(r3[k] >= 0.9))
        p(f"| {nombres[k]} | " + " | ".join(num(x) for x in v) + f" | **{r3[k]:.2f}**{detalle} {nota} |")
    p("")

if any(k.startswith("asof.") for k in res[mayor]):
    p(f"## Reading the past, {mayor}× (issue 13)")
    p("")
    p("Each read as the current record, at a cut-off (`alCorte`) and as known at an instant (`conocidoAl`), closed loop,")
    p("back to back; the ratio is against the first row of its group.")
    p("")
    p("| read | req/s | p50 | p99 | ratio |")
    p("|---|---:|---:|---:|---:|")
    grupos = [
        [("e2", "E2 today"), ("e2a", "E2 at alCorte"), ("e2k", "E2 at alCorte, as known at conocidoAl")],
        [("e3h", "E3 vencidos today"), ("e3", "E3 at alCorte"), ("e3k", "E3 at alCorte, as known at conocidoAl")],
        [("e6x", "E6 computed afresh at alCorte"), ("e6k", "E6 computed afresh at alCorte, as known at conocidoAl")],
    ]
    for grupo in grupos:
        base = None
        for k, nombre in grupo:
            if f"asof.{k}" not in res[mayor]:
                continue
            d = wrk(res[mayor][f"asof.{k}"])
            base = base if base is not None else float(d["rps"])
            razon = f"{float(d['rps']) / base:.2f}" if base > 0 else "n/a"
            p(f"| {nombre} | {num(d['rps'])} | {d['p50']} | {d['p99']} | {razon} |")
    p("")

objetivos = {"e1": 10, "e2": 25, "e3": 25, "e4": 50, "e5": 50, "e6": 100, "e6x": 100}
fija = {}
if any(k.startswith("fija.") for k in res[mayor]):
    p(f"## Latency at half the ceiling, fixed rate, {mayor}×")
    p("")
    p("Each endpoint runs several times at its rate; the row is the run with the median p99, and the p99 of every run")
    p("is listed.")
    p("")
    p("| endpoint | rate asked | achieved | p50 | p95 | p99 | max | p99 of each run | target p99 | | errors (all runs) |")
    p("|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|")
    for k, objetivo in objetivos.items():
        corridas = [res[mayor][c] for c in res[mayor] if c.startswith(f"fija.{k}.")]
        if not corridas:
            continue
        datos = sorted(((c.split(" ", 1)[0], wrk(c.split(" ", 1)[1])) for c in corridas), key=lambda x: float(x[1]["p99"]))
        tasa, d = datos[len(datos) // 2]
        fija[k] = float(d["p99"])
        err = sum(int(x["errors"]) + int(x["non2xx"]) for _, x in datos)
        cada = ", ".join(x["p99"] for _, x in datos)
        p(f"| {nombres[k]} | {tasa} | {num(d['rps'])} | {d['p50']} | {d['p95']} | {d['p99']} | {d['max']} | {cada} | ≤ {objetivo} | {cumple(fija[k] <= objetivo)} | {err} |")
    p("")
    escritores = [wrk(res[mayor][c].split(" ", 1)[1]) for c in sorted(res[mayor]) if c.startswith("escrituras_e6x.")]
    if escritores:
        p("E6 computed afresh runs with writes flowing beside it: calificaciones (E4) at "
          + f"{res[mayor]['escrituras_e6x.1'].split(' ', 1)[0]} req/s asked, achieved "
          + ", ".join(f"{num(x['rps'])} req/s" for x in escritores) + " in its runs.")
        p("")

rafaga = {}
if f"rafaga.antes.lecturas" in res[mayor]:
    p(f"## Deadline burst, {mayor}×")
    p("")
    p("Reads are 60 % E1, 25 % E2, 15 % E3; writes are E4: 60 % new calificaciones, 20 % repeating one of 50")
    p("Idempotency-Keys with the same body (a replay, or 409 while the first is in flight), 20 % with a stale If-Match")
    p("(412). Base rate: 4 % of the mixed ceiling measured above, so that the burst (20×) is 80 % of it.")
    p("")
    p("| phase | rate asked | reads/s | read p50 | read p99 | read max | writes/s | write p99 | write statuses | 5xx | socket errors |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    fases = ["antes", "rafaga"] + sorted((k.split(".")[1] for k in res[mayor] if k.startswith("rafaga.despues") and k.endswith(".lecturas")),
                                           key=lambda f: int(f[len("despues"):]))
    total5xx = 0
    p99_despues = []
    for f in fases:
        tasa, rl = res[mayor][f"rafaga.{f}.lecturas"].split(" ", 1)
        _, re_ = res[mayor][f"rafaga.{f}.escrituras"].split(" ", 1)
        l, w = wrk(rl), wrk(re_)
        cinco = sum(int(c) for s, c in list(l["status"].items()) + list(w["status"].items()) if s.startswith("5"))
        total5xx += cinco
        sock = int(l["errors"]) + int(w["errors"])
        nombre = {"antes": "before (base)", "rafaga": "burst (20×)"}.get(f) or f"after, {5 * (int(f[7:]) - 1)}–{5 * int(f[7:])} s"
        estados = ", ".join(f"{s}: {c}" for s, c in sorted(w["status"].items()))
        p(f"| {nombre} | {tasa} | {num(l['rps'])} | {l['p50']} | {l['p99']} | {l['max']} | {num(w['rps'])} | {w['p99']} | {estados} | {cinco} | {sock} |")
        rafaga[f] = float(l["p99"])
        if f.startswith("despues"):
            p99_despues.append((int(f[7:]), float(l["p99"])))
    p("")
    base = rafaga["antes"]
    umbral = max(1.5 * base, base + 2)
    vuelta = next((5 * i for i, v in p99_despues if v <= umbral), None)
    p(f"- 5xx across all phases: **{total5xx}** (target 0: {cumple(total5xx == 0)}).")
    p(f"- Read p99 during the burst: **{rafaga['rafaga']} ms** (target ≤ 100 ms: {cumple(rafaga['rafaga'] <= 100)}).")
    p(f"- Back to base latency (read p99 ≤ max(1.5 × {base} ms, {base} + 2 ms) in a 5-second slice): "
      + (f"**within {vuelta} s** of the burst's end." if vuelta is not None else "**not within the slices measured**."))
    p(f"- Service memory (resident, sampled every second during the burst): max **{res[mayor].get('rss.rafaga', '?')} MB**"
      f"; after the fixed-rate runs {res[mayor].get('rss.tras_carga', '?')} MB (target ≤ 300 MB).")
    rafaga["5xx"] = total5xx
    p("")

p("## Start-up")
p("")
for e in escalas:
    p(f"- {e}×: empty database, migrations applied, to ready: {res[e]['arranque.vacia']} ms.")
if arranques[mayor]:
    p(f"- **Existing {mayor}× database, launch of `dotnet CompromisosApi.dll` to the first 200 from `/health/ready`: "
      f"{', '.join(str(x) for x in arranques[mayor])} ms** (three starts; target ≤ 2,000 ms: {cumple(max(arranques[mayor]) <= 2000)}).")
p("")

p("## Targets")
p("")
p(f"- R1 ≥ 0.85 (issue 19): " + ", ".join(f"{e}× {r1[e]:.2f}" for e in escalas) + f" → {cumple(all(v >= 0.85 for v in r1.values()))}.")
for nombre, costo, objetivo in costos.values():
    p(f"- {nombre}'s cost on E1 ≤ {objetivo:.0%}: {costo:.1%} {cumple(costo <= objetivo)}.")
if r3:
    p(f"- R3 ≥ 0.9 ({mayor}× ÷ {menor}×): " + ", ".join(f"{k.upper()} {r3[k]:.2f}" for k in ["e1", "e2", "e3", "e5", "e6"])
      + f" → {cumple(all(r3[k] >= 0.9 for k in ['e1', 'e2', 'e3', 'e5', 'e6']))}.")
    if "e6x" in r3:
        p(f"- R3 of E6 computed afresh ≥ 0.5 (issue 19): {r3['e6x']:.2f} {cumple(r3['e6x'] >= 0.5)}.")
if fija:
    p(f"- p99 at half the ceiling ({mayor}×): " + ", ".join(f"{k.upper()} {fija[k]} ms (≤ {objetivos[k]}) {cumple(fija[k] <= objetivos[k])}" for k in objetivos if k in fija) + ".")
pasos = {c.split(".")[2]: [] for c in res[mayor] if c.startswith("e4_pasos.")}
for c in res[mayor]:
    if c.startswith("e4_pasos."):
        pasos[c.split(".")[2]].append(float(res[mayor][c]))
if pasos.get("con") and pasos.get("sin"):
    razon = sum(pasos["con"]) / sum(pasos["sin"])
    p(f"- E4's ceiling with the statistics' steps ÷ without them ({mayor}×, mirrored runs: with "
      + ", ".join(num(x) for x in pasos["con"]) + " req/s, without " + ", ".join(num(x) for x in pasos["sin"])
      + f" req/s): {razon:.2f}, a drop of {1 - razon:.1%} (target ≤ 10 %) {cumple(razon >= 0.9)}.")
if rafaga:
    p(f"- Burst: 5xx {rafaga['5xx']} {cumple(rafaga['5xx'] == 0)}; read p99 {rafaga['rafaga']} ms {cumple(rafaga['rafaga'] <= 100)}.")
if arranques[mayor]:
    p(f"- Start-up ≤ 2 s: {max(arranques[mayor])} ms worst of three {cumple(max(arranques[mayor]) <= 2000)}.")
if "rss.rafaga" in res[mayor]:
    rss = max(int(res[mayor]["rss.rafaga"]), int(res[mayor].get("rss.tras_carga", 0)))
    p(f"- Working set under load ≤ 300 MB: {rss} MB {cumple(rss <= 300)}.")
p("")
p("## Notes")
p("")
print("\n".join(out))
print(open(notas_md, encoding="utf-8").read().rstrip())
