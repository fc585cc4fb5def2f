using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Timeliness (issue 18): each compromiso's oportunidad and GET /estadisticas/oportunidad against hand-computed
/// histories, and the tipo and categoriaDesempeno groupings of both statistics. The record of the hand-computed cases,
/// built through the API (dates are cortes; "corr." is an administrator's correction, registered after everything else):
///
/// | c | programa (categoría) | tipo                  | vence   | history                                   | at 2012-12-31                 |
/// |---|----------------------|-----------------------|---------|-------------------------------------------|-------------------------------|
/// | a | P1 (MalDesempeno)    | SistemasDeInformacion | 2010-06 | Cumplido 2010-06-30                       | 2010-06-30, on time, 0        |
/// | b | P1                   | SistemasDeInformacion | 2010-06 | NoCumplido 2010-06-30, Cumplido 2011-12-31 | 2011-12-31, late, 18          |
/// | c | P1                   | —                     | 2010-12 | Cumplido 2011-06-30                       | 2011-06-30, late, 6           |
/// | d | P1                   | Coordinacion          | 2010-06 | ParcialmenteCumplido 2010-12-31           | never met: null; vencido      |
/// | e | P2 (none)            | —                     | 2010-06 | Cancelado 2011-06-30                      | null; cancelado               |
/// | f | P2                   | —                     | 2010-06 | Cumplido 2011-12-31, corr. Cumplido 2010-06-30 | 2010-06-30, on time, 0 (before the corr.: 2011-12-31, 18) |
/// | g | P2                   | Coordinacion          | 2010-12 | Cumplido 2010-12-31, corr. NoCumplido 2010-12-31 | null; vencido (before the corr.: on time) |
/// | h | P2                   | Coordinacion          | 2011-12 | Cumplido 2010-12-31 (ahead of its month)  | 2010-12-31, on time, 0        |
///
/// and P3 (BuenDesempeno) without compromisos.
/// </summary>
public abstract class PruebaDeOportunidad(ApiFactory factory) : PruebaApi(factory)
{
    protected sealed record Registro(Dictionary<char, int> C, DateTimeOffset AntesDeCorregir);

    protected async Task<Registro> RegistroAsync()
    {
        var servicio = await Escenario.ServicioAsync();
        var p1 = await Escenario.RecomendacionAsync(await ProgramaAsync(servicio, "P1", "MalDesempeno"));
        var p2 = await Escenario.RecomendacionAsync(await ProgramaAsync(servicio, "P2", null));
        await ProgramaAsync(servicio, "P3", "BuenDesempeno");
        var c = new Dictionary<char, int>
        {
            ['a'] = await CompromisoAsync(p1, "2010-06", "SistemasDeInformacion"),
            ['b'] = await CompromisoAsync(p1, "2010-06", "SistemasDeInformacion"),
            ['c'] = await CompromisoAsync(p1, "2010-12", null),
            ['d'] = await CompromisoAsync(p1, "2010-06", "Coordinacion"),
            ['e'] = await CompromisoAsync(p2, "2010-06", null),
            ['f'] = await CompromisoAsync(p2, "2010-06", null),
            ['g'] = await CompromisoAsync(p2, "2010-12", "Coordinacion"),
            ['h'] = await CompromisoAsync(p2, "2011-12", "Coordinacion"),
        };
        await Escenario.CalificarOkAsync(c['a'], "Cumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(c['b'], "NoCumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(c['b'], "Cumplido", "2011-12-31");
        await Escenario.CalificarOkAsync(c['c'], "Cumplido", "2011-06-30");
        await Escenario.CalificarOkAsync(c['d'], "ParcialmenteCumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(c['e'], "Cancelado", "2011-06-30", "Se descontinuó.");
        await Escenario.CalificarOkAsync(c['g'], "Cumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(c['h'], "Cumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(c['f'], "Cumplido", "2011-12-31");
        var antes = (DateTimeOffset)(await Escenario.LeerAsync($"/api/v1/compromisos/{c['f']}/calificaciones"))["items"]![0]!["registradaEn"]!;

        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c['f']}/correcciones",
            new { calificacion = "Cumplido", fecha = "2010-06-30", motivo = "El servicio acreditó el cumplimiento en 2010." }), HttpStatusCode.Created);
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c['g']}/correcciones",
            new { calificacion = "NoCumplido", fecha = "2010-12-31", motivo = "El medio de verificación no acreditaba el cumplimiento." }), HttpStatusCode.Created);
        return new(c, antes);
    }

    protected async Task<int> ProgramaAsync(int servicioId, string nombre, string? categoria) =>
        (int)(await Escenario.CrearAsync("/api/v1/programas",
            new { nombre, servicioId, anioEvaluacion = 2008, lineaEvaluacion = "EPG", categoriaDesempeno = categoria }))["id"]!;

    protected async Task<int> CompromisoAsync(int recomendacionId, string vence, string? tipo) =>
        (int)(await Escenario.CrearAsync($"/api/v1/recomendaciones/{recomendacionId}/compromisos",
            new { texto = "Compromiso " + vence, fechaVencimiento = vence, tipo }))["id"]!;

    protected static string Oportunidad(JsonNode compromiso)
    {
        var o = compromiso["oportunidad"]!;
        return $"{(string?)o["cumplidoEn"] ?? "null"} {o["aTiempo"]?.ToJsonString() ?? "null"} {o["mesesDeAtraso"]?.ToJsonString() ?? "null"}";
    }

    protected async Task<string> OportunidadAsync(int id, string consulta = "") => Oportunidad(await Escenario.LeerAsync($"/api/v1/compromisos/{id}{consulta}"));

    protected static string Grupo(JsonNode g) =>
        $"total {g["total"]} cumplidos {g["cumplidos"]} a tiempo {g["cumplidosATiempo"]} {g["porcentajeATiempo"]?.ToJsonString() ?? "null"} " +
        $"mediana {g["medianaMesesDeAtraso"]?.ToJsonString() ?? "null"} cancelados {g["cancelados"]} vencidos {g["vencidosSinCumplir"]}";

    protected async Task<List<string>> GruposAsync(string consulta) =>
        (await Escenario.LeerAsync("/api/v1/estadisticas/oportunidad?" + consulta))["grupos"]!.AsArray()
            .Select(g => $"{(string?)g!["tipo"] ?? (string?)g["categoriaDesempeno"] ?? "null"} {g["nombre"]} | {Grupo(g)}").ToList();
}
