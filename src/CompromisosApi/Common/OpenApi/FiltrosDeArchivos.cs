using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CompromisosApi.Common;

/// <summary>
/// The upload's two request bodies under one operationId (RegistrarMedioVerificacion): ASP.NET Core's metadata gives
/// one schema for all the content types of a body, and the multipart form is not the JSON object.
/// </summary>
internal sealed class ContratoDeCarga : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<CuerpoJsonOMultipartAttribute>().FirstOrDefault() is not { } cuerpo) return;
        var texto = (string descripcion, JsonNode ejemplo, int largo, string? formato = null) =>
            new OpenApiSchema { Type = JsonSchemaType.String, Description = descripcion, Example = ejemplo, Format = formato, MaxLength = largo };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "application/json: un medio con solo título y corte (como los registros antiguos). multipart/form-data: " +
                "titulo y corte, y al final el archivo en archivo (PDF, DOCX, XLSX, ODT, ODS, PNG o JPEG, juzgado por su contenido).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(cuerpo.Json, context.SchemaRepository) },
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "titulo", "corte", "archivo" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["titulo"] = texto("Título del medio de verificación.", JsonValue.Create("Minuta explicativa"), Validacion.LargoTitulo),
                            ["corte"] = texto("Corte del calendario para el que se presenta (yyyy-MM-dd).", JsonValue.Create("2009-12-31"), 10, "date"),
                            ["archivo"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Format = "binary",
                                // The real bound is Evidencia:TamanoMaximoBytes (25 MB by default; 413 above it).
                                MaxLength = int.MaxValue,
                                Description = "El archivo; debe ser la última parte del formulario. Su nombre se conserva; su tipo se determina por su contenido.",
                            },
                        },
                    },
                },
            },
        };

        if (operation.Responses?.TryGetValue("201", out var creado) == true && creado is OpenApiResponse r201)
        {
            r201.Description = "Medio registrado.";
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "El compromiso ya tenía un medio con el mismo archivo (mismo SHA-256): se devuelve ese, sin crear otro.",
                Content = r201.Content,
            };
        }
    }
}

/// <summary>The download: the file in its own media type, whole (200) or by ranges (206), with its ETag.</summary>
internal sealed class ContratoDeDescarga : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<DescargaDeArchivoAttribute>().FirstOrDefault() is not { } descarga) return;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Range",
            In = ParameterLocation.Header,
            Required = false,
            Description = "Un rango de bytes (RFC 9110), por ejemplo bytes=0-1023: responde 206 con ese tramo, o 416 si está fuera del archivo.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
        });
        var binario = () => descarga.Tipos.ToDictionary(t => t, _ => new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", MaxLength = int.MaxValue },
        });
        var encabezado = (string descripcion) => (IOpenApiHeader)new OpenApiHeader
        {
            Description = descripcion,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000 },
        };
        var comunes = () => new Dictionary<string, IOpenApiHeader>
        {
            ["ETag"] = encabezado("El SHA-256 del contenido, entre comillas."),
            ["Content-Disposition"] = encabezado("attachment con el nombre original del archivo (filename y filename*, RFC 6266)."),
            ["Accept-Ranges"] = encabezado("bytes"),
        };
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse { Description = "El archivo completo, con el tipo determinado al subirlo.", Content = binario(), Headers = comunes() };
        var parcial = comunes();
        parcial["Content-Range"] = encabezado("El tramo entregado, por ejemplo bytes 0-1023/48213.");
        operation.Responses["206"] = new OpenApiResponse { Description = "El tramo pedido en Range.", Content = binario(), Headers = parcial };
        operation.Responses["304"] = new OpenApiResponse { Description = "If-None-Match nombra el ETag vigente: el cliente ya tiene el archivo." };
    }
}
