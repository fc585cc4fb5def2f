using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CompromisosApi.Cliente;
using CompromisosApi.Cliente.Api.V1.Compromisos.Item.MediosVerificacion.Item.Contenido;
using CompromisosApi.Cliente.Models;
using CompromisosApi.ClienteTests.Infrastructure;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CompromisosApi.ClienteTests;

/// <summary>
/// An integrating system's view: the client Kiota generates from api-spec/openapi.json drives a whole lifecycle
/// against the running service (on a loopback port), then reads it all back from a host where reads need a token
/// (Autorizacion:LecturaPublica=false). A contract that lies (a wrong schema, a missing status, a renamed operation)
/// breaks it. Only the generated client talks to the service.
/// </summary>
[Collection(nameof(ClientesGenerados))]
public sealed class CicloCompletoTests(ServicioEnLoopback servicio)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    [Fact]
    public Task Ciclo_completo_con_un_PDF() => CicloAsync("Kiota");

    private static HttpClientRequestAdapter Adaptador(Uri host, string? token) =>
        new(new AnonymousAuthenticationProvider(), httpClient: ServicioEnLoopback.Http(host, token));

    private static ClienteCompromisos Cliente(Uri host, string? token) => new(Adaptador(host, token));

    private async Task CicloAsync(string nombre)
    {
        var sujetoAnalista = $"{nombre}-analista";
        var admin = Cliente(servicio.Abierto, Tokens.Crear($"{nombre}-admin", ["administrador"]));
        var adaptadorAnalista = Adaptador(servicio.Abierto, Tokens.Crear(sujetoAnalista, ["analista"]));
        var analista = new ClienteCompromisos(adaptadorAnalista);
        var v1 = analista.Api.V1;

        // The catalog, a programa, its recomendaciones and compromisos.
        var ministerio = await admin.Api.V1.Ministerios.PostAsync(new MinisterioEntrada { Nombre = $"Ministerio de Agricultura ({nombre})" });
        var servicioIndap = await admin.Api.V1.Servicios.PostAsync(new ServicioEntrada { Nombre = "Instituto de Desarrollo Agropecuario", Sigla = "INDAP", MinisterioId = ministerio!.Id });
        var programa = await v1.Programas.PostAsync(new ProgramaEntrada
        {
            Nombre = "Programa de Desarrollo de Redes Pro Rubro", ServicioId = servicioIndap!.Id, AnioEvaluacion = 2007, LineaEvaluacion = "EPG",
        });
        Assert.Equal(EstadoPrograma.EnSeguimiento, programa!.Estado);

        var rec1 = await v1.Programas[programa.Id!.Value].Recomendaciones.PostAsync(new RecomendacionEntrada { Texto = "Analizar las características mínimas." });
        var rec2 = await v1.Programas[programa.Id.Value].Recomendaciones.PostAsync(new RecomendacionEntrada { Texto = "Incorporar criterios objetivos." });
        var c11 = await v1.Recomendaciones[rec1!.Id!.Value].Compromisos.PostAsync(new CompromisoEntrada { Texto = "Informar el rediseño.", FechaVencimiento = "2009-12" });
        var c12 = await v1.Recomendaciones[rec1.Id.Value].Compromisos.PostAsync(new CompromisoEntrada { Texto = "Elaborar matriz de marco lógico.", FechaVencimiento = "2009-12" });
        var c21 = await v1.Recomendaciones[rec2!.Id!.Value].Compromisos.PostAsync(new CompromisoEntrada { Texto = "Idem.", FechaVencimiento = "2009-12" });
        Assert.Equal(new[] { "1.1", "1.2", "2.1" }, new[] { c11!.Numero!, c12!.Numero!, c21!.Numero! });

        var pagina = await v1.Compromisos.GetAsync(c => { c.QueryParameters.ProgramaId = programa.Id; c.QueryParameters.Vencidos = true; c.QueryParameters.AlCorte = new Date(2009, 12, 31); });
        Assert.Equal(3, pagina!.Items!.Count);

        // Evidence: reportes, a title-only medio (RegistrarMedioVerificacion, JSON) and a PDF
        // (RegistrarMedioVerificacionConArchivo, multipart/form-data: titulo, corte, then the file).
        await v1.Compromisos[c11.Id!.Value].Reportes.PostAsync(new ReporteEntrada { Corte = new Date(2009, 12, 31), Texto = "Se informó el rediseño." });
        // The 31-12-2011 reporte as a round of the corte (RegistrarReportesDeCorte), as an agency's system sends them.
        var ronda = await v1.Cortes[new Date(2011, 12, 31)].Reportes.PostAsync(new ReportesDeCorteEntrada
        {
            Reportes = [new ReporteDeCorteEntrada { CompromisoId = c12.Id!.Value, Texto = "El programa no ha funcionado; no se solicitaron recursos." }],
        });
        Assert.Equal(c12.Id, Assert.Single(ronda!.Items!).CompromisoId);
        var documento = await v1.Compromisos[c11.Id.Value].MediosVerificacion.PostAsync(new MedioVerificacionEntrada { Titulo = "Documento Marco", Corte = new Date(2009, 12, 31) });
        Assert.Null(documento!.Sha256);
        var formulario = new MultipartBody();
        formulario.AddOrReplacePart("titulo", "text/plain", "Minuta explicativa");
        formulario.AddOrReplacePart("corte", "text/plain", "2009-12-31");
        formulario.AddOrReplacePart("archivo", "application/pdf", new MemoryStream(Pdf), "minuta.pdf");
        var medio = await v1.Compromisos[c11.Id.Value].MediosVerificacion.ConArchivo.PostAsync(formulario);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), medio!.Sha256);
        Assert.Equal("application/pdf", medio.Tipo);
        Assert.Equal("minuta.pdf", medio.NombreArchivo);
        Assert.Equal(Pdf.LongLength, medio.Tamano);
        Assert.Equal(Pdf, await DescargarAsync(v1.Compromisos[c11.Id.Value].MediosVerificacion[medio.Id!.Value].Contenido, adaptadorAnalista));

        // Calificaciones: egreso is refused while a compromiso is open, with the documented problem.
        // The 31-12-2009 calificaciones in one round of the corte (CalificarCorte), all or nothing.
        var calificadas = await v1.Cortes[new Date(2009, 12, 31)].Calificaciones.PostAsync(new CalificacionesDeCorteEntrada
        {
            Calificaciones =
            [
                new CalificacionDeCorteEntrada { CompromisoId = c11.Id.Value, Calificacion = Calificacion.Cumplido },
                new CalificacionDeCorteEntrada { CompromisoId = c21.Id!.Value, Calificacion = Calificacion.Cumplido, Observacion = "Idem compromiso 1.1." },
            ],
        });
        Assert.Equal([c11.Id, c21.Id], calificadas!.Items!.Select(k => k.CompromisoId));
        var abiertos = await Assert.ThrowsAsync<ProblemDetails>(() => v1.Programas[programa.Id.Value].Egreso.PostAsync(new EgresoEntrada()));
        Assert.Equal(409, abiertos.Status);
        Assert.Equal("urn:compromisos:regla:egreso-con-compromisos-abiertos", abiertos.Type);

        // Cancelado with the servicio's reporte for 31-12-2011 as its reason; then egreso, dated at the last calificación.
        await v1.Compromisos[c12.Id.Value].Calificaciones.PostAsync(new CalificacionEntrada { Calificacion = Calificacion.Cancelado, Fecha = new Date(2011, 12, 31) });
        var egresado = await v1.Programas[programa.Id.Value].Egreso.PostAsync(new EgresoEntrada());
        Assert.Equal(EstadoPrograma.Egresado, egresado!.Estado);
        Assert.Equal(new Date(2011, 12, 31), egresado.FechaEgreso);

        var historial = await v1.Compromisos[c12.Id.Value].Calificaciones.GetAsync();
        Assert.Equal(Calificacion.Cancelado, Assert.Single(historial!.Items!).Calificacion);

        // The informe, in JSON (ObtenerInforme) and as PDF (ObtenerInformePdf).
        var informe = await v1.Programas[programa.Id.Value].Informe.GetAsync();
        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", informe!.Titulo);
        Assert.Equal(2, informe.Recomendaciones!.Count);
        Assert.Equal(3, informe.Recomendaciones.Sum(r => r.Compromisos!.Count));
        await InformePdfAsync(analista, programa.Id.Value);

        // The audit trail: one entry per successful write of the analista (14; the refused egreso left none).
        var auditoria = await v1.Auditoria.GetAsync(c => { c.QueryParameters.Actor = sujetoAnalista; c.QueryParameters.Limit = 200; });
        Assert.Equal(14, auditoria!.Items!.Count);
        Assert.All(auditoria.Items, e => Assert.Equal(sujetoAnalista, e.ActorSujeto));
        Assert.Contains(auditoria.Items, e => e.Operacion == "EgresarPrograma" && e.EntidadId == programa.Id.Value.ToString(CultureInfo.InvariantCulture));

        // Everything again where reads need a token (Autorizacion:LecturaPublica=false): a reader with no role at all.
        var adaptadorLector = Adaptador(servicio.Cerrado, Tokens.Crear($"{nombre}-lector", []));
        var cerrado = new ClienteCompromisos(adaptadorLector);
        var lector = cerrado.Api.V1;
        Assert.Equal(ministerio.Nombre, (await lector.Ministerios[ministerio.Id!.Value].GetAsync())!.Nombre);
        Assert.Equal("INDAP", (await lector.Servicios[servicioIndap.Id!.Value].GetAsync())!.Sigla);
        Assert.Equal(EstadoPrograma.Egresado, (await lector.Programas[programa.Id.Value].GetAsync())!.Estado);
        Assert.Equal(2, (await lector.Programas[programa.Id.Value].Recomendaciones.GetAsync())!.Items!.Count);
        Assert.Equal(["1.1", "1.2"], (await lector.Recomendaciones[rec1.Id.Value].Compromisos.GetAsync())!.Items!.Select(c => c.Numero));
        var leido11 = (await lector.Compromisos[c11.Id.Value].GetAsync())!;
        Assert.Equal(Calificacion.Cumplido, leido11.Calificacion);
        // Timeliness: due Diciembre 2009 and Cumplido at 31-12-2009, on time; 1.2 Cancelado has none.
        Assert.Equal<(Date?, bool?, int?)>((new Date(2009, 12, 31), true, 0), (leido11.Oportunidad!.CumplidoEn, leido11.Oportunidad.ATiempo, leido11.Oportunidad.MesesDeAtraso));
        Assert.Null((await lector.Compromisos[c12.Id.Value].GetAsync())!.Oportunidad!.CumplidoEn);
        Assert.Equal(Calificacion.Cancelado, Assert.Single((await lector.Compromisos[c12.Id.Value].Calificaciones.GetAsync())!.Items!).Calificacion);
        Assert.Single((await lector.Compromisos[c12.Id.Value].Reportes.GetAsync())!.Items!);
        Assert.Equal([documento.Id, medio.Id], (await lector.Compromisos[c11.Id.Value].MediosVerificacion.GetAsync())!.Items!.Select(m => m.Id));
        Assert.Equal(medio.Sha256, (await lector.Compromisos[c11.Id.Value].MediosVerificacion[medio.Id!.Value].GetAsync())!.Sha256);
        Assert.Equal(Pdf, await DescargarAsync(lector.Compromisos[c11.Id.Value].MediosVerificacion[medio.Id.Value].Contenido, adaptadorLector));
        Assert.Equal(3, (await lector.Programas[programa.Id.Value].Informe.GetAsync())!.Recomendaciones!.Sum(r => r.Compromisos!.Count));
        await InformePdfAsync(cerrado, programa.Id.Value);

        var auditoriaCerrada = await Cliente(servicio.Cerrado, Tokens.Crear(sujetoAnalista, ["analista"])).Api.V1.Auditoria
            .GetAsync(c => { c.QueryParameters.Actor = sujetoAnalista; c.QueryParameters.Limit = 200; });
        Assert.Equal(auditoria.Items.Select(e => e.Id), auditoriaCerrada!.Items!.Select(e => e.Id));

        // Without a token the closed host answers 401, documented with its problem.
        var anonimo = await Assert.ThrowsAsync<ProblemDetails>(() => Cliente(servicio.Cerrado, null).Api.V1.Programas[programa.Id.Value].GetAsync());
        Assert.Equal(401, anonimo.ResponseStatusCode);
    }

    /// <summary>ObtenerInformePdf: the generated method returns the PDF's bytes as a stream.</summary>
    private static async Task InformePdfAsync(ClienteCompromisos cliente, int programaId)
    {
        await using var pdf = await cliente.Api.V1.Programas[programaId].Informe.Pdf.GetAsync();
        Assert.NotNull(pdf);
        var inicio = new byte[5];
        await pdf.ReadExactlyAsync(inicio);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(inicio));
    }

    /// <summary>
    /// DescargarMedioVerificacion through the generated request. Kiota 1.38.0 types the generated <c>GetAsync</c> of this
    /// operation <c>Task</c>: its 200 and 206 carry file types (none of Kiota's structured types), and then any
    /// documented 304 makes Kiota choose no content (KiotaBuilder.GetExecutorMethodDefaultReturnType). No OpenAPI 3.0
    /// shape that keeps the 304 avoids it for both generators ("3XX" gives Kiota a Stream and NSwag a
    /// <c>status_ == 3XX</c> that does not compile), so the client sends the generated request
    /// (<c>ToGetRequestInformation</c>: the URL, the path parameters, Accept with the file types) the way Kiota's
    /// generated methods send a binary answer, <c>SendPrimitiveAsync&lt;Stream&gt;</c>, with the generated problem for
    /// its errors.
    /// </summary>
    private static async Task<byte[]> DescargarAsync(ContenidoRequestBuilder contenido, IRequestAdapter adaptador)
    {
        var errores = new Dictionary<string, ParsableFactory<IParsable>>
        {
            ["4XX"] = ProblemDetails.CreateFromDiscriminatorValue,
            ["5XX"] = ProblemDetails.CreateFromDiscriminatorValue,
        };
        await using var archivo = await adaptador.SendPrimitiveAsync<Stream>(contenido.ToGetRequestInformation(), errores);
        Assert.NotNull(archivo);
        using var bytes = new MemoryStream();
        await archivo.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
