using System.Reflection;
using Microsoft.OpenApi;

namespace CompromisosApi.Common;

public static class OpenApi
{
    public static IServiceCollection AddContratoOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "CompromisosApi",
                Version = "v1",
                Description =
                    "Registro oficial de los compromisos institucionales acordados tras la evaluación de programas públicos " +
                    "(DIPRES, Ministerio de Hacienda) y de su seguimiento hasta el egreso del programa. " +
                    "Los errores siguen RFC 9457 (application/problem+json); las reglas del registro rotas responden 409 " +
                    "con un type urn:compromisos:regla:<regla>. Las lecturas por id devuelven ETag; los PUT exigen If-Match.",
            });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml"));
            o.SupportNonNullableReferenceTypes();
            // Schema names are what generated clients call their classes: "Compromiso", not "CompromisoDto".
            o.CustomSchemaIds(NombreDeEsquema);
        });
        return services;
    }

    private static string NombreDeEsquema(Type t)
    {
        var nombre = t.Name;
        if (t.IsGenericType)
        {
            nombre = nombre[..nombre.IndexOf('`')] + string.Concat(t.GetGenericArguments().Select(NombreDeEsquema));
        }

        return nombre.EndsWith("Dto", StringComparison.Ordinal) ? nombre[..^3] : nombre;
    }
}
