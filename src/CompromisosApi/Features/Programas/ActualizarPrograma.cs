using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Programas;

public static class ActualizarProgramaEndpoint
{
    public static RouteHandlerBuilder MapActualizarPrograma(this IEndpointRouteBuilder rutas) =>
        rutas.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, ProgramaEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(
                    new ActualizarPrograma(id, Http.ExigirIfMatch(ifMatch), body.Nombre, body.ServicioId, body.AnioEvaluacion, body.LineaEvaluacion, body.CategoriaDesempeno, body.CodigoPresupuestario), ct)))
            .ConVersion()
            .Documentar("ActualizarPrograma", "Actualiza un programa",
                "Exige If-Match (428 sin él, 412 si cambió). Un programa egresado es de solo lectura (409).")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Registro);
}

public sealed record ActualizarPrograma(int Id, uint[]? IfMatch, string Nombre, int ServicioId, int AnioEvaluacion, string LineaEvaluacion, CategoriaDesempeno? CategoriaDesempeno = null, string? CodigoPresupuestario = null)
    : ICommand<Versionado<ProgramaDto>>, IDatosPrograma;

public sealed class ActualizarProgramaValidator(CompromisosDbContext db, Calendario calendario) : DatosProgramaValidator<ActualizarPrograma>(db, calendario);

public sealed class ActualizarProgramaHandler(CompromisosDbContext db) : ICommandHandler<ActualizarPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(ActualizarPrograma c, CancellationToken ct)
    {
        var p = await db.BloquearProgramaAsync(c.Id, exclusivo: true, ct) ?? throw new NoEncontradoException("programa", c.Id);
        Etags.Verificar(c.IfMatch, p.Version);
        await DatosPrograma.AsegurarServicioAsync(db, c, ct);
        p.Actualizar(c.Nombre, c.ServicioId, c.AnioEvaluacion, c.LineaEvaluacion, c.CategoriaDesempeno, c.CodigoPresupuestario);
        await db.SaveChangesAsync(ct);
        return new(await EgresoPropuesto.CompletarAsync(db, p.ToDto(), ct), p.Version);
    }
}
