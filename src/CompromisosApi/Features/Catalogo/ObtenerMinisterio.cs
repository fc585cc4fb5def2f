namespace CompromisosApi.Features.Catalogo;

public static class ObtenerMinisterioEndpoint
{
    public static RouteHandlerBuilder MapObtenerMinisterio(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerMinisterio(id), ct)))
            .ConVersion()
            .Documentar("ObtenerMinisterio", "Obtiene un ministerio", "Devuelve el ministerio y su ETag.")
            .Errores(404);
}

public sealed record ObtenerMinisterio(int Id) : IQuery<Versionado<MinisterioDto>>;

public sealed class ObtenerMinisterioHandler(CompromisosDbContext db) : IQueryHandler<ObtenerMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(ObtenerMinisterio q, CancellationToken ct)
    {
        var m = await db.Ministerios.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("ministerio", q.Id);
        return new(m.ToDto(), m.Version);
    }
}
