using System.Data;
using System.Globalization;
using System.Text;

namespace CompromisosApi.Features.Informes;

public static class ObtenerInformeEndpoint
{
    public static RouteHandlerBuilder MapObtenerInforme(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/informe", ([AsParameters] ParametrosInforme p, IMediator m, HttpContext http,
                LimiteDeTransferencias transferencias, CancellationToken ct) =>
            {
                // Before reading the record: a request that can't be answered costs no queries.
                var formato = NegociacionInforme.Elegir(p.Formato, http.Request.Headers.Accept);
                http.Response.Headers.Vary = "Accept";
                return ResponderAsync(formato, p.Id, p.AlCorte, p.ConocidoAl, m, http, transferencias, ct);
            })
            .Produces<InformeDto>(StatusCodes.Status200OK, "application/json")
            .WithMetadata(new VariaSegunAcceptAttribute())
            // For curl and browsers: generated clients call the operation of each format (ObtenerInformeTexto, …).
            .WithMetadata(new TambienNegociaAttribute("text/plain", "text/html", "application/pdf"))
            .WithMetadata(new ValoresPermitidosAttribute("formato", NegociacionInforme.Parametros))
            .Documentar("ObtenerInforme", "Informe de egreso (o de seguimiento) del programa, en JSON",
                "El registro del programa como estaba al corte alCorte (por omisión, hoy en Chile): solo cuentan las calificaciones, " +
                "reportes de cumplimiento y medios de verificación con fecha igual o anterior; la calificación de cada compromiso es la " +
                "última a esa fecha (Pendiente si no hay). Con conocidoAl, el registro tal como se conocía en ese instante (lo registrado " +
                "después, correcciones y reaperturas incluidas, se ignora), y el encabezado lo indica (\"Registro conocido al:\"): el mismo " +
                "informe que se emitió entonces con esos parámetros, byte a byte. Si el programa había egresado al corte es el INFORME DE EGRESO; si no, un " +
                "INFORME DE SEGUIMIENTO. Esta operación lo entrega estructurado (application/json); las otras representaciones son " +
                "operaciones propias: ObtenerInformeTexto (…/informe/texto, text/plain, el diseño y la redacción del informe oficial), " +
                "ObtenerInformeHtml (…/informe/html, página imprimible) y ObtenerInformePdf (…/informe/pdf, A4 con números de página). " +
                "Por compatibilidad, esta misma ruta también negocia por Accept (text/plain, text/html, application/pdf) y por el " +
                "parámetro formato (json, texto, html, pdf), que manda sobre Accept: útil con curl o desde un navegador. Un Accept sin " +
                "application/json ni ninguna de esas responde 406. Los textos oficiales van verbatim; los mismos datos dan siempre los " +
                "mismos bytes. Los informes en curso están acotados por dirección (429) y en total (503), como las descargas.")
            .Errores(400, 404, 406, 429);

    /// <summary>
    /// The informe of a programa in one format: JSON, or the text, HTML or PDF bytes. A programa's whole record, in every
    /// format: a long response like any download, so it takes a transfer slot.
    /// </summary>
    internal static async Task<IResult> ResponderAsync(FormatoInforme formato, int id, DateOnly? alCorte, DateTimeOffset? conocidoAl,
        IMediator m, HttpContext http, LimiteDeTransferencias transferencias, CancellationToken ct)
    {
        transferencias.Tomar(http);
        var informe = await m.Send(new ObtenerInforme(id, alCorte, conocidoAl), ct);

        http.Response.Headers.XContentTypeOptions = "nosniff";
        switch (formato)
        {
            case FormatoInforme.Texto:
                return TypedResults.Text(InformeTexto.Generar(informe), InformeTexto.TipoDeContenido, Encoding.UTF8);
            case FormatoInforme.Html:
                http.Response.Headers.ContentSecurityPolicy = InformeHtml.PoliticaDeContenido;
                return TypedResults.Text(InformeHtml.Generar(informe), InformeHtml.TipoDeContenido, Encoding.UTF8);
            case FormatoInforme.Pdf:
                var archivo = $"informe-programa-{id.ToString(CultureInfo.InvariantCulture)}-{informe.AlCorte:yyyy-MM-dd}.pdf";
                http.Response.Headers.ContentDisposition = $"inline; filename=\"{archivo}\"";
                // Laying out pages is CPU work: as many at once as there are cores, each stopped if its client leaves.
                using (await transferencias.CalculoAsync(ct))
                    return TypedResults.Bytes(InformePdf.Generar(informe, ct), InformePdf.TipoDeContenido);
            default:
                return TypedResults.Ok(informe);
        }
    }

    /// <summary>What each format's operation says after its own format: the report, its parameters and its limits are this one's.</summary>
    internal const string MismoInforme =
        "Ver ObtenerInforme: el mismo informe, con los mismos parámetros alCorte y conocidoAl y las mismas reglas; los mismos datos dan siempre los mismos bytes. " +
        "Los informes en curso están acotados por dirección (429) y en total (503).";

    /// <summary>
    /// GET …/informe/texto, /html or /pdf: one representation per operation, so that a generated client gets its bytes
    /// (the contract declares each as binary). Accept plays no part: the path names the format.
    /// </summary>
    internal static RouteHandlerBuilder MapEnFormato(this IEndpointRouteBuilder rutas, FormatoInforme formato, string segmento, string tipo) =>
        rutas.MapGet("{id:int}/informe/" + segmento, ([AsParameters] ParametrosInformeEnFormato p, IMediator m, HttpContext http,
                LimiteDeTransferencias transferencias, CancellationToken ct) =>
                ResponderAsync(formato, p.Id, p.AlCorte, p.ConocidoAl, m, http, transferencias, ct))
            .WithMetadata(new RespuestaBinariaAttribute(tipo))
            .Errores(400, 404, 429);
}

/// <param name="Id" example="1">Id del programa.</param>
/// <param name="Formato" example="texto">Representación pedida: json, texto, html o pdf. Si viene, manda sobre Accept (útil desde un navegador).</param>
/// <param name="AlCorte" example="2011-12-31">Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</param>
/// <param name="ConocidoAl" example="2010-03-01T12:00:00-03:00">Ver LecturaAlCorte.DescripcionConocidoAl (Common/OpenApi.cs).</param>
public sealed record ParametrosInforme(int Id, string? Formato, DateOnly? AlCorte, DateTimeOffset? ConocidoAl);

/// <param name="Id" example="1">Id del programa.</param>
/// <param name="AlCorte" example="2011-12-31">Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</param>
/// <param name="ConocidoAl" example="2010-03-01T12:00:00-03:00">Ver LecturaAlCorte.DescripcionConocidoAl (Common/OpenApi.cs).</param>
public sealed record ParametrosInformeEnFormato(int Id, DateOnly? AlCorte, DateTimeOffset? ConocidoAl);

/// <summary>
/// The Informe of a programa as its record stood at a cut-off (by default, today in Chile), as it was known at an instant
/// (by default, the current record).
/// </summary>
public sealed record ObtenerInforme(int ProgramaId, DateOnly? AlCorte, DateTimeOffset? ConocidoAl = null) : IQuery<InformeDto>, ILecturaAlMomento;

public sealed class ObtenerInformeValidator : AbstractValidator<ObtenerInforme>
{
    public ObtenerInformeValidator(TimeProvider reloj) => this.ReglasDeMomento(reloj);
}

/// <summary>
/// Reads the whole record of the programa in six set queries (programa with servicio and ministerio, recomendaciones,
/// compromisos, calificaciones, reportes, medios), whatever its size, and keeps only what existed at the cut-off and had
/// been registered by the instant asked for.
/// </summary>
public sealed class ObtenerInformeHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ObtenerInforme, InformeDto>
{
    public async ValueTask<InformeDto> Handle(ObtenerInforme q, CancellationToken ct)
    {
        var alCorte = q.Momento().Corte(calendario);
        var t = q.ConocidoAl;
        var id = q.ProgramaId;

        // One snapshot for the six reads: an egreso or a calificación committed in between must not give a report
        // that is half before and half after it.
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

        var programa = await (
                from x in db.Programas.AsNoTracking().Where(p => p.Id == id).ComoEstaban(db, q.Momento())
                join s in db.Servicios on x.Programa.ServicioId equals s.Id
                join m in db.Ministerios on s.MinisterioId equals m.Id
                select new
                {
                    x.Programa.Nombre, x.Programa.AnioEvaluacion, x.Programa.LineaEvaluacion, x.Programa.CategoriaDesempeno, x.FechaEgreso, Servicio = s.Nombre, Ministerio = m.Nombre,
                    x.Programa.CodigoPresupuestario, ServicioCodigo = s.Codigo, MinisterioCodigo = m.Codigo,
                })
            .SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("programa", id);

        var recomendaciones = await db.Recomendaciones.AsNoTracking().Conocidas(t)
            .Where(r => r.ProgramaId == id).OrderBy(r => r.Numero).ToListAsync(ct);
        var compromisos = await db.Compromisos.AsNoTracking().Conocidos(t)
            .Where(c => c.ProgramaId == id).OrderBy(c => c.Secuencia).ToListAsync(ct);

        // Calificaciones, reportes and medios dated after the cut-off did not exist yet for this report, nor did those
        // registered after the instant asked for.
        var calificaciones = (await db.Calificaciones.AsNoTracking().Conocidas(t)
                .Where(c => db.Compromisos.Any(x => x.Id == c.CompromisoId && x.ProgramaId == id) && c.Fecha <= alCorte)
                .ToListAsync(ct))
            .GroupBy(c => c.CompromisoId)
            .ToDictionary(g => g.Key, g => g.ToList());
        var reportes = (await db.Reportes.AsNoTracking().Conocidos(t)
                .Where(r => db.Compromisos.Any(x => x.Id == r.CompromisoId && x.ProgramaId == id) && r.Corte <= alCorte)
                .OrderBy(r => r.Corte).ThenBy(r => r.Id)
                .ToListAsync(ct))
            .ToLookup(r => r.CompromisoId);
        var medios = (await db.MediosVerificacion.AsNoTracking().Conocidos(t)
                .Where(m => db.Compromisos.Any(x => x.Id == m.CompromisoId && x.ProgramaId == id) && m.Corte <= alCorte)
                .OrderBy(m => m.Corte).ThenBy(m => m.Id)
                .ToListAsync(ct))
            .ToLookup(m => m.CompromisoId);

        await tx.CommitAsync(ct);

        var porRecomendacion = compromisos.ToLookup(c => c.RecomendacionId);
        var egresado = Programa.EgresadoAl(programa.FechaEgreso, alCorte);

        return new InformeDto
        {
            Titulo = egresado ? Impresion.TituloEgreso : Impresion.TituloSeguimiento,
            Programa = programa.Nombre,
            Ministerio = programa.Ministerio,
            Servicio = programa.Servicio,
            MinisterioCodigo = programa.MinisterioCodigo,
            ServicioCodigo = programa.ServicioCodigo,
            CodigoPresupuestario = programa.CodigoPresupuestario,
            AnioEvaluacion = programa.AnioEvaluacion,
            LineaEvaluacion = programa.LineaEvaluacion,
            CategoriaDesempeno = programa.CategoriaDesempeno,
            Calificacion = egresado ? Impresion.Egresado : Impresion.EnSeguimiento,
            FechaEgreso = egresado ? programa.FechaEgreso : null,
            AlCorte = alCorte,
            ConocidoAl = q.Momento().ConocidoAl,
            Recomendaciones = recomendaciones.Select(r => new RecomendacionInformeDto
            {
                Numero = r.Numero,
                Texto = r.Texto,
                Compromisos = porRecomendacion[r.Id]
                    .Select(c => Compromiso(c, calificaciones.GetValueOrDefault(c.Id) ?? [], alCorte, reportes[c.Id], medios[c.Id]))
                    .ToList(),
            }).ToList(),
        };
    }

    private static CompromisoInformeDto Compromiso(
        Compromiso c, List<RegistroCalificacion> historial, DateOnly alCorte, IEnumerable<ReporteCumplimiento> reportes, IEnumerable<MedioVerificacion> medios)
    {
        var vigente = Domain.Compromiso.CalificacionAlCorte(historial, alCorte);
        var calificacion = vigente?.Calificacion ?? Calificacion.Pendiente;
        var textos = reportes.Select(r => r.Texto).ToList();
        return new CompromisoInformeDto
        {
            Numero = c.Numero,
            NumeroEnRecomendacion = $"{c.Secuencia}.",
            Texto = c.Texto,
            FechaVencimiento = Meses.Formatear(c.FechaVencimiento),
            FechaVencimientoTexto = Impresion.Mes(c.FechaVencimiento),
            // Several reportes up to the cut-off are all part of the record: each verbatim, in order, a blank line apart.
            Cumplimiento = textos.Count == 0 ? null : string.Join("\n\n", textos),
            Observacion = vigente?.Observacion,
            Calificacion = calificacion,
            CalificacionTexto = Impresion.Calificacion(calificacion),
            FechaCalificacion = vigente?.Fecha,
            Oportunidad = OportunidadDto.De(c.FechaVencimiento, Domain.Oportunidad.CumplidoAlCorte(historial, alCorte)),
            MediosVerificacion = medios.Select(m => m.Titulo).ToList(),
            Medios = medios.Select(m => new MedioInformeDto { Titulo = m.Titulo, NombreArchivo = m.NombreArchivo, Sha256 = m.Sha256 }).ToList(),
        };
    }
}
