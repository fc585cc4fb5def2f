using System.Text.Json;
using CompromisosApi.Domain;
using CompromisosApi.Features.Catalogo;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.Features.Programas;
using CompromisosApi.Features.Recomendaciones;
using CompromisosApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Demo;

/// <summary>
/// Loads the real Redes por Rubro case (Informe de Egreso, INDAP, evaluated 2007) through the same handlers the
/// API uses, so a newcomer sees a true record in Swagger UI and the demo exercises every rule on the way in.
/// </summary>
public sealed class DemoSeeder(IMediator mediator, CompromisosDbContext db, ILogger<DemoSeeder> log)
{
    /// <summary>
    /// The report does not print its evaluation line; Redes Pro Rubro was part of DIPRES's 2007 EPG round.
    /// </summary>
    private const string LineaEvaluacion = "EPG";

    private static readonly JsonSerializerOptions Opciones = new(JsonSerializerOptions.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static DocumentoDemo Leer()
    {
        using var flujo = typeof(DemoSeeder).Assembly.GetManifestResourceStream("CompromisosApi.Features.Demo.redes-por-rubro-2007.json")
            ?? throw new InvalidOperationException("Falta el recurso de datos de demostración.");
        return JsonSerializer.Deserialize<DocumentoDemo>(flujo, Opciones)
            ?? throw new InvalidOperationException("Los datos de demostración están vacíos.");
    }

    public async Task<int> CargarAsync(CancellationToken ct)
    {
        var doc = Leer();

        // All or nothing, and one loader at a time: the handlers join this transaction, so a crash leaves no
        // half-loaded record, and two instances started with --seed-demo don't both load it.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(20071231)", ct);
        var id = await CargarEnTransaccionAsync(doc, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    private async Task<int> CargarEnTransaccionAsync(DocumentoDemo doc, CancellationToken ct)
    {
        var existente = await db.Programas.Where(p => p.Nombre == doc.Programa && p.AnioEvaluacion == doc.AnioEvaluacion)
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        if (existente is { } id)
        {
            log.LogInformation("El programa de demostración ya está cargado (id {Id}).", id);
            return id;
        }

        var ministerioId = await db.Ministerios.Where(m => m.Nombre == doc.Ministerio).Select(m => (int?)m.Id).FirstOrDefaultAsync(ct)
            ?? (await mediator.Send(new CrearMinisterio(doc.Ministerio), ct)).Recurso.Id;
        var servicioId = await db.Servicios.Where(s => s.MinisterioId == ministerioId && s.Nombre == doc.Servicio.Nombre)
                .Select(s => (int?)s.Id).FirstOrDefaultAsync(ct)
            ?? (await mediator.Send(new CrearServicio(doc.Servicio.Nombre, doc.Servicio.Sigla, ministerioId), ct)).Recurso.Id;
        var programa = (await mediator.Send(new CrearPrograma(doc.Programa, servicioId, doc.AnioEvaluacion, LineaEvaluacion), ct)).Recurso;

        foreach (var r in doc.Recomendaciones)
        {
            var rec = (await mediator.Send(new CrearRecomendacion(programa.Id, r.Texto), ct)).Recurso;
            Asegurar(rec.Numero == r.Numero, $"recomendación {r.Numero} quedó con número {rec.Numero}");
            foreach (var c in r.Compromisos)
            {
                var comp = (await mediator.Send(new CrearCompromiso(rec.Id, c.Texto, c.FechaVencimiento), ct)).Recurso;
                Asegurar(comp.Numero == c.Numero, $"compromiso {c.Numero} quedó con número {comp.Numero}");
                if (c.FechaCalificacion is not { } corte) continue;

                if (c.Cumplimiento is not null) await mediator.Send(new RegistrarReporte(comp.Id, corte, c.Cumplimiento), ct);
                foreach (var titulo in c.MediosVerificacion) await mediator.Send(new RegistrarMedioVerificacion(comp.Id, titulo, corte), ct);
                await mediator.Send(new CalificarCompromiso(comp.Id, null, c.Calificacion, corte, c.Observacion), ct);
            }
        }

        if (doc.FechaEgreso is not null) await mediator.Send(new EgresarPrograma(programa.Id, null, doc.FechaEgreso), ct);
        log.LogInformation("Programa de demostración cargado (id {Id}).", programa.Id);
        return programa.Id;
    }

    private static void Asegurar(bool condicion, string mensaje)
    {
        if (!condicion) throw new InvalidOperationException("Los datos de demostración no calzan: " + mensaje);
    }

    public sealed record DocumentoDemo(
        string Ministerio, ServicioDemo Servicio, string Programa, int AnioEvaluacion, DateOnly? FechaEgreso, List<RecomendacionDemo> Recomendaciones);

    public sealed record ServicioDemo(string Nombre, string? Sigla);

    public sealed record RecomendacionDemo(int Numero, string Texto, List<CompromisoDemo> Compromisos);

    public sealed record CompromisoDemo(
        string Numero,
        string Texto,
        string FechaVencimiento,
        string? Cumplimiento,
        string? Observacion,
        Calificacion Calificacion,
        DateOnly? FechaCalificacion,
        List<string> MediosVerificacion);
}
