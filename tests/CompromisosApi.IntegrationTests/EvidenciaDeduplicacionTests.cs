using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>The same file is stored once, also when uploaded at the same time; concurrent uploads all arrive.</summary>
public sealed class EvidenciaDeduplicacionTests(ApiFactory factory) : PruebaDeEvidencia(factory)
{
    [Fact]
    public async Task El_mismo_archivo_dos_veces_se_guarda_una_vez()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        var otro = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var datos = Muestras.Pdf(1024 * 1024 + 10, semilla: 5);

        var primero = await SubirOkAsync(c, datos, "minuta.pdf");
        var segundo = await SubirOkAsync(c, datos, "otra-copia.pdf", HttpStatusCode.OK);
        AfirmarMismoMedio(primero, segundo);
        Assert.Equal("minuta.pdf", (string?)segundo["nombreArchivo"]);
        Assert.Single((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray());
        Assert.Equal((1, 2), await AlmacenadoAsync());

        // Another compromiso gets its own medio, pointing at the same stored content.
        var enOtro = await SubirOkAsync(otro, datos);
        Assert.NotEqual((long)primero["id"]!, (long)enOtro["id"]!);
        Assert.Equal((1, 2), await AlmacenadoAsync());
        Assert.Equal(datos, await Cliente.GetByteArrayAsync($"/api/v1/compromisos/{otro}/medios-verificacion/{enOtro["id"]}/contenido"));
        _ = p;
    }

    [Fact]
    public async Task El_mismo_archivo_nuevo_subido_a_la_vez_queda_una_vez()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var datos = Muestras.Pdf(1500 * 1024, semilla: 21);
        var clientes = Enumerable.Range(0, 4).Select(_ => Factory.CreateClient().Autenticar(Tokens.Crear("ana", ["analista"]))).ToList();

        var respuestas = await Task.WhenAll(clientes.Select(cl => SubirAsync(cl, c, datos)));

        Assert.Equal(1, respuestas.Count(x => x.StatusCode == HttpStatusCode.Created));
        Assert.Equal(3, respuestas.Count(x => x.StatusCode == HttpStatusCode.OK));
        var ids = new HashSet<long>();
        foreach (var x in respuestas) ids.Add((long)(await x.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        Assert.Single(ids);
        Assert.Equal((1, 2), await AlmacenadoAsync());
    }

    [Fact]
    public async Task Subidas_concurrentes_al_mismo_compromiso_llegan_todas()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var archivos = Enumerable.Range(1, 8).Select(i => Muestras.Pdf(200_000 + i * 1000, semilla: 100 + i)).ToList();
        var clientes = archivos.Select(_ => Factory.CreateClient().Autenticar(Tokens.Crear("ana", ["analista"]))).ToList();

        var respuestas = await Task.WhenAll(archivos.Select((a, i) => SubirAsync(clientes[i], c, a, $"anexo-{i}.pdf")));

        Assert.All(respuestas, x => Assert.Equal(HttpStatusCode.Created, x.StatusCode));
        var medios = (await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray();
        Assert.Equal(archivos.Select(Sha256).Order(), medios.Select(m => (string)m!["sha256"]!).Order());
        foreach (var m in medios)
        {
            var bytes = await Cliente.GetByteArrayAsync($"/api/v1/compromisos/{c}/medios-verificacion/{m!["id"]}/contenido");
            Assert.Equal((string?)m["sha256"], Sha256(bytes));
        }
    }
}
