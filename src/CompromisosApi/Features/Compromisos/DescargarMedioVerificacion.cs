using CompromisosApi.Features.Evidencia;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Features.Compromisos;

public static class DescargarMedioVerificacionEndpoint
{
    public static RouteHandlerBuilder MapDescargarMedioVerificacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/medios-verificacion/{medioId:long}/contenido", DescargarAsync)
            .WithMetadata(new DescargaDeArchivoAttribute(TiposDeEvidencia.Admitidos))
            .Documentar("DescargarMedioVerificacion", "Descarga el archivo de un medio de verificación",
                "El archivo tal como se subió, con su tipo, Content-Disposition con su nombre original y ETag igual a su SHA-256. " +
                "Admite Range (206 con el tramo, 416 fuera del archivo), If-Range, If-None-Match (304) e If-Match (412 si no nombra su ETag). " +
                "404 si el medio no existe " +
                "o solo tiene título. Las descargas en curso están acotadas por dirección (429) y en total (503).")
            .Errores(404, 412, 416, 429);

    private static async Task<IResult> DescargarAsync(int id, long medioId, HttpContext http, IMediator m, LimiteDeTransferencias transferencias, CancellationToken ct)
    {
        transferencias.Tomar(http);
        var c = await m.Send(new ObtenerContenidoDeMedio(id, medioId), ct);
        // Range, If-Range, If-None-Match and If-Match are handled by the file result over the seekable stream.
        return new DescargaConProblemas(TypedResults.Stream(c.Flujo, c.Tipo, TiposDeEvidencia.NombreDeDescarga(c.NombreArchivo, c.Tipo), c.SubidoEn,
            new EntityTagHeaderValue($"\"{c.Sha256}\""), enableRangeProcessing: true));
    }

    /// <summary>
    /// The file result answers a range outside the file (416) and an If-Match that names another version (412) with an
    /// empty body, the first typed as the file: here both become problem+json, as every error of the API, keeping the
    /// headers the result set for them (Content-Range: bytes */length on the 416, the ETag).
    /// </summary>
    private sealed class DescargaConProblemas(IResult archivo) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            await archivo.ExecuteAsync(http);
            var r = http.Response;
            if (r.HasStarted || r.StatusCode is not (StatusCodes.Status416RangeNotSatisfiable or StatusCodes.Status412PreconditionFailed)) return;

            // Thrown, so that the one exception handler writes it (problem+json whatever Accept says) with these headers.
            throw r.StatusCode == StatusCodes.Status416RangeNotSatisfiable
                ? new ProblemaHttpException(StatusCodes.Status416RangeNotSatisfiable, TiposDeProblema.RangoNoSatisfacible, "Rango fuera del archivo",
                    $"El archivo tiene {r.Headers.ContentRange.ToString().Split('/')[^1]} bytes: pida un rango que empiece dentro de él.")
                {
                    Encabezados = new Dictionary<string, string> { [HeaderNames.ContentRange] = r.Headers.ContentRange.ToString() },
                }
                : new ProblemaHttpException(StatusCodes.Status412PreconditionFailed, TiposDeProblema.VersionObsoleta, "El ETag de If-Match no es el del archivo",
                    "If-Match no nombra el ETag de este archivo (su SHA-256 entre comillas).");
        }
    }
}

public sealed record ObtenerContenidoDeMedio(int CompromisoId, long MedioId) : IQuery<ContenidoDeMedio>;

/// <summary>The stored file, to stream back; the caller disposes <see cref="Flujo"/>.</summary>
public sealed record ContenidoDeMedio(Stream Flujo, string Tipo, string NombreArchivo, string Sha256, DateTimeOffset SubidoEn);

public sealed class ObtenerContenidoDeMedioHandler(CompromisosDbContext db, IAlmacenEvidencia almacen) : IQueryHandler<ObtenerContenidoDeMedio, ContenidoDeMedio>
{
    public async ValueTask<ContenidoDeMedio> Handle(ObtenerContenidoDeMedio q, CancellationToken ct)
    {
        var m = await db.MediosVerificacion.AsNoTracking().Where(x => x.Id == q.MedioId && x.CompromisoId == q.CompromisoId)
            .Select(x => new { x.Sha256, x.Tipo, x.NombreArchivo, x.SubidoEn })
            .SingleOrDefaultAsync(ct) ?? throw new NoEncontradoException("medio de verificación", q.MedioId);
        if (m.Sha256 is null || m.Tipo is null || m.NombreArchivo is null || m.SubidoEn is null)
        {
            throw new NoEncontradoException("archivo", q.MedioId,
                $"El medio de verificación {q.MedioId} solo tiene título: se registró sin archivo.");
        }

        var flujo = await almacen.AbrirAsync(m.Sha256, ct)
            ?? throw new InvalidOperationException($"El almacén de evidencia no tiene el contenido {m.Sha256} del medio {q.MedioId}.");
        return new ContenidoDeMedio(flujo, m.Tipo, m.NombreArchivo, m.Sha256, m.SubidoEn.Value);
    }
}
