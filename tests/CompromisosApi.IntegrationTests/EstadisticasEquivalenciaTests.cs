using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Common;
using CompromisosApi.Features.Estadisticas;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using CsCheck;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The statistics computed from the steps kept on the write path (CalculoDeCumplimiento.DesdeTotalesAsync,
/// Persistence/Sql/estadisticas.sql) give the same groups as the full aggregation, the reference
/// (CalculoDeCumplimiento.CompletoAsync), for random histories written through the API — creations, calificaciones,
/// corrections, egresos, reopenings, imports with legacy dates, a programa, compromiso or servicio changed — and random
/// questions (any agruparPor, anio, a cut-off in the past or none), asked after every step, with the steps folded into
/// their totals at random points and not. CsCheck shrinks a failing history to a short one.
/// </summary>
public sealed class EstadisticasEquivalenciaTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private static readonly int Historias = int.TryParse(Environment.GetEnvironmentVariable("ESTADISTICAS_HISTORIAS"), out var n) ? n : 25;

    private static readonly string[] Calificaciones = ["Cumplido", "ParcialmenteCumplido", "NoCumplido", "Cancelado"];
    private static readonly string[] Lineas = ["EPG", "EI", "EGI"];
    private static readonly string?[] Categorias = [null, "BuenDesempeno", "DesempenoMedio", "BajoDesempeno", "MalDesempeno"];
    private static readonly string?[] Tipos = [null, "AjustesDeDiseno", "Coordinacion", "GestionInterna"];
    private static readonly int[] Anios = [2006, 2007, 2008];

    [Fact]
    public async Task Los_totales_dan_lo_mismo_que_la_agregacion_completa()
    {
        var preguntas = 0;
        var hechos = new Dictionary<string, int>();
        await Gen.Int[0, int.MaxValue].Array[4, 30].SampleAsync(
            async pasos =>
            {
                await Factory.ResetAsync();
                var h = await Historia.NuevaAsync(Escenario, Cliente, hechos);
                foreach (var paso in pasos)
                {
                    var r = new Random(paso);
                    await h.AplicarAsync(r);
                    if (r.Next(3) == 0) await Factory.Services.GetRequiredService<ConsolidacionDeEstadisticas>().ConsolidarAsync(default);
                    for (var i = 0; i < 3; i++, preguntas++) await CompararAsync(r);
                }
            },
            iter: Historias,
            threads: 1);
        salida.WriteLine($"{Historias} historias, {preguntas} preguntas; escrituras: {string.Join(", ", hechos.Select(h => $"{h.Key} {h.Value}"))}");
        string[] todas = ["calificación", "corrección", "egreso", "reapertura", "importación", "servicio cambiado", "programa cambiado", "compromiso cambiado"];
        var faltan = todas.Where(t => !hechos.ContainsKey(t)).ToList();
        Assert.True(faltan.Count == 0, $"Ninguna historia escribió: {string.Join(", ", faltan)}");
    }

    /// <summary>The service folds the steps by itself (the suite's hosts don't, so that it never races a reset).</summary>
    [Fact]
    public async Task El_servicio_consolida_los_pasos_en_segundo_plano()
    {
        using var consolidando = Factory.WithWebHostBuilder(b => b
            .UseSetting("Estadisticas:Consolidacion:Habilitada", "true")
            .UseSetting("Estadisticas:Consolidacion:Intervalo", "00:00:00.100"));
        var cliente = consolidando.CreateClient().Autenticar(Tokens.Crear("ana", ["analista", "administrador"]));
        var (_, _, compromiso) = await new Escenario(cliente).CompromisoPendienteAsync();
        await new Escenario(cliente).CalificarOkAsync(compromiso, "Cumplido", "2009-12-31");

        await Feed.EsperarAsync(async () => await Feed.EscalarAsync(Factory.ConnectionString, "SELECT count(*) FROM estadisticas_cambios") == 0,
            "the steps are folded");
        Assert.Equal(1, await Feed.EscalarAsync(Factory.ConnectionString,
            "SELECT cumplidos_exigibles FROM estadisticas_totales WHERE dimension = 'ministerio' AND anio = 0 ORDER BY desde DESC LIMIT 1"));
    }

    private async Task CompararAsync(Random r)
    {
        var agruparPor = Agrupaciones.Valores.ElementAt(r.Next(Agrupaciones.Valores.Count()));
        int? anio = r.Next(3) == 0 ? null : Anios[r.Next(Anios.Length)];
        using var ambito = Factory.Services.CreateScope();
        var db = ambito.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        // A cut-off in the past (any day, cortes and not), or the current record at today's.
        var momento = r.Next(4) == 0 ? new Momento(null, null) : new Momento(new DateOnly(2005, 1, 1).AddDays(r.Next(9 * 365)), null);
        var corte = momento.Corte(ambito.ServiceProvider.GetRequiredService<Calendario>());

        var completo = await CalculoDeCumplimiento.CompletoAsync(db, agruparPor, anio, corte, momento, default);
        var desdeTotales = await CalculoDeCumplimiento.DesdeTotalesAsync(db, agruparPor, anio, corte, default);

        Assert.True(completo.Select(f => f with { Instantanea = "" }).SequenceEqual(desdeTotales.Select(f => f with { Instantanea = "" })),
            $"agruparPor={agruparPor} anio={anio} alCorte={momento.AlCorte}\ncompleto:\n  {string.Join("\n  ", completo)}\ndesde totales:\n  {string.Join("\n  ", desdeTotales)}");
    }

    /// <summary>The record a history writes, and the ids it has written so far (what a step may act on).</summary>
    /// <param name="hechos">
    /// The writes the record took, by kind (a random step may break a rule of the record and be refused: a refusal too
    /// must leave the statistics as they were, but every kind must have been taken somewhere).
    /// </param>
    private sealed class Historia(Escenario escenario, HttpClient cliente, List<int> ministerios, List<int> servicios, Dictionary<string, int> hechos)
    {
        private readonly List<(int Programa, int Recomendacion)> _programas = [];
        private readonly List<int> _compromisos = [];
        private readonly List<int> _egresados = [];
        private int _importados;

        private void Contar(string que, HttpResponseMessage respuesta)
        {
            if (respuesta.IsSuccessStatusCode) hechos[que] = hechos.GetValueOrDefault(que) + 1;
        }

        public static async Task<Historia> NuevaAsync(Escenario escenario, HttpClient cliente, Dictionary<string, int> hechos)
        {
            var ministerios = new List<int>();
            var servicios = new List<int>();
            for (var m = 0; m < 2; m++)
            {
                ministerios.Add((int)(await escenario.CrearAsync("/api/v1/ministerios", new { nombre = $"Ministerio {m}" }))["id"]!);
                for (var s = 0; s < 2; s++)
                    servicios.Add((int)(await escenario.CrearAsync("/api/v1/servicios", new { nombre = $"Servicio {m}.{s}", ministerioId = ministerios[m] }))["id"]!);
            }

            return new Historia(escenario, cliente, ministerios, servicios, hechos);
        }

        public async Task AplicarAsync(Random r)
        {
            // Until there is something to qualify, build; then any step. Refusals (a rule of the record) are steps too:
            // they must leave the statistics as they were.
            var paso = _compromisos.Count == 0 ? r.Next(2) : r.Next(12);
            switch (paso)
            {
                case 0: await ProgramaAsync(r); break;
                case 1 or 2:
                    if (_programas.Count == 0) await ProgramaAsync(r);
                    await CompromisoAsync(r, _programas[r.Next(_programas.Count)].Recomendacion);
                    break;
                case 3 or 4 or 5:
                    Contar("calificación", await cliente.PostAsJsonAsync($"/api/v1/compromisos/{Uno(r, _compromisos)}/calificaciones",
                        new { calificacion = Uno(r, Calificaciones), fecha = Corte(r) }, Escenario.Json));
                    break;
                case 6:
                    Contar("corrección", await cliente.PostAsJsonAsync($"/api/v1/compromisos/{Uno(r, _compromisos)}/correcciones",
                        new { calificacion = Uno(r, Calificaciones), fecha = Corte(r), motivo = "Prueba de equivalencia" }, Escenario.Json));
                    break;
                case 7: await EgresoAsync(r); break;
                case 8:
                    // A programa that egresó, when there is one (so that reopenings happen); else any (refused).
                    var abrir = _egresados.Count > 0 ? Uno(r, _egresados) : Uno(r, _programas).Programa;
                    var reabierto = await cliente.PostAsJsonAsync($"/api/v1/programas/{abrir}/reapertura", new { motivo = "Prueba" }, Escenario.Json);
                    Contar("reapertura", reabierto);
                    if (reabierto.IsSuccessStatusCode) _egresados.Remove(abrir);
                    break;
                case 9: await ImportarAsync(r); break;
                case 10: await CambiarAsync(r); break;
                default: await CompromisoCambiadoAsync(r); break;
            }
        }

        /// <summary>
        /// An egreso; three times in four its open compromisos are first qualified Cumplido (else a random programa's
        /// egreso is mostly refused, and egresos and reopenings would be rare).
        /// </summary>
        private async Task EgresoAsync(Random r)
        {
            var p = Uno(r, _programas).Programa;
            if (r.Next(4) > 0)
            {
                var lista = await cliente.GetFromJsonAsync<JsonObject>($"/api/v1/compromisos?programaId={p}&limit=100");
                foreach (var c in lista!["items"]!.AsArray())
                    await cliente.PostAsJsonAsync($"/api/v1/compromisos/{(int)c!["id"]!}/calificaciones",
                        new { calificacion = "Cumplido", fecha = "2012-12-31" }, Escenario.Json);
            }

            var egreso = await cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }, Escenario.Json);
            Contar("egreso", egreso);
            if (egreso.IsSuccessStatusCode) _egresados.Add(p);
        }

        private async Task ProgramaAsync(Random r)
        {
            var p = (int)(await escenario.CrearAsync("/api/v1/programas", new
            {
                nombre = $"Programa {_programas.Count}",
                servicioId = Uno(r, servicios),
                anioEvaluacion = Uno(r, Anios),
                lineaEvaluacion = Uno(r, Lineas),
                categoriaDesempeno = Uno(r, Categorias),
            }))["id"]!;
            _programas.Add((p, await escenario.RecomendacionAsync(p)));
        }

        private async Task CompromisoAsync(Random r, int recomendacion)
        {
            var c = await cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{recomendacion}/compromisos",
                new { texto = "Compromiso", fechaVencimiento = Mes(r), tipo = Uno(r, Tipos) }, Escenario.Json);
            if (c.IsSuccessStatusCode) _compromisos.Add((int)(await c.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        }

        /// <summary>A programa's record with its legacy history: calificaciones at past cortes, maybe an egreso.</summary>
        private async Task ImportarAsync(Random r)
        {
            var compromisos = Enumerable.Range(1, 1 + r.Next(3)).Select(i => new
            {
                numero = $"1.{i}",
                texto = "Compromiso importado",
                fechaVencimiento = Mes(r),
                calificaciones = Enumerable.Range(0, r.Next(3)).Select(k => new { calificacion = Uno(r, Calificaciones), fecha = $"{2008 + k}-12-31" }).ToArray(),
            }).ToArray();
            var egreso = compromisos.All(c => c.calificaciones.Length > 0 && c.calificaciones[^1].calificacion is "Cumplido" or "Cancelado") && r.Next(2) == 0;
            var documento = new
            {
                ministerio = $"Ministerio {r.Next(ministerios.Count)}",
                servicio = new { nombre = $"Servicio importado {r.Next(2)}" },
                programa = new { nombre = $"Programa importado {_importados++}", anioEvaluacion = Uno(r, Anios), lineaEvaluacion = Uno(r, Lineas) },
                recomendaciones = new[] { new { numero = 1, texto = "Recomendación importada", compromisos } },
                fechaEgreso = egreso ? "2011-12-31" : null,
            };
            Contar("importación", await cliente.PostAsJsonAsync("/api/v1/importaciones", documento, Escenario.Json));
        }

        /// <summary>A programa to another servicio, year, line or category; or a servicio to the other ministerio.</summary>
        private async Task CambiarAsync(Random r)
        {
            if (r.Next(3) == 0)
            {
                var s = Uno(r, servicios);
                var (servicio, etag) = await escenario.LeerConEtagAsync($"/api/v1/servicios/{s}");
                var otro = ministerios.First(m => m != (int)servicio["ministerioId"]!);
                Contar("servicio cambiado", await cliente.SendAsync(
                    Escenario.Put($"/api/v1/servicios/{s}", new { nombre = (string)servicio["nombre"]!, ministerioId = otro }, etag)));
                return;
            }

            var p = Uno(r, _programas).Programa;
            var (programa, version) = await escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
            Contar("programa cambiado", await cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}", new
            {
                nombre = (string)programa["nombre"]!,
                servicioId = Uno(r, servicios),
                anioEvaluacion = Uno(r, Anios),
                lineaEvaluacion = Uno(r, Lineas),
                categoriaDesempeno = Uno(r, Categorias),
            }, version)));
        }

        /// <summary>A compromiso's due month or type changed.</summary>
        private async Task CompromisoCambiadoAsync(Random r)
        {
            var c = Uno(r, _compromisos);
            var (compromiso, etag) = await escenario.LeerConEtagAsync($"/api/v1/compromisos/{c}");
            Contar("compromiso cambiado", await cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{c}",
                new { texto = (string)compromiso["texto"]!, fechaVencimiento = Mes(r), tipo = Uno(r, Tipos) }, etag)));
        }

        private static T Uno<T>(Random r, IReadOnlyList<T> de) => de[r.Next(de.Count)];

        private static string Mes(Random r) => $"{2007 + r.Next(6)}-{1 + r.Next(12):00}";

        private static string Corte(Random r) =>
            r.Next(2) == 0 ? $"{2008 + r.Next(5)}-06-30" : $"{2007 + r.Next(6)}-12-31";
    }
}
