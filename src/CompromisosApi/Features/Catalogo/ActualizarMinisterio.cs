using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Catalogo;

public static class ActualizarMinisterioEndpoint
{
    public static RouteHandlerBuilder MapActualizarMinisterio(this IEndpointRouteBuilder rutas) =>
        rutas.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, MinisterioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarMinisterio(id, Http.ExigirIfMatch(ifMatch), body.Nombre), ct)))
            .ConVersion()
            .Documentar("ActualizarMinisterio", "Actualiza un ministerio", "Exige If-Match con el ETag leído (428 sin él, 412 si cambió).")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Catalogo);
}

public sealed record ActualizarMinisterio(int Id, uint[]? IfMatch, string Nombre) : ICommand<Versionado<MinisterioDto>>;

public sealed class ActualizarMinisterioValidator : AbstractValidator<ActualizarMinisterio>
{
    public ActualizarMinisterioValidator() => RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
}

public sealed class ActualizarMinisterioHandler(CompromisosDbContext db) : ICommandHandler<ActualizarMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(ActualizarMinisterio c, CancellationToken ct)
    {
        var m = (await db.Ministerios.FromSql($"SELECT *, xmin FROM ministerios WHERE id = {c.Id} FOR UPDATE").ToListAsync(ct)).SingleOrDefault()
            ?? throw new NoEncontradoException("ministerio", c.Id);
        Etags.Verificar(c.IfMatch, m.Version);
        m.Actualizar(c.Nombre);
        await db.SaveChangesAsync(ct);
        return new(m.ToDto(), m.Version);
    }
}
