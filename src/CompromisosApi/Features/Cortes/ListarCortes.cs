namespace CompromisosApi.Features.Cortes;

public static class ListarCortesEndpoint
{
    public static RouteHandlerBuilder MapListarCortes(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("cortes", async ([AsParameters] ListarCortes q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarCortes", "Calendario de cortes",
                "Los cortes de reporte entre desde y hasta (inclusive), en orden, cada uno con su plazo de reporte. Por omisión, 30-06 y " +
                "31-12 de cada año (configurable en Calendario:Cortes) y un plazo de 15 días (Calendario:DiasPlazoReporte). Sin desde ni " +
                "hasta, los del año en curso.")
            .Errores(400);
}

/// <param name="Desde" example="2009-01-01">Primer día del intervalo (por omisión, el 1 de enero del año en curso).</param>
/// <param name="Hasta" example="2010-12-31">Último día del intervalo, inclusive (por omisión, el 31 de diciembre del año en curso).</param>
public sealed record ListarCortes(DateOnly? Desde, DateOnly? Hasta) : IQuery<ListaDeCortes>;

public sealed class ListarCortesValidator : AbstractValidator<ListarCortes>
{
    public ListarCortesValidator()
    {
        RuleFor(x => x.Desde).EsFechaRazonable();
        RuleFor(x => x.Hasta).EsFechaRazonable();
        RuleFor(x => x.Hasta).Must((q, hasta) => q.Desde is null || hasta is null || hasta >= q.Desde)
            .WithMessage("hasta no puede ser anterior a desde.");
    }
}

public sealed class ListarCortesHandler(Calendario calendario) : IQueryHandler<ListarCortes, ListaDeCortes>
{
    public ValueTask<ListaDeCortes> Handle(ListarCortes q, CancellationToken ct)
    {
        var anio = calendario.Hoy().Year;
        var desde = q.Desde ?? new DateOnly(q.Hasta?.Year ?? anio, 1, 1);
        var hasta = q.Hasta ?? new DateOnly(q.Desde?.Year ?? anio, 12, 31);
        return ValueTask.FromResult(new ListaDeCortes(calendario.Cortes(desde, hasta).Select(calendario.Corte).ToList()));
    }
}
