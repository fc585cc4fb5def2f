namespace CompromisosApi.Features.Catalogo;

public static class CrearMinisterioEndpoint
{
    public static RouteHandlerBuilder MapCrearMinisterio(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("", async (MinisterioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearMinisterio(body.Nombre, body.Codigo), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/ministerios/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearMinisterio", "Crea un ministerio", "El nombre es único, y el código (la partida de la Ley de Presupuestos), si se indica, también (409).")
            .Errores(400, 409)
            .Requiere(Politicas.Catalogo);
}

public sealed record CrearMinisterio(string Nombre, string? Codigo = null) : ICommand<Versionado<MinisterioDto>>, IDatosMinisterio;

public sealed class CrearMinisterioValidator : DatosMinisterioValidator<CrearMinisterio>;

public sealed class CrearMinisterioHandler(CompromisosDbContext db) : ICommandHandler<CrearMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(CrearMinisterio c, CancellationToken ct)
    {
        var m = new Ministerio(c.Nombre, c.Codigo);
        db.Ministerios.Add(m);
        await db.SaveChangesAsync(ct);
        return new(m.ToDto(), m.Version);
    }
}
