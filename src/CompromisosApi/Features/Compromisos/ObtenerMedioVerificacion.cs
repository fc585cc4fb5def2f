namespace CompromisosApi.Features.Compromisos;

public static class ObtenerMedioVerificacionEndpoint
{
    public static RouteHandlerBuilder MapObtenerMedioVerificacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/medios-verificacion/{medioId:long}", async (int id, long medioId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ObtenerMedioVerificacion(id, medioId), ct)))
            .Documentar("ObtenerMedioVerificacion", "Obtiene un medio de verificación", "Un medio de verificación del compromiso.")
            .Errores(404);
}

public sealed record ObtenerMedioVerificacion(int CompromisoId, long Id) : IQuery<MedioVerificacionDto>;

public sealed class ObtenerMedioVerificacionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerMedioVerificacion, MedioVerificacionDto>
{
    public async ValueTask<MedioVerificacionDto> Handle(ObtenerMedioVerificacion q, CancellationToken ct) =>
        await HijosDeCompromiso.ObtenerAsync<MedioVerificacion, MedioVerificacionDto>(db, q.CompromisoId, q.Id, "medio de verificación", x => x.ProjectToDto(), ct);
}
