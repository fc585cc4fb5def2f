namespace CompromisosApi.Features.Catalogo;

public static class ListarLineasEvaluacionEndpoint
{
    public static RouteHandlerBuilder MapListarLineasEvaluacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet($"{Http.Base}/lineas-evaluacion", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListarLineasEvaluacion(), ct)))
            .WithTags("Catálogo")
            .Documentar("ListarLineasEvaluacion", "Lista las líneas de evaluación", "Catálogo de líneas (EPG, EI, EGI, ECG, EPN, EFA …); crece con los años.");
}

public sealed record ListarLineasEvaluacion : IQuery<IReadOnlyList<LineaEvaluacionDto>>;

public sealed class ListarLineasEvaluacionHandler(CompromisosDbContext db) : IQueryHandler<ListarLineasEvaluacion, IReadOnlyList<LineaEvaluacionDto>>
{
    public async ValueTask<IReadOnlyList<LineaEvaluacionDto>> Handle(ListarLineasEvaluacion q, CancellationToken ct) =>
        await db.LineasEvaluacion.AsNoTracking().OrderBy(l => l.Codigo).ProjectToDto().ToListAsync(ct);
}
