using CompromisosApi.Common;
using CompromisosApi.Features.Evidencia;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Features.Compromisos;

public static class CompromisosEndpoints
{
    public static IEndpointRouteBuilder MapCompromisos(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/compromisos").WithTags("Compromisos").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("", async Task<IResult> ([AsParameters] ListarCompromisos q, IMediator m, HttpContext http, Calendario calendario, CancellationToken ct) =>
            {
                // The representation depends on Accept: caches must key on it.
                http.Response.Headers.Vary = HeaderNames.Accept;
                var formato = Exportacion.Elegir(q.Formato, http.Request);
                if (formato == FormatoLista.Json) return TypedResults.Ok(await m.Send(q, ct));
                var filas = await m.Send(new ExportarCompromisos(q), ct);
                return await Exportacion.ResultadoAsync(http, formato, "compromisos", calendario.Hoy(), ExportarCompromisosHandler.Columnas, filas, ct);
            })
            .Produces<Pagina<CompromisoDto>>()
            .Exportable()
            .Documentar("ListarCompromisos", "Lista compromisos de todos los programas",
                "Filtros: programaId, servicioId, ministerioId, calificacion, vencidos (true/false, al corte alCorte, por omisión hoy), " +
                "venceDesde y venceHasta (meses yyyy-MM, inclusive) y q, búsqueda de texto completo en español que no distingue tildes " +
                "(\"focalizacion\" encuentra \"focalización\") en el compromiso, su recomendación y sus cumplimientos. " +
                "Paginada con cursor en orden de id; con q, en orden de relevancia (ts_rank) y luego id, y el cursor de una búsqueda solo sirve con q. " +
                "Exportación para datos abiertos: con formato=csv o formato=xlsx (o Accept: text/csv o " + Exportacion.TipoXlsx + ") responde " +
                "un archivo adjunto con todas las filas que cumplen los filtros, sin paginar (sin limit ni cursor), en el mismo orden: id, programaId, " +
                "programa, servicio, ministerio, anioEvaluacion, recomendacion, numero, texto, fechaVencimiento (yyyy-MM), calificacion, " +
                "fechaCalificacion y vencido (al corte). El CSV sigue RFC 4180 en UTF-8 con BOM (para que Excel muestre tildes y eñes); " +
                "el XLSX es la opción para abrir en planillas. Las exportaciones en curso están acotadas por dirección (429) y en total (503).")
            .Errores(400, 429);

        g.MapGet("{id:int}", async (int id, DateOnly? alCorte, DateTimeOffset? conocidoAl, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerCompromiso(id, alCorte, conocidoAl), ct)))
            .ConVersion()
            .Documentar("ObtenerCompromiso", "Obtiene un compromiso",
                "Con su calificación vigente y vencido calculado al corte alCorte (por omisión, hoy), tal como se conocía en conocidoAl " +
                "(por omisión, el registro actual; 404 si aún no estaba registrado). Devuelve su ETag (el de su versión actual).")
            .Errores(400, 404);

        g.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, CompromisoEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarCompromiso(id, Http.ExigirIfMatch(ifMatch), body.Texto, body.FechaVencimiento), ct)))
            .ConVersion()
            .Documentar("ActualizarCompromiso", "Corrige texto y mes de vencimiento de un compromiso",
                "Exige If-Match (428 sin él, 412 si cambió). 409 si el programa egresó.")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Registro);

        g.MapGet("{id:int}/calificaciones", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarCalificaciones(id, limit, cursor), ct)))
            .Documentar("ListarCalificaciones", "Historial de calificaciones del compromiso", "En el orden en que se registraron; se conserva para siempre.")
            .Errores(400, 404);

        g.MapGet("{id:int}/calificaciones/{calificacionId:long}", async (int id, long calificacionId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ObtenerCalificacion(id, calificacionId), ct)))
            .Documentar("ObtenerCalificacion", "Obtiene una calificación del historial", "Una calificación registrada del compromiso.")
            .Errores(404);

        g.MapPost("{id:int}/calificaciones", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, CalificacionEntrada body, IMediator m, CancellationToken ct) =>
            {
                var c = await m.Send(new CalificarCompromiso(id, Etags.Leer(ifMatch), body.Calificacion, body.Fecha, body.Observacion), ct);
                return TypedResults.Created($"{Http.Base}/compromisos/{id}/calificaciones/{c.Id}", c);
            })
            .Documentar("CalificarCompromiso", "Registra una calificación (transición)",
                "Desde Pendiente, ParcialmenteCumplido o NoCumplido se pasa a Cumplido, ParcialmenteCumplido, NoCumplido o Cancelado. " +
                "Cumplido y Cancelado son finales; nada vuelve a Pendiente; la fecha no puede ser anterior a la calificación previa; " +
                "Cancelado exige motivo (observación, o un reporte del mismo corte). Las reglas rotas responden 409 con su tipo. " +
                "If-Match con el ETag del compromiso es opcional (412 si cambió).")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Registro);

        g.MapGet("{id:int}/reportes", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarReportes(id, limit, cursor), ct)))
            .Documentar("ListarReportes", "Reportes de cumplimiento del compromiso", "En el orden en que se registraron.")
            .Errores(400, 404);

        g.MapGet("{id:int}/reportes/{reporteId:long}", async (int id, long reporteId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ObtenerReporte(id, reporteId), ct)))
            .Documentar("ObtenerReporte", "Obtiene un reporte de cumplimiento", "Un reporte del compromiso, con su texto verbatim.")
            .Errores(404);

        g.MapPost("{id:int}/reportes", async (int id, ReporteEntrada body, IMediator m, CancellationToken ct) =>
            {
                var r = await m.Send(new RegistrarReporte(id, body.Corte, body.Texto), ct);
                return TypedResults.Created($"{Http.Base}/compromisos/{id}/reportes/{r.Id}", r);
            })
            .Documentar("RegistrarReporte", "Registra el cumplimiento informado en un corte",
                "El texto se guarda verbatim (puede ocupar páginas). 409 si el programa egresó. 422 (urn:compromisos:cuota-excedida, " +
                "con cuota y limite) si el compromiso ya tiene el máximo de reportes para ese corte (Cuotas:ReportesPorCompromisoYCorte, 10) " +
                "o los reportes del servicio para ese corte superarían Cuotas:BytesDeTextoPorServicioYCorte (10 MB).")
            .Errores(400, 404, 409, 422)
            .Requiere(Politicas.Evidencia);

        g.MapGet("{id:int}/medios-verificacion", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarMediosVerificacion(id, limit, cursor), ct)))
            .Documentar("ListarMediosVerificacion", "Medios de verificación del compromiso", "En el orden en que se registraron.")
            .Errores(400, 404);

        g.MapGet("{id:int}/medios-verificacion/{medioId:long}", async (int id, long medioId, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ObtenerMedioVerificacion(id, medioId), ct)))
            .Documentar("ObtenerMedioVerificacion", "Obtiene un medio de verificación", "Un medio de verificación del compromiso.")
            .Errores(404);

        g.MapPost("{id:int}/medios-verificacion", CargaDeEvidencia.RegistrarAsync)
            .AdmiteArchivos(app)
            .Documentar("RegistrarMedioVerificacion", "Registra un medio de verificación, con o sin archivo",
                "Con application/json, solo título y corte (como los registros antiguos). Con multipart/form-data, titulo, corte y al " +
                "final el archivo en archivo: se admite PDF, DOCX, XLSX, ODT, ODS, PNG o JPEG según su contenido (no su nombre ni el tipo " +
                "declarado; 415 si no), hasta el tamaño máximo configurado (Evidencia:TamanoMaximoBytes, 25 MB por omisión; 413 si lo " +
                "supera). Su SHA-256 se calcula mientras llega y el contenido se guarda una sola vez: el mismo archivo dos veces en el " +
                "mismo compromiso responde 200 con el medio ya registrado. El corte debe ser un corte del calendario. 409 si el programa egresó. " +
                "422 (urn:compromisos:cuota-excedida, con cuota y limite) si el compromiso ya tiene el máximo de medios " +
                "(Cuotas:MediosPorCompromiso, 30) o los archivos del servicio para ese corte superarían Cuotas:BytesDeArchivosPorServicioYCorte (2 GB). " +
                "Las cargas en curso están acotadas por dirección (429) y en total (503).")
            .Errores(400, 404, 409, 413, 415, 422, 429)
            .Requiere(Politicas.Evidencia);

        g.MapGet("{id:int}/medios-verificacion/{medioId:long}/contenido", CargaDeEvidencia.DescargarAsync)
            .WithMetadata(new DescargaDeArchivoAttribute())
            .Documentar("DescargarMedioVerificacion", "Descarga el archivo de un medio de verificación",
                "El archivo tal como se subió, con su tipo, Content-Disposition con su nombre original y ETag igual a su SHA-256. " +
                "Admite Range (206 con el tramo, 416 fuera del archivo), If-Range e If-None-Match (304). 404 si el medio no existe " +
                "o solo tiene título. Las descargas en curso están acotadas por dirección (429) y en total (503).")
            .Errores(404, 416, 429);

        return app;
    }
}
