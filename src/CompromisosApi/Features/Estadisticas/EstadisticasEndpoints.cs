using CompromisosApi.Common;
using Mediator;

namespace CompromisosApi.Features.Estadisticas;

public static class EstadisticasEndpoints
{
    public static IEndpointRouteBuilder MapEstadisticas(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/estadisticas").WithTags("Estadísticas").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("cumplimiento", async ([AsParameters] ObtenerCumplimiento q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ObtenerCumplimiento", "Cumplimiento de compromisos por ministerio, servicio, año o línea",
                "Por grupo (agruparPor: ministerio o servicio, con id y nombre; anio, el año de evaluación; linea, el código de la línea): " +
                "compromisos por calificación vigente (pendiente, cumplido, parcialmenteCumplido, noCumplido, cancelado) y total; " +
                "exigibles al corte (mes de vencimiento igual o anterior al mes de alCorte, por omisión hoy en Chile); vencidos al corte " +
                "(exigibles que no están Cumplidos ni Cancelados, la misma regla que el campo vencido); programas en seguimiento y egresados; y " +
                "porcentajeCumplimiento = cumplidosExigibles ÷ (exigibles − canceladosExigibles) × 100, redondeado a un decimal, null si el " +
                "denominador es 0. El numerador cuenta solo los Cumplidos exigibles: uno que vence después del corte aún no se mide. " +
                "anio filtra los programas por año de evaluación. Grupos ordenados por su clave, sin paginar (son pocos); solo aparecen los " +
                "grupos con algún programa.")
            .Errores(400);

        return app;
    }
}
