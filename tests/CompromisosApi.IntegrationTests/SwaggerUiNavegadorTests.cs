using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Administrators work in Swagger UI: in a real browser (Debian's Chromium, driven through chromedriver) the page
/// loads, lists every tag of the contract, takes a bearer token in Authorize, and "Try it out" on a GET answers 200.
/// Alone (<see cref="ColeccionAislada"/>): a browser on two cores shared with other tests would run into its waits.
/// </summary>
[Collection(nameof(ColeccionAislada))]
public sealed class SwaggerUiNavegadorTests(ApiFactory factory) : PruebaApi(factory)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Chromedriver = "/usr/bin/chromedriver";

    [SkippableFact]
    public async Task Swagger_UI_carga_lista_los_tags_autoriza_y_prueba_un_GET()
    {
        Skip.IfNot(File.Exists(Chromium) && File.Exists(Chromedriver), "Sin chromium/chromium-driver (scripts/test.sh los instala).");
        var tags = JsonNode.Parse(await Cliente.GetStringAsync("/swagger/v1/swagger.json"))!["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().SelectMany(m => m.Value!["tags"]!.AsArray().Select(t => (string)t!)))
            .Distinct().Order().ToList();

        // A real port: the browser can't reach the in-memory test server.
        using var servidor = Factory.WithWebHostBuilder(b => b.UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "100000"));
        servidor.UseKestrel(0);
        servidor.StartServer();
        var direccion = servidor.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");

        var perfil = Directory.CreateTempSubdirectory("chromium-");
        var opciones = new ChromeOptions { BinaryLocation = Chromium };
        opciones.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,2000", $"--user-data-dir={perfil.FullName}");
        using var servicio = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Chromedriver)!, Path.GetFileName(Chromedriver));
        using var navegador = new ChromeDriver(servicio, opciones, TimeSpan.FromSeconds(60));
        try
        {
            var espera = new WebDriverWait(navegador, TimeSpan.FromSeconds(30));
            navegador.Navigate().GoToUrl($"{direccion}/swagger/index.html");

            espera.Until(d => d.FindElements(By.CssSelector(".opblock-tag")).Count == tags.Count);
            var mostrados = navegador.FindElements(By.CssSelector(".opblock-tag")).Select(e => e.GetAttribute("data-tag") ?? "").Order().ToList();
            Assert.Equal(tags, mostrados);

            navegador.FindElement(By.CssSelector(".auth-wrapper button.authorize")).Click();
            var campo = espera.Until(d => d.FindElements(By.CssSelector(".auth-container input")).FirstOrDefault());
            campo!.SendKeys(Tokens.Crear("admin-ui", ["administrador"]));
            navegador.FindElement(By.CssSelector(".auth-btn-wrapper button.authorize")).Click();
            espera.Until(d => d.FindElements(By.CssSelector(".auth-btn-wrapper button.btn-done")).Count > 0);
            navegador.FindElement(By.CssSelector(".auth-btn-wrapper button.btn-done")).Click();
            // Authorize took the token: the button and the padlocks of the protected operations show it.
            Assert.NotEmpty(navegador.FindElements(By.CssSelector(".auth-wrapper button.authorize.locked")));

            var operacion = navegador.FindElements(By.CssSelector(".opblock-get"))
                .First(e => e.FindElement(By.CssSelector(".opblock-summary-path")).GetAttribute("data-path") == "/api/v1/lineas-evaluacion");
            operacion.FindElement(By.CssSelector(".opblock-summary-control")).Click();
            espera.Until(_ => operacion.FindElements(By.CssSelector("button.try-out__btn")).Count > 0);
            operacion.FindElement(By.CssSelector("button.try-out__btn")).Click();
            espera.Until(_ => operacion.FindElements(By.CssSelector("button.execute")).Count > 0);
            operacion.FindElement(By.CssSelector("button.execute")).Click();
            var estado = espera.Until(_ => operacion.FindElements(By.CssSelector(".live-responses-table tbody .response-col_status")).FirstOrDefault(e => e.Text.Length > 0));
            Assert.StartsWith("200", estado!.Text.Trim());
            Assert.Contains("EPG", operacion.FindElement(By.CssSelector(".live-responses-table .microlight")).Text);
        }
        finally
        {
            navegador.Quit();
            perfil.Delete(recursive: true);
        }
    }
}
