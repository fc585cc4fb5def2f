namespace CompromisosApi.Features.Estadisticas;

public static class ObtenerOportunidadEndpoint
{
    public static RouteHandlerBuilder MapObtenerOportunidad(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("oportunidad", async ([AsParameters] ObtenerOportunidad q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ObtenerOportunidad", "Oportunidad del cumplimiento por ministerio, servicio, año, línea, tipo o categoría de desempeño",
                "Por grupo, de la oportunidad de cada compromiso al corte (el campo oportunidad de un compromiso leído con el mismo alCorte y " +
                "conocidoAl: cumplidoEn es el primer corte en que el registro lo muestra Cumplido, si lo está al corte; mesesDeAtraso = " +
                "max(0, (año·12 + mes de cumplidoEn) − (año·12 + mes de vencimiento)); aTiempo = mesesDeAtraso = 0): total de compromisos; " +
                "cumplidos (con cumplidoEn); cumplidosATiempo (aTiempo true); porcentajeATiempo = cumplidosATiempo ÷ cumplidos × 100, " +
                "redondeado a un decimal, null si cumplidos es 0; medianaMesesDeAtraso, la mediana (percentile_cont 0.5) de mesesDeAtraso de " +
                "los cumplidos, redondeada a un decimal, null si no hay; cancelados (calificación Cancelado al corte); vencidosSinCumplir " +
                "(mes de vencimiento igual o anterior al mes de alCorte y ni Cumplido ni Cancelado, la regla del campo vencido). Sin alCorte, " +
                "el registro actual: la calificación vigente, cumplidoEn sobre todo el historial y vencidos a hoy en Chile. Una sola consulta " +
                "SQL por solicitud. " + Agrupaciones.Descripcion)
            .Errores(400);
}

/// <summary>Timeliness figures per ministerio, servicio, evaluation year or line, commitment type or performance category.</summary>
public sealed record ObtenerOportunidad : ConsultaEstadistica, IQuery<OportunidadPorGrupoDto>;

public sealed class ObtenerOportunidadValidator : AbstractValidator<ObtenerOportunidad>
{
    public ObtenerOportunidadValidator(TimeProvider reloj) => this.ReglasDeEstadistica(reloj);
}

public sealed class ObtenerOportunidadHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ObtenerOportunidad, OportunidadPorGrupoDto>
{
    public async ValueTask<OportunidadPorGrupoDto> Handle(ObtenerOportunidad q, CancellationToken ct)
    {
        var agruparPor = q.AgruparPor ?? Agrupaciones.PorOmision;
        var momento = q.Momento();
        var alCorte = momento.Corte(calendario);

        // cumplidoEn once per compromiso (cumplido_al_corte, the function the compromiso reads map; @historia is alCorte
        // as asked, null for the current record), then meses_de_atraso from it: aTiempo is 0 months. Only a Cumplido
        // has cumplidoEn, so the median (percentile_cont ignores NULLs) is over the cumplidos.
        var sql = Agrupaciones.Consulta(agruparPor, momento, x => $"""
                count(c.id)::integer,
                count(c.id) FILTER (WHERE o.cumplido_en IS NOT NULL)::integer,
                count(c.id) FILTER (WHERE meses_de_atraso(c.fecha_vencimiento, o.cumplido_en) = 0)::integer,
                round(percentile_cont(0.5) WITHIN GROUP (ORDER BY meses_de_atraso(c.fecha_vencimiento, o.cumplido_en))::numeric, 1),
                count(c.id) FILTER (WHERE {x.Calificacion} = 'Cancelado')::integer,
                count(c.id) FILTER (WHERE vencido_al_corte(c.fecha_vencimiento, {x.Calificacion}, @corte))::integer
                """,
            "total, cumplidos, cumplidos_a_tiempo, mediana_meses_de_atraso, cancelados, vencidos_sin_cumplir",
            ", round(100.0 * g.cumplidos_a_tiempo / nullif(g.cumplidos, 0), 1) AS porcentaje_a_tiempo",
            "LEFT JOIN LATERAL (SELECT cumplido_al_corte(c.id, @historia, @conocido) AS cumplido_en) AS o ON true");

        var filas = await db.Database.SqlQueryRaw<FilaOportunidad>(sql, Agrupaciones.Parametros(q.Anio, alCorte, momento)).ToListAsync(ct);
        return new OportunidadPorGrupoDto
        {
            AgruparPor = agruparPor,
            Anio = q.Anio,
            AlCorte = alCorte,
            ConocidoAl = momento.ConocidoAl,
            Grupos = filas.Select(f => new GrupoOportunidadDto(Agrupaciones.Clave(agruparPor, f))
            {
                Total = f.Total,
                Cumplidos = f.Cumplidos,
                CumplidosATiempo = f.CumplidosATiempo,
                PorcentajeATiempo = f.PorcentajeATiempo,
                MedianaMesesDeAtraso = f.MedianaMesesDeAtraso,
                Cancelados = f.Cancelados,
                VencidosSinCumplir = f.VencidosSinCumplir,
            }).ToList(),
        };
    }
}

/// <summary>One row of the timeliness query; its columns are the snake_case names of these properties.</summary>
public sealed record FilaOportunidad(
    int? Id,
    string? Nombre,
    int? AnioEvaluacion,
    string? LineaEvaluacion,
    string? Tipo,
    string? CategoriaDesempeno,
    int Total,
    int Cumplidos,
    int CumplidosATiempo,
    decimal? MedianaMesesDeAtraso,
    int Cancelados,
    int VencidosSinCumplir,
    decimal? PorcentajeATiempo) : IFilaDeGrupo;
