namespace CompromisosApi.Features.Compromisos;

public static class ObtenerCalificacionEndpoint
{
    public static RouteHandlerBuilder MapObtenerCalificacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/calificaciones/{calificacionId:long}", async (int id, long calificacionId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ObtenerCalificacion(id, calificacionId), ct)))
            .Documentar("ObtenerCalificacion", "Obtiene una calificación del historial", "Una calificación registrada del compromiso.")
            .Errores(404);
}

public sealed record ObtenerCalificacion(int CompromisoId, long Id) : IQuery<CalificacionRegistradaDto>;

public sealed class ObtenerCalificacionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerCalificacion, CalificacionRegistradaDto>
{
    public async ValueTask<CalificacionRegistradaDto> Handle(ObtenerCalificacion q, CancellationToken ct) =>
        await HijosDeCompromiso.ObtenerAsync<RegistroCalificacion, CalificacionRegistradaDto>(db, q.CompromisoId, q.Id, "calificación", x => x.ProjectToDto(), ct);
}
