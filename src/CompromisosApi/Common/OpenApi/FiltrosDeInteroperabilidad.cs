using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CompromisosApi.Common;

/// <summary>
/// The Red de Interoperabilidad's headers (Common/Interoperabilidad.cs), for the contract: the four optional request
/// headers declared once in components/parameters and referenced by every operation (which can therefore answer 400),
/// and the transaction id echoed on every answer, declared once in components/headers and referenced by every response.
/// After <see cref="RespuestasDelContrato"/>, whose shared responses it completes.
/// </summary>
internal sealed class EncabezadosDeInteroperabilidad(IOptions<OpcionesInteroperabilidad> opciones) : IOperationFilter, IDocumentFilter
{
    internal const string OrganismoSolicitante = "OrganismoSolicitante";
    internal const string FuncionarioRun = "FuncionarioRun";
    internal const string Procedimiento = "Procedimiento";
    internal const string TransaccionId = "TransaccionId";

    private static readonly string[] Parametros = [OrganismoSolicitante, FuncionarioRun, Procedimiento, TransaccionId];

    private OpcionesEncabezados Nombres => opciones.Value.Encabezados;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var doc = context.Document;
        operation.Parameters ??= [];
        foreach (var p in Parametros) operation.Parameters.Add(new OpenApiParameterReference(p, doc));
        operation.Responses ??= new OpenApiResponses();
        // A header present but not valid is refused on every operation.
        if (!operation.Responses.ContainsKey("400"))
            operation.Responses["400"] = new OpenApiResponseReference(RespuestasDelContrato.SolicitudInvalida, doc);
    }

    public void Apply(OpenApiDocument doc, DocumentFilterContext context)
    {
        doc.Components ??= new OpenApiComponents();
        doc.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        var n = Nombres;
        var p = doc.Components.Parameters;
        p[OrganismoSolicitante] = Encabezado(n.OrganismoSolicitante,
            "Código del organismo del Estado que solicita (Red de Interoperabilidad; el nodo de la red lo pone). Queda en la traza de la transacción.",
            Interoperabilidad.LargoOrganismo, Interoperabilidad.PatronOrganismo, "13.01");
        p[FuncionarioRun] = Encabezado(n.FuncionarioRun,
            "RUN del funcionario responsable de la solicitud, sin puntos, con guion y dígito verificador (módulo 11). Un dígito verificador " +
            "incorrecto es 400. Si el token trae el claim run (Interoperabilidad:ClaimRun), la traza registra ese y no este.",
            Interoperabilidad.LargoRun, Interoperabilidad.PatronRun, "12345678-5");
        p[Procedimiento] = Encabezado(n.Procedimiento,
            "Código del procedimiento administrativo o trámite en que se hace la solicitud. Queda en la traza de la transacción.",
            Interoperabilidad.LargoProcedimiento, Interoperabilidad.PatronProcedimiento, "SEGUIMIENTO-COMPROMISOS");
        p[TransaccionId] = Encabezado(n.TransaccionId,
            "Id de la transacción en la red. Se devuelve en el encabezado del mismo nombre de la respuesta; si falta (o no es válido), " +
            "el servicio genera uno (un UUID).",
            Interoperabilidad.LargoTransaccion, Interoperabilidad.PatronTransaccion, "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b");

        doc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        doc.Components.Headers[n.TransaccionId] = new OpenApiHeader
        {
            Description = "Id de la transacción en la red: el recibido en " + n.TransaccionId + " o, si no vino o no era válido, uno generado " +
                "por el servicio. Está en toda respuesta de la API, también en los errores, y en su traza.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Interoperabilidad.LargoTransaccion, Pattern = Interoperabilidad.PatronTransaccion },
        };

        var respuestas = (doc.Components.Responses ?? new Dictionary<string, IOpenApiResponse>()).Values
            .Concat(doc.Paths.Values.SelectMany(r => r.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()).SelectMany(o => o.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()));
        foreach (var r in respuestas.OfType<OpenApiResponse>())
        {
            r.Headers ??= new Dictionary<string, IOpenApiHeader>();
            r.Headers[n.TransaccionId] = new OpenApiHeaderReference(n.TransaccionId, doc);
        }
    }

    private static OpenApiParameter Encabezado(string nombre, string descripcion, int largo, string patron, string ejemplo) => new()
    {
        Name = nombre,
        In = ParameterLocation.Header,
        Required = false,
        Description = descripcion,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = largo, Pattern = patron },
        Example = System.Text.Json.Nodes.JsonValue.Create(ejemplo),
    };
}

/// <summary>
/// The catalog entry's declared part (<see cref="OpcionesCatalogo"/>) in the contract's info: the responsible official
/// as the standard contact, and the rest as x-catalogo, from which api-spec/catalogo-servicio.json is generated with the
/// operations and the measured transactions per second.
/// </summary>
internal sealed class EntradaDelCatalogo(IOptions<OpcionesInteroperabilidad> opciones) : IDocumentFilter
{
    public const string Extension = "x-catalogo";

    public void Apply(OpenApiDocument doc, DocumentFilterContext context)
    {
        var c = opciones.Value.Catalogo;
        doc.Info.Contact = new OpenApiContact
        {
            Name = c.Responsable,
            Email = c.CorreoResponsable,
        };
        doc.Info.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        doc.Info.Extensions[Extension] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonObject
        {
            ["codigo"] = c.Codigo,
            ["nombre"] = c.Nombre,
            ["descripcion"] = c.Descripcion,
            ["proveedor"] = opciones.Value.Trazas.CodigoProveedor,
            ["responsable"] = c.Responsable,
            ["correoResponsable"] = c.CorreoResponsable,
            ["nivelDeServicio"] = new System.Text.Json.Nodes.JsonObject
            {
                ["disponibilidad"] = c.Disponibilidad,
                ["horario"] = c.Horario,
                ["tiempoDeRespuesta"] = c.TiempoDeRespuesta,
            },
        });
    }
}
