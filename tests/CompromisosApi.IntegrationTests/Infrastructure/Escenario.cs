using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>Builds records through the public API, the way an integrating system would.</summary>
public sealed class Escenario(HttpClient cliente)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<JsonObject> CrearAsync(string ruta, object cuerpo)
    {
        var r = await cliente.PostAsJsonAsync(ruta, cuerpo, Json);
        await Esperar(r, HttpStatusCode.Created);
        return (await r.Content.ReadFromJsonAsync<JsonObject>(Json))!;
    }

    public async Task<JsonObject> LeerAsync(string ruta)
    {
        var r = await cliente.GetAsync(ruta);
        await Esperar(r, HttpStatusCode.OK);
        return (await r.Content.ReadFromJsonAsync<JsonObject>(Json))!;
    }

    public async Task<(JsonObject Cuerpo, string ETag)> LeerConEtagAsync(string ruta)
    {
        var r = await cliente.GetAsync(ruta);
        await Esperar(r, HttpStatusCode.OK);
        return ((await r.Content.ReadFromJsonAsync<JsonObject>(Json))!, r.Headers.ETag!.ToString());
    }

    public async Task<int> ServicioAsync(string ministerio = "Ministerio de Agricultura", string servicio = "Instituto de Desarrollo Agropecuario")
    {
        var m = await CrearAsync("/api/v1/ministerios", new { nombre = ministerio });
        var s = await CrearAsync("/api/v1/servicios", new { nombre = servicio, sigla = "INDAP", ministerioId = (int)m["id"]! });
        return (int)s["id"]!;
    }

    public async Task<int> ProgramaAsync(int? servicioId = null, string nombre = "Programa de prueba", int anio = 2007)
    {
        var sid = servicioId ?? await ServicioAsync();
        var p = await CrearAsync("/api/v1/programas", new { nombre, servicioId = sid, anioEvaluacion = anio, lineaEvaluacion = "EPG" });
        return (int)p["id"]!;
    }

    public async Task<int> RecomendacionAsync(int programaId, string texto = "Recomendación de prueba") =>
        (int)(await CrearAsync($"/api/v1/programas/{programaId}/recomendaciones", new { texto }))["id"]!;

    public async Task<JsonObject> CompromisoAsync(int recomendacionId, string fechaVencimiento = "2009-12", string texto = "Compromiso de prueba") =>
        await CrearAsync($"/api/v1/recomendaciones/{recomendacionId}/compromisos", new { texto, fechaVencimiento });

    /// <summary>A programa with one recomendación and one Pendiente compromiso; returns the compromiso's id.</summary>
    public async Task<(int ProgramaId, int RecomendacionId, int CompromisoId)> CompromisoPendienteAsync(string fechaVencimiento = "2009-12")
    {
        var p = await ProgramaAsync();
        var r = await RecomendacionAsync(p);
        var c = await CompromisoAsync(r, fechaVencimiento);
        return (p, r, (int)c["id"]!);
    }

    public Task<HttpResponseMessage> CalificarAsync(int compromisoId, string calificacion, string fecha, string? observacion = null) =>
        cliente.PostAsJsonAsync($"/api/v1/compromisos/{compromisoId}/calificaciones", new { calificacion, fecha, observacion }, Json);

    public async Task CalificarOkAsync(int compromisoId, string calificacion, string fecha, string? observacion = null) =>
        await Esperar(await CalificarAsync(compromisoId, calificacion, fecha, observacion), HttpStatusCode.Created);

    /// <summary>A medio with its file, as multipart/form-data (titulo, corte, then archivo).</summary>
    public static Task<HttpResponseMessage> SubirArchivoAsync(
        HttpClient cliente, int compromisoId, byte[] datos, string corte = "2009-12-31", string nombre = "minuta.pdf", string tipo = "application/pdf")
    {
        var archivo = new ByteArrayContent(datos);
        archivo.Headers.ContentType = new MediaTypeHeaderValue(tipo);
        return cliente.PostAsync($"/api/v1/compromisos/{compromisoId}/medios-verificacion", new MultipartFormDataContent
        {
            { new StringContent("Minuta"), "titulo" },
            { new StringContent(corte), "corte" },
            { archivo, "archivo", nombre },
        });
    }

    public static HttpRequestMessage Put(string ruta, object cuerpo, string? ifMatch)
    {
        var m = new HttpRequestMessage(HttpMethod.Put, ruta) { Content = JsonContent.Create(cuerpo, options: Json) };
        if (ifMatch is not null) m.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        return m;
    }

    public static async Task Esperar(HttpResponseMessage r, HttpStatusCode esperado)
    {
        if (r.StatusCode != esperado)
        {
            throw new Xunit.Sdk.XunitException(
                $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} respondió {(int)r.StatusCode}, se esperaba {(int)esperado}: {await r.Content.ReadAsStringAsync()}");
        }
    }
}
