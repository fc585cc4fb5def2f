namespace CompromisosApi.Features.Webhooks;

public static class ObtenerSuscripcionEndpoint
{
    public static RouteHandlerBuilder MapObtenerSuscripcion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) => Http.ConEtag(http, await m.Send(new ObtenerSuscripcion(id), ct)))
            .ConVersion()
            .Documentar("ObtenerSuscripcion", "Obtiene una suscripción de webhooks",
                "Estado, fallas consecutivas, último error y entregas pendientes; nunca el secreto. Solo administradores.")
            .Errores(404)
            .Requiere(PoliticaWebhooks.Nombre);
}

public sealed record ObtenerSuscripcion(int Id) : IQuery<Versionado<SuscripcionDto>>;

public sealed class ObtenerSuscripcionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerSuscripcion, Versionado<SuscripcionDto>>
{
    public async ValueTask<Versionado<SuscripcionDto>> Handle(ObtenerSuscripcion q, CancellationToken ct)
    {
        var version = await db.Suscripciones.Where(s => s.Id == q.Id && s.Estado != EstadoSuscripcion.Eliminada).Select(s => (uint?)s.Version).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("suscripción", q.Id);
        return new(await Suscripciones.Leer(db).SingleAsync(s => s.Id == q.Id, ct), version);
    }
}
