using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Catalogo;

public static class ActualizarServicioEndpoint
{
    public static RouteHandlerBuilder MapActualizarServicio(this IEndpointRouteBuilder rutas) =>
        rutas.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, ServicioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarServicio(id, Http.ExigirIfMatch(ifMatch), body.Nombre, body.Sigla, body.MinisterioId, body.Codigo), ct)))
            .ConVersion()
            .Documentar("ActualizarServicio", "Actualiza un servicio", "Exige If-Match con el ETag leído (428 sin él, 412 si cambió). Reemplaza todo, también el código (sin él, queda sin " +
                "código): comienza con el de su ministerio cuando este lo tiene (400), y uno nuevo debe ser el comienzo de los códigos " +
                "presupuestarios de sus programas (409 urn:compromisos:regla:codigo-con-dependientes si no).")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Catalogo);
}

public sealed record ActualizarServicio(int Id, uint[]? IfMatch, string Nombre, string? Sigla, int MinisterioId, string? Codigo = null)
    : ICommand<Versionado<ServicioDto>>, IDatosServicio;

public sealed class ActualizarServicioValidator : DatosServicioValidator<ActualizarServicio>;

public sealed class ActualizarServicioHandler(CompromisosDbContext db) : ICommandHandler<ActualizarServicio, Versionado<ServicioDto>>
{
    public async ValueTask<Versionado<ServicioDto>> Handle(ActualizarServicio c, CancellationToken ct)
    {
        var s = (await db.Servicios.FromSql($"SELECT *, xmin FROM servicios WHERE id = {c.Id} FOR UPDATE").ToListAsync(ct)).SingleOrDefault()
            ?? throw new NoEncontradoException("servicio", c.Id);
        Etags.Verificar(c.IfMatch, s.Version);
        await DatosServicio.AsegurarMinisterioAsync(db, c, ct);
        // Its programas can't be written meanwhile: they read this row FOR SHARE to check their codes against it.
        var codigos = await db.Programas.Where(p => p.ServicioId == c.Id && p.CodigoPresupuestario != null).Select(p => p.CodigoPresupuestario).ToListAsync(ct);
        s.Actualizar(c.Nombre, c.Sigla, c.MinisterioId, c.Codigo, codigos);
        await db.SaveChangesAsync(ct);
        return new(s.ToDto(), s.Version);
    }
}
