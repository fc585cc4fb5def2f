using CompromisosApi.Common;
using CompromisosApi.Features.Recomendaciones;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Programas;

public static class ProgramasEndpoints
{
    public static IEndpointRouteBuilder MapProgramas(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/programas").WithTags("Programas").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("", async ([AsParameters] ListarProgramas q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarProgramas", "Lista los programas",
                "Lista paginada en orden de id; filtra por servicioId, ministerioId, anioEvaluacion, lineaEvaluacion y estado " +
                "(el actual o, con alCorte o conocidoAl, el de ese momento). " +
                "q busca en español, sin distinguir tildes, en el nombre del programa y los textos de sus recomendaciones y compromisos; " +
                "con q el orden es por relevancia (ts_rank) y luego id, y el cursor de una búsqueda solo sirve con q.")
            .Errores(400);

        g.MapGet("{id:int}", async (int id, DateOnly? alCorte, DateTimeOffset? conocidoAl, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerPrograma(id, alCorte, conocidoAl), ct)))
            .ConVersion()
            .Documentar("ObtenerPrograma", "Obtiene un programa",
                "Devuelve el programa (estado y fecha de egreso, actuales o al corte alCorte, tal como se conocían en conocidoAl; 404 si " +
                "aún no estaba registrado) y el ETag de su versión actual.")
            .Errores(400, 404);

        g.MapPost("", async (ProgramaEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearPrograma(body.Nombre, body.ServicioId, body.AnioEvaluacion, body.LineaEvaluacion), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/programas/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearPrograma", "Crea un programa en seguimiento",
                "Un programa (o institución) evaluado en un año, por una línea de evaluación del catálogo. Nace EnSeguimiento.")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Registro);

        g.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, ProgramaEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(
                    new ActualizarPrograma(id, Http.ExigirIfMatch(ifMatch), body.Nombre, body.ServicioId, body.AnioEvaluacion, body.LineaEvaluacion), ct)))
            .ConVersion()
            .Documentar("ActualizarPrograma", "Actualiza un programa",
                "Exige If-Match (428 sin él, 412 si cambió). Un programa egresado es de solo lectura (409).")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Registro);

        g.MapPost("{id:int}/egreso", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, [FromBody] EgresoEntrada? body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new EgresarPrograma(id, Etags.Leer(ifMatch), body?.FechaEgreso), ct)))
            .ConVersion()
            .Documentar("EgresarPrograma", "Egresa el programa del seguimiento",
                "Solo si todos sus compromisos están Cumplidos o Cancelados (409 con la lista compromisosAbiertos si no). " +
                "La fecha de egreso es, por omisión, la de la última calificación del programa. Después, el registro es de solo lectura. " +
                "If-Match es opcional (412 si no es el ETag actual).")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Registro);

        g.MapGet("{id:int}/recomendaciones", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarRecomendaciones(id, limit, cursor), ct)))
            .WithTags("Recomendaciones")
            .Documentar("ListarRecomendaciones", "Lista las recomendaciones de un programa", "En orden de número (1, 2, 3 …), paginada.")
            .Errores(400, 404);

        g.MapPost("{id:int}/recomendaciones", async (int id, RecomendacionEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearRecomendacion(id, body.Texto), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/recomendaciones/{v.Recurso.Id}", v);
            })
            .WithTags("Recomendaciones")
            .ConVersion()
            .Documentar("CrearRecomendacion", "Agrega una recomendación al programa",
                "El número se asigna en orden dentro del programa. 409 si el programa egresó.")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Registro);

        return app;
    }
}
