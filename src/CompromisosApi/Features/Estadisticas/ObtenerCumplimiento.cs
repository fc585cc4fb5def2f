using System.ComponentModel.DataAnnotations;
using CompromisosApi.Common;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CompromisosApi.Features.Estadisticas;

/// <summary>Compliance figures per ministerio, servicio, evaluation year or evaluation line.</summary>
/// <param name="AgruparPor" example="ministerio">
/// ministerio, servicio, anio (año de evaluación) o linea (línea de evaluación). Por omisión, ministerio.
/// </param>
/// <param name="Anio" example="2007">Solo los programas evaluados ese año (anioEvaluacion).</param>
/// <param name="AlCorte" example="2013-12-31">
/// Corte al que se cuentan exigibles, vencidos y el porcentaje (por omisión, hoy en Chile).
/// </param>
public sealed record ObtenerCumplimiento(
    [property: AllowedValues("ministerio", "servicio", "anio", "linea")] string? AgruparPor,
    int? Anio,
    DateOnly? AlCorte) : IQuery<CumplimientoDto>;

public sealed class ObtenerCumplimientoValidator : AbstractValidator<ObtenerCumplimiento>
{
    public ObtenerCumplimientoValidator()
    {
        RuleFor(x => x.AgruparPor).Must(a => a is null || ObtenerCumplimientoHandler.Claves.ContainsKey(a))
            .WithMessage("Debe ser uno de: ministerio, servicio, anio, linea.");
        RuleFor(x => x.Anio).InclusiveBetween(Meses.AnioMinimo, Meses.AnioMaximo)
            .WithMessage($"Debe estar entre {Meses.AnioMinimo} y {Meses.AnioMaximo}.");
        RuleFor(x => x.AlCorte).EsFechaRazonable();
    }
}

public sealed class ObtenerCumplimientoHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ObtenerCumplimiento, CumplimientoDto>
{
    /// <summary>
    /// The group key of each grouping as (id, nombre, anio, linea) columns; the ones that don't apply are NULL, so one
    /// statement serves all four. Only these fixed fragments ever reach the SQL text; values go as parameters.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> Claves = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ministerio"] = "m.id, m.nombre::text, NULL::integer, NULL::text",
        ["servicio"] = "s.id, s.nombre::text, NULL::integer, NULL::text",
        ["anio"] = "NULL::integer, NULL::text, p.anio_evaluacion, NULL::text",
        ["linea"] = "NULL::integer, l.nombre::text, NULL::integer, p.linea_evaluacion::text",
    };

    public async ValueTask<CumplimientoDto> Handle(ObtenerCumplimiento q, CancellationToken ct)
    {
        var agruparPor = q.AgruparPor ?? "ministerio";
        var alCorte = q.AlCorte ?? calendario.Hoy();

        // One GROUP BY over programas LEFT JOIN compromisos (a programa without compromisos still counts as a
        // programa), computed by PostgreSQL: only the groups reach the service. The calificación of each compromiso
        // is its current one, as in the lists; exigible means due by the cut-off (due month on or before alCorte's
        // month), and vencido is Compromiso.EstaVencido: exigible and neither Cumplido nor Cancelado.
        var sql = $"""
            SELECT g.*,
                   round(100.0 * g.cumplidos_exigibles / nullif(g.exigibles - g.cancelados_exigibles, 0), 1) AS porcentaje_cumplimiento
              FROM (
                SELECT {Claves[agruparPor]},
                       count(c.id) FILTER (WHERE c.calificacion = 'Pendiente')::integer,
                       count(c.id) FILTER (WHERE c.calificacion = 'Cumplido')::integer,
                       count(c.id) FILTER (WHERE c.calificacion = 'ParcialmenteCumplido')::integer,
                       count(c.id) FILTER (WHERE c.calificacion = 'NoCumplido')::integer,
                       count(c.id) FILTER (WHERE c.calificacion = 'Cancelado')::integer,
                       count(c.id)::integer,
                       count(c.id) FILTER (WHERE c.fecha_vencimiento <= @mes AND c.calificacion NOT IN ('Cumplido', 'Cancelado'))::integer,
                       count(c.id) FILTER (WHERE c.fecha_vencimiento <= @mes)::integer,
                       count(c.id) FILTER (WHERE c.fecha_vencimiento <= @mes AND c.calificacion = 'Cumplido')::integer,
                       count(c.id) FILTER (WHERE c.fecha_vencimiento <= @mes AND c.calificacion = 'Cancelado')::integer,
                       count(DISTINCT p.id) FILTER (WHERE p.estado = 'EnSeguimiento')::integer,
                       count(DISTINCT p.id) FILTER (WHERE p.estado = 'Egresado')::integer
                  FROM programas p
                  JOIN servicios s ON s.id = p.servicio_id
                  JOIN ministerios m ON m.id = s.ministerio_id
                  JOIN lineas_evaluacion l ON l.codigo = p.linea_evaluacion
                  LEFT JOIN compromisos c ON c.programa_id = p.id
                 WHERE @anio::integer IS NULL OR p.anio_evaluacion = @anio
                 GROUP BY 1, 2, 3, 4
              ) AS g (id, nombre, anio_evaluacion, linea_evaluacion, pendiente, cumplido, parcialmente_cumplido, no_cumplido, cancelado, total,
                      vencidos, exigibles, cumplidos_exigibles, cancelados_exigibles, programas_en_seguimiento, programas_egresados)
             ORDER BY g.id, g.anio_evaluacion, g.linea_evaluacion
            """;

        var filas = await db.Database.SqlQueryRaw<FilaCumplimiento>(sql,
                new NpgsqlParameter<DateOnly>("mes", Domain.Compromiso.PrimerDiaDelMes(alCorte)),
                new NpgsqlParameter<int?>("anio", q.Anio))
            .ToListAsync(ct);

        return new CumplimientoDto
        {
            AgruparPor = agruparPor,
            Anio = q.Anio,
            AlCorte = alCorte,
            Grupos = filas.Select(f => new GrupoCumplimientoDto
            {
                Id = f.Id,
                Nombre = f.Nombre,
                AnioEvaluacion = f.AnioEvaluacion,
                LineaEvaluacion = f.LineaEvaluacion,
                PorCalificacion = new ConteoPorCalificacionDto
                {
                    Pendiente = f.Pendiente,
                    Cumplido = f.Cumplido,
                    ParcialmenteCumplido = f.ParcialmenteCumplido,
                    NoCumplido = f.NoCumplido,
                    Cancelado = f.Cancelado,
                },
                Total = f.Total,
                Vencidos = f.Vencidos,
                Exigibles = f.Exigibles,
                CumplidosExigibles = f.CumplidosExigibles,
                CanceladosExigibles = f.CanceladosExigibles,
                ProgramasEnSeguimiento = f.ProgramasEnSeguimiento,
                ProgramasEgresados = f.ProgramasEgresados,
                PorcentajeCumplimiento = f.PorcentajeCumplimiento,
            }).ToList(),
        };
    }
}

/// <summary>One row of the statistics query; its columns are the snake_case names of these properties (the naming convention).</summary>
public sealed record FilaCumplimiento(
    int? Id,
    string? Nombre,
    int? AnioEvaluacion,
    string? LineaEvaluacion,
    int Pendiente,
    int Cumplido,
    int ParcialmenteCumplido,
    int NoCumplido,
    int Cancelado,
    int Total,
    int Vencidos,
    int Exigibles,
    int CumplidosExigibles,
    int CanceladosExigibles,
    int ProgramasEnSeguimiento,
    int ProgramasEgresados,
    decimal? PorcentajeCumplimiento);
