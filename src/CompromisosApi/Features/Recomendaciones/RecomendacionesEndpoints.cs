using CompromisosApi.Common;
using CompromisosApi.Features.Compromisos;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Recomendaciones;

public static class RecomendacionesEndpoints
{
    public static IEndpointRouteBuilder MapRecomendaciones(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/recomendaciones").WithTags("Recomendaciones").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerRecomendacion(id), ct)))
            .ConVersion()
            .Documentar("ObtenerRecomendacion", "Obtiene una recomendación", "Devuelve la recomendación y su ETag.")
            .Errores(404);

        g.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, RecomendacionEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarRecomendacion(id, Http.ExigirIfMatch(ifMatch), body.Texto), ct)))
            .ConVersion()
            .Documentar("ActualizarRecomendacion", "Corrige el texto de una recomendación",
                "Exige If-Match (428 sin él, 412 si cambió). 409 si el programa egresó.")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Registro);

        g.MapGet("{id:int}/compromisos", async (int id, int? limit, string? cursor, DateOnly? alCorte, DateTimeOffset? conocidoAl, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarCompromisosDeRecomendacion(id, limit, cursor, alCorte, conocidoAl), ct)))
            .WithTags("Compromisos")
            .Documentar("ListarCompromisosDeRecomendacion", "Lista los compromisos de una recomendación",
                "En orden de número (1.1, 1.2 …), paginada. vencido se calcula al corte alCorte (por omisión, hoy); con conocidoAl, los " +
                "compromisos y calificaciones registrados hasta ese instante.")
            .Errores(400, 404);

        g.MapPost("{id:int}/compromisos", async (int id, CompromisoEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearCompromiso(id, body.Texto, body.FechaVencimiento), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/compromisos/{v.Recurso.Id}", v);
            })
            .WithTags("Compromisos")
            .ConVersion()
            .Documentar("CrearCompromiso", "Agrega un compromiso a la recomendación",
                "El número \"<recomendación>.<n>\" se asigna solo; nace Pendiente. fechaVencimiento es un mes yyyy-MM. 409 si el programa egresó.")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Registro);

        return app;
    }
}
