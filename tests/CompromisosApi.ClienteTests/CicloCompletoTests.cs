using System.Globalization;
using CompromisosApi.Cliente;
using CompromisosApi.Cliente.Api.V1.Programas.Item.Informe;
using CompromisosApi.Cliente.Models;
using CompromisosApi.ClienteTests.Infrastructure;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
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
    /// <summary>
    /// What the contract does not let Kiota 1.38.0 do today (issue 15: the contract is being fixed in parallel). The
    /// steps that need it run only in <see cref="Ciclo_completo_con_archivos_PDF"/>, written as closely as today's
    /// generated client allows.
    /// </summary>
    private const string PasosBloqueados =
        "Contract defects: (1) RegistrarMedioVerificacion declares a JSON and a multipart/form-data body in one operation; " +
        "Kiota generates only the JSON one (PostAsync(MedioVerificacionEntrada)), without a word, so no file can be " +
        "uploaded. (2) DescargarMedioVerificacion documents a 304 without content beside its 200/206 files; Kiota then " +
        "generates GetAsync() returning Task (SendNoContentAsync) and the file's bytes are discarded (without the 304 it " +
        "returns Stream). (3) ObtenerInforme answers JSON, text, HTML and PDF from one operation; Kiota warns 'The " +
        "operation describes multiple response schemas that are divergent' and returns an Informe, so the PDF can't be read. " +
        "Fixed when the upload is a multipart-only operation, the PDF informe an operation of its own answering " +
        "application/pdf, and the download's 304 no longer turns it into a no-content call.";

    [Fact]
    public Task Catalogo_programa_compromisos_calificaciones_egreso_e_informe() => CicloAsync("Kiota", conArchivos: false);

    [Fact(Skip = PasosBloqueados)]
    public Task Ciclo_completo_con_archivos_PDF() => CicloAsync("Kiota PDF", conArchivos: true);

    private static ClienteCompromisos Cliente(Uri host, string? token) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: ServicioEnLoopback.Http(host, token)));

    private async Task CicloAsync(string nombre, bool conArchivos)
    {
        var sujetoAnalista = $"{nombre}-analista";
        var admin = Cliente(servicio.Abierto, Tokens.Crear($"{nombre}-admin", ["administrador"]));
        var analista = Cliente(servicio.Abierto, Tokens.Crear(sujetoAnalista, ["analista"]));
        var v1 = analista.Api.V1;

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

        await v1.Compromisos[c11.Id!.Value].Reportes.PostAsync(new ReporteEntrada { Corte = new Date(2009, 12, 31), Texto = "Se informó el rediseño." });
        await v1.Compromisos[c12.Id!.Value].Reportes.PostAsync(new ReporteEntrada { Corte = new Date(2011, 12, 31), Texto = "El programa no ha funcionado; no se solicitaron recursos." });
        // Blocked with a file (PasosBloqueados 1): this JSON call is the only one Kiota generated for the operation.
        var medio = await v1.Compromisos[c11.Id.Value].MediosVerificacion.PostAsync(new MedioVerificacionEntrada { Titulo = "Documento Marco", Corte = new Date(2009, 12, 31) });
        if (conArchivos) Assert.NotNull(medio!.Sha256);
        await v1.Compromisos[c11.Id.Value].Calificaciones.PostAsync(new CalificacionEntrada { Calificacion = Calificacion.Cumplido, Fecha = new Date(2009, 12, 31) });
        await v1.Compromisos[c21.Id!.Value].Calificaciones.PostAsync(new CalificacionEntrada { Calificacion = Calificacion.Cumplido, Fecha = new Date(2009, 12, 31), Observacion = "Idem compromiso 1.1." });

        // A rule broken through the client surfaces as the documented problem, not a crash.
        var abiertos = await Assert.ThrowsAsync<ProblemDetails>(() => v1.Programas[programa.Id.Value].Egreso.PostAsync(new EgresoEntrada()));
        Assert.Equal(409, abiertos.Status);
        Assert.Equal("urn:compromisos:regla:egreso-con-compromisos-abiertos", abiertos.Type);

        await v1.Compromisos[c12.Id.Value].Calificaciones.PostAsync(new CalificacionEntrada { Calificacion = Calificacion.Cancelado, Fecha = new Date(2011, 12, 31) });
        var egresado = await v1.Programas[programa.Id.Value].Egreso.PostAsync(new EgresoEntrada());
        Assert.Equal(EstadoPrograma.Egresado, egresado!.Estado);
        Assert.Equal(new Date(2011, 12, 31), egresado.FechaEgreso);

        var historial = await v1.Compromisos[c12.Id.Value].Calificaciones.GetAsync();
        Assert.Equal(Calificacion.Cancelado, Assert.Single(historial!.Items!).Calificacion);

        var informe = await v1.Programas[programa.Id.Value].Informe.GetAsync();
        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", informe!.Titulo);
        Assert.Equal(2, informe.Recomendaciones!.Count);
        Assert.Equal(3, informe.Recomendaciones.Sum(r => r.Compromisos!.Count));
        // Blocked (PasosBloqueados 3): with formato=pdf the generated method still parses an Informe.
        if (conArchivos) await v1.Programas[programa.Id.Value].Informe.GetAsync(c => c.QueryParameters.Formato = GetFormatoQueryParameterType.Pdf);

        // The audit trail: one entry per successful write of the analista (13; the refused egreso left none).
        var auditoria = await v1.Auditoria.GetAsync(c => { c.QueryParameters.Actor = sujetoAnalista; c.QueryParameters.Limit = 200; });
        Assert.Equal(13, auditoria!.Items!.Count);
        Assert.Contains(auditoria.Items, e => e.Operacion == "EgresarPrograma" && e.EntidadId == programa.Id.Value.ToString(CultureInfo.InvariantCulture));

        // Everything again where reads need a token (Autorizacion:LecturaPublica=false): a reader with no role at all.
        var lector = Cliente(servicio.Cerrado, Tokens.Crear($"{nombre}-lector", [])).Api.V1;
        Assert.Equal(ministerio.Nombre, (await lector.Ministerios[ministerio.Id!.Value].GetAsync())!.Nombre);
        Assert.Equal("INDAP", (await lector.Servicios[servicioIndap.Id!.Value].GetAsync())!.Sigla);
        Assert.Equal(EstadoPrograma.Egresado, (await lector.Programas[programa.Id.Value].GetAsync())!.Estado);
        Assert.Equal(2, (await lector.Programas[programa.Id.Value].Recomendaciones.GetAsync())!.Items!.Count);
        Assert.Equal(["1.1", "1.2"], (await lector.Recomendaciones[rec1.Id.Value].Compromisos.GetAsync())!.Items!.Select(c => c.Numero));
        Assert.Equal(Calificacion.Cumplido, (await lector.Compromisos[c11.Id.Value].GetAsync())!.Calificacion);
        Assert.Equal(Calificacion.Cancelado, Assert.Single((await lector.Compromisos[c12.Id.Value].Calificaciones.GetAsync())!.Items!).Calificacion);
        Assert.Single((await lector.Compromisos[c12.Id.Value].Reportes.GetAsync())!.Items!);
        Assert.Equal(medio!.Id, Assert.Single((await lector.Compromisos[c11.Id.Value].MediosVerificacion.GetAsync())!.Items!).Id);
        Assert.Equal(medio.Titulo, (await lector.Compromisos[c11.Id.Value].MediosVerificacion[medio.Id!.Value].GetAsync())!.Titulo);
        Assert.Equal(3, (await lector.Programas[programa.Id.Value].Informe.GetAsync())!.Recomendaciones!.Sum(r => r.Compromisos!.Count));
        // Blocked (PasosBloqueados 2): the generated download returns nothing, whatever the file.
        if (conArchivos) await lector.Compromisos[c11.Id.Value].MediosVerificacion[medio.Id.Value].Contenido.GetAsync();

        var auditoriaCerrada = await Cliente(servicio.Cerrado, Tokens.Crear(sujetoAnalista, ["analista"])).Api.V1.Auditoria
            .GetAsync(c => { c.QueryParameters.Actor = sujetoAnalista; c.QueryParameters.Limit = 200; });
        Assert.Equal(auditoria.Items.Select(e => e.Id), auditoriaCerrada!.Items!.Select(e => e.Id));

        // Without a token the closed host answers 401. Reads don't document it, so Kiota has no problem type to map it to.
        var anonimo = await Assert.ThrowsAsync<ApiException>(() => Cliente(servicio.Cerrado, null).Api.V1.Programas[programa.Id.Value].GetAsync());
        Assert.Equal(401, anonimo.ResponseStatusCode);
    }
}
