using CompromisosApi.Features.Compromisos;

namespace CompromisosApi.Features.Cortes;

public static class ListarPendientesEndpoint
{
    public static RouteHandlerBuilder MapListarPendientes(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("servicios/{id:int}/pendientes", async (int id, DateOnly? corte, int? limit, string? cursor, DateTimeOffset? conocidoAl, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarPendientes(id, corte, limit, cursor, conocidoAl), ct)))
            .Documentar("ListarPendientes", "Compromisos que un servicio debe reportar en un corte",
                "Los compromisos de los programas del servicio que vencen a más tardar en el mes del corte (por omisión, el corte vigente), " +
                "no estaban Cumplidos ni Cancelados en ese corte (el registro como estaba entonces, como con alCorte) y no tienen reporte " +
                "de cumplimiento de ese corte; con conocidoAl, como se conocía el registro en ese instante (un reporte registrado después " +
                "aún no estaba). corte debe ser un corte del calendario. Paginada en orden de id.")
            .Errores(400, 404);
}

/// <summary>
/// A servicio's work at a corte: its compromisos due by then (due month on or before the corte's), still open then (neither
/// Cumplido nor Cancelado at the corte) and without a reporte for that corte. One query, keyset-paginated by compromiso id.
/// </summary>
public sealed record ListarPendientes(int ServicioId, DateOnly? Corte, int? Limit, string? Cursor, DateTimeOffset? ConocidoAl = null)
    : IQuery<Pagina<CompromisoDto>>, IPaginada, IConocidoAl;

public sealed class ListarPendientesValidator : AbstractValidator<ListarPendientes>
{
    public ListarPendientesValidator(Calendario calendario, TimeProvider reloj)
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.ConocidoAl).YaOcurrido(reloj);
        RuleFor(x => x.Corte!.Value).EsFechaRazonable().EsCorte(calendario).OverridePropertyName("corte").When(x => x.Corte is not null);
    }
}

public sealed class ListarPendientesHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ListarPendientes, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarPendientes q, CancellationToken ct)
    {
        if (!await db.Servicios.AnyAsync(s => s.Id == q.ServicioId, ct)) throw new NoEncontradoException("servicio", q.ServicioId);
        var corte = q.Corte ?? calendario.CorteActual();
        var despues = q.DespuesEntero();
        var filas = await Pendientes.AlCorte(db, corte, q.ConocidoAl)
            .Where(x => x.Compromiso.Id > despues && db.Programas.Any(p => p.Id == x.Compromiso.ProgramaId && p.ServicioId == q.ServicioId))
            .OrderBy(x => x.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Id, x => x.ToDto(corte));
    }
}
