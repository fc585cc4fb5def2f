using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Compromisos;

/// <summary>
/// The compromisos list as open data (CSV or XLSX): the same filters as the JSON list, q included, and every matching
/// row, in the list's order (id, or relevance with q). The handler returns the rows as a query not yet run; they are
/// read from PostgreSQL one by one while the file is written, in one statement, so the file is one consistent
/// snapshot and memory does not grow with it.
/// </summary>
public sealed record ExportarCompromisos(ListarCompromisos Consulta) : IQuery<IAsyncEnumerable<FilaExportacionCompromiso>>, IFiltroCompromisos
{
    public int? Limit => Consulta.Limit;
    public string? Cursor => Consulta.Cursor;
    public int? ProgramaId => Consulta.ProgramaId;
    public int? ServicioId => Consulta.ServicioId;
    public int? MinisterioId => Consulta.MinisterioId;
    public Calificacion? Calificacion => Consulta.Calificacion;
    public bool? Vencidos => Consulta.Vencidos;
    public DateOnly? AlCorte => Consulta.AlCorte;
    public DateTimeOffset? ConocidoAl => Consulta.ConocidoAl;
    public string? VenceDesde => Consulta.VenceDesde;
    public string? VenceHasta => Consulta.VenceHasta;
    public string? Q => Consulta.Q;
}

public sealed class ExportarCompromisosValidator : FiltroCompromisosValidator<ExportarCompromisos>
{
    public ExportarCompromisosValidator(TimeProvider reloj) : base(reloj)
    {
        // An export is the whole list: a page size or a place to continue from can't apply, and ignoring them would
        // hand over a file the client believes is something else.
        RuleFor(x => x.Limit).Null().WithMessage("Las exportaciones (csv, xlsx) no se paginan: omita limit.");
        RuleFor(x => x.Cursor).Null().WithMessage("Las exportaciones (csv, xlsx) no se paginan: omita cursor.");
    }
}

/// <summary>One row of the export; names are denormalised so that the file stands alone.</summary>
public sealed record FilaExportacionCompromiso(
    int Id,
    int ProgramaId,
    string Programa,
    string Servicio,
    string Ministerio,
    int AnioEvaluacion,
    int Recomendacion,
    string Numero,
    string Texto,
    DateOnly FechaVencimiento,
    Calificacion Calificacion,
    DateOnly? FechaCalificacion,
    bool Vencido);

public sealed class ExportarCompromisosHandler(CompromisosDbContext db, Calendario calendario)
    : IQueryHandler<ExportarCompromisos, IAsyncEnumerable<FilaExportacionCompromiso>>
{
    public ValueTask<IAsyncEnumerable<FilaExportacionCompromiso>> Handle(ExportarCompromisos q, CancellationToken ct)
    {
        var alCorte = q.AlCorte ?? calendario.Hoy();
        var filtrados = FiltroCompromisos.Aplicar(db, q, alCorte);
        var ranqueados = q.Q is null
            ? filtrados.Select(x => new CompromisoRanqueado { Fila = x, Rango = 0f })
            : FiltroCompromisos.Buscar(db, filtrados, q.Q);

        var filas =
            from x in ranqueados
            join r in db.Recomendaciones on x.Fila.Compromiso.RecomendacionId equals r.Id
            join p in db.Programas on x.Fila.Compromiso.ProgramaId equals p.Id
            join s in db.Servicios on p.ServicioId equals s.Id
            join m in db.Ministerios on s.MinisterioId equals m.Id
            select new
            {
                x.Rango,
                x.Fila.Compromiso.Id,
                Fila = new FilaExportacionCompromiso(
                    x.Fila.Compromiso.Id, p.Id, p.Nombre, s.Nombre, m.Nombre, p.AnioEvaluacion, r.Numero, x.Fila.Compromiso.Numero,
                    x.Fila.Compromiso.Texto, x.Fila.Compromiso.FechaVencimiento, x.Fila.Calificacion, x.Fila.FechaCalificacion, false),
            };
        var ordenadas = q.Q is null ? filas.OrderBy(f => f.Id) : filas.OrderByDescending(f => f.Rango).ThenBy(f => f.Id);

        // vencido is the domain's own rule, applied to each row as it streams by.
        var resultado = ordenadas.Select(f => f.Fila).TagWith(Etiqueta).AsAsyncEnumerable()
            .Select(f => f with { Vencido = Compromiso.EstaVencido(f.FechaVencimiento, f.Calificacion, alCorte) });
        return ValueTask.FromResult(resultado);
    }

    /// <summary>Marks the export's SQL (a comment), for whoever reads the database's activity or logs.</summary>
    public const string Etiqueta = "exportacion-compromisos";

    public static readonly IReadOnlyList<Columna<FilaExportacionCompromiso>> Columnas =
    [
        new("id", f => f.Id),
        new("programaId", f => f.ProgramaId),
        new("programa", f => f.Programa),
        new("servicio", f => f.Servicio),
        new("ministerio", f => f.Ministerio),
        new("anioEvaluacion", f => f.AnioEvaluacion),
        new("recomendacion", f => f.Recomendacion),
        new("numero", f => f.Numero),
        new("texto", f => f.Texto),
        new("fechaVencimiento", f => Meses.Formatear(f.FechaVencimiento)),
        new("calificacion", f => f.Calificacion.ToString()),
        new("fechaCalificacion", f => f.FechaCalificacion),
        new("vencido", f => f.Vencido),
    ];
}
