using System.Text.Json;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.Features.Correcciones;
using CompromisosApi.Features.Importaciones;
using CompromisosApi.Features.Programas;

namespace CompromisosApi.Features.Demo;

/// <summary>
/// Loads the real Redes por Rubro case (the seed Informe de Egreso: INDAP, evaluated 2007) through the API's own
/// commands, so a newcomer sees a true record in Swagger UI and the demo passes every rule on the way in. The report
/// does not print its evaluation line; Redes Pro Rubro was part of DIPRES's 2007 EPG round. Nor does it print codes:
/// INDAP's (partida 13, Ministerio de Agricultura; capítulo 03) are the Ley de Presupuestos', as the Biblioteca del
/// Congreso Nacional publishes its structure (bcn.cl/presupuesto/periodo/&lt;año&gt;/partida/13/capitulo/03, 2012 to
/// 2020). No source found gives the evaluated program a budget programa of its own, so it has no codigoPresupuestario.
/// </summary>
/// <remarks>
/// The record is registered in the order it happened, so that reading it as known at an instant (conocidoAl) has a
/// story to tell: first the record after the 31-12-2009 cut-off, imported with one slip (3.1's observación "Idem
/// compromiso 1.1." left out, as a transcription can), then an administrator's correction restoring it, then the
/// 31-12-2011 cut-off (1.2's reporte, medios and Cancelado) and the egreso. The slip and its correction are the demo's,
/// not the seed's; the record it ends with is exactly the seed's. Loading it again changes nothing: the import is
/// idempotent, and the later steps run only when it created the programa.
/// </remarks>
public sealed class DemoSeeder(
    IMediator mediator, Persistence.CompromisosDbContext db, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<DemoSeeder> log)
{
    private const string Recurso = "CompromisosApi.Features.Demo.redes-por-rubro-2007.importacion.json";

    /// <summary>The cut-off whose Informe the demo's correction changes after it was first produced.</summary>
    public static readonly DateOnly PrimerCorte = new(2009, 12, 31);

    /// <summary>The compromiso whose 2009 observación is first left out and then corrected.</summary>
    public const string CompromisoCorregido = "3.1";

    public const string MotivoCorreccion =
        "Demostración: al transcribir el informe del corte 31-12-2009 se omitió la observación \"Idem compromiso 1.1.\" del compromiso 3.1.";

    public async Task<int> CargarAsync(CancellationToken ct)
    {
        await using var flujo = typeof(DemoSeeder).Assembly.GetManifestResourceStream(Recurso)
            ?? throw new InvalidOperationException("Falta el recurso de datos de demostración.");
        var semilla = await JsonSerializer.DeserializeAsync<DocumentoImportacion>(flujo, json.Value.SerializerOptions, ct)
            ?? throw new InvalidOperationException("Los datos de demostración están vacíos.");
        var primerCorte = HastaElPrimerCorte(semilla);
        ResultadoImportacion resultado;
        try
        {
            resultado = await mediator.Send(primerCorte, ct);
        }
        catch (ReglaException e) when (e.Regla == Reglas.Duplicado)
        {
            // The programa is there already, loaded otherwise (by hand, or an older demo): the demo must never stop
            // the service from starting, and it must not touch a record that someone may have changed.
            var existente = await db.Programas.Where(p => p.Nombre == semilla.Programa.Nombre && p.AnioEvaluacion == semilla.Programa.AnioEvaluacion)
                .Select(p => p.Id).FirstAsync(ct);
            log.LogWarning("El programa de demostración ya existe (id {Id}) con otro registro; no se cargó de nuevo.", existente);
            return existente;
        }

        if (!resultado.Creado)
        {
            log.LogInformation("Programa de demostración ya estaba cargado (id {Id}).", resultado.ProgramaId);
            return resultado.ProgramaId;
        }

        var ids = await db.Compromisos.Where(c => c.ProgramaId == resultado.ProgramaId).ToDictionaryAsync(c => c.Numero, c => c.Id, ct);
        var corregida = semilla.Recomendaciones.SelectMany(r => r.Compromisos).Single(c => c.Numero == CompromisoCorregido).Calificaciones[0];
        await mediator.Send(new CorregirCalificacion(
            ids[CompromisoCorregido], null, corregida.Calificacion, corregida.Fecha, corregida.Observacion, MotivoCorreccion), ct);

        foreach (var c in semilla.Recomendaciones.SelectMany(r => r.Compromisos))
        {
            foreach (var r in c.Reportes.Where(r => r.Corte > PrimerCorte)) await mediator.Send(new RegistrarReporte(ids[c.Numero], r.Corte, r.Texto), ct);
            foreach (var m in c.MediosVerificacion.Where(m => m.Corte > PrimerCorte))
                await mediator.Send(new RegistrarMedioVerificacion(ids[c.Numero], m.Titulo, m.Corte), ct);
            foreach (var k in c.Calificaciones.Where(k => k.Fecha > PrimerCorte))
                await mediator.Send(new CalificarCompromiso(ids[c.Numero], null, k.Calificacion, k.Fecha, k.Observacion), ct);
        }

        if (semilla.FechaEgreso is { } egreso) await mediator.Send(new EgresarPrograma(resultado.ProgramaId, null, egreso), ct);
        log.LogInformation("Programa de demostración cargado (id {Id}).", resultado.ProgramaId);
        return resultado.ProgramaId;
    }

    /// <summary>The seed's record as it stood after its first cut-off, with the demo's slip.</summary>
    private static DocumentoImportacion HastaElPrimerCorte(DocumentoImportacion semilla) => semilla with
    {
        FechaEgreso = null,
        Recomendaciones = semilla.Recomendaciones.Select(r => r with
        {
            Compromisos = r.Compromisos.Select(c => c with
            {
                Reportes = c.Reportes.Where(x => x.Corte <= PrimerCorte).ToList(),
                MediosVerificacion = c.MediosVerificacion.Where(x => x.Corte <= PrimerCorte).ToList(),
                Calificaciones = c.Calificaciones.Where(x => x.Fecha <= PrimerCorte)
                    .Select(x => c.Numero == CompromisoCorregido ? x with { Observacion = null } : x).ToList(),
            }).ToList(),
        }).ToList(),
    };
}
