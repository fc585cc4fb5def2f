namespace CompromisosApi.Features.Catalogo;

public static class CrearMinisterioEndpoint
{
    public static RouteHandlerBuilder MapCrearMinisterio(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("", async (MinisterioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearMinisterio(body.Nombre), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/ministerios/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearMinisterio", "Crea un ministerio", "El nombre es único.")
            .Errores(400, 409)
            .Requiere(Politicas.Catalogo);
}

public sealed record CrearMinisterio(string Nombre) : ICommand<Versionado<MinisterioDto>>;

public sealed class CrearMinisterioValidator : AbstractValidator<CrearMinisterio>
{
    public CrearMinisterioValidator() => RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
}

public sealed class CrearMinisterioHandler(CompromisosDbContext db) : ICommandHandler<CrearMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(CrearMinisterio c, CancellationToken ct)
    {
        var m = new Ministerio(c.Nombre);
        db.Ministerios.Add(m);
        await db.SaveChangesAsync(ct);
        return new(m.ToDto(), m.Version);
    }
}
