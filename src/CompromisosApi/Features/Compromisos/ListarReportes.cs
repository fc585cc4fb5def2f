namespace CompromisosApi.Features.Compromisos;

public static class ListarReportesEndpoint
{
    public static RouteHandlerBuilder MapListarReportes(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/reportes", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarReportes(id, limit, cursor), ct)))
            .Documentar("ListarReportes", "Reportes de cumplimiento del compromiso", "En el orden en que se registraron.")
            .Errores(400, 404);
}

public sealed record ListarReportes(int CompromisoId, int? Limit, string? Cursor) : IQuery<Pagina<ReporteDto>>, IPaginada;

public sealed class ListarReportesValidator : AbstractValidator<ListarReportes>
{
    public ListarReportesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarReportesHandler(CompromisosDbContext db) : IQueryHandler<ListarReportes, Pagina<ReporteDto>>
{
    public async ValueTask<Pagina<ReporteDto>> Handle(ListarReportes q, CancellationToken ct) =>
        await HijosDeCompromiso.ListarAsync<ReporteCumplimiento, ReporteDto>(db, q.CompromisoId, q, x => x.ProjectToDto(), x => x.Id, ct);
}
