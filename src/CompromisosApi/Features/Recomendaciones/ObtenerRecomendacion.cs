namespace CompromisosApi.Features.Recomendaciones;

public static class ObtenerRecomendacionEndpoint
{
    public static RouteHandlerBuilder MapObtenerRecomendacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapObtenerVersionado(id => new ObtenerRecomendacion(id))
            .Documentar("ObtenerRecomendacion", "Obtiene una recomendación", "Devuelve la recomendación y su ETag.")
            .Errores(404);
}

public sealed record ObtenerRecomendacion(int Id) : IQuery<Versionado<RecomendacionDto>>;

public sealed class ObtenerRecomendacionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerRecomendacion, Versionado<RecomendacionDto>>
{
    public async ValueTask<Versionado<RecomendacionDto>> Handle(ObtenerRecomendacion q, CancellationToken ct)
    {
        var r = await db.Recomendaciones.AsNoTracking().Where(x => x.Id == q.Id).UnicoAsync("recomendación", q.Id, ct);
        return new(r.ToDto(), r.Version);
    }
}
