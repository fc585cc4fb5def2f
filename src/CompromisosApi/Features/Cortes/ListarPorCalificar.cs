using CompromisosApi.Features.Compromisos;

namespace CompromisosApi.Features.Cortes;

public static class ListarPorCalificarEndpoint
{
    public static RouteHandlerBuilder MapListarPorCalificar(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("cortes/{fecha}/por-calificar", async (DateOnly fecha, int? limit, string? cursor, DateTimeOffset? conocidoAl, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarPorCalificar(fecha, limit, cursor, conocidoAl), ct)))
            .Documentar("ListarPorCalificar", "Compromisos por calificar en un corte",
                "Para los analistas: los compromisos con un reporte de cumplimiento de ese corte y sin calificación con esa fecha, que aún " +
                "pueden calificarse en él (no están Cumplidos ni Cancelados ni tienen una calificación posterior). vencido se calcula a ese " +
                "corte. Con conocidoAl, como se conocía el registro en ese instante. 404 si la fecha no es un corte del calendario. " +
                "Paginada en orden de id.")
            .Errores(400, 404);
}

/// <summary>
/// The analysts' work at a corte: compromisos with a reporte for it and no calificación dated at it, that can still be
/// qualified at it (not final, and no later calificación, which the record's rules would refuse to go back from).
/// </summary>
public sealed record ListarPorCalificar(DateOnly Fecha, int? Limit, string? Cursor, DateTimeOffset? ConocidoAl = null)
    : IQuery<Pagina<CompromisoDto>>, IPaginada, IConocidoAl;

public sealed class ListarPorCalificarValidator : AbstractValidator<ListarPorCalificar>
{
    public ListarPorCalificarValidator(TimeProvider reloj)
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.Fecha).EsFechaRazonable();
        RuleFor(x => x.ConocidoAl).YaOcurrido(reloj);
    }
}

public sealed class ListarPorCalificarHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ListarPorCalificar, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarPorCalificar q, CancellationToken ct)
    {
        var fecha = q.Fecha;
        if (!calendario.EsCorte(fecha))
            throw new NoEncontradoException("corte", fecha, $"{fecha:yyyy-MM-dd} no es un corte del calendario ({calendario.Describir()} de cada año).");
        var despues = q.DespuesEntero();
        // The calificación in effect at the fecha is the current one here (as known at conocidoAl, if given): none is dated
        // later (the last condition), so this list already is the record as it stood at that corte, and vencido is
        // computed from it.
        var calificaciones = db.Calificaciones.Conocidas(q.ConocidoAl);
        var filas = await db.Compromisos.AsNoTracking()
            .Where(c => c.Id > despues
                && db.Reportes.Conocidos(q.ConocidoAl).Any(r => r.CompromisoId == c.Id && r.Corte == fecha)
                && !calificaciones.Any(k => k.CompromisoId == c.Id && k.Fecha == fecha))
            .ComoEstaban(db, new Momento(null, q.ConocidoAl))
            .Abiertos()
            .Where(x => x.FechaCalificacion == null || x.FechaCalificacion < fecha)
            .OrderBy(x => x.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Id, x => x.ToDto(fecha));
    }
}
