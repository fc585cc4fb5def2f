namespace CompromisosApi.Features.Compromisos;

public static class ObtenerReporteEndpoint
{
    public static RouteHandlerBuilder MapObtenerReporte(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/reportes/{reporteId:long}", async (int id, long reporteId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ObtenerReporte(id, reporteId), ct)))
            .Documentar("ObtenerReporte", "Obtiene un reporte de cumplimiento", "Un reporte del compromiso, con su texto verbatim.")
            .Errores(404);
}

public sealed record ObtenerReporte(int CompromisoId, long Id) : IQuery<ReporteDto>;

public sealed class ObtenerReporteHandler(CompromisosDbContext db) : IQueryHandler<ObtenerReporte, ReporteDto>
{
    public async ValueTask<ReporteDto> Handle(ObtenerReporte q, CancellationToken ct) =>
        await HijosDeCompromiso.ObtenerAsync<ReporteCumplimiento, ReporteDto>(db, q.CompromisoId, q.Id, "reporte", x => x.ProjectToDto(), ct);
}
