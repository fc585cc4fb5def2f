namespace CompromisosApi.Features.Cortes;

public static class ObtenerCorteActualEndpoint
{
    public static RouteHandlerBuilder MapObtenerCorteActual(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("cortes/actual", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ObtenerCorteActual(), ct)))
            .Documentar("ObtenerCorteActual", "Corte vigente", "El último corte igual o anterior a hoy (fecha de Chile), con su plazo de reporte.");
}

public sealed record ObtenerCorteActual : IQuery<CorteDto>;

public sealed class ObtenerCorteActualHandler(Calendario calendario) : IQueryHandler<ObtenerCorteActual, CorteDto>
{
    public ValueTask<CorteDto> Handle(ObtenerCorteActual q, CancellationToken ct) => ValueTask.FromResult(calendario.Corte(calendario.CorteActual()));
}
