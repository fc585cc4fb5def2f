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
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    [Fact]
    public async Task Ciclo_completo_con_el_cliente_NSwag()
    {
        const string nombre = "NSwag";
        var sujetoAnalista = $"{nombre}-analista";
        var admin = Cliente(servicio.Abierto, Tokens.Crear($"{nombre}-admin", ["administrador"]));
        var analista = Cliente(servicio.Abierto, Tokens.Crear(sujetoAnalista, ["analista"]));

        // The catalog, a programa, its recomendaciones and compromisos.
        var ministerio = await admin.CrearMinisterioAsync(new MinisterioEntrada { Nombre = $"Ministerio de Agricultura ({nombre})" });
        var indap = await admin.CrearServicioAsync(new ServicioEntrada { Nombre = "Instituto de Desarrollo Agropecuario", Sigla = "INDAP", MinisterioId = ministerio.Id });
        var programa = await analista.CrearProgramaAsync(new ProgramaEntrada
        {
            Nombre = "Programa de Desarrollo de Redes Pro Rubro", ServicioId = indap.Id, AnioEvaluacion = 2007, LineaEvaluacion = "EPG",
        });
        Assert.Equal(EstadoPrograma.EnSeguimiento, programa.Estado);

        var rec1 = await analista.CrearRecomendacionAsync(programa.Id, new RecomendacionEntrada { Texto = "Analizar las características mínimas." });
        var rec2 = await analista.CrearRecomendacionAsync(programa.Id, new RecomendacionEntrada { Texto = "Incorporar criterios objetivos." });
        var c11 = await analista.CrearCompromisoAsync(rec1.Id, new CompromisoEntrada { Texto = "Informar el rediseño.", FechaVencimiento = "2009-12" });
        var c12 = await analista.CrearCompromisoAsync(rec1.Id, new CompromisoEntrada { Texto = "Elaborar matriz de marco lógico.", FechaVencimiento = "2009-12" });
        var c21 = await analista.CrearCompromisoAsync(rec2.Id, new CompromisoEntrada { Texto = "Idem.", FechaVencimiento = "2009-12" });
        Assert.Equal(["1.1", "1.2", "2.1"], new[] { c11.Numero, c12.Numero, c21.Numero });

        var vencidos = await analista.ListarCompromisosAsync(limit: null, cursor: null, programaId: programa.Id, servicioId: null, ministerioId: null,
            calificacion: null, vencidos: true, alCorte: new DateOnly(2009, 12, 31), conocidoAl: null, venceDesde: null, venceHasta: null, q: null, formato: null);
        Assert.Equal(3, vencidos.Items!.Count);

        // Evidence: reportes, a title-only medio (RegistrarMedioVerificacion, JSON) and a PDF
        // (RegistrarMedioVerificacionConArchivo, multipart/form-data: titulo, corte, then the file).
        var corte2009 = new DateOnly(2009, 12, 31);
        await analista.RegistrarReporteAsync(c11.Id, new ReporteEntrada { Corte = corte2009, Texto = "Se informó el rediseño." });
        // The 31-12-2011 reporte as a round of the corte (RegistrarReportesDeCorte), as an agency's system sends them.
        var ronda = await analista.RegistrarReportesDeCorteAsync(new DateOnly(2011, 12, 31), new ReportesDeCorteEntrada
        {
            Reportes = [new ReporteDeCorteEntrada { CompromisoId = c12.Id, Texto = "El programa no ha funcionado; no se solicitaron recursos." }],
        });
        Assert.Equal(c12.Id, Assert.Single(ronda.Items!).CompromisoId);
        var documento = await analista.RegistrarMedioVerificacionAsync(c11.Id, new MedioVerificacionEntrada { Titulo = "Documento Marco", Corte = corte2009 });
        Assert.Null(documento.Sha256);
        MedioVerificacion medio;
        using (var archivo = new MemoryStream(Pdf))
            medio = await analista.RegistrarMedioVerificacionConArchivoAsync(c11.Id, titulo: "Minuta explicativa", corte: "2009-12-31", archivo: new FileParameter(archivo, "minuta.pdf", "application/pdf"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), medio.Sha256);
        Assert.Equal("application/pdf", medio.Tipo);
        Assert.Equal("minuta.pdf", medio.NombreArchivo);
        Assert.Equal(Pdf.LongLength, medio.Tamano);
        await DescargaAsync(analista, c11.Id, medio);

        // Calificaciones: egreso is refused while a compromiso is open, with the documented problem.
        // The 31-12-2009 calificaciones in one round of the corte (CalificarCorte), all or nothing.
        var calificadas = await analista.CalificarCorteAsync(corte2009, new CalificacionesDeCorteEntrada
        {
            Calificaciones =
            [
                new CalificacionDeCorteEntrada { CompromisoId = c11.Id, Calificacion = Calificacion.Cumplido },
                new CalificacionDeCorteEntrada { CompromisoId = c21.Id, Calificacion = Calificacion.Cumplido, Observacion = "Idem compromiso 1.1." },
            ],
        });
        Assert.Equal([c11.Id, c21.Id], calificadas.Items!.Select(k => k.CompromisoId));
        var abiertos = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => analista.EgresarProgramaAsync(programa.Id, body: new EgresoEntrada()));
        Assert.Equal(409, abiertos.StatusCode);
        Assert.Equal("urn:compromisos:regla:egreso-con-compromisos-abiertos", abiertos.Result.Type);

        // Cancelado with the servicio's reporte for 31-12-2011 as its reason; then egreso, dated at the last calificación.
        await analista.CalificarCompromisoAsync(c12.Id, new CalificacionEntrada { Calificacion = Calificacion.Cancelado, Fecha = new DateOnly(2011, 12, 31) });
        var antesDelEgreso = DateTimeOffset.Now;
        var egresado = await analista.EgresarProgramaAsync(programa.Id, body: new EgresoEntrada());
        Assert.Equal(EstadoPrograma.Egresado, egresado.Estado);
        Assert.Equal(new DateOnly(2011, 12, 31), egresado.FechaEgreso);

        // The informe, in JSON (ObtenerInforme) and as PDF (ObtenerInformePdf).
        var informe = await analista.ObtenerInformeAsync(programa.Id, null, null, null);
        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", informe.Titulo);
        await InformePdfAsync(analista, programa.Id);

        // The audit trail: one entry per successful write of the analista (14; the refused egreso left none).
        var auditoria = await analista.ListarAuditoriaAsync(200, null, null, null, sujetoAnalista, null, null);
        Assert.Equal(14, auditoria.Items!.Count);
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
        Assert.Equal(2, (await lector.ListarRecomendacionesAsync(programa.Id, null, null)).Items!.Count);
        Assert.Equal(["1.1", "1.2"], (await lector.ListarCompromisosDeRecomendacionAsync(rec1.Id, null, null, null, null)).Items!.Select(c => c.Numero));
        var leido11 = await lector.ObtenerCompromisoAsync(c11.Id, null, null);
        Assert.Equal(Calificacion.Cumplido, leido11.Calificacion);
        // Timeliness: due Diciembre 2009 and Cumplido at 31-12-2009, on time; 1.2 Cancelado has none.
        Assert.Equal<(DateOnly?, bool?, int?)>((new DateOnly(2009, 12, 31), true, 0), (leido11.Oportunidad.CumplidoEn, leido11.Oportunidad.ATiempo, leido11.Oportunidad.MesesDeAtraso));
        Assert.Null((await lector.ObtenerCompromisoAsync(c12.Id, null, null)).Oportunidad.CumplidoEn);
        var oportunidad = Assert.Single((await lector.ObtenerOportunidadAsync(null, null, null, null)).Grupos!, g => g.Id == ministerio.Id);
        Assert.Equal<(int, int, double?, int)>((2, 2, 100.0, 1), (oportunidad.Cumplidos, oportunidad.CumplidosATiempo, oportunidad.PorcentajeATiempo, oportunidad.Cancelados));
        Assert.Equal(Calificacion.Cancelado, Assert.Single((await lector.ListarCalificacionesAsync(c12.Id, null, null)).Items!).Calificacion);
        Assert.Single((await lector.ListarReportesAsync(c12.Id, null, null)).Items!);
        Assert.Equal([documento.Id, medio.Id], (await lector.ListarMediosVerificacionAsync(c11.Id, null, null)).Items!.Select(m => m.Id));
        Assert.Equal(medio.Sha256, (await lector.ObtenerMedioVerificacionAsync(c11.Id, medio.Id)).Sha256);
        await DescargaAsync(lector, c11.Id, medio);
        var informeCerrado = await lector.ObtenerInformeAsync(programa.Id, null, null, null);
        Assert.Equal(3, informeCerrado.Recomendaciones!.Sum(r => r.Compromisos!.Count));
        await InformePdfAsync(lector, programa.Id);

        var auditoriaCerrada = await Cliente(servicio.Cerrado, Tokens.Crear(sujetoAnalista, ["analista"])).ListarAuditoriaAsync(200, null, null, null, sujetoAnalista, null, null);
        Assert.Equal(auditoria.Items.Select(e => e.Id), auditoriaCerrada.Items!.Select(e => e.Id));

        // Without a token the closed host answers 401, documented with its problem.
        var anonimo = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => Cliente(servicio.Cerrado, null).ObtenerProgramaAsync(programa.Id, null, null));
        Assert.Equal(401, anonimo.StatusCode);
    }

    private static ClienteCompromisosNSwag Cliente(Uri host, string? token) => new(ServicioEnLoopback.Http(host, token));

    /// <summary>DescargarMedioVerificacion (the whole file, no Range or conditions): the bytes uploaded, and their SHA-256.</summary>
    private static async Task DescargaAsync(ClienteCompromisosNSwag cliente, int compromisoId, MedioVerificacion medio)
    {
        using var descarga = await cliente.DescargarMedioVerificacionAsync(compromisoId, medio.Id, null, null, null, null);
        Assert.Equal(200, descarga.StatusCode);
        using var bytes = new MemoryStream();
        await descarga.Stream.CopyToAsync(bytes);
        Assert.Equal(Pdf, bytes.ToArray());
        Assert.Equal(medio.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
    }

    /// <summary>ObtenerInformePdf: NSwag returns a FileResponse whose stream is the PDF.</summary>
    private static async Task InformePdfAsync(ClienteCompromisosNSwag cliente, int programaId)
    {
        using var pdf = await cliente.ObtenerInformePdfAsync(programaId, null, null);
        Assert.Equal(200, pdf.StatusCode);
        var inicio = new byte[5];
        await pdf.Stream.ReadExactlyAsync(inicio);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(inicio));
    }
}
