using Npgsql;

namespace CompromisosApi.Features.Estadisticas;

/// <summary>
/// The two ways of computing <see cref="ObtenerCumplimiento"/>'s groups, which give the same rows
/// (<c>EstadisticasEquivalenciaTests</c> holds them to it over random histories):
/// <see cref="DesdeTotalesAsync"/>, from the steps the database keeps on the write path (Persistence/Sql/estadisticas.sql),
/// whose cost does not grow with the record, for every question without conocidoAl; and <see cref="CompletoAsync"/>, the
/// aggregation of every compromiso of the programas asked for, the reference, which also answers "as known at"
/// (conocidoAl), a reading the steps do not keep.
/// </summary>
public static class CalculoDeCumplimiento
{
    /// <summary>The figures of each group, from the compromisos' and programas' states at the moment.</summary>
    private static string Agregados(ExpresionesDeGrupo x) => $"""
        count(c.id) FILTER (WHERE {x.Calificacion} = 'Pendiente')::integer,
        count(c.id) FILTER (WHERE {x.Calificacion} = 'Cumplido')::integer,
        count(c.id) FILTER (WHERE {x.Calificacion} = 'ParcialmenteCumplido')::integer,
        count(c.id) FILTER (WHERE {x.Calificacion} = 'NoCumplido')::integer,
        count(c.id) FILTER (WHERE {x.Calificacion} = 'Cancelado')::integer,
        count(c.id)::integer,
        count(c.id) FILTER (WHERE vencido_al_corte(c.fecha_vencimiento, {x.Calificacion}, @corte))::integer,
        count(c.id) FILTER (WHERE c.fecha_vencimiento <= @mes)::integer,
        count(c.id) FILTER (WHERE c.fecha_vencimiento <= @mes AND {x.Calificacion} = 'Cumplido')::integer,
        count(c.id) FILTER (WHERE c.fecha_vencimiento <= @mes AND {x.Calificacion} = 'Cancelado')::integer,
        count(DISTINCT p.id) FILTER (WHERE NOT {x.Egresado})::integer,
        count(DISTINCT p.id) FILTER (WHERE {x.Egresado})::integer
        """;

    /// <summary>The figures' columns, the same in estadisticas_totales, estadisticas_medidas and <see cref="FilaCumplimiento"/>.</summary>
    private const string Medidas =
        "pendiente, cumplido, parcialmente_cumplido, no_cumplido, cancelado, total, vencidos, exigibles, cumplidos_exigibles, " +
        "cancelados_exigibles, programas_en_seguimiento, programas_egresados";

    /// <summary>Columns computed from a group's figures, and the snapshot the statement ran in (the answers' cache key).</summary>
    private const string Exteriores = """
        , pg_current_snapshot()::text AS instantanea,
               round(100.0 * g.cumplidos_exigibles / nullif(g.exigibles - g.cancelados_exigibles, 0), 1) AS porcentaje_cumplimiento
        """;

    /// <summary>
    /// The full aggregation: exigible means due by the cut-off (due month on or before alCorte's month), and vencido is
    /// vencido_al_corte (Compromiso.EstaVencido): exigible and neither Cumplido nor Cancelado.
    /// </summary>
    public static Task<List<FilaCumplimiento>> CompletoAsync(
        CompromisosDbContext db, string agruparPor, int? anio, DateOnly alCorte, Momento momento, CancellationToken ct) =>
        db.Database.SqlQueryRaw<FilaCumplimiento>(Agrupaciones.Consulta(agruparPor, momento, Agregados, Medidas, Exteriores),
            Agrupaciones.Parametros(anio, alCorte, momento)).ToListAsync(ct);

    /// <summary>
    /// From the steps (estadisticas.sql): each group of the grouping and year (listed by its row at -infinity), its
    /// figures at the cut-off (its last row on or before it: one index probe each), plus the steps not folded yet dated
    /// on or before the cut-off, summed per group. The current record is the record at today's cut-off
    /// (<paramref name="alCorte"/>): nothing is dated in the future.
    /// </summary>
    public static Task<List<FilaCumplimiento>> DesdeTotalesAsync(
        CompromisosDbContext db, string agruparPor, int? anio, DateOnly alCorte, CancellationToken ct)
    {
        var (clave, nombres) = Agrupaciones.ClaveDeTotales(agruparPor);
        var sql = $"""
            WITH filas AS (
                SELECT u.* FROM estadisticas_totales s
                 CROSS JOIN LATERAL (
                        SELECT t.clave, {Medidas} FROM estadisticas_totales t
                         WHERE (t.dimension, t.anio, t.clave) = (s.dimension, s.anio, s.clave) AND t.desde <= @corte
                         ORDER BY t.desde DESC LIMIT 1) AS u
                 WHERE s.dimension = @dimension AND s.anio = @anio_o_todos AND s.desde = '-infinity'
                UNION ALL
                SELECT estadisticas_clave(@dimension, c.ministerio_id, c.servicio_id, c.anio, c.linea, c.tipo, c.categoria), x.*
                  FROM estadisticas_cambios c
                 CROSS JOIN LATERAL estadisticas_medidas(c.estado, c.exigible, c.n) AS x
                 WHERE c.desde <= @corte AND (@anio::integer IS NULL OR c.anio = @anio) AND estadisticas_cuenta_en(c.clase, @dimension)
            ), g AS (
                SELECT clave,
                       sum(pendiente)::integer AS pendiente,
                       sum(cumplido)::integer AS cumplido,
                       sum(parcialmente_cumplido)::integer AS parcialmente_cumplido,
                       sum(no_cumplido)::integer AS no_cumplido,
                       sum(cancelado)::integer AS cancelado,
                       sum(total)::integer AS total,
                       sum(vencidos)::integer AS vencidos,
                       sum(exigibles)::integer AS exigibles,
                       sum(cumplidos_exigibles)::integer AS cumplidos_exigibles,
                       sum(cancelados_exigibles)::integer AS cancelados_exigibles,
                       sum(programas_en_seguimiento)::integer AS programas_en_seguimiento,
                       sum(programas_egresados)::integer AS programas_egresados
                  FROM filas
                 GROUP BY clave
            )
            SELECT {clave}, {Medidas}
                   {Exteriores}
              FROM g {nombres}
             WHERE g.programas_en_seguimiento + g.programas_egresados > 0
             ORDER BY 1, 3, 4, 5, 6
            """;
        return db.Database.SqlQueryRaw<FilaCumplimiento>(sql,
            new NpgsqlParameter<string>("dimension", agruparPor),
            new NpgsqlParameter<int>("anio_o_todos", anio ?? 0),
            new NpgsqlParameter<int?>("anio", anio),
            new NpgsqlParameter<DateOnly>("corte", alCorte)).ToListAsync(ct);
    }
}
