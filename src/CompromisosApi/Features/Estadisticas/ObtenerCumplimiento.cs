using System.Collections.Concurrent;
using System.Diagnostics;

namespace CompromisosApi.Features.Estadisticas;

public static class ObtenerCumplimientoEndpoint
{
    public static RouteHandlerBuilder MapObtenerCumplimiento(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("cumplimiento", async ([AsParameters] ObtenerCumplimiento q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ObtenerCumplimiento", "Cumplimiento de compromisos por ministerio, servicio, año, línea, tipo o categoría de desempeño",
                "Por grupo: compromisos por calificación vigente (pendiente, cumplido, parcialmenteCumplido, noCumplido, cancelado) y total; " +
                "exigibles al corte (mes de vencimiento igual o anterior al mes de alCorte, por omisión hoy en Chile); vencidos al corte " +
                "(exigibles que no están Cumplidos ni Cancelados, la misma regla que el campo vencido); programas en seguimiento y egresados; y " +
                "porcentajeCumplimiento = cumplidosExigibles ÷ (exigibles − canceladosExigibles) × 100, redondeado a un decimal, null si el " +
                "denominador es 0. El numerador cuenta solo los Cumplidos exigibles: uno que vence después del corte aún no se mide. " +
                Agrupaciones.Descripcion)
            .Errores(400);
}

/// <summary>Compliance figures per ministerio, servicio, evaluation year or evaluation line.</summary>
public sealed record ObtenerCumplimiento : ConsultaEstadistica, IQuery<CumplimientoDto>;

public sealed class ObtenerCumplimientoValidator : AbstractValidator<ObtenerCumplimiento>
{
    public ObtenerCumplimientoValidator(TimeProvider reloj) => this.ReglasDeEstadistica(reloj);
}

public sealed class ObtenerCumplimientoHandler(CompromisosDbContext db, Calendario calendario, RespuestasDeCumplimiento respuestas)
    : IQueryHandler<ObtenerCumplimiento, CumplimientoDto>
{
    public async ValueTask<CumplimientoDto> Handle(ObtenerCumplimiento q, CancellationToken ct)
    {
        var agruparPor = q.AgruparPor ?? Agrupaciones.PorOmision;
        var alCorte = q.Momento().Corte(calendario);
        var entrada = respuestas.De(new(agruparPor, q.Anio, alCorte, q.Momento()));
        var llegada = Stopwatch.GetTimestamp();
        if (entrada.Guardada is { } guardada && guardada.Instantanea == await InstantaneaAsync(ct)) return guardada.Respuesta;

        // One computation per question at a time: when the record changes under many polling clients, the first
        // computes and the others take its answer if it started after they arrived (it saw every write they could
        // have seen), instead of all computing the same answer at once.
        await entrada.Turno.WaitAsync(ct);
        try
        {
            if (entrada.Guardada is { } reciente && reciente.Desde > llegada) return reciente.Respuesta;
            var desde = Stopwatch.GetTimestamp();
            var (instantanea, respuesta) = await CalcularAsync(agruparPor, q.Anio, alCorte, q.Momento(), ct);
            if (instantanea is not null) entrada.Guardada = new(instantanea, desde, respuesta);
            return respuesta;
        }
        finally
        {
            entrada.Turno.Release();
        }
    }

    private async Task<string> InstantaneaAsync(CancellationToken ct) =>
        (await db.Database.SqlQueryRaw<string>("SELECT pg_current_snapshot()::text AS \"Value\"").ToListAsync(ct))[0];

    /// <summary>The answer, and the snapshot its statement ran in (null when there are no groups).</summary>
    private async Task<(string? Instantanea, CumplimientoDto Respuesta)> CalcularAsync(
        string agruparPor, int? anio, DateOnly alCorte, Momento momento, CancellationToken ct)
    {
        // Without conocidoAl (the current record, or the record at a cut-off): from the steps kept on the write path.
        var filas = momento.ConocidoAl is null
            ? await CalculoDeCumplimiento.DesdeTotalesAsync(db, agruparPor, anio, alCorte, ct)
            : await CalculoDeCumplimiento.CompletoAsync(db, agruparPor, anio, alCorte, momento, ct);

        var respuesta = new CumplimientoDto
        {
            AgruparPor = agruparPor,
            Anio = anio,
            AlCorte = alCorte,
            ConocidoAl = momento.ConocidoAl,
            Grupos = filas.Select(f => new GrupoCumplimientoDto(Agrupaciones.Clave(agruparPor, f))
            {
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
        // Every row carries the snapshot its statement ran in; without rows there is nothing costly to keep.
        return (filas.Count > 0 ? filas[0].Instantanea : null, respuesta);
    }
}

/// <summary>
/// The latest answers of <see cref="ObtenerCumplimiento"/>, each with the PostgreSQL snapshot (xmin:xmax:transactions in
/// progress) of the statement that computed it. A snapshot decides which transactions are visible, so the same
/// snapshot means the same rows and the same answer: a hit is exact, never stale. Any transaction that writes anywhere
/// in the cluster changes it, so while the record is being written every request computes again.
/// Why: integrating systems poll the same figures far more often than the record changes, and checking the snapshot
/// costs less than computing them (an index probe per group, the steps not folded yet; with conocidoAl, every
/// compromiso of the programas asked for): bench/RESULTS.md, E6 against E6 computed afresh. A singleton per service
/// (one database), never static: two databases of one cluster can show the same snapshot.
/// </summary>
public sealed class RespuestasDeCumplimiento
{
    // alCorte is any date, so the questions are unbounded; a full cache starts over rather than tracking use.
    private const int Maximo = 256;
    private readonly ConcurrentDictionary<Pregunta, Entrada> _entradas = new();

    /// <summary>Momento: alCorte and conocidoAl as given (neither: today's state at today).</summary>
    public readonly record struct Pregunta(string AgruparPor, int? Anio, DateOnly AlCorte, Momento Momento);

    /// <summary>An answer, the snapshot it was computed in, and when (Stopwatch ticks) its statement was sent.</summary>
    public sealed record Guardada(string Instantanea, long Desde, CumplimientoDto Respuesta);

    public sealed class Entrada
    {
        public SemaphoreSlim Turno { get; } = new(1, 1);
        public Guardada? Guardada { get => Volatile.Read(ref _guardada); set => Volatile.Write(ref _guardada, value); }
        private Guardada? _guardada;
    }

    public Entrada De(Pregunta pregunta)
    {
        if (_entradas.Count >= Maximo && !_entradas.ContainsKey(pregunta)) _entradas.Clear();
        return _entradas.GetOrAdd(pregunta, static _ => new Entrada());
    }
}

/// <summary>One row of the statistics query; its columns are the snake_case names of these properties (the naming convention).</summary>
public sealed record FilaCumplimiento(
    int? Id,
    string? Nombre,
    int? AnioEvaluacion,
    string? LineaEvaluacion,
    string? Tipo,
    string? CategoriaDesempeno,
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
    string Instantanea,
    decimal? PorcentajeCumplimiento) : IFilaDeGrupo;
