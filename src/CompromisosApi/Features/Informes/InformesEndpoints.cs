using System.Globalization;
using System.Text;
using CompromisosApi.Common;
using Mediator;

namespace CompromisosApi.Features.Informes;

/// <param name="Id" example="1">Id del programa.</param>
/// <param name="Formato" example="texto">Representación pedida: json, texto, html o pdf. Si viene, manda sobre Accept (útil desde un navegador).</param>
/// <param name="AlCorte" example="2011-12-31">Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</param>
/// <param name="ConocidoAl" example="2010-03-01T12:00:00-03:00">Ver LecturaAlCorte.DescripcionConocidoAl (Common/OpenApi.cs).</param>
public sealed record ParametrosInforme(int Id, string? Formato, DateOnly? AlCorte, DateTimeOffset? ConocidoAl);

public static class InformesEndpoints
{
    public static IEndpointRouteBuilder MapInformes(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/programas").WithTags("Informes").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("{id:int}/informe", async Task<IResult> ([AsParameters] ParametrosInforme p, IMediator m, HttpContext http,
                LimiteDeTransferencias transferencias, CancellationToken ct) =>
            {
                // Before reading the record: a request that can't be answered costs no queries.
                var formato = NegociacionInforme.Elegir(p.Formato, http.Request.Headers.Accept);
                // A programa's whole record, in every format: a long response like any download.
                transferencias.Tomar(http);
                var informe = await m.Send(new ObtenerInforme(p.Id, p.AlCorte, p.ConocidoAl), ct);

                http.Response.Headers.Vary = "Accept";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                switch (formato)
                {
                    case FormatoInforme.Texto:
                        return TypedResults.Text(InformeTexto.Generar(informe), InformeTexto.TipoDeContenido, Encoding.UTF8);
                    case FormatoInforme.Html:
                        http.Response.Headers.ContentSecurityPolicy = InformeHtml.PoliticaDeContenido;
                        return TypedResults.Text(InformeHtml.Generar(informe), InformeHtml.TipoDeContenido, Encoding.UTF8);
                    case FormatoInforme.Pdf:
                        var archivo = $"informe-programa-{p.Id.ToString(CultureInfo.InvariantCulture)}-{informe.AlCorte:yyyy-MM-dd}.pdf";
                        http.Response.Headers.ContentDisposition = $"inline; filename=\"{archivo}\"";
                        // Laying out pages is CPU work: as many at once as there are cores, each stopped if its client leaves.
                        using (await transferencias.CalculoAsync(ct))
                            return TypedResults.Bytes(InformePdf.Generar(informe, ct), InformePdf.TipoDeContenido);
                    default:
                        return TypedResults.Ok(informe);
                }
            })
            .Produces<InformeDto>(StatusCodes.Status200OK, "application/json")
            .Representaciones("text/plain", "text/html", "application/pdf")
            .ValoresPermitidos("formato", NegociacionInforme.Parametros)
            .Documentar("ObtenerInforme", "Informe de egreso (o de seguimiento) del programa",
                "El registro del programa como estaba al corte alCorte (por omisión, hoy en Chile): solo cuentan las calificaciones, " +
                "reportes de cumplimiento y medios de verificación con fecha igual o anterior; la calificación de cada compromiso es la " +
                "última a esa fecha (Pendiente si no hay). Con conocidoAl, el registro tal como se conocía en ese instante (lo registrado " +
                "después, correcciones y reaperturas incluidas, se ignora), y el encabezado lo indica (\"Registro conocido al:\"): el mismo " +
                "informe que se emitió entonces con esos parámetros, byte a byte. Si el programa había egresado al corte es el INFORME DE EGRESO; si no, un " +
                "INFORME DE SEGUIMIENTO. Se entrega por negociación de contenido (Accept): application/json (por omisión, estructurado), " +
                "text/plain; charset=utf-8 (el diseño y la redacción del informe oficial), text/html (página imprimible) o application/pdf " +
                "(A4, con números de página). El parámetro formato (json, texto, html, pdf) manda sobre Accept. Un Accept sin ninguno de " +
                "ellos responde 406. Los textos oficiales van verbatim; los mismos datos dan siempre los mismos bytes. Los informes en curso " +
                "están acotados por dirección (429) y en total (503), como las descargas.")
            .Errores(400, 404, 406, 429);

        return app;
    }
}
