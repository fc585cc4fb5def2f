namespace CompromisosApi.Features.Catalogo;

public static class CrearServicioEndpoint
{
    public static RouteHandlerBuilder MapCrearServicio(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("", async (ServicioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearServicio(body.Nombre, body.Sigla, body.MinisterioId, body.Codigo), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/servicios/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearServicio", "Crea un servicio", "El servicio depende de un ministerio existente (404 si no existe). Su código (partida.capítulo), si se indica, es " +
                "único (409) y comienza con el del ministerio cuando este lo tiene (400).")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Catalogo);
}

public sealed record CrearServicio(string Nombre, string? Sigla, int MinisterioId, string? Codigo = null) : ICommand<Versionado<ServicioDto>>, IDatosServicio;

public sealed class CrearServicioValidator : DatosServicioValidator<CrearServicio>;

public sealed class CrearServicioHandler(CompromisosDbContext db) : ICommandHandler<CrearServicio, Versionado<ServicioDto>>
{
    public async ValueTask<Versionado<ServicioDto>> Handle(CrearServicio c, CancellationToken ct)
    {
        await DatosServicio.AsegurarMinisterioAsync(db, c, ct);
        var s = new Servicio(c.Nombre, c.Sigla, c.MinisterioId, c.Codigo);
        db.Servicios.Add(s);
        await db.SaveChangesAsync(ct);
        return new(s.ToDto(), s.Version);
    }
}
