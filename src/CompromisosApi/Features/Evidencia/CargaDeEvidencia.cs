using System.Text;
using FluentValidation.Results;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Features.Evidencia;

/// <summary>
/// The pieces of reading an upload to POST …/medios-verificacion
/// (Features/Compromisos/RegistrarMedioVerificacionConArchivo.cs): the multipart sections and form fields, the file's
/// name, and the endpoint's body limits; a malformed form is the same 400, with its field named, as any other bad input.
/// </summary>
public static class CargaDeEvidencia
{
    /// <summary>A JSON medio is a title and a date: 1 MB is far more than it can need.</summary>
    private const long LimiteJson = 1024 * 1024;

    private static readonly UTF8Encoding Utf8Estricto = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The endpoint takes files up to the configured size (plus the form around them) although the server's limit for
    /// every other request is smaller; JSON bodies are held back to <see cref="LimiteJson"/>.
    /// </summary>
    public static RouteHandlerBuilder AdmiteArchivos(this RouteHandlerBuilder b, IEndpointRouteBuilder app)
    {
        var tamano = app.ServiceProvider.GetRequiredService<IOptions<OpcionesEvidencia>>().Value.TamanoMaximoBytes;
        return b.WithMetadata(new LimiteDeCuerpo(tamano + OpcionesEvidencia.MargenFormulario, LimiteJson));
    }

    internal static async Task<MultipartSection?> SiguienteAsync(MultipartReader lector, CancellationToken ct)
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

    internal static async Task<string> LeerCampoAsync(MultipartSection seccion, string campo, int maximoBytes, CancellationToken ct)
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
    internal static string NombreDeArchivo(ContentDispositionHeaderValue disposicion)
    {
        var nombre = disposicion.FileNameStar.HasValue ? disposicion.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposicion.FileName).Value;
        nombre = nombre?[(nombre.LastIndexOfAny(['/', '\\']) + 1)..];
        if (string.IsNullOrWhiteSpace(nombre))
            throw Invalido("archivo", "La parte archivo debe ser un archivo con su nombre (Content-Disposition: form-data; name=\"archivo\"; filename=\"…\").");
        if (nombre.Length > Validacion.LargoNombreArchivo || nombre.Any(char.IsControl))
            throw Invalido("archivo", $"El nombre del archivo admite a lo más {Validacion.LargoNombreArchivo} caracteres, sin caracteres de control.");
        return nombre;
    }

    internal static ValidationException Invalido(string campo, string mensaje) => new([new ValidationFailure(campo, mensaje)]);
}
