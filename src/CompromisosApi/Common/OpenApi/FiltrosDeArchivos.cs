using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CompromisosApi.Common;

/// <summary>
/// The evidence upload's request bodies, one media type per operation: RegistrarMedioVerificacion reads its JSON body
/// itself (it also takes the multipart form, undocumented there, for curl users), RegistrarMedioVerificacionConArchivo
/// takes the multipart form. ASP.NET Core's metadata knows neither, since both endpoints read the request themselves.
/// </summary>
internal sealed class ContratoDeCarga : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadatos = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadatos.OfType<CuerpoJsonAttribute>().FirstOrDefault() is { } json)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "Un medio con solo título y corte (como los registros antiguos).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(json.Json, context.SchemaRepository) },
                },
            };
            Respuestas(operation, "Solo si se envía aquí el formulario multipart/form-data de RegistrarMedioVerificacionConArchivo y el compromiso " +
                "ya tenía un medio con el mismo archivo (mismo SHA-256): se devuelve ese, sin crear otro.");
            return;
        }

        if (metadatos.OfType<FormularioConArchivoAttribute>().FirstOrDefault() is not { } formulario) return;
        var texto = (string descripcion, JsonNode ejemplo, int largo, string? formato = null) =>
            new OpenApiSchema { Type = JsonSchemaType.String, Description = descripcion, Example = ejemplo, Format = formato, MaxLength = largo };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "titulo y corte, y al final el archivo en archivo (PDF, DOCX, XLSX, ODT, ODS, PNG o JPEG, juzgado por su contenido).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "titulo", "corte", "archivo" },
                        // In this order: the file must be the last part.
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["titulo"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Description = "Título del medio de verificación (no en blanco).",
                                Example = JsonValue.Create("Minuta explicativa"),
                                MinLength = 1,
                                MaxLength = Validacion.LargoTitulo,
                            },
                            // A form field is text: declared by its pattern, not format date, which generators turn into a
                            // date type they write in their own culture's format ("12/31/2009 00:00:00 +00:00"), refused here.
                            ["corte"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                                MinLength = 10,
                                MaxLength = 10,
                                Description = "Corte del calendario para el que se presenta (yyyy-MM-dd).",
                                Example = JsonValue.Create("2009-12-31"),
                            },
                            ["archivo"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Format = "binary",
                                // Evidencia:TamanoMaximoBytes (413 above it).
                                MaxLength = (int)Math.Min(formulario.TamanoMaximo, int.MaxValue),
                                Description = "El archivo; debe ser la última parte del formulario. Su nombre se conserva; su tipo se determina por su contenido.",
                            },
                        },
                    },
                },
            },
        };
        Respuestas(operation, "El compromiso ya tenía un medio con el mismo archivo (mismo SHA-256): se devuelve ese, sin crear otro.");
    }

    private static void Respuestas(OpenApiOperation operation, string yaRegistrado)
    {
        if (operation.Responses?.TryGetValue("201", out var creado) != true || creado is not OpenApiResponse r201) return;
        r201.Description = "Medio registrado.";
        operation.Responses["200"] = new OpenApiResponse { Description = yaRegistrado, Content = r201.Content };
    }
}

/// <summary>The download: the file in its own media type, whole (200) or by ranges (206), with its ETag.</summary>
internal sealed class ContratoDeDescarga : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<DescargaDeArchivoAttribute>().FirstOrDefault() is not { } descarga) return;
        operation.Parameters ??= [];
        var parametro = (string nombre, string descripcion) => operation.Parameters.Add(new OpenApiParameter
        {
            Name = nombre,
            In = ParameterLocation.Header,
            Required = false,
            Description = descripcion,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = LimitesDeSolicitud.LargoEncabezados },
        });
        parametro("Range", "Un rango de bytes (RFC 9110), por ejemplo bytes=0-1023: responde 206 con ese tramo, o 416 si empieza fuera del archivo. " +
            "Varios rangos a la vez no se atienden (responde el archivo completo).");
        parametro("If-Range", "El ETag del archivo: el rango solo se atiende si sigue siendo ese; si no, responde el archivo completo.");
        parametro("If-None-Match", "El ETag del archivo que ya se tiene: 304 sin cuerpo si sigue siendo ese.");
        parametro("If-Match", "El ETag esperado: 412 si el archivo no es ese.");
        var doc = context.Document;
        var binario = () => descarga.Tipos.ToDictionary(t => t, _ => new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
        });
        var encabezados = (bool parcial) =>
        {
            var h = new Dictionary<string, IOpenApiHeader>();
            foreach (var nombre in new[] { RespuestasDelContrato.ETag, RespuestasDelContrato.LastModified, RespuestasDelContrato.ContentDisposition, RespuestasDelContrato.AcceptRanges })
                h[nombre] = new OpenApiHeaderReference(nombre, doc);
            if (parcial) h[RespuestasDelContrato.ContentRange] = new OpenApiHeaderReference(RespuestasDelContrato.ContentRange, doc);
            return h;
        };
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse { Description = "El archivo completo, con el tipo determinado al subirlo.", Content = binario(), Headers = encabezados(false) };
        operation.Responses["206"] = new OpenApiResponse { Description = "El tramo pedido en Range.", Content = binario(), Headers = encabezados(true) };
        operation.Responses["304"] = new OpenApiResponseReference(RespuestasDelContrato.NoModificado, doc);
    }
}
