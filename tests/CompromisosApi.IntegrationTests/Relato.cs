using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Domain;
using CompromisosApi.IntegrationTests.Infrastructure;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>What the reads say about a programa at a cut-off, checked against its Informe.</summary>
internal static class Relato
{
    public static List<(int, DateOnly)> ReportesDe(JsonArray compromisos, int sinReporteEn2009)
    {
        // The seed: every compromiso reported at 31-12-2009 except 1.2, reported at 31-12-2011 only.
        var ids = compromisos.Select(c => (int)c!["id"]!).ToList();
        return ids.Where(id => id != sinReporteEn2009).Select(id => (id, new DateOnly(2009, 12, 31)))
            .Append((sinReporteEn2009, new DateOnly(2011, 12, 31))).ToList();
    }

    /// <summary>EF's ToQueryString puts "-- @p='…'" lines before the SQL; inline those values so EXPLAIN can run it.</summary>
    public static string SinDeclaraciones(string sql)
    {
        var lineas = sql.Split('\n');
        var valores = new Dictionary<string, string>();
        foreach (var l in lineas.Where(l => l.StartsWith("-- @", StringComparison.Ordinal)))
        {
            var igual = l.IndexOf('=', StringComparison.Ordinal);
            var nombre = l[3..igual];
            var valor = l[(igual + 1)..].Split(" (", 2)[0].Trim();
            valores[nombre] = valor.StartsWith('\'') && DateOnly.TryParse(valor.Trim('\''), CultureInfo.InvariantCulture, out _) ? $"DATE {valor}"
                : valor.StartsWith('{') ? $"ARRAY[{valor.Trim('{', '}', ' ')}]" // an array parameter: "{ 'Cumplido', 'Cancelado' }"
                : valor;
        }

        var cuerpo = string.Join("\n", lineas.Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
        foreach (var (nombre, valor) in valores.OrderByDescending(v => v.Key.Length)) cuerpo = cuerpo.Replace(nombre, valor, StringComparison.Ordinal);
        return cuerpo;
    }

    /// <summary>
    /// Every read at cut-off <paramref name="d"/> (and, when given, as known at <paramref name="conocidoAl"/>, with the
    /// reportes registered by then) against the Informe of the same moment.
    /// </summary>
    public static async Task AfirmarAsync(Escenario e, HttpClient cliente, int programa, int servicio, DateOnly d,
        IReadOnlyList<(int Compromiso, DateOnly Corte)> reportes, DateTimeOffset? conocidoAl = null)
    {
        var corte = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            + (conocidoAl is { } t ? "&conocidoAl=" + Instante(t) : "");
        var donde = $"al {corte}";
        var mes = new DateOnly(d.Year, d.Month, 1);
        var soloCorte = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // The reference: the Informe's compromisos and header.
        var informe = await e.LeerAsync($"/api/v1/programas/{programa}/informe?alCorte={corte}");
        var porNumero = informe["recomendaciones"]!.AsArray().SelectMany(r => r!["compromisos"]!.AsArray())
            .ToDictionary(c => (string)c!["numero"]!, c => (Calificacion: (string)c!["calificacion"]!, Fecha: (string?)c["fechaCalificacion"], Vence: (string)c["fechaVencimiento"]!));
        var egresado = (string?)informe["calificacion"] == "Egresado";

        var lista = await TodosAsync(e, $"/api/v1/compromisos?programaId={programa}&alCorte={corte}");
        Assert.Equal(porNumero.Count, lista.Count);
        var esperado = new Dictionary<int, (string Calificacion, string? Fecha, bool Vencido, DateOnly Vence)>();
        foreach (var c in lista)
        {
            var (cal, fecha, vence) = porNumero[(string)c["numero"]!];
            var venceMes = DateOnly.ParseExact(vence + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var vencido = Compromiso.EstaVencido(venceMes, Enum.Parse<Calificacion>(cal), d);
            var id = (int)c["id"]!;
            esperado[id] = (cal, fecha, vencido, venceMes);
            Assert.True(cal == (string?)c["calificacion"] && fecha == (string?)c["fechaCalificacion"] && vencido == (bool)c["vencido"]!, $"lista {donde}, {c["numero"]}: {c.ToJsonString()}");
            var uno = await e.LeerAsync($"/api/v1/compromisos/{id}?alCorte={corte}");
            Assert.True(cal == (string?)uno["calificacion"] && fecha == (string?)uno["fechaCalificacion"] && vencido == (bool)uno["vencido"]!, $"GET {donde}, {c["numero"]}: {uno.ToJsonString()}");
        }

        var deRecomendaciones = new List<JsonObject>();
        foreach (var r in await TodosAsync(e, $"/api/v1/programas/{programa}/recomendaciones"))
            deRecomendaciones.AddRange(await TodosAsync(e, $"/api/v1/recomendaciones/{(int)r["id"]!}/compromisos?alCorte={corte}"));
        Assert.Equal(esperado.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value.Calificacion} {(x.Value.Vencido ? "true" : "false")}"),
            deRecomendaciones.OrderBy(c => (int)c["id"]!).Select(c => $"{c["id"]} {c["calificacion"]} {c["vencido"]}"));

        Assert.Equal(Ids(esperado.Where(x => x.Value.Vencido)), await IdsAsync(e, $"/api/v1/compromisos?programaId={programa}&vencidos=true&alCorte={corte}"));
        Assert.Equal(Ids(esperado.Where(x => !x.Value.Vencido)), await IdsAsync(e, $"/api/v1/compromisos?programaId={programa}&vencidos=false&alCorte={corte}"));
        foreach (var cal in Enum.GetNames<Calificacion>())
            Assert.Equal(Ids(esperado.Where(x => x.Value.Calificacion == cal)), await IdsAsync(e, $"/api/v1/compromisos?servicioId={servicio}&calificacion={cal}&alCorte={corte}"));

        var lineasCsv = (await cliente.GetStringAsync($"/api/v1/compromisos?programaId={programa}&formato=csv&alCorte={corte}"))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // Counted from the end: the texts before these columns may hold quoted commas.
        var columnas = lineasCsv[0].Split(',');
        var (desdeFinCalificacion, desdeFinVencido) = (columnas.Length - Array.IndexOf(columnas, "calificacion"), columnas.Length - Array.IndexOf(columnas, "vencido"));
        var exportado = lineasCsv.Skip(1).Select(l => l.Split(',')).Select(f => $"{f[0]} {f[^desdeFinCalificacion]} {f[^desdeFinVencido]}");
        Assert.Equal(esperado.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value.Calificacion} {(x.Value.Vencido ? "true" : "false")}"), exportado);

        if (d.Month is 6 or 12 && d.Day == DateTime.DaysInMonth(d.Year, d.Month))
        {
            var pendientes = esperado.Where(x => x.Value.Vencido && !reportes.Contains((x.Key, d)));
            var conocido = conocidoAl is { } c ? "&conocidoAl=" + Instante(c) : "";
            Assert.Equal(Ids(pendientes), await IdsAsync(e, $"/api/v1/servicios/{servicio}/pendientes?corte={soloCorte}{conocido}"));
        }

        var programaAlCorte = await e.LeerAsync($"/api/v1/programas/{programa}?alCorte={corte}");
        Assert.Equal(egresado ? "Egresado" : "EnSeguimiento", (string?)programaAlCorte["estado"]);
        Assert.Equal((string?)informe["fechaEgreso"], (string?)programaAlCorte["fechaEgreso"]);
        Assert.Equal(egresado ? [] : [programa], await IdsAsync(e, $"/api/v1/programas?servicioId={servicio}&estado=EnSeguimiento&alCorte={corte}"));
        var todosCerrados = esperado.Count > 0 && esperado.Values.All(x => x.Calificacion is "Cumplido" or "Cancelado");
        Assert.Equal(!egresado && todosCerrados ? esperado.Values.Max(x => x.Fecha) : null, (string?)programaAlCorte["egresoPropuesto"]?["fecha"]);

        var grupo = (await e.LeerAsync($"/api/v1/estadisticas/cumplimiento?agruparPor=servicio&alCorte={corte}"))["grupos"]!.AsArray()
            .Single(g => (int)g!["id"]! == servicio)!;
        var v = esperado.Values;
        int Cuantos(Func<(string Calificacion, string? Fecha, bool Vencido, DateOnly Vence), bool> f) => v.Count(f);
        var exigibles = Cuantos(x => x.Vence <= mes);
        var cumplidos = Cuantos(x => x.Vence <= mes && x.Calificacion == "Cumplido");
        var cancelados = Cuantos(x => x.Vence <= mes && x.Calificacion == "Cancelado");
        var porCalificacion = grupo["porCalificacion"]!;
        Assert.Equal(
            $"{Cuantos(x => x.Calificacion == "Pendiente")} {Cuantos(x => x.Calificacion == "Cumplido")} {Cuantos(x => x.Calificacion == "ParcialmenteCumplido")} " +
            $"{Cuantos(x => x.Calificacion == "NoCumplido")} {Cuantos(x => x.Calificacion == "Cancelado")} | {v.Count} {Cuantos(x => x.Vencido)} {exigibles} {cumplidos} {cancelados} | " +
            $"{(egresado ? 0 : 1)} {(egresado ? 1 : 0)} | " +
            (exigibles - cancelados == 0 ? "null" : Math.Round(100m * cumplidos / (exigibles - cancelados), 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture)),
            $"{porCalificacion["pendiente"]} {porCalificacion["cumplido"]} {porCalificacion["parcialmenteCumplido"]} {porCalificacion["noCumplido"]} {porCalificacion["cancelado"]} | " +
            $"{grupo["total"]} {grupo["vencidos"]} {grupo["exigibles"]} {grupo["cumplidosExigibles"]} {grupo["canceladosExigibles"]} | " +
            $"{grupo["programasEnSeguimiento"]} {grupo["programasEgresados"]} | {grupo["porcentajeCumplimiento"]?.ToJsonString() ?? "null"}");
    }

    /// <summary>An instant as the query takes it: RFC 3339 in UTC, to the tick.</summary>
    public static string Instante(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static List<int> Ids<T>(IEnumerable<KeyValuePair<int, T>> filas) => filas.Select(x => x.Key).Order().ToList();

    private static async Task<List<int>> IdsAsync(Escenario e, string ruta) =>
        (await TodosAsync(e, ruta)).Select(c => (int)c["id"]!).Order().ToList();

    private static async Task<List<JsonObject>> TodosAsync(Escenario e, string ruta)
    {
        var todos = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var pagina = await e.LeerAsync(ruta + (ruta.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=200" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            todos.AddRange(pagina["items"]!.AsArray().Select(x => x!.AsObject()));
            cursor = (string?)pagina["nextCursor"];
        }
        while (cursor is not null);
        return todos;
    }
}
