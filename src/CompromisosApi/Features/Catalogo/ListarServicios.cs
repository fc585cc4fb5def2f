namespace CompromisosApi.Features.Catalogo;

public static class ListarServiciosEndpoint
{
    public static RouteHandlerBuilder MapListarServicios(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("", async ([AsParameters] ListarServicios q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarServicios", "Lista los servicios", "Lista paginada en orden de id; filtra por ministerioId y codigo (partida.capítulo).")
            .Errores(400);
}

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="MinisterioId" example="1">Solo los servicios de este ministerio.</param>
/// <param name="Codigo" example="13.03">Solo el servicio de este partida.capítulo de la Ley de Presupuestos.</param>
public sealed record ListarServicios(
    int? Limit, string? Cursor, int? MinisterioId,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoServicio), Patron(CodigosPresupuestarios.PatronCapitulo)] string? Codigo = null) : IQuery<Pagina<ServicioDto>>, IPaginada;

public sealed class ListarServiciosValidator : AbstractValidator<ListarServicios>
{
    public ListarServiciosValidator()
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.Codigo).CodigoServicio();
    }
}

public sealed class ListarServiciosHandler(CompromisosDbContext db) : IQueryHandler<ListarServicios, Pagina<ServicioDto>>
{
    public async ValueTask<Pagina<ServicioDto>> Handle(ListarServicios q, CancellationToken ct)
    {
        var despues = q.DespuesEntero();
        var consulta = db.Servicios.AsNoTracking().Where(s => s.Id > despues);
        if (q.MinisterioId is { } mid) consulta = consulta.Where(s => s.MinisterioId == mid);
        if (q.Codigo is { } codigo) consulta = consulta.Where(s => s.Codigo == codigo);
        var filas = await consulta.OrderBy(s => s.Id).Take(q.Limite() + 1).ProjectToDto().ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), s => s.Id, s => s);
    }
}
