using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Catalogo;

public static class ActualizarMinisterioEndpoint
{
    public static RouteHandlerBuilder MapActualizarMinisterio(this IEndpointRouteBuilder rutas) =>
        rutas.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, MinisterioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarMinisterio(id, Http.ExigirIfMatch(ifMatch), body.Nombre, body.Codigo), ct)))
            .ConVersion()
            .Documentar("ActualizarMinisterio", "Actualiza un ministerio", "Exige If-Match con el ETag leído (428 sin él, 412 si cambió). Reemplaza nombre y código (sin código, queda sin él); " +
                "un código nuevo debe ser el comienzo de los códigos de sus servicios (409 urn:compromisos:regla:codigo-con-dependientes si no).")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Catalogo);
}

public sealed record ActualizarMinisterio(int Id, uint[]? IfMatch, string Nombre, string? Codigo = null) : ICommand<Versionado<MinisterioDto>>, IDatosMinisterio;

public sealed class ActualizarMinisterioValidator : DatosMinisterioValidator<ActualizarMinisterio>;

public sealed class ActualizarMinisterioHandler(CompromisosDbContext db) : ICommandHandler<ActualizarMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(ActualizarMinisterio c, CancellationToken ct)
    {
        var m = (await db.Ministerios.FromSql($"SELECT *, xmin FROM ministerios WHERE id = {c.Id} FOR UPDATE").ToListAsync(ct)).SingleOrDefault()
            ?? throw new NoEncontradoException("ministerio", c.Id);
        Etags.Verificar(c.IfMatch, m.Version);
        // Its servicios can't be written meanwhile: they read this row FOR SHARE to check their codes against it.
        var codigos = await db.Servicios.Where(s => s.MinisterioId == c.Id && s.Codigo != null).Select(s => s.Codigo).ToListAsync(ct);
        m.Actualizar(c.Nombre, c.Codigo, codigos);
        await db.SaveChangesAsync(ct);
        return new(m.ToDto(), m.Version);
    }
}
