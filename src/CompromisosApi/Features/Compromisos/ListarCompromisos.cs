using System.ComponentModel.DataAnnotations;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Features.Compromisos;

public static class ListarCompromisosEndpoint
{
    public static RouteHandlerBuilder MapListarCompromisos(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("", async Task<IResult> ([AsParameters] ListarCompromisos q, IMediator m, HttpContext http, Calendario calendario, CancellationToken ct) =>
            {
                // The representation depends on Accept: caches must key on it.
                http.Response.Headers.Vary = HeaderNames.Accept;
                var formato = Exportacion.Elegir(q.Formato, http.Request);
                if (formato == FormatoLista.Json) return TypedResults.Ok(await m.Send(q, ct));
                var filas = await m.Send(new ExportarCompromisos(q), ct);
                return await Exportacion.ResultadoAsync(http, formato, "compromisos", calendario.Hoy(), ExportarCompromisosHandler.Columnas, filas, ct);
            })
            .Produces<Pagina<CompromisoDto>>()
            .WithMetadata(new VariaSegunAcceptAttribute())
            // For curl and the transparency portal's links: generated clients call ExportarCompromisosCsv / Xlsx.
            .WithMetadata(new TambienNegociaAttribute("text/csv", Exportacion.TipoXlsx))
            .Documentar("ListarCompromisos", "Lista compromisos de todos los programas",
                "Filtros: programaId, servicioId, ministerioId, calificacion, vencidos (true/false, al corte alCorte, por omisión hoy), " +
                "venceDesde y venceHasta (meses yyyy-MM, inclusive) y q, búsqueda de texto completo en español que no distingue tildes " +
                "(\"focalizacion\" encuentra \"focalización\") en el compromiso, su recomendación y sus cumplimientos. " +
                "Paginada con cursor en orden de id; con q, en orden de relevancia (ts_rank) y luego id, y el cursor de una búsqueda solo sirve con q. " +
                "La exportación para datos abiertos (todas las filas que cumplen los filtros, sin paginar) son las operaciones " +
                "ExportarCompromisosCsv (…/compromisos/csv) y ExportarCompromisosXlsx (…/compromisos/xlsx). Por compatibilidad, esta misma " +
                "ruta también la entrega con el parámetro formato=csv o formato=xlsx, o con Accept: text/csv o " + Exportacion.TipoXlsx +
                " (útil con curl o en un enlace), sin limit ni cursor. Las exportaciones en curso están acotadas por dirección (429) y en total (503).")
            .Errores(400, 429);

    /// <summary>What both export operations say after naming their format: the same rows, file name and columns.</summary>
    internal static string FilasExportadas(string extension) =>
        "Todas las filas que cumplen los filtros de ListarCompromisos (q incluido), sin paginar, en el mismo orden, como adjunto " +
        $"compromisos-<aaaa-mm-dd>.{extension}: id, programaId, programa, servicio, ministerio, anioEvaluacion, recomendacion, numero, texto, " +
        "fechaVencimiento (yyyy-MM), calificacion, fechaCalificacion, vencido (al corte), tipo y prioritario. Las exportaciones en curso están acotadas " +
        "por dirección (429) y en total (503).";

    /// <summary>
    /// GET …/compromisos/csv or /xlsx: the export in one format per operation, so that a generated client gets its bytes (the
    /// contract declares each as binary). Accept plays no part: the path names the format.
    /// </summary>
    internal static RouteHandlerBuilder MapExportacion(this IEndpointRouteBuilder rutas, FormatoLista formato, string segmento, string tipo) =>
        rutas.MapGet(segmento, async Task<IResult> ([AsParameters] FiltrosDeExportacion f, IMediator m, HttpContext http, Calendario calendario,
                CancellationToken ct) =>
            {
                // Not parameters of these operations, but a caller who sends them expects a page: handed to the export's
                // validator, which refuses them as on ?formato= (any limit, even one that does not parse, is refused).
                var q = http.Request.Query;
                var filas = await m.Send(new ExportarCompromisos(f.Consulta(q.ContainsKey("limit") ? 0 : null, q["cursor"].FirstOrDefault())), ct);
                return await Exportacion.ResultadoAsync(http, formato, "compromisos", calendario.Hoy(), ExportarCompromisosHandler.Columnas, filas, ct);
            })
            .WithMetadata(new RespuestaBinariaAttribute(tipo, adjunto: true))
            .Errores(400, 429);
}

/// <summary>The filters of the compromisos list, for its exports (no page: every matching row).</summary>
/// <param name="ProgramaId" example="1">Solo los compromisos de este programa.</param>
/// <param name="ServicioId">Solo los de programas de este servicio.</param>
/// <param name="MinisterioId">Solo los de programas de servicios de este ministerio.</param>
/// <param name="Calificacion" example="Pendiente">Solo los que tienen esta calificación (la vigente, o la de alCorte).</param>
/// <param name="Vencidos" example="true">true: solo los vencidos al corte; false: solo los no vencidos.</param>
/// <param name="AlCorte" example="2009-12-31">Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</param>
/// <param name="ConocidoAl" example="2010-03-01T12:00:00-03:00">Ver LecturaAlCorte.DescripcionConocidoAl (Common/OpenApi.cs).</param>
/// <param name="Tipo" example="SistemasDeInformacion">Solo los de este tipo (código del catálogo GET /api/v1/tipos-compromiso).</param>
/// <param name="Prioritario" example="true">true: solo los prioritarios; false: solo los no prioritarios.</param>
/// <param name="VenceDesde" example="2009-01">Mes de vencimiento mínimo (yyyy-MM, inclusive).</param>
/// <param name="VenceHasta" example="2009-12">Mes de vencimiento máximo (yyyy-MM, inclusive).</param>
/// <param name="Q" example="focalizacion">
/// Búsqueda de texto completo en español, sin distinguir tildes ni mayúsculas, en el texto del compromiso, el de su
/// recomendación y los cumplimientos reportados. Hasta 200 caracteres; admite "frase exacta", or y -palabra. Con q las
/// filas van por relevancia (y luego id).
/// </param>
public sealed record FiltrosDeExportacion(
    int? ProgramaId,
    int? ServicioId,
    int? MinisterioId,
    Calificacion? Calificacion,
    bool? Vencidos,
    DateOnly? AlCorte,
    DateTimeOffset? ConocidoAl,
    [Mes] string? VenceDesde,
    [Mes] string? VenceHasta,
    string? Q = null,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoTipo)] string? Tipo = null,
    bool? Prioritario = null)
{
    public ListarCompromisos Consulta(int? limit, string? cursor) =>
        new(limit, cursor, ProgramaId, ServicioId, MinisterioId, Calificacion, Vencidos, AlCorte, ConocidoAl, VenceDesde, VenceHasta, Q, null, Tipo, Prioritario);
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
/// <param name="Tipo" example="SistemasDeInformacion">Solo los de este tipo (código del catálogo GET /api/v1/tipos-compromiso).</param>
/// <param name="Prioritario" example="true">true: solo los prioritarios; false: solo los no prioritarios.</param>
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
    [Mes] string? VenceDesde,
    [Mes] string? VenceHasta,
    string? Q = null,
    [property: AllowedValues("json", "csv", "xlsx")] string? Formato = null,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoTipo)] string? Tipo = null,
    bool? Prioritario = null) : IQuery<Pagina<CompromisoDto>>, IPaginada, IFiltroCompromisos;

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
        var alCorte = q.Momento().Corte(calendario);
        var filtrados = FiltroCompromisos.Aplicar(db, q, alCorte);

        if (q.Q is null)
        {
            var despues = q.DespuesEntero();
            var filas = await filtrados.Where(x => x.Compromiso.Id > despues).OrderBy(x => x.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
            return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Id, x => x.ToDto(alCorte));
        }

        // Ranked: (rank desc, id) is the sort key, and both travel in the cursor.
        var momento = q.Momento();
        var indexable = momento.EsElActual || await FuncionesDeBusqueda.IndexablePorAsync(db, q.Q, ct);
        var ranqueados = FiltroCompromisos.Buscar(db, filtrados, q.Q, momento, indexable);
        if (q.DespuesRanqueada() is { } k)
            ranqueados = ranqueados.Where(x => x.Rango < k.Rango || (x.Rango == k.Rango && x.Fila.Compromiso.Id > k.Id));
        var encontrados = await ranqueados.OrderByDescending(x => x.Rango).ThenBy(x => x.Fila.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.CortarRanqueada(encontrados, q.Limite(), x => new ClaveRanqueada(x.Rango, x.Fila.Compromiso.Id), x => x.Fila.ToDto(alCorte));
    }
}

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
    public string? Tipo => Consulta.Tipo;
    public bool? Prioritario => Consulta.Prioritario;
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
    bool Vencido,
    string? Tipo,
    bool Prioritario);

public sealed class ExportarCompromisosHandler(CompromisosDbContext db, Calendario calendario)
    : IQueryHandler<ExportarCompromisos, IAsyncEnumerable<FilaExportacionCompromiso>>
{
    public async ValueTask<IAsyncEnumerable<FilaExportacionCompromiso>> Handle(ExportarCompromisos q, CancellationToken ct)
    {
        var momento = q.Momento();
        var alCorte = momento.Corte(calendario);
        var filtrados = FiltroCompromisos.Aplicar(db, q, alCorte);
        var ranqueados = q.Q is null
            ? filtrados.Select(x => new CompromisoRanqueado { Fila = x, Rango = 0f })
            : FiltroCompromisos.Buscar(db, filtrados, q.Q, momento, momento.EsElActual || await FuncionesDeBusqueda.IndexablePorAsync(db, q.Q, ct));

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
                    x.Fila.Compromiso.Texto, x.Fila.Compromiso.FechaVencimiento, x.Fila.Calificacion, x.Fila.FechaCalificacion, false,
                    x.Fila.Compromiso.Tipo, x.Fila.Compromiso.Prioritario),
            };
        var ordenadas = q.Q is null ? filas.OrderBy(f => f.Id) : filas.OrderByDescending(f => f.Rango).ThenBy(f => f.Id);

        // vencido is the domain's own rule, applied to each row as it streams by.
        var resultado = ordenadas.Select(f => f.Fila).TagWith(Etiqueta).AsAsyncEnumerable()
            .Select(f => f with { Vencido = Compromiso.EstaVencido(f.FechaVencimiento, f.Calificacion, alCorte) });
        return resultado;
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
        new("tipo", f => f.Tipo),
        new("prioritario", f => f.Prioritario),
    ];
}
