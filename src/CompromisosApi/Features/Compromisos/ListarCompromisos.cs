using System.ComponentModel.DataAnnotations;
using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Compromisos;

/// <summary>The filters of the compromisos list, shared by its JSON pages and its exports.</summary>
public interface IFiltroCompromisos : IBuscable, ILecturaAlMomento
{
    int? ProgramaId { get; }
    int? ServicioId { get; }
    int? MinisterioId { get; }
    Calificacion? Calificacion { get; }
    bool? Vencidos { get; }
    string? VenceDesde { get; }
    string? VenceHasta { get; }
}

public abstract class FiltroCompromisosValidator<T> : AbstractValidator<T> where T : IFiltroCompromisos
{
    protected FiltroCompromisosValidator(TimeProvider reloj)
    {
        RuleFor(x => x.Calificacion).IsInEnum().WithMessage("No es una calificación válida.");
        this.ReglasDeMomento(reloj);
        RuleFor(x => x.VenceDesde).EsMes();
        RuleFor(x => x.VenceHasta).EsMes();
        this.ReglasDeBusqueda();
    }
}

/// <summary>Compromisos across programas, with the filters analysts and the transparency portal need.</summary>
/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="ProgramaId" example="1">Solo los compromisos de este programa.</param>
/// <param name="ServicioId">Solo los de programas de este servicio.</param>
/// <param name="MinisterioId">Solo los de programas de servicios de este ministerio.</param>
/// <param name="Calificacion" example="Pendiente">Solo los que tienen esta calificación (la vigente, o la de alCorte).</param>
/// <param name="Vencidos" example="true">true: solo los vencidos al corte; false: solo los no vencidos.</param>
/// <param name="AlCorte" example="2009-12-31">Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</param>
/// <param name="ConocidoAl" example="2010-03-01T12:00:00-03:00">Ver LecturaAlCorte.DescripcionConocidoAl (Common/OpenApi.cs).</param>
/// <param name="VenceDesde" example="2009-01">Mes de vencimiento mínimo (yyyy-MM, inclusive).</param>
/// <param name="VenceHasta" example="2009-12">Mes de vencimiento máximo (yyyy-MM, inclusive).</param>
/// <param name="Q" example="focalizacion">
/// Búsqueda de texto completo en español, sin distinguir tildes ni mayúsculas, en el texto del compromiso, el de su
/// recomendación y los cumplimientos reportados. Hasta 200 caracteres; admite "frase exacta", or y -palabra. Con q los
/// resultados van por relevancia (y luego id); solo palabras vacías ("de la") no encuentran nada.
/// </param>
/// <param name="Formato" example="csv">
/// json (por omisión, paginada), csv o xlsx (exportación de todas las filas que cumplen los filtros, sin paginar;
/// sin limit ni cursor). Prevalece sobre el encabezado Accept.
/// </param>
public sealed record ListarCompromisos(
    int? Limit,
    string? Cursor,
    int? ProgramaId,
    int? ServicioId,
    int? MinisterioId,
    Calificacion? Calificacion,
    bool? Vencidos,
    DateOnly? AlCorte,
    DateTimeOffset? ConocidoAl,
    string? VenceDesde,
    string? VenceHasta,
    string? Q = null,
    [property: AllowedValues("json", "csv", "xlsx")] string? Formato = null) : IQuery<Pagina<CompromisoDto>>, IPaginada, IFiltroCompromisos;

public sealed class ListarCompromisosValidator : FiltroCompromisosValidator<ListarCompromisos>
{
    public ListarCompromisosValidator(TimeProvider reloj) : base(reloj)
    {
        this.ReglasDePaginacionConBusqueda();
        RuleFor(x => x.Formato).Must(f => f is null || Exportacion.Formatos.Contains(f, StringComparer.Ordinal))
            .WithMessage($"Debe ser uno de: {string.Join(", ", Exportacion.Formatos)}.");
    }
}

public sealed class ListarCompromisosHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ListarCompromisos, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarCompromisos q, CancellationToken ct)
    {
        var alCorte = q.AlCorte ?? calendario.Hoy();
        var filtrados = FiltroCompromisos.Aplicar(db, q, alCorte);

        if (q.Q is null)
        {
            var despues = q.DespuesEntero();
            var filas = await filtrados.Where(x => x.Compromiso.Id > despues).OrderBy(x => x.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
            return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Id, x => x.ToDto(alCorte));
        }

        // Ranked: (rank desc, id) is the sort key, and both travel in the cursor.
        var ranqueados = FiltroCompromisos.Buscar(db, filtrados, q.Q);
        if (q.DespuesRanqueada() is { } k)
            ranqueados = ranqueados.Where(x => x.Rango < k.Rango || (x.Rango == k.Rango && x.Fila.Compromiso.Id > k.Id));
        var encontrados = await ranqueados.OrderByDescending(x => x.Rango).ThenBy(x => x.Fila.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.CortarRanqueada(encontrados, q.Limite(), x => new ClaveRanqueada(x.Rango, x.Fila.Compromiso.Id), x => x.Fila.ToDto(alCorte));
    }
}

/// <summary>A compromiso with its relevance to a search (ts_rank of its document).</summary>
public sealed class CompromisoRanqueado
{
    public required CompromisoAlCorte Fila { get; init; }
    public required float Rango { get; init; }
}

public static class FiltroCompromisos
{
    /// <summary>
    /// The list's filters as one SQL query (no rows are loaded to filter them). With alCorte or conocidoAl, the compromisos
    /// known then and calificacion and vencidos on the calificación in effect then (<see cref="AlCorte.ComoEstaban(IQueryable{Compromiso}, CompromisosDbContext, Momento)"/>);
    /// vencido is always at <paramref name="alCorte"/> (alCorte, or today).
    /// </summary>
    public static IQueryable<CompromisoAlCorte> Aplicar(CompromisosDbContext db, IFiltroCompromisos q, DateOnly alCorte)
    {
        var consulta = db.Compromisos.AsNoTracking();
        if (q.ProgramaId is { } pid) consulta = consulta.Where(c => c.ProgramaId == pid);
        if (q.ServicioId is { } sid)
            consulta = consulta.Where(c => db.Programas.Any(p => p.Id == c.ProgramaId && p.ServicioId == sid));
        if (q.MinisterioId is { } mid)
            consulta = consulta.Where(c => EF.Property<int>(c, CompromisosDbContext.MinisterioDelCompromiso) == mid);
        if (q.VenceDesde is not null)
        {
            var desde = Meses.Parse(q.VenceDesde);
            consulta = consulta.Where(c => c.FechaVencimiento >= desde);
        }

        if (q.VenceHasta is not null)
        {
            var hasta = Meses.Parse(q.VenceHasta);
            consulta = consulta.Where(c => c.FechaVencimiento <= hasta);
        }

        var comoEstaban = consulta.ComoEstaban(db, q.Momento());
        if (q.Calificacion is { } cal) comoEstaban = comoEstaban.Where(x => x.Calificacion == cal);
        if (q.Vencidos is { } vencidos) comoEstaban = comoEstaban.Vencidos(alCorte, vencidos);
        return comoEstaban;
    }

    /// <summary>
    /// The compromisos whose search document (texto, recomendación, cumplimientos; see BusquedaCompromiso) matches
    /// q, with ts_rank as relevance: a word in the compromiso itself (weight A) outranks one in its recomendación (B),
    /// which outranks one only in a cumplimiento (C). The GIN index on the document finds the matches.
    /// </summary>
    public static IQueryable<CompromisoRanqueado> Buscar(CompromisosDbContext db, IQueryable<CompromisoAlCorte> compromisos, string texto) =>
        compromisos
            .Join(db.Set<BusquedaCompromiso>(), x => x.Compromiso.Id, b => b.CompromisoId, (x, b) => new { x, b.Documento })
            .Where(y => y.Documento.Matches(FuncionesDeBusqueda.Consulta(texto)))
            .Select(y => new CompromisoRanqueado { Fila = y.x, Rango = y.Documento.Rank(FuncionesDeBusqueda.Consulta(texto)) });
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
        return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Secuencia, x => x.ToDto(q.AlCorte ?? calendario.Hoy()));
    }
}

public sealed record ObtenerCompromiso(int Id, DateOnly? AlCorte, DateTimeOffset? ConocidoAl = null) : IQuery<Versionado<CompromisoDto>>, ILecturaAlMomento;

public sealed class ObtenerCompromisoValidator : AbstractValidator<ObtenerCompromiso>
{
    public ObtenerCompromisoValidator(TimeProvider reloj) => this.ReglasDeMomento(reloj);
}

public sealed class ObtenerCompromisoHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ObtenerCompromiso, Versionado<CompromisoDto>>
{
    // The most requested read (integrating systems poll it): compiled once, so a request skips building, hashing
    // and parameter-extracting the LINQ expression (bench/RESULTS.md).
    private static readonly Func<CompromisosDbContext, int, CancellationToken, Task<Compromiso?>> PorId =
        EF.CompileAsyncQuery((CompromisosDbContext db, int id, CancellationToken ct) =>
            db.Compromisos.AsNoTracking().FirstOrDefault(c => c.Id == id));

    public async ValueTask<Versionado<CompromisoDto>> Handle(ObtenerCompromiso q, CancellationToken ct)
    {
        if (!q.Momento().EsElActual)
        {
            var alCorte = q.AlCorte ?? calendario.Hoy();
            var x = await db.Compromisos.AsNoTracking().Where(c => c.Id == q.Id).ComoEstaban(db, q.Momento()).FirstOrDefaultAsync(ct)
                ?? throw new NoEncontradoException("compromiso", q.Id);
            return new(x.ToDto(alCorte), x.Compromiso.Version);
        }

        var c = await PorId(db, q.Id, ct) ?? throw new NoEncontradoException("compromiso", q.Id);
        return new(c.ToDto(calendario.Hoy()), c.Version);
    }
}
