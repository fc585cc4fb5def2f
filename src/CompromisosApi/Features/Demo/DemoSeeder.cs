using System.Text.Json;
using CompromisosApi.Features.Importaciones;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CompromisosApi.Features.Demo;

/// <summary>
/// Loads the real Redes por Rubro case (the seed Informe de Egreso: INDAP, evaluated 2007) through the import the
/// API offers, so a newcomer sees a true record in Swagger UI and the demo passes every rule on the way in. The
/// report does not print its evaluation line; Redes Pro Rubro was part of DIPRES's 2007 EPG round. Loading it again
/// changes nothing (the import is idempotent).
/// </summary>
public sealed class DemoSeeder(
    IMediator mediator, Persistence.CompromisosDbContext db, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<DemoSeeder> log)
{
    private const string Recurso = "CompromisosApi.Features.Demo.redes-por-rubro-2007.importacion.json";

    public async Task<int> CargarAsync(CancellationToken ct)
    {
        await using var flujo = typeof(DemoSeeder).Assembly.GetManifestResourceStream(Recurso)
            ?? throw new InvalidOperationException("Falta el recurso de datos de demostración.");
        var documento = await JsonSerializer.DeserializeAsync<DocumentoImportacion>(flujo, json.Value.SerializerOptions, ct)
            ?? throw new InvalidOperationException("Los datos de demostración están vacíos.");
        try
        {
            var resultado = await mediator.Send(documento, ct);
            log.LogInformation("Programa de demostración {Estado} (id {Id}).", resultado.Creado ? "cargado" : "ya estaba cargado", resultado.ProgramaId);
            return resultado.ProgramaId;
        }
        catch (Domain.ReglaException e) when (e.Regla == Domain.Reglas.Duplicado)
        {
            // The programa is there already, loaded otherwise (by hand, or an older demo): the demo must never stop
            // the service from starting, and it must not touch a record that someone may have changed.
            var id = await db.Programas.Where(p => p.Nombre == documento.Programa.Nombre && p.AnioEvaluacion == documento.Programa.AnioEvaluacion)
                .Select(p => p.Id).FirstAsync(ct);
            log.LogWarning("El programa de demostración ya existe (id {Id}) con otro registro; no se cargó de nuevo.", id);
            return id;
        }
    }
}
