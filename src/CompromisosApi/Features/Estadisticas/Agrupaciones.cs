using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace CompromisosApi.Features.Estadisticas;

/// <summary>A statistics query: grouped by agruparPor, over the programas of anio, at a moment.</summary>
public interface IConsultaEstadistica : ILecturaAlMomento
{
    string? AgruparPor { get; }
    int? Anio { get; }
}

/// <summary>The parameters of both statistics (bound with [AsParameters]), with their contract descriptions.</summary>
public abstract record ConsultaEstadistica : IConsultaEstadistica
{
    /// <summary>
    /// ministerio, servicio, anio (año de evaluación), linea (línea de evaluación), tipo (tipo de compromiso) o
    /// categoriaDesempeno (categoría de desempeño del programa). Por omisión, ministerio.
    /// </summary>
    /// <example>ministerio</example>
    [AllowedValues("ministerio", "servicio", "anio", "linea", "tipo", "categoriaDesempeno")]
    public string? AgruparPor { get; init; }

    /// <summary>Solo los programas evaluados ese año (anioEvaluacion).</summary>
    /// <example>2007</example>
    [System.ComponentModel.DataAnnotations.Range(Meses.AnioMinimo, Meses.AnioMaximo)]
    public int? Anio { get; init; }

    /// <summary>Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</summary>
    /// <example>2009-12-31</example>
    public DateOnly? AlCorte { get; init; }

    /// <summary>Ver LecturaAlCorte.DescripcionConocidoAl (Common/OpenApi.cs).</summary>
    /// <example>2010-03-01T12:00:00-03:00</example>
    public DateTimeOffset? ConocidoAl { get; init; }
}

/// <summary>The key columns of a row of a statistics query (<see cref="Agrupaciones.Consulta"/>).</summary>
public interface IFilaDeGrupo
{
    int? Id { get; }
    string? Nombre { get; }
    int? AnioEvaluacion { get; }
    string? LineaEvaluacion { get; }
    string? Tipo { get; }
    string? CategoriaDesempeno { get; }
}

/// <summary>What the aggregates of a statistics query may use: the calificación and the programa's estado at the moment.</summary>
public sealed record ExpresionesDeGrupo(string Calificacion, string Egresado);

/// <summary>
/// The groupings both statistics share (ObtenerCumplimiento, ObtenerOportunidad), defined once: the values of
/// agruparPor, the key of each as SQL columns, the statement's FROM … GROUP BY, its parameters, and the group's key in
/// the answer. Each statistic adds only its own aggregates.
/// </summary>
public static class Agrupaciones
{
    public const string PorOmision = "ministerio";

    /// <summary>Name of the group of compromisos without tipo (agruparPor tipo).</summary>
    public const string SinClasificar = "Sin clasificar";

    /// <summary>Name of the group of programas without categoría de desempeño (agruparPor categoriaDesempeno).</summary>
    public const string NoRegistrada = "No registrada";

    /// <summary>What the contract says of agruparPor and of the groups, the same on both operations.</summary>
    public const string Descripcion =
        "agruparPor: ministerio o servicio (id y nombre), anio (anioEvaluacion), linea (lineaEvaluacion y su nombre), tipo (tipo " +
        "del compromiso, código del catálogo GET /api/v1/tipos-compromiso, y su nombre) o categoriaDesempeno (categoría de desempeño " +
        "del programa y su nombre); por omisión ministerio. Con tipo los grupos son de compromisos: los que no tienen tipo forman el " +
        "grupo tipo null, nombre \"" + SinClasificar + "\"; un programa cuenta en cada grupo en que tiene compromisos y un programa " +
        "sin compromisos no aparece. Con categoriaDesempeno los programas sin categoría registrada forman el grupo categoriaDesempeno " +
        "null, nombre \"" + NoRegistrada + "\". anio filtra los programas por año de evaluación. Grupos ordenados por su clave (id, " +
        "año o código; el grupo null al final), sin paginar (son pocos); solo aparecen los grupos con algún programa (con tipo, con " +
        "algún compromiso).";

    /// <summary>
    /// Each grouping, defined once: its key as the (id, nombre, anio, linea, tipo, categoria) columns of a row
    /// (<see cref="IFilaDeGrupo"/>; the ones that don't apply are NULL, so one statement serves all), read from the
    /// record (Clave: the full aggregation's GROUP BY, <see cref="Consulta"/>) and from the statistics' totals
    /// (DeTotales, over their clave, estadisticas_clave: '' the null group; Nombres joins what names it). Only these
    /// fixed fragments ever reach the SQL text; values go as parameters. PorCompromiso: the groups are of compromisos,
    /// so a programa without any is in none.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Agrupacion> Claves = new Dictionary<string, Agrupacion>(StringComparer.Ordinal)
    {
        ["ministerio"] = new(Columnas(id: "m.id", nombre: "m.nombre::text"), false,
            Columnas(id: "m.id", nombre: "m.nombre::text"), "JOIN ministerios m ON m.id = g.clave::integer"),
        ["servicio"] = new(Columnas(id: "s.id", nombre: "s.nombre::text"), false,
            Columnas(id: "s.id", nombre: "s.nombre::text"), "JOIN servicios s ON s.id = g.clave::integer"),
        ["anio"] = new(Columnas(anio: "p.anio_evaluacion"), false, Columnas(anio: "g.clave::integer"), ""),
        ["linea"] = new(Columnas(nombre: "l.nombre::text", linea: "p.linea_evaluacion::text"), false,
            Columnas(nombre: "l.nombre::text", linea: "g.clave"), "JOIN lineas_evaluacion l ON l.codigo = g.clave"),
        ["tipo"] = new(Columnas(nombre: "t.nombre::text", tipo: "c.tipo::text"), true,
            Columnas(nombre: "t.nombre::text", tipo: "nullif(g.clave, '')"), "LEFT JOIN tipos_compromiso t ON t.codigo = g.clave"),
        ["categoriaDesempeno"] = new(Columnas(categoria: "p.categoria_desempeno::text"), false,
            Columnas(categoria: "nullif(g.clave, '')"), ""),
    };

    private sealed record Agrupacion(string Clave, bool PorCompromiso, string DeTotales, string Nombres);

    private static string Columnas(string id = "NULL::integer", string nombre = "NULL::text", string anio = "NULL::integer",
        string linea = "NULL::text", string tipo = "NULL::text", string categoria = "NULL::text") =>
        $"{id} AS id, {nombre} AS nombre, {anio} AS anio_evaluacion, {linea} AS linea_evaluacion, {tipo} AS tipo, {categoria} AS categoria_desempeno";

    /// <summary>The key columns of a grouping read from the statistics' totals (g.clave), and the join that names them.</summary>
    public static (string Clave, string Nombres) ClaveDeTotales(string agruparPor) =>
        (Claves[agruparPor].DeTotales, Claves[agruparPor].Nombres);

    public static IEnumerable<string> Valores => Claves.Keys;

    /// <summary>agruparPor (one of <see cref="Valores"/>), anio and the moment, the same rules on both operations.</summary>
    public static void ReglasDeEstadistica<T>(this AbstractValidator<T> v, TimeProvider reloj) where T : IConsultaEstadistica
    {
        v.RuleFor(x => x.AgruparPor).Must(a => a is null || Claves.ContainsKey(a))
            .WithMessage($"Debe ser uno de: {string.Join(", ", Valores)}.");
        v.RuleFor(x => x.Anio).InclusiveBetween(Meses.AnioMinimo, Meses.AnioMaximo)
            .WithMessage($"Debe estar entre {Meses.AnioMinimo} y {Meses.AnioMaximo}.");
        v.ReglasDeMomento(reloj);
    }

    /// <summary>
    /// One GROUP BY over programas LEFT JOIN compromisos (a programa without compromisos still counts as a programa),
    /// computed by PostgreSQL: only the groups reach the service. The calificación of each compromiso is, as in the
    /// lists, its current one, or at a moment the one in effect then (calificacion_al_corte, inlined as a lateral index
    /// scan), and so is a programa's estado (egresado_al_corte, on the egreso as known then: egreso_conocido). With
    /// conocidoAl, only the programas and compromisos registered by then count (AlCorte.Conocidos). The row is the key
    /// (<see cref="IFilaDeGrupo"/>) and then the <paramref name="agregados"/> named <paramref name="nombres"/>;
    /// <paramref name="exteriores"/> are further columns computed from g, <paramref name="lateral"/> further joins per
    /// compromiso. Parameters (<see cref="Parametros"/>): @mes (first day of alCorte's month), @corte, @anio,
    /// @conocido, @historia (alCorte as asked; null: the current record).
    /// </summary>
    public static string Consulta(string agruparPor, Momento momento, Func<ExpresionesDeGrupo, string> agregados, string nombres,
        string exteriores = "", string lateral = "")
    {
        var conocido = momento.ConocidoAl is not null;
        var (calificacion, historial, egresado) = momento.EsElActual
            ? ("c.calificacion", "", "p.estado = 'Egresado'")
            : ("coalesce(k.calificacion, 'Pendiente')", "LEFT JOIN LATERAL calificacion_al_corte(c.id, @corte, @conocido) AS k ON true",
                conocido ? "egresado_al_corte(e.fecha_egreso, @corte)" : "egresado_al_corte(p.fecha_egreso, @corte)");
        var (egreso, programasConocidos, compromisosConocidos) = conocido
            ? ("LEFT JOIN LATERAL egreso_conocido(p.id, @conocido) AS e ON true", "AND p.registrado_en <= @conocido", "AND c.registrado_en <= @conocido")
            : ("", "", "");
        var (clave, porCompromiso, _, _) = Claves[agruparPor];
        return $"""
            SELECT g.*{exteriores}
              FROM (
                SELECT {clave},
                       {agregados(new(calificacion, egresado))}
                  FROM programas p
                  {egreso}
                  JOIN servicios s ON s.id = p.servicio_id
                  JOIN ministerios m ON m.id = s.ministerio_id
                  JOIN lineas_evaluacion l ON l.codigo = p.linea_evaluacion
                  LEFT JOIN compromisos c ON c.programa_id = p.id {compromisosConocidos}
                  LEFT JOIN tipos_compromiso t ON t.codigo = c.tipo
                  {historial}
                  {lateral}
                 WHERE (@anio::integer IS NULL OR p.anio_evaluacion = @anio) {programasConocidos} {(porCompromiso ? "AND c.id IS NOT NULL" : "")}
                 GROUP BY 1, 2, 3, 4, 5, 6
              ) AS g (id, nombre, anio_evaluacion, linea_evaluacion, tipo, categoria_desempeno, {nombres})
             ORDER BY g.id, g.anio_evaluacion, g.linea_evaluacion, g.tipo, g.categoria_desempeno
            """;
    }

    public static object[] Parametros(int? anio, DateOnly alCorte, Momento momento) =>
    [
        new NpgsqlParameter<DateOnly>("mes", Domain.Compromiso.PrimerDiaDelMes(alCorte)),
        new NpgsqlParameter<DateOnly>("corte", alCorte),
        new NpgsqlParameter<int?>("anio", anio),
        new NpgsqlParameter<DateTimeOffset?>("conocido", momento.ConocidoAl?.ToUniversalTime()) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
        new NpgsqlParameter<DateOnly?>("historia", momento.AlCorte) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date },
    ];

    /// <summary>A group's key in the answer, with the names of the null groups.</summary>
    public static ClaveDeGrupo Clave(string agruparPor, IFilaDeGrupo f)
    {
        var categoria = f.CategoriaDesempeno is { } c ? Enum.Parse<CategoriaDesempeno>(c) : (CategoriaDesempeno?)null;
        var nombre = agruparPor switch
        {
            "tipo" => f.Nombre ?? SinClasificar,
            "categoriaDesempeno" => categoria?.Nombre() ?? NoRegistrada,
            _ => f.Nombre,
        };
        return new(f.Id, nombre, f.AnioEvaluacion, f.LineaEvaluacion, f.Tipo, categoria);
    }
}

/// <summary>A group's key (<see cref="GrupoEstadistico"/>).</summary>
public readonly record struct ClaveDeGrupo(int? Id, string? Nombre, int? AnioEvaluacion, string? LineaEvaluacion, string? Tipo, CategoriaDesempeno? CategoriaDesempeno);
