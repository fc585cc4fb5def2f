namespace CompromisosApi.Features.Recomendaciones;

public static class ObtenerRecomendacionEndpoint
{
    public static RouteHandlerBuilder MapObtenerRecomendacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerRecomendacion(id), ct)))
            .ConVersion()
            .Documentar("ObtenerRecomendacion", "Obtiene una recomendación", "Devuelve la recomendación y su ETag.")
            .Errores(404);
}

public sealed record ObtenerRecomendacion(int Id) : IQuery<Versionado<RecomendacionDto>>;

public sealed class ObtenerRecomendacionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerRecomendacion, Versionado<RecomendacionDto>>
{
    public async ValueTask<Versionado<RecomendacionDto>> Handle(ObtenerRecomendacion q, CancellationToken ct)
    {
        var r = await db.Recomendaciones.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("recomendación", q.Id);
        return new(r.ToDto(), r.Version);
    }
}
