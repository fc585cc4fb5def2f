using CompromisosApi.Features.Evidencia;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using static CompromisosApi.Features.Evidencia.CargaDeEvidencia;

namespace CompromisosApi.Features.Compromisos;

/// <summary>
/// POST …/medios-verificacion: in the contract, a title-only medio as application/json (as legacy records have). It
/// still takes the multipart/form-data upload it always took (for curl and older scripts); the contract documents that
/// one as its own operation, RegistrarMedioVerificacionConArchivo (POST …/medios-verificacion/con-archivo), so that
/// generated clients get one request media type per operation.
/// </summary>
public static class RegistrarMedioVerificacionEndpoint
{
    public static RouteHandlerBuilder MapRegistrarMedioVerificacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/medios-verificacion", RegistrarAsync)
            .TomaElFormulario(rutas)
            .WithMetadata(new CuerpoJsonAttribute(typeof(MedioVerificacionEntrada)))
            .Documentar("RegistrarMedioVerificacion", "Registra un medio de verificación con solo título y corte",
                "Un medio sin archivo (título y corte), como los registros antiguos. Para subir un archivo, RegistrarMedioVerificacionConArchivo " +
                "(POST …/medios-verificacion/con-archivo, multipart/form-data); esta ruta también acepta ese mismo formulario, como siempre " +
                "(responde entonces como aquella: 200 si el compromiso ya tenía ese archivo, 413, 415). El corte debe ser un corte del calendario. " +
                "409 si el programa egresó. 422 (urn:compromisos:cuota-excedida, con cuota y limite) si el compromiso ya tiene el máximo de medios " +
                "(Cuotas:MediosPorCompromiso, 30). Un cuerpo que no es JSON ni multipart/form-data: 415.");

    private static async Task<Results<Created<MedioVerificacionDto>, Ok<MedioVerificacionDto>>> RegistrarAsync(
        int id, HttpContext http, IMediator m, IAlmacenEvidencia almacen, IOptions<OpcionesEvidencia> opciones, IOptions<JsonOptions> json,
        LimiteDeTransferencias transferencias, CancellationToken ct)
    {
        if (http.Request.HasJsonContentType())
        {
            LimiteDeCuerpo.Aplicar(http);
            var body = await LeerJsonAsync(http, json.Value, ct);
            var r = await m.Send(new RegistrarMedioVerificacion(id, body.Titulo, body.Corte), ct);
            return TypedResults.Created(RegistrarMedioVerificacionConArchivoEndpoint.Ubicacion(id, r), r);
        }

        if (!RegistrarMedioVerificacionConArchivoEndpoint.EsMultipart(http, out _))
        {
            throw new ProblemaHttpException(StatusCodes.Status415UnsupportedMediaType, TiposDeProblema.TipoNoAdmitido, "Tipo de contenido no admitido",
                "Envíe application/json (un medio con solo título y corte) o multipart/form-data con los campos titulo y corte y el archivo en archivo.",
                new Dictionary<string, object?> { [MiembrosDeProblema.Admitidos] = new[] { "application/json", "multipart/form-data" } });
        }

        // The form this path always took: answered as RegistrarMedioVerificacionConArchivo answers it.
        return await RegistrarMedioVerificacionConArchivoEndpoint.RegistrarAsync(id, http, m, almacen, opciones, transferencias, ct);
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
}

/// <summary>The evidence behind a calificación, by its title only (with a file: RegistrarArchivoDeEvidencia, in RegistrarMedioVerificacionConArchivo.cs).</summary>
public sealed record RegistrarMedioVerificacion(int CompromisoId, string Titulo, DateOnly Corte) : ICommand<MedioVerificacionDto>, IDatosMedio;

public sealed class RegistrarMedioVerificacionValidator(Calendario calendario) : DatosMedioValidator<RegistrarMedioVerificacion>(calendario);

public sealed class RegistrarMedioVerificacionHandler(CompromisosDbContext db, UsuarioActual usuario, Cuotas cuotas)
    : ICommandHandler<RegistrarMedioVerificacion, MedioVerificacionDto>
{
    public async ValueTask<MedioVerificacionDto> Handle(RegistrarMedioVerificacion c, CancellationToken ct)
    {
        var (programa, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, null, ct);
        usuario.AsegurarAccesoAServicio(programa.ServicioId);
        EscrituraDeCompromiso.AsegurarCorteDelPrograma(programa, c.Corte);
        await cuotas.AsegurarMedioAsync(programa.ServicioId, compromiso.Id, c.Corte, 0, bloquear: true, ct);
        var medio = new MedioVerificacion(compromiso.Id, c.Titulo, c.Corte, usuario.Firmar());
        db.MediosVerificacion.Add(medio);
        await db.SaveChangesAsync(ct);
        return medio.ToDto();
    }
}

