namespace CompromisosApi.Features.Catalogo;

public static class ObtenerServicioEndpoint
{
    public static RouteHandlerBuilder MapObtenerServicio(this IEndpointRouteBuilder rutas) =>
        rutas.MapObtenerVersionado(id => new ObtenerServicio(id))
            .Documentar("ObtenerServicio", "Obtiene un servicio", "Devuelve el servicio y su ETag.")
            .Errores(404);
}

public sealed record ObtenerServicio(int Id) : IQuery<Versionado<ServicioDto>>;

public sealed class ObtenerServicioHandler(CompromisosDbContext db) : IQueryHandler<ObtenerServicio, Versionado<ServicioDto>>
{
    public async ValueTask<Versionado<ServicioDto>> Handle(ObtenerServicio q, CancellationToken ct)
    {
        var s = await db.Servicios.AsNoTracking().Where(x => x.Id == q.Id).UnicoAsync("servicio", q.Id, ct);
        return new(s.ToDto(), s.Version);
    }
}
