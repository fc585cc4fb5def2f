using System.Net;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CompromisosApi.IntegrationTests;

public sealed class SaludTests(ApiFactory factory) : PruebaApi(factory)
{
    [Fact]
    public async Task Vivo_y_listo_con_la_base_de_datos()
    {
        Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Sin_base_de_datos_no_esta_listo_y_responde_503_con_Retry_After()
    {
        // Port 1 on loopback refuses at once: the database is "down".
        using var sinBase = Factory.WithWebHostBuilder(b => b
            .UseSetting("ConnectionStrings:Compromisos", "Host=127.0.0.1;Port=1;Username=postgres;Database=compromisos;Timeout=2")
            .UseSetting("Database:ApplyMigrations", "false"));
        using var cliente = sinBase.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await cliente.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await cliente.GetAsync("/health/ready")).StatusCode);
        var r = await cliente.GetAsync("/api/v1/programas");
        await Problemas.AfirmarAsync(r, HttpStatusCode.ServiceUnavailable, "urn:compromisos:base-de-datos-no-disponible");
        Assert.NotNull(r.Headers.RetryAfter);
    }
}
