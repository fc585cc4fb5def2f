namespace CompromisosApi.Features.Compromisos;

public static class ListarCompromisosDeRecomendacionEndpoint
{
    public static RouteHandlerBuilder MapListarCompromisosDeRecomendacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/compromisos", async (int id, int? limit, string? cursor, DateOnly? alCorte, DateTimeOffset? conocidoAl, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarCompromisosDeRecomendacion(id, limit, cursor, alCorte, conocidoAl), ct)))
            .Documentar("ListarCompromisosDeRecomendacion", "Lista los compromisos de una recomendación",
                "En orden de número (1.1, 1.2 …), paginada. vencido se calcula al corte alCorte (por omisión, hoy); con conocidoAl, los " +
                "compromisos y calificaciones registrados hasta ese instante.")
            .Errores(400, 404);
}

public sealed record ListarCompromisosDeRecomendacion(int RecomendacionId, int? Limit, string? Cursor, DateOnly? AlCorte, DateTimeOffset? ConocidoAl)
    : IQuery<Pagina<CompromisoDto>>, IPaginada, ILecturaAlMomento;

public sealed class ListarCompromisosDeRecomendacionValidator : AbstractValidator<ListarCompromisosDeRecomendacion>
{
    public ListarCompromisosDeRecomendacionValidator(TimeProvider reloj)
    {
        this.ReglasDePaginacion();
        this.ReglasDeMomento(reloj);
    }
}

public sealed class ListarCompromisosDeRecomendacionHandler(CompromisosDbContext db, Calendario calendario)
    : IQueryHandler<ListarCompromisosDeRecomendacion, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarCompromisosDeRecomendacion q, CancellationToken ct)
    {
        if (!await db.Recomendaciones.Conocidas(q.ConocidoAl).AnyAsync(r => r.Id == q.RecomendacionId, ct))
            throw new NoEncontradoException("recomendación", q.RecomendacionId);
        var despues = q.DespuesEntero();
        var filas = await db.Compromisos.AsNoTracking()
            .Where(c => c.RecomendacionId == q.RecomendacionId && c.Secuencia > despues)
            .ComoEstaban(db, q.Momento())
            .OrderBy(x => x.Compromiso.Secuencia).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Secuencia, x => x.ToDto(q.Momento().Corte(calendario)));
    }
}
