namespace CompromisosApi.Features.Catalogo;

public static class ListarTiposCompromisoEndpoint
{
    public static RouteHandlerBuilder MapListarTiposCompromiso(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet($"{Http.Base}/tipos-compromiso", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListarTiposCompromiso(), ct)))
            .WithTags("Catálogo")
            .Documentar("ListarTiposCompromiso", "Lista los tipos de compromiso",
                "Catálogo de tipos con que DIPRES clasifica los compromisos (SistemasDeInformacion, MonitoreoYEvaluacion …); crece con filas.");
}

public sealed record ListarTiposCompromiso : IQuery<IReadOnlyList<TipoCompromisoDto>>;

public sealed class ListarTiposCompromisoHandler(CompromisosDbContext db) : IQueryHandler<ListarTiposCompromiso, IReadOnlyList<TipoCompromisoDto>>
{
    public async ValueTask<IReadOnlyList<TipoCompromisoDto>> Handle(ListarTiposCompromiso q, CancellationToken ct) =>
        await db.TiposCompromiso.AsNoTracking().OrderBy(t => t.Codigo).ProjectToDto().ToListAsync(ct);
}
