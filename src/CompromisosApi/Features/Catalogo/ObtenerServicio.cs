namespace CompromisosApi.Features.Catalogo;

public static class ObtenerServicioEndpoint
{
    public static RouteHandlerBuilder MapObtenerServicio(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerServicio(id), ct)))
            .ConVersion()
            .Documentar("ObtenerServicio", "Obtiene un servicio", "Devuelve el servicio y su ETag.")
            .Errores(404);
}

public sealed record ObtenerServicio(int Id) : IQuery<Versionado<ServicioDto>>;

public sealed class ObtenerServicioHandler(CompromisosDbContext db) : IQueryHandler<ObtenerServicio, Versionado<ServicioDto>>
{
    public async ValueTask<Versionado<ServicioDto>> Handle(ObtenerServicio q, CancellationToken ct)
    {
        var s = await db.Servicios.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("servicio", q.Id);
        return new(s.ToDto(), s.Version);
    }
}
