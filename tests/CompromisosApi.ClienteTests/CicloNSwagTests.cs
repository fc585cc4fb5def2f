using System.Security.Cryptography;
using System.Text;
using CompromisosApi.ClienteNSwag;
using CompromisosApi.ClienteTests.Infrastructure;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.ClienteTests;

/// <summary>
/// An integrating .NET system that prefers NSwag: the client NSwag generates from api-spec/openapi.json at build time
/// (see the csproj) drives a whole lifecycle against the service on a loopback port, and then reads it all back from a
/// host where reads need a token (Autorizacion:LecturaPublica=false). Only the generated client talks to the service.
/// </summary>
[Collection(nameof(ClientesGenerados))]
public sealed class CicloNSwagTests(ServicioEnLoopback servicio)
{
    /// <summary>
    /// What the contract does not let NSwag 14.7.1 do today (issue 15: the contract is being fixed in parallel). The
    /// steps that need it run only in <see cref="Ciclo_completo_con_archivos_PDF"/>, written as they should work.
    /// </summary>
    private const string PasosBloqueados =
        "Contract defects: (1) RegistrarMedioVerificacion declares a JSON and a multipart/form-data body in one operation; " +
        "NSwag generates one method that takes both (body, titulo, corte, archivo) and sends only the JSON body, so no " +
        "file is ever uploaded (the medio comes back without sha256) and its download answers 404. (2) ObtenerInforme " +
        "answers JSON, text, HTML and PDF from one operation; NSwag types the answer as Informe and, with formato=pdf, " +
        "throws ApiException 'Could not deserialize the response body stream as Informe.'. Fixed when the upload is a " +
        "multipart-only operation and the PDF informe an operation of its own answering application/pdf.";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    [Fact]
    public Task Ciclo_completo_con_el_cliente_NSwag() => CicloAsync("NSwag", conArchivos: false);

    [Fact(Skip = PasosBloqueados)]
    public Task Ciclo_completo_con_archivos_PDF() => CicloAsync("NSwag PDF", conArchivos: true);

    private static ClienteCompromisosNSwag Cliente(Uri host, string? token) => new(ServicioEnLoopback.Http(host, token));

    private async Task CicloAsync(string nombre, bool conArchivos)
    {
        var sujetoAnalista = $"{nombre}-analista";
        var admin = Cliente(servicio.Abierto, Tokens.Crear($"{nombre}-admin", ["administrador"]));
        var analista = Cliente(servicio.Abierto, Tokens.Crear(sujetoAnalista, ["analista"]));

        // The catalog, a programa, its recomendaciones and compromisos.
        var ministerio = await admin.CrearMinisterioAsync(null, new MinisterioEntrada { Nombre = $"Ministerio de Agricultura ({nombre})" });
        var indap = await admin.CrearServicioAsync(null, new ServicioEntrada { Nombre = "Instituto de Desarrollo Agropecuario", Sigla = "INDAP", MinisterioId = ministerio.Id });
        var programa = await analista.CrearProgramaAsync(null, new ProgramaEntrada
        {
            Nombre = "Programa de Desarrollo de Redes Pro Rubro", ServicioId = indap.Id, AnioEvaluacion = 2007, LineaEvaluacion = "EPG",
        });
        Assert.Equal(EstadoPrograma.EnSeguimiento, programa.Estado);

        var rec1 = await analista.CrearRecomendacionAsync(programa.Id, null, new RecomendacionEntrada { Texto = "Analizar las características mínimas." });
        var rec2 = await analista.CrearRecomendacionAsync(programa.Id, null, new RecomendacionEntrada { Texto = "Incorporar criterios objetivos." });
        var c11 = await analista.CrearCompromisoAsync(rec1.Id, null, new CompromisoEntrada { Texto = "Informar el rediseño.", FechaVencimiento = "2009-12" });
        var c12 = await analista.CrearCompromisoAsync(rec1.Id, null, new CompromisoEntrada { Texto = "Elaborar matriz de marco lógico.", FechaVencimiento = "2009-12" });
        var c21 = await analista.CrearCompromisoAsync(rec2.Id, null, new CompromisoEntrada { Texto = "Idem.", FechaVencimiento = "2009-12" });
        Assert.Equal(["1.1", "1.2", "2.1"], new[] { c11.Numero, c12.Numero, c21.Numero });

        var vencidos = await analista.ListarCompromisosAsync(null, null, programa.Id, null, null, null, true, new DateOnly(2009, 12, 31), null, null, null, null, null);
        Assert.Equal(3, vencidos.Items.Count);

        // Evidence: a reporte and a medio de verificación.
        await analista.RegistrarReporteAsync(c11.Id, null, new ReporteEntrada { Corte = new DateOnly(2009, 12, 31), Texto = "Se informó el rediseño." });
        await analista.RegistrarReporteAsync(c12.Id, null, new ReporteEntrada { Corte = new DateOnly(2011, 12, 31), Texto = "El programa no ha funcionado; no se solicitaron recursos." });
        var corte2009 = new DateOnly(2009, 12, 31);
        MedioVerificacion medio;
        if (conArchivos)
        {
            // Blocked (PasosBloqueados 1): the generated method also demands the JSON body, and sends only that.
            // Once the upload is an operation of its own, this is its call, with titulo, corte and the file.
            using var archivo = new MemoryStream(Pdf);
            medio = await analista.RegistrarMedioVerificacionAsync(c11.Id, null, new MedioVerificacionEntrada { Titulo = "Minuta explicativa", Corte = corte2009 },
                "Minuta explicativa", corte2009, new FileParameter(archivo, "minuta.pdf", "application/pdf"));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), medio.Sha256);
            Assert.Equal("application/pdf", medio.Tipo);
        }
        else
        {
            // A title-only medio (JSON) is what this generated method can send; the multipart parameters go unused.
            medio = await analista.RegistrarMedioVerificacionAsync(c11.Id, null, new MedioVerificacionEntrada { Titulo = "Documento Marco", Corte = corte2009 }, null, null, null!);
            Assert.Null(medio.Sha256);
        }

        // Calificaciones: egreso is refused while a compromiso is open, with the documented problem.
        await analista.CalificarCompromisoAsync(c11.Id, null, null, new CalificacionEntrada { Calificacion = Calificacion.Cumplido, Fecha = corte2009 });
        await analista.CalificarCompromisoAsync(c21.Id, null, null, new CalificacionEntrada { Calificacion = Calificacion.Cumplido, Fecha = corte2009, Observacion = "Idem compromiso 1.1." });
        var abiertos = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => analista.EgresarProgramaAsync(programa.Id, null, null, new EgresoEntrada()));
        Assert.Equal(409, abiertos.StatusCode);
        Assert.Equal("urn:compromisos:regla:egreso-con-compromisos-abiertos", abiertos.Result.Type);

        // Cancelado with the servicio's reporte for 31-12-2011 as its reason; then egreso, dated at the last calificación.
        await analista.CalificarCompromisoAsync(c12.Id, null, null, new CalificacionEntrada { Calificacion = Calificacion.Cancelado, Fecha = new DateOnly(2011, 12, 31) });
        var antesDelEgreso = DateTimeOffset.Now;
        var egresado = await analista.EgresarProgramaAsync(programa.Id, null, null, new EgresoEntrada());
        Assert.Equal(EstadoPrograma.Egresado, egresado.Estado);
        Assert.Equal(new DateOnly(2011, 12, 31), egresado.FechaEgreso);

        var informe = await analista.ObtenerInformeAsync(programa.Id, null, null, null);
        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", informe.Titulo);
        if (conArchivos) await InformePdfAsync(analista, programa.Id);

        // The audit trail: one entry per successful write of the analista (13; the refused egreso left none).
        var auditoria = await analista.ListarAuditoriaAsync(200, null, null, null, sujetoAnalista, null, null);
        Assert.Equal(13, auditoria.Items.Count);
        Assert.All(auditoria.Items, e => Assert.Equal(sujetoAnalista, e.ActorSujeto));
        Assert.Contains(auditoria.Items, e => e.Operacion == "EgresarPrograma" && e.EntidadId == programa.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Everything again where reads need a token (Autorizacion:LecturaPublica=false): a reader with no role at all.
        var lector = Cliente(servicio.Cerrado, Tokens.Crear($"{nombre}-lector", []));
        Assert.Equal(ministerio.Nombre, (await lector.ObtenerMinisterioAsync(ministerio.Id)).Nombre);
        Assert.Equal("INDAP", (await lector.ObtenerServicioAsync(indap.Id)).Sigla);
        var leido = await lector.ObtenerProgramaAsync(programa.Id, null, null);
        Assert.Equal(EstadoPrograma.Egresado, leido.Estado);
        // As known before the egreso: conocidoAl is an instant with its offset (ParameterDateTimeFormat o, see the csproj).
        Assert.Equal(EstadoPrograma.EnSeguimiento, (await lector.ObtenerProgramaAsync(programa.Id, null, antesDelEgreso)).Estado);
        Assert.Equal(2, (await lector.ListarRecomendacionesAsync(programa.Id, null, null)).Items.Count);
        Assert.Equal(["1.1", "1.2"], (await lector.ListarCompromisosDeRecomendacionAsync(rec1.Id, null, null, null, null)).Items.Select(c => c.Numero));
        Assert.Equal(Calificacion.Cumplido, (await lector.ObtenerCompromisoAsync(c11.Id, null, null)).Calificacion);
        Assert.Equal(Calificacion.Cancelado, Assert.Single((await lector.ListarCalificacionesAsync(c12.Id, null, null)).Items).Calificacion);
        Assert.Single((await lector.ListarReportesAsync(c12.Id, null, null)).Items);
        Assert.Equal(medio.Id, Assert.Single((await lector.ListarMediosVerificacionAsync(c11.Id, null, null)).Items).Id);
        Assert.Equal(medio.Titulo, (await lector.ObtenerMedioVerificacionAsync(c11.Id, medio.Id)).Titulo);
        var informeCerrado = await lector.ObtenerInformeAsync(programa.Id, null, null, null);
        Assert.Equal(3, informeCerrado.Recomendaciones.Sum(r => r.Compromisos.Count));
        if (conArchivos)
        {
            // Blocked (PasosBloqueados 1): there is no file to download until the upload sends one.
            using var descarga = await lector.DescargarMedioVerificacionAsync(c11.Id, medio.Id, null);
            using var bytes = new MemoryStream();
            await descarga.Stream.CopyToAsync(bytes);
            Assert.Equal(Pdf, bytes.ToArray());
            await InformePdfAsync(lector, programa.Id);
        }

        var auditoriaCerrada = await Cliente(servicio.Cerrado, Tokens.Crear(sujetoAnalista, ["analista"])).ListarAuditoriaAsync(200, null, null, null, sujetoAnalista, null, null);
        Assert.Equal(auditoria.Items.Select(e => e.Id), auditoriaCerrada.Items.Select(e => e.Id));

        // Without a token the closed host answers 401. Reads don't document it, so NSwag raises its generic ApiException
        // ("The HTTP status code of the response was not expected") rather than one carrying the problem.
        var anonimo = await Assert.ThrowsAnyAsync<ApiException>(() => Cliente(servicio.Cerrado, null).ObtenerProgramaAsync(programa.Id, null, null));
        Assert.Equal(401, anonimo.StatusCode);
    }

    /// <summary>
    /// Blocked (PasosBloqueados 2): the informe as PDF. Today's generated method can only return an Informe and throws
    /// on the PDF's bytes; once the PDF has an operation of its own, NSwag returns a FileResponse: its stream must start
    /// with %PDF-.
    /// </summary>
    private static async Task InformePdfAsync(ClienteCompromisosNSwag cliente, int programaId)
    {
        var informe = await cliente.ObtenerInformeAsync(programaId, Formato2.Pdf, null, null);
        Assert.NotNull(informe);
    }
}
