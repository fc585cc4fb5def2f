using CompromisosApi.Common;
using Mediator;

namespace CompromisosApi.Features.Importaciones;

public static class ImportacionesEndpoints
{
    public static IEndpointRouteBuilder MapImportaciones(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/importaciones").WithTags("Importaciones").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapPost("", async Task<Microsoft.AspNetCore.Http.HttpResults.Results<
                Microsoft.AspNetCore.Http.HttpResults.Created<ResultadoImportacion>,
                Microsoft.AspNetCore.Http.HttpResults.Ok<ResultadoImportacion>>> (DocumentoImportacion documento, IMediator m, CancellationToken ct) =>
            {
                var r = await m.Send(documento, ct);
                return r.Creado ? TypedResults.Created($"{Http.Base}/programas/{r.ProgramaId}", r) : TypedResults.Ok(r);
            })
            .Documentar("ImportarRegistro", "Importa el registro completo de un programa",
                "Guarda en una sola transacción (todo o nada) un registro histórico: ministerio y servicio (se reutilizan si ya " +
                "existen con el mismo nombre), programa, recomendaciones, compromisos con sus reportes, medios de verificación y " +
                "calificaciones, y el egreso si lo hubo. Los textos se guardan verbatim y el historial se valida con las mismas reglas " +
                "del registro. Todos los problemas del documento se informan juntos en errors, cada uno con su ruta JSON (400). " +
                "Importar de nuevo el mismo documento no lo duplica: responde 200 con lo ya importado; otro documento para el mismo " +
                "programa (servicio, año, línea y nombre) responde 409. Importar exige los roles de las operaciones individuales " +
                "equivalentes: crear el ministerio o el servicio, administrador; el programa con sus recomendaciones, compromisos, " +
                "reportes, medios y calificaciones, y el egreso, analista (un token con ambos roles importa el registro completo). " +
                "Si el token no tiene alguno, responde 403 (urn:compromisos:importacion-no-autorizada), no escribe nada y lista en " +
                "rechazos cada elemento del documento con la operación equivalente y el rol que exige.")
            .Errores(400, 409)
            .Requiere(Politicas.Importacion)
            .Produces<ProblemaImportacionNoAutorizada>(StatusCodes.Status403Forbidden, "application/problem+json");

        return app;
    }
}
