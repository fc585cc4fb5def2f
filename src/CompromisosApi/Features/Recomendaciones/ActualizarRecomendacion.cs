using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Recomendaciones;

public static class ActualizarRecomendacionEndpoint
{
    public static RouteHandlerBuilder MapActualizarRecomendacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, RecomendacionEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarRecomendacion(id, Http.ExigirIfMatch(ifMatch), body.Texto), ct)))
            .ConVersion()
            .Documentar("ActualizarRecomendacion", "Corrige el texto de una recomendación",
                "Exige If-Match (428 sin él, 412 si cambió). 409 si el programa egresó.")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Registro);
}

public sealed record ActualizarRecomendacion(int Id, uint[]? IfMatch, string Texto) : ICommand<Versionado<RecomendacionDto>>;

public sealed class ActualizarRecomendacionValidator : AbstractValidator<ActualizarRecomendacion>
{
    public ActualizarRecomendacionValidator() => RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
}

public sealed class ActualizarRecomendacionHandler(CompromisosDbContext db) : ICommandHandler<ActualizarRecomendacion, Versionado<RecomendacionDto>>
{
    public async ValueTask<Versionado<RecomendacionDto>> Handle(ActualizarRecomendacion c, CancellationToken ct)
    {
        var programaId = await db.Recomendaciones.Where(r => r.Id == c.Id).Select(r => (int?)r.ProgramaId).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("recomendación", c.Id);
        var p = await db.BloquearProgramaAsync(programaId, exclusivo: false, ct) ?? throw new NoEncontradoException("programa", programaId);
        var r = await db.BloquearRecomendacionAsync(c.Id, ct) ?? throw new NoEncontradoException("recomendación", c.Id);
        Etags.Verificar(c.IfMatch, r.Version);
        p.AsegurarEnSeguimiento();
        r.Actualizar(c.Texto);
        await db.SaveChangesAsync(ct);
        return new(r.ToDto(), r.Version);
    }
}
