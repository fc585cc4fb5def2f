using CompromisosApi.Cliente;
using CompromisosApi.Cliente.Models;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CompromisosApi.ClienteTests;

/// <summary>
/// An integrating system's view: the client Kiota generates from api-spec/openapi.json drives a whole lifecycle
/// against the running service. A contract that lies (a wrong schema, a missing status, a renamed operation) breaks it.
/// </summary>
public sealed class CicloCompletoTests : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private WebApplicationFactory<Program>? _servicio;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _servicio = new WebApplicationFactory<Program>().WithWebHostBuilder(b => _postgres.Configurar(b)
            .UseEnvironment("Testing")
            .UseSetting("Authentication:Schemes:Bearer:ValidIssuer", Tokens.Emisor)
            .UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", Tokens.Audiencia)
            .UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Tokens.Emisor)
            .UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", Convert.ToBase64String(Tokens.Clave)));
    }

    public async Task DisposeAsync()
    {
        if (_servicio is not null) await _servicio.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    private ClienteCompromisos Cliente(params string[] roles)
    {
        var http = _servicio!.CreateClient().Autenticar(Tokens.Crear("sistema-integrado", roles));
        return new ClienteCompromisos(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http));
    }

    [Fact]
    public async Task Catalogo_programa_compromisos_calificaciones_egreso_e_informe()
    {
        var admin = Cliente("administrador");
        var analista = Cliente("analista");
        var v1 = analista.Api.V1;

        var ministerio = await admin.Api.V1.Ministerios.PostAsync(new MinisterioEntrada { Nombre = "Ministerio de Agricultura" });
        var servicio = await admin.Api.V1.Servicios.PostAsync(new ServicioEntrada { Nombre = "Instituto de Desarrollo Agropecuario", Sigla = "INDAP", MinisterioId = ministerio!.Id });
        var programa = await v1.Programas.PostAsync(new ProgramaEntrada
        {
            Nombre = "Programa de Desarrollo de Redes Pro Rubro", ServicioId = servicio!.Id, AnioEvaluacion = 2007, LineaEvaluacion = "EPG",
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

        await v1.Compromisos[c12.Id!.Value].Reportes.PostAsync(new ReporteEntrada { Corte = new Date(2011, 12, 31), Texto = "El programa no ha funcionado; no se solicitaron recursos." });
        await v1.Compromisos[c11.Id!.Value].MediosVerificacion.PostAsync(new MedioVerificacionEntrada { Titulo = "Documento Marco", Corte = new Date(2009, 12, 31) });
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
    }
}
