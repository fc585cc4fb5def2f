using System.Globalization;
using System.Text;
using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Compromisos;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Features.Evidencia;

/// <summary>
/// POST …/medios-verificacion, one operation with two bodies: application/json (a title-only medio, as legacy records
/// have) or multipart/form-data with the fields titulo and corte followed by the file in archivo. The file is streamed
/// from the request straight into the evidence store, checked and hashed on the way; it is never held whole in memory.
/// </summary>
public static class CargaDeEvidencia
{
    /// <summary>A JSON medio is a title and a date: 1 MB is far more than it can need.</summary>
    private const long LimiteJson = 1024 * 1024;

    private static readonly UTF8Encoding Utf8Estricto = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<Results<Created<MedioVerificacionDto>, Ok<MedioVerificacionDto>>> RegistrarAsync(
        int id, HttpContext http, IMediator m, IAlmacenEvidencia almacen, IOptions<OpcionesEvidencia> opciones, IOptions<JsonOptions> json,
        LimiteDeTransferencias transferencias, CancellationToken ct)
    {
        var ubicacion = (MedioVerificacionDto r) => $"{Http.Base}/compromisos/{id}/medios-verificacion/{r.Id}";
        if (http.Request.HasJsonContentType())
        {
            LimiteDeCuerpo.Aplicar(http);
            var body = await LeerJsonAsync(http, json.Value, ct);
            var r = await m.Send(new RegistrarMedioVerificacion(id, body.Titulo, body.Corte), ct);
            return TypedResults.Created(ubicacion(r), r);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var tipo)
            || !tipo.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProblemaHttpException(StatusCodes.Status415UnsupportedMediaType, TiposDeProblema.TipoNoAdmitido, "Tipo de contenido no admitido",
                "Envíe application/json (un medio con solo título y corte) o multipart/form-data con los campos titulo y corte y el archivo en archivo.",
                new Dictionary<string, object?> { ["admitidos"] = new[] { "application/json", "multipart/form-data" } });
        }

        var tamanoMaximo = opciones.Value.TamanoMaximoBytes;
        transferencias.Tomar(http);
        // Known too large from the start: refused before reading anything.
        if (http.Request.ContentLength > tamanoMaximo + OpcionesEvidencia.MargenFormulario) throw FlujoVerificado.DemasiadoGrande(tamanoMaximo);

        var limite = HeaderUtilities.RemoveQuotes(tipo.Boundary).Value;
        if (string.IsNullOrEmpty(limite) || limite.Length > 70) throw Invalido("$", "El encabezado Content-Type multipart/form-data no trae un boundary válido.");

        var lector = new MultipartReader(limite, http.Request.Body) { HeadersLengthLimit = 4 * 1024, HeadersCountLimit = 8 };
        string? titulo = null;
        DateOnly? corte = null;
        (ContenidoAlmacenado Contenido, string Tipo, string Nombre)? archivo = null;
        while (archivo is null && await SiguienteAsync(lector, ct) is { } seccion)
        {
            var disposicion = seccion.GetContentDispositionHeader();
            var campo = HeaderUtilities.RemoveQuotes(disposicion?.Name ?? default).Value;
            if (disposicion is null || !disposicion.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(campo))
                throw Invalido("$", "Cada parte del cuerpo multipart/form-data debe llevar Content-Disposition: form-data con su name.");
            switch (campo)
            {
                case "titulo" when titulo is null:
                    titulo = await LeerCampoAsync(seccion, campo, Validacion.LargoTitulo * 4, ct);
                    break;
                case "corte" when corte is null:
                    var texto = await LeerCampoAsync(seccion, campo, 64, ct);
                    corte = DateOnly.TryParseExact(texto, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f)
                        ? f
                        : throw Invalido(campo, "Debe ser una fecha yyyy-MM-dd (un corte del calendario, por ejemplo 2009-12-31).");
                    break;
                case "archivo":
                    var nombre = NombreDeArchivo(disposicion);
                    if (titulo is null || corte is null)
                    {
                        throw new ValidationException(new[] { ("titulo", titulo is null), ("corte", corte is null) }
                            .Where(x => x.Item2)
                            .Select(x => new ValidationFailure(x.Item1, "Es obligatorio y debe ir antes que archivo en el formulario.")));
                    }

                    // Validation, existence, follow-up and object-level authorization before storing anything.
                    await m.Send(new PrepararArchivoDeEvidencia(id, titulo, corte.Value), ct);
                    // Nothing may follow the file: checked before the store commits it, so a refused form keeps no content.
                    var flujo = new FlujoVerificado(seccion.Body, tamanoMaximo, async c =>
                    {
                        if (await SiguienteAsync(lector, c) is { } otra)
                        {
                            var nombreOtra = HeaderUtilities.RemoveQuotes(otra.GetContentDispositionHeader()?.Name ?? default).Value;
                            throw Invalido(string.IsNullOrEmpty(nombreOtra) ? "$" : nombreOtra,
                                "El archivo debe ser la última parte del formulario: envíe titulo y corte antes que archivo.");
                        }
                    });
                    var contenido = await almacen.GuardarAsync(flujo, ct);
                    archivo = (contenido, flujo.Tipo!, nombre);
                    break;
                case "titulo" or "corte":
                    throw Invalido(campo, "El campo viene repetido.");
                default:
                    throw Invalido(campo, "Campo desconocido: el formulario lleva titulo, corte y archivo.");
            }
        }

        if (archivo is not { } a) throw Invalido("archivo", "Es obligatorio en multipart/form-data (un medio sin archivo se registra con application/json).");
        var registrado = await m.Send(new RegistrarArchivoDeEvidencia(id, titulo!, corte!.Value,
            new ArchivoDeEvidencia(a.Nombre, a.Tipo, a.Contenido.Tamano, a.Contenido.Sha256)), ct);
        return registrado.Creado
            ? TypedResults.Created(ubicacion(registrado.Medio), registrado.Medio)
            : TypedResults.Ok(registrado.Medio);
    }

    public static async Task<IResult> DescargarAsync(int id, long medioId, HttpContext http, IMediator m, LimiteDeTransferencias transferencias, CancellationToken ct)
    {
        transferencias.Tomar(http);
        var c = await m.Send(new ObtenerContenidoDeMedio(id, medioId), ct);
        // Range, If-Range, If-None-Match and If-Match are handled by the file result over the seekable stream.
        return TypedResults.Stream(c.Flujo, c.Tipo, TiposDeEvidencia.NombreDeDescarga(c.NombreArchivo, c.Tipo), c.SubidoEn,
            new EntityTagHeaderValue($"\"{c.Sha256}\""), enableRangeProcessing: true);
    }

    /// <summary>
    /// The endpoint takes files up to the configured size (plus the form around them) although the server's limit for
    /// every other request is smaller; JSON bodies are held back to <see cref="LimiteJson"/>.
    /// </summary>
    public static RouteHandlerBuilder AdmiteArchivos(this RouteHandlerBuilder b, IEndpointRouteBuilder app)
    {
        var tamano = app.ServiceProvider.GetRequiredService<IOptions<OpcionesEvidencia>>().Value.TamanoMaximoBytes;
        return b.WithMetadata(new LimiteDeCuerpo(tamano + OpcionesEvidencia.MargenFormulario, LimiteJson), new CuerpoJsonOMultipartAttribute());
    }

    private static async Task<MedioVerificacionEntrada> LeerJsonAsync(HttpContext http, JsonOptions json, CancellationToken ct)
    {
        // Failures become the same BadHttpRequestException the framework throws for a bound body, so the answer is the
        // same 400 with its errors map as on every other operation.
        const string Parametro = "Failed to read parameter \"MedioVerificacionEntrada body\" from the request body as JSON.";
        try
        {
            return await http.Request.ReadFromJsonAsync<MedioVerificacionEntrada>(json.SerializerOptions, ct)
                ?? throw new BadHttpRequestException("Required parameter \"MedioVerificacionEntrada body\" was not provided from body.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new BadHttpRequestException(Parametro, StatusCodes.Status400BadRequest, e);
        }
    }

    private static async Task<MultipartSection?> SiguienteAsync(MultipartReader lector, CancellationToken ct)
    {
        try
        {
            return await lector.ReadNextSectionAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not BadHttpRequestException && !ct.IsCancellationRequested))
        {
            throw Invalido("$", "El cuerpo multipart/form-data está incompleto o mal formado.");
        }
    }

    private static async Task<string> LeerCampoAsync(MultipartSection seccion, string campo, int maximoBytes, CancellationToken ct)
    {
        var buffer = new byte[maximoBytes + 1];
        int n;
        try
        {
            n = await seccion.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not BadHttpRequestException && !ct.IsCancellationRequested))
        {
            throw Invalido("$", "El cuerpo multipart/form-data está incompleto o mal formado.");
        }

        if (n > maximoBytes) throw Invalido(campo, "Es demasiado largo.");
        try
        {
            return Utf8Estricto.GetString(buffer, 0, n);
        }
        catch (DecoderFallbackException)
        {
            throw Invalido(campo, "No es texto UTF-8 válido.");
        }
    }

    /// <summary>The name the file had on the sender's side, without any path (some browsers send one).</summary>
    private static string NombreDeArchivo(ContentDispositionHeaderValue disposicion)
    {
        var nombre = disposicion.FileNameStar.HasValue ? disposicion.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposicion.FileName).Value;
        nombre = nombre?[(nombre.LastIndexOfAny(['/', '\\']) + 1)..];
        if (string.IsNullOrWhiteSpace(nombre))
            throw Invalido("archivo", "La parte archivo debe ser un archivo con su nombre (Content-Disposition: form-data; name=\"archivo\"; filename=\"…\").");
        if (nombre.Length > OpcionesEvidencia.LargoNombreArchivo || nombre.Any(char.IsControl))
            throw Invalido("archivo", $"El nombre del archivo admite a lo más {OpcionesEvidencia.LargoNombreArchivo} caracteres, sin caracteres de control.");
        return nombre;
    }

    private static ValidationException Invalido(string campo, string mensaje) => new([new ValidationFailure(campo, mensaje)]);
}

/// <summary>Marks the operation whose body is JSON or a multipart form with a file, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CuerpoJsonOMultipartAttribute : Attribute;
