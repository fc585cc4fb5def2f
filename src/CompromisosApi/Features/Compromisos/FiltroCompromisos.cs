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
    string? Tipo { get; }
    bool? Prioritario { get; }
}

public abstract class FiltroCompromisosValidator<T> : AbstractValidator<T> where T : IFiltroCompromisos
{
    protected FiltroCompromisosValidator(TimeProvider reloj)
    {
        RuleFor(x => x.Calificacion).IsInEnum().WithMessage("No es una calificación válida.");
        this.ReglasDeMomento(reloj);
        RuleFor(x => x.VenceDesde).EsMes();
        RuleFor(x => x.VenceHasta).EsMes();
        RuleFor(x => x.Tipo!).Must(TipoCompromiso.Existe).When(x => x.Tipo is not null)
            .WithMessage("No es un tipo de compromiso del catálogo (GET /api/v1/tipos-compromiso).");
        this.ReglasDeBusqueda();
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
        if (q.Tipo is { } tipo) consulta = consulta.Where(c => c.Tipo == tipo);
        if (q.Prioritario is { } prioritario) consulta = consulta.Where(c => c.Prioritario == prioritario);
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
    /// <remarks>
    /// At a moment (alCorte, conocidoAl) the document is the one of that moment: cumplimientos reported later, or for a
    /// later cut-off, don't match. The stored documents' index pre-selects by the words the query requires (texts only
    /// accumulate, so a compromiso that matched then holds them now), unless it requires none
    /// (<paramref name="indexable"/> false: exclusions only); the document of the moment decides, and ranks.
    /// </remarks>
    public static IQueryable<CompromisoRanqueado> Buscar(
        CompromisosDbContext db, IQueryable<CompromisoAlCorte> compromisos, string texto, Momento momento, bool indexable)
    {
        var conDocumento = compromisos
            .Join(db.Set<BusquedaCompromiso>(), x => x.Compromiso.Id, b => b.CompromisoId, (x, b) => new { x, b.Documento });
        if (momento.EsElActual)
        {
            return conDocumento
                .Where(y => y.Documento.Matches(FuncionesDeBusqueda.Consulta(texto)))
                .Select(y => new CompromisoRanqueado { Fila = y.x, Rango = y.Documento.Rank(FuncionesDeBusqueda.Consulta(texto)) });
        }

        if (indexable) conDocumento = conDocumento.Where(y => y.Documento.Matches(FuncionesDeBusqueda.ConsultaIndexable(texto)));
        var (d, t) = (momento.AlCorte, momento.ConocidoAl);
        return conDocumento
            .Select(y => new { y.x, Documento = FuncionesDeBusqueda.DocumentoCompromisoAl(y.x.Compromiso.Id, d, t) })
            .Where(y => y.Documento.Matches(FuncionesDeBusqueda.Consulta(texto)))
            .Select(y => new CompromisoRanqueado { Fila = y.x, Rango = y.Documento.Rank(FuncionesDeBusqueda.Consulta(texto)) });
    }
}
