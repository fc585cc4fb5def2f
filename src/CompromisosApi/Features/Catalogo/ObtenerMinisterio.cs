namespace CompromisosApi.Features.Catalogo;

public static class ObtenerMinisterioEndpoint
{
    public static RouteHandlerBuilder MapObtenerMinisterio(this IEndpointRouteBuilder rutas) =>
        rutas.MapObtenerVersionado(id => new ObtenerMinisterio(id))
            .Documentar("ObtenerMinisterio", "Obtiene un ministerio", "Devuelve el ministerio y su ETag.")
            .Errores(404);
}

public sealed record ObtenerMinisterio(int Id) : IQuery<Versionado<MinisterioDto>>;

public sealed class ObtenerMinisterioHandler(CompromisosDbContext db) : IQueryHandler<ObtenerMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(ObtenerMinisterio q, CancellationToken ct)
    {
        var m = await db.Ministerios.AsNoTracking().Where(x => x.Id == q.Id).UnicoAsync("ministerio", q.Id, ct);
        return new(m.ToDto(), m.Version);
    }
}
