namespace CompromisosApi.Features.Webhooks;

public static class ListarSuscripcionesEndpoint
{
    public static RouteHandlerBuilder MapListarSuscripciones(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("", async ([AsParameters] ListarSuscripciones q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarSuscripciones", "Lista las suscripciones de webhooks",
                "Con su estado (Activa o Suspendida), sus fallas y las entregas pendientes; nunca el secreto. Solo administradores.")
            .Errores(400)
            .Requiere(PoliticaWebhooks.Nombre);
}

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
public sealed record ListarSuscripciones(int? Limit, string? Cursor) : IQuery<Pagina<SuscripcionDto>>, IPaginada;

public sealed class ListarSuscripcionesValidator : AbstractValidator<ListarSuscripciones>
{
    public ListarSuscripcionesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarSuscripcionesHandler(CompromisosDbContext db) : IQueryHandler<ListarSuscripciones, Pagina<SuscripcionDto>>
{
    public async ValueTask<Pagina<SuscripcionDto>> Handle(ListarSuscripciones q, CancellationToken ct)
    {
        var despues = q.DespuesEntero();
        var filas = await Suscripciones.Leer(db).Where(s => s.Id > despues).OrderBy(s => s.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), s => s.Id, s => s);
    }
}
