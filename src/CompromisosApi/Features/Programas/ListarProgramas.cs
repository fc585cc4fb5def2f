namespace CompromisosApi.Features.Programas;

public static class ListarProgramasEndpoint
{
    public static RouteHandlerBuilder MapListarProgramas(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("", async ([AsParameters] ListarProgramas q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarProgramas", "Lista los programas",
                "Lista paginada en orden de id; filtra por servicioId, ministerioId, anioEvaluacion, lineaEvaluacion, estado " +
                "(el actual o, con alCorte o conocidoAl, el de ese momento), categoriaDesempeno y codigoPresupuestario. " +
                "q busca en español, sin distinguir tildes, en el nombre del programa y los textos de sus recomendaciones y compromisos; " +
                "con q el orden es por relevancia (ts_rank) y luego id, y el cursor de una búsqueda solo sirve con q.")
            .Errores(400);
}

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="ServicioId" example="1">Solo los programas de este servicio.</param>
/// <param name="MinisterioId">Solo los programas de servicios de este ministerio.</param>
/// <param name="AnioEvaluacion" example="2007">Año de evaluación.</param>
/// <param name="LineaEvaluacion" example="EPG">Código de línea de evaluación: uno del catálogo (GET /api/v1/lineas-evaluacion), que crece con filas, no con versiones del contrato.</param>
/// <param name="Estado" example="EnSeguimiento">EnSeguimiento o Egresado (el estado actual, o el de alCorte).</param>
/// <param name="CategoriaDesempeno" example="BuenDesempeno">Solo los programas con esta categoría de desempeño (los que no la tienen registrada no aparecen).</param>
/// <param name="CodigoPresupuestario" example="13.03.01">Solo el programa de este partida.capítulo.programa de la Ley de Presupuestos.</param>
/// <param name="AlCorte" example="2009-12-31">Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</param>
/// <param name="ConocidoAl" example="2010-03-01T12:00:00-03:00">Ver LecturaAlCorte.DescripcionConocidoAl (Common/OpenApi.cs).</param>
/// <param name="Q" example="redes pro rubro">
/// Búsqueda de texto completo en español, sin distinguir tildes ni mayúsculas, en el nombre del programa y los textos de
/// sus recomendaciones y compromisos. Hasta 200 caracteres; con q los resultados van por relevancia (y luego id).
/// </param>
public sealed record ListarProgramas(
    int? Limit, string? Cursor, int? ServicioId, int? MinisterioId, int? AnioEvaluacion, [property: System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoLinea)] string? LineaEvaluacion, EstadoPrograma? Estado,
    DateOnly? AlCorte, DateTimeOffset? ConocidoAl, string? Q = null, CategoriaDesempeno? CategoriaDesempeno = null,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoPrograma), Patron(CodigosPresupuestarios.PatronPrograma)] string? CodigoPresupuestario = null)
    : IQuery<Pagina<ProgramaDto>>, IPaginada, IBuscable, ILecturaAlMomento;

public sealed class ListarProgramasValidator : AbstractValidator<ListarProgramas>
{
    public ListarProgramasValidator(TimeProvider reloj)
    {
        this.ReglasDePaginacionConBusqueda();
        this.ReglasDeBusqueda();
        RuleFor(x => x.LineaEvaluacion).MaximumLength(Validacion.LargoCodigoLinea)
            .WithMessage($"lineaEvaluacion es un código del catálogo, de a lo más {Validacion.LargoCodigoLinea} caracteres.");
        RuleFor(x => x.Estado).IsInEnum().WithMessage("No es un estado válido.");
        RuleFor(x => x.CategoriaDesempeno).IsInEnum().WithMessage("No es una categoría de desempeño válida.");
        RuleFor(x => x.CodigoPresupuestario).CodigoPrograma();
        this.ReglasDeMomento(reloj);
    }
}

public sealed class ListarProgramasHandler(CompromisosDbContext db) : IQueryHandler<ListarProgramas, Pagina<ProgramaDto>>
{
    public async ValueTask<Pagina<ProgramaDto>> Handle(ListarProgramas q, CancellationToken ct)
    {
        var consulta = db.Programas.AsNoTracking();
        var momento = q.Momento();
        if (q.ServicioId is { } sid) consulta = consulta.Where(p => p.ServicioId == sid);
        if (q.MinisterioId is { } mid)
            consulta = consulta.Where(p => db.Servicios.Any(s => s.Id == p.ServicioId && s.MinisterioId == mid));
        if (q.AnioEvaluacion is { } anio) consulta = consulta.Where(p => p.AnioEvaluacion == anio);
        if (q.LineaEvaluacion is { } linea) consulta = consulta.Where(p => p.LineaEvaluacion == linea);
        if (q.CategoriaDesempeno is { } categoria) consulta = consulta.Where(p => p.CategoriaDesempeno == categoria);
        if (q.CodigoPresupuestario is { } codigo) consulta = consulta.Where(p => p.CodigoPresupuestario == codigo);
        var comoEstaban = consulta.ComoEstaban(db, momento);
        if (q.Estado is { } estado) comoEstaban = comoEstaban.Egresados(momento.AlCorte, estado == EstadoPrograma.Egresado);

        if (q.Q is null)
        {
            var despues = q.DespuesEntero();
            var filas = await comoEstaban.Where(x => x.Programa.Id > despues).OrderBy(x => x.Programa.Id).Take(q.Limite() + 1).ToListAsync(ct);
            return await ConEgresoPropuestoAsync(Paginacion.Cortar(filas, q.Limite(), x => x.Programa.Id, x => x.ToDto(momento.AlCorte)), momento, ct);
        }

        // Ranked by ts_rank of the programa's search document (see BusquedaPrograma): its nombre weighs most. As known at
        // an instant, the document of then (recomendaciones and compromisos registered by it) decides, after the stored
        // one pre-selects, as FiltroCompromisos.Buscar explains.
        var texto = q.Q;
        var conDocumento = comoEstaban
            .Join(db.Set<BusquedaPrograma>(), x => x.Programa.Id, b => b.ProgramaId, (x, b) => new { x, b.Documento });
        if (momento.ConocidoAl is { } t)
        {
            if (await FuncionesDeBusqueda.IndexablePorAsync(db, texto, ct))
                conDocumento = conDocumento.Where(y => y.Documento.Matches(FuncionesDeBusqueda.ConsultaIndexable(texto)));
            conDocumento = conDocumento.Select(y => new { y.x, Documento = FuncionesDeBusqueda.DocumentoProgramaAl(y.x.Programa.Id, t) });
        }

        var ranqueados = conDocumento
            .Where(y => y.Documento.Matches(FuncionesDeBusqueda.Consulta(texto)))
            .Select(y => new { Fila = y.x, Rango = y.Documento.Rank(FuncionesDeBusqueda.Consulta(texto)) });
        if (q.DespuesRanqueada() is { } k)
            ranqueados = ranqueados.Where(x => x.Rango < k.Rango || (x.Rango == k.Rango && x.Fila.Programa.Id > k.Id));
        var encontrados = await ranqueados.OrderByDescending(x => x.Rango).ThenBy(x => x.Fila.Programa.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return await ConEgresoPropuestoAsync(
            Paginacion.CortarRanqueada(encontrados, q.Limite(), x => new ClaveRanqueada(x.Rango, x.Fila.Programa.Id), x => x.Fila.ToDto(momento.AlCorte)),
            momento, ct);
    }

    private async Task<Pagina<ProgramaDto>> ConEgresoPropuestoAsync(Pagina<ProgramaDto> pagina, Momento momento, CancellationToken ct) =>
        pagina with { Items = await EgresoPropuesto.CompletarAsync(db, pagina.Items, ct, momento) };
}
