using System.Text.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// api-spec/openapi.json is the contract generated clients are built from: the served document must equal it.
/// After a deliberate change, regenerate it with scripts/update-openapi.sh and review the diff.
/// </summary>
public sealed class ContratoOpenApiTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly string Archivo = Path.Combine(Repositorio.Raiz, "api-spec", "openapi.json");
    private static readonly JsonSerializerOptions Indentado = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task<string> ServidoAsync()
    {
        var json = await Cliente.GetStringAsync("/swagger/v1/swagger.json");
        return JsonNode.Parse(json)!.ToJsonString(Indentado).ReplaceLineEndings("\n") + "\n";
    }

    [Fact]
    public async Task El_documento_servido_es_el_contrato_comprometido()
    {
        var servido = await ServidoAsync();
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Archivo)!);
            await File.WriteAllTextAsync(Archivo, servido);
            // The Directorio de Datos, generated from the same document (drift-checked by ClasificacionContratoTests).
            await File.WriteAllTextAsync(DirectorioDeDatos.Archivo, DirectorioDeDatos.Generar(JsonNode.Parse(servido)!));
            // The catalog entry, from the same document and the benchmark's report (drift-checked by CatalogoServicioTests).
            await File.WriteAllTextAsync(CatalogoDeServicio.Archivo,
                CatalogoDeServicio.Generar(JsonNode.Parse(servido)!, await File.ReadAllTextAsync(CatalogoDeServicio.Resultados)));
        }

        Assert.True(File.Exists(Archivo), "Falta api-spec/openapi.json: genérelo con scripts/update-openapi.sh");
        var comprometido = (await File.ReadAllTextAsync(Archivo)).ReplaceLineEndings("\n");
        Assert.True(comprometido == servido,
            "El documento OpenAPI servido difiere de api-spec/openapi.json. Si el cambio es deliberado, ejecute scripts/update-openapi.sh y revise el diff.");
    }

    [Fact]
    public async Task Cada_operacion_tiene_operationId_unico_resumen_descripcion_y_sus_errores()
    {
        var doc = JsonNode.Parse(await ServidoAsync())!;
        var ids = new List<string>();
        foreach (var (ruta, operaciones) in doc["paths"]!.AsObject())
        {
            foreach (var (metodo, op) in operaciones!.AsObject())
            {
                var donde = $"{metodo.ToUpperInvariant()} {ruta}";
                var id = (string?)op!["operationId"];
                Assert.False(string.IsNullOrWhiteSpace(id), $"{donde} no tiene operationId");
                ids.Add(id!);
                Assert.False(string.IsNullOrWhiteSpace((string?)op["summary"]), $"{donde} no tiene summary");
                Assert.False(string.IsNullOrWhiteSpace((string?)op["description"]), $"{donde} no tiene description");
                var respuestas = op["responses"]!.AsObject();
                if (ruta.Contains('{')) Assert.True(respuestas.ContainsKey("404"), $"{donde} no declara 404");
                if (metodo is "post" or "put")
                {
                    Assert.True(respuestas.ContainsKey("400"), $"{donde} no declara 400");
                    Assert.True(respuestas.ContainsKey("409"), $"{donde} no declara 409");
                    Assert.Equal("application/problem+json", Respuesta(doc, respuestas["409"]!)["content"]!.AsObject().Single().Key);
                }

                if (metodo == "put")
                {
                    Assert.True(respuestas.ContainsKey("412") && respuestas.ContainsKey("428"), $"{donde} no declara 412 y 428");
                    var ifMatch = op["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "If-Match")!;
                    Assert.Equal("header", (string?)ifMatch["in"]);
                    Assert.True((bool)ifMatch["required"]!, $"{donde}: If-Match debe ser obligatorio");
                    Assert.NotNull(respuestas["200"]!["headers"]?["ETag"]);
                }

                if (metodo == "get" && ruta.EndsWith("/{id}", StringComparison.Ordinal))
                {
                    Assert.NotNull(respuestas["200"]!["headers"]?["ETag"]);
                }

                foreach (var parametro in op["parameters"]?.AsArray() ?? [])
                {
                    var nombre = (string)parametro!["name"]!;
                    if ((string?)parametro["in"] == "query") Assert.True(char.IsLower(nombre[0]), $"{donde}: el parámetro {nombre} no va en camelCase");
                }
            }
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Count >= 30, $"Solo {ids.Count} operaciones");
    }

    [Fact]
    public async Task Los_esquemas_llevan_ejemplos_y_las_enumeraciones_van_como_texto()
    {
        var doc = JsonNode.Parse(await ServidoAsync())!;
        var esquemas = doc["components"]!["schemas"]!.AsObject();
        Assert.Equal("2009-12", (string?)esquemas["Compromiso"]!["properties"]!["fechaVencimiento"]!["example"]);
        var calificacion = esquemas["Calificacion"]!;
        Assert.Equal(["Pendiente", "Cumplido", "ParcialmenteCumplido", "NoCumplido", "Cancelado"], calificacion["enum"]!.AsArray().Select(x => (string)x!));
        Assert.Contains("PaginaCompromiso", esquemas.Select(e => e.Key));
    }

    private static IEnumerable<(string Donde, string Metodo, JsonObject Op)> Operaciones(JsonNode doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => ($"{m.Key.ToUpperInvariant()} {p.Key}", m.Key, m.Value!.AsObject())));

    private static JsonNode Respuesta(JsonNode doc, JsonNode r) =>
        r["$ref"] is JsonValue referencia ? doc["components"]!["responses"]![((string)referencia!).Split('/')[^1]]! : r;

    [Fact]
    public async Task Cada_operacion_declara_seguridad_y_las_respuestas_del_pipeline_con_sus_encabezados()
    {
        var doc = JsonNode.Parse(await ServidoAsync())!;
        Assert.NotEmpty(doc["servers"]!.AsArray());
        Assert.False(string.IsNullOrWhiteSpace((string?)doc["info"]!["license"]?["name"]));
        foreach (var tag in doc["tags"]!.AsArray()) Assert.False(string.IsNullOrWhiteSpace((string?)tag!["description"]), $"la etiqueta {tag["name"]} no tiene description");

        var creaciones = 0;
        foreach (var (donde, metodo, op) in Operaciones(doc))
        {
            // Reads are public by default: anonymous or with a token; writes (and the audit trail, the subscriptions) need one.
            var seguridad = op["security"]!.AsArray().Select(x => x!.ToJsonString()).ToList();
            var exigeToken = op["responses"]!.AsObject().ContainsKey("403");
            Assert.Equal(exigeToken ? ["{\"Bearer\":[]}"] : ["{}", "{\"Bearer\":[]}"], seguridad);

            var respuestas = op["responses"]!.AsObject();
            foreach (var codigo in new[] { "401", "429", "503" }) Assert.True(respuestas.ContainsKey(codigo), $"{donde} no declara {codigo}");
            Assert.NotNull(Respuesta(doc, respuestas["401"]!)["headers"]!["WWW-Authenticate"]);
            foreach (var codigo in new[] { "429", "503" }) Assert.NotNull(Respuesta(doc, respuestas[codigo]!)["headers"]!["Retry-After"]);
            if (op["requestBody"] is not null) Assert.True(respuestas.ContainsKey("413") && respuestas.ContainsKey("408"), $"{donde} no declara 408 y 413");

            foreach (var (codigo, r) in respuestas)
            {
                var respuesta = Respuesta(doc, r!);
                var encabezados = respuesta["headers"]?.AsObject();
                if (codigo != "204") Assert.True(encabezados?.ContainsKey("RateLimit") == true && encabezados.ContainsKey("RateLimit-Policy"), $"{donde} {codigo} sin RateLimit");
                if (codigo == "201")
                {
                    creaciones++;
                    // A round creates many resources (listed in its body, each with its id): no Location names one.
                    var ronda = (string?)op["operationId"] is "CalificarCorte" or "RegistrarReportesDeCorte";
                    Assert.True(encabezados!.ContainsKey("Location") != ronda, $"{donde} 201 {(ronda ? "con" : "sin")} Location");
                }

                // Every error is problem+json, described by a shared response or a schema of its own.
                if (codigo[0] is '4' or '5' && codigo != "304")
                    Assert.Equal(["application/problem+json"], respuesta["content"]!.AsObject().Select(x => x.Key));
            }
        }

        // The 11 operations that create, the upload as a file (RegistrarMedioVerificacionConArchivo) and the two rounds of a corte.
        Assert.Equal(14, creaciones);
        var descarga = doc["paths"]!["/api/v1/compromisos/{id}/medios-verificacion/{medioId}/contenido"]!["get"]!["responses"]!;
        foreach (var encabezado in new[] { "ETag", "Last-Modified", "Content-Disposition", "Accept-Ranges" })
            Assert.NotNull(descarga["200"]!["headers"]![encabezado]);
        Assert.NotNull(descarga["206"]!["headers"]!["Content-Range"]);
        Assert.NotNull(Respuesta(doc, descarga["304"]!)["headers"]!["ETag"]);
        Assert.NotNull(Respuesta(doc, descarga["416"]!)["headers"]!["Content-Range"]);
    }

    [Fact]
    public async Task Con_lectura_cerrada_las_lecturas_exigen_token_en_el_contrato()
    {
        using var cerrada = Factory.WithWebHostBuilder(b => b.UseSetting("Autorizacion:LecturaPublica", "false"));
        // The document too is read with a token then.
        var doc = JsonNode.Parse(await cerrada.CreateClient().Autenticar(Tokens.Crear("lector", [])).GetStringAsync("/swagger/v1/swagger.json"))!;
        foreach (var (donde, _, op) in Operaciones(doc))
        {
            Assert.Equal(["{\"Bearer\":[]}"], op["security"]!.AsArray().Select(x => x!.ToJsonString()));
            Assert.True(op["responses"]!.AsObject().ContainsKey("401"), $"{donde} no declara 401");
        }

        Assert.Contains("LecturaPublica=false", (string)doc["components"]!["responses"]!["NoAutenticado"]!["description"]!);
    }

    [Fact]
    public async Task El_429_y_el_401_de_una_lectura_cerrada_son_los_que_declara_el_contrato()
    {
        var doc = JsonNode.Parse(await ServidoAsync())!;
        var lectura = doc["paths"]!["/api/v1/ministerios"]!["get"]!;

        // The rate limiter's 429: the shared response, its Retry-After and RateLimit headers, its problem schema.
        using var limitada = Factory.WithWebHostBuilder(b => b.UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "1"));
        var cliente = limitada.CreateClient();
        await cliente.GetAsync("/api/v1/ministerios");
        var r = await cliente.GetAsync("/api/v1/ministerios");
        var problema = await Problemas.AfirmarAsync(r, System.Net.HttpStatusCode.TooManyRequests, "urn:compromisos:demasiadas-solicitudes");
        var declarada = Respuesta(doc, lectura["responses"]!["429"]!);
        foreach (var (encabezado, _) in declarada["headers"]!.AsObject().Where(h => h.Key != "Access-Control-Allow-Origin"))
            Assert.True(r.Headers.Contains(encabezado), $"el 429 no trae {encabezado}");
        Assert.True(int.Parse(r.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Null(Esquemas.Validar(doc, declarada["content"]!["application/problem+json"]!["schema"]!, problema, "$"));

        // Reads closed: the 401 of an anonymous read is the shared one, with WWW-Authenticate.
        using var cerrada = Factory.WithWebHostBuilder(b => b.UseSetting("Autorizacion:LecturaPublica", "false"));
        var sinToken = await cerrada.CreateClient().GetAsync("/api/v1/ministerios");
        var noAutenticado = await Problemas.AfirmarAsync(sinToken, System.Net.HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", sinToken.Headers.WwwAuthenticate.ToString());
        var declarado = Respuesta(doc, lectura["responses"]!["401"]!);
        Assert.Null(Esquemas.Validar(doc, declarado["content"]!["application/problem+json"]!["schema"]!, noAutenticado, "$"));
    }

    [Fact]
    public async Task Los_esquemas_dicen_nulabilidad_tipos_y_reglas_de_entrada()
    {
        var doc = JsonNode.Parse(await ServidoAsync())!;

        // Every schema node: typed (or a reference, or an allOf or oneOf), nullable only beside a type, dates without a length.
        void Revisar(JsonNode? nodo, string ruta)
        {
            if (nodo is JsonArray arreglo)
            {
                for (var i = 0; i < arreglo.Count; i++) Revisar(arreglo[i], $"{ruta}[{i}]");
                return;
            }

            if (nodo is not JsonObject o) return;
            if (o["nullable"] is not null) Assert.True(o["type"] is not null, $"{ruta}: nullable sin type");
            if ((string?)o["format"] is "date" or "date-time") Assert.True(o["maxLength"] is null, $"{ruta}: una fecha con maxLength");
            if (ruta.EndsWith(".properties", StringComparison.Ordinal))
            {
                foreach (var (nombre, propiedad) in o)
                    Assert.True(propiedad!["type"] is not null || propiedad["$ref"] is not null || propiedad["allOf"] is not null || propiedad["oneOf"] is not null, $"{ruta}.{nombre} sin tipo");
            }

            foreach (var (clave, hijo) in o) Revisar(hijo, $"{ruta}.{clave}");
        }

        Revisar(doc, "$");
        var esquemas = doc["components"]!["schemas"]!;
        var antes = esquemas["EntradaAuditoria"]!["properties"]!["antes"]!;
        Assert.Equal(("object", true), ((string?)antes["type"], (bool?)antes["nullable"] == true));
        Assert.Null(esquemas["EntradaAuditoria"]!["properties"]!["despues"]!["nullable"]);

        var mes = esquemas["CompromisoEntrada"]!["properties"]!["fechaVencimiento"]!;
        Assert.Equal("^[0-9]{4}-(0[1-9]|1[0-2])$", (string?)mes["pattern"]);
        Assert.Equal(1, (int?)esquemas["CompromisoEntrada"]!["properties"]!["texto"]!["minLength"]);
        Assert.Equal(1, (int?)esquemas["DocumentoImportacion"]!["properties"]!["ministerio"]!["minLength"]);
        Assert.Equal("uri", (string?)esquemas["SuscripcionEntrada"]!["properties"]!["url"]!["format"]);
        // The year of evaluation: the validator's static minimum; its maximum moves every year, so it is in the description.
        var anio = esquemas["ProgramaEntrada"]!["properties"]!["anioEvaluacion"]!;
        Assert.Equal((1997, int.MaxValue), ((int)anio["minimum"]!, (int)anio["maximum"]!));
        Assert.Contains("año siguiente al actual", (string?)anio["description"]);

        // A nullable reference: the referenced schema or null alone (OpenAPI 3.0.3: nullable widens only its own type).
        var egreso = esquemas["Programa"]!["properties"]!["egresoPropuesto"]!;
        Assert.Equal("#/components/schemas/EgresoPropuesto", (string?)egreso["oneOf"]![0]!["$ref"]);
        Assert.Equal("""{"enum":[null],"type":"object","nullable":true}""", egreso["oneOf"]![1]!.ToJsonString());

        // The members the service adds to its problems, declared with their types.
        var problema = esquemas["ProblemDetails"]!;
        Assert.Contains("traceId", problema["required"]!.AsArray().Select(x => (string?)x));
        foreach (var miembro in new[] { "admitidos", "disponibles", "compromisosAbiertos", "tamanoMaximo", "cuota", "limite" })
            Assert.NotNull(problema["properties"]![miembro]!["type"]);
        Assert.Contains("errors", esquemas["HttpValidationProblemDetails"]!["required"]!.AsArray().Select(x => (string?)x));

        // No invented bound: every text has its own limit, an enum, a date format, or is a readOnly text of an answer.
        Assert.DoesNotContain("1600000", doc.ToJsonString());

        foreach (var (donde, _, op) in Operaciones(doc))
        {
            foreach (var parametro in op["parameters"]?.AsArray() ?? [])
            {
                if ((string?)parametro!["name"] == "limit")
                    Assert.Equal((1, 200), ((int)parametro["schema"]!["minimum"]!, (int)parametro["schema"]!["maximum"]!));
                if ((string?)parametro["name"] == "q" && (string?)parametro["in"] == "query")
                    Assert.Equal((1, CompromisosApi.Common.Busqueda.LargoMaximo), ((int)parametro["schema"]!["minLength"]!, (int)parametro["schema"]!["maxLength"]!));
                if ((string?)parametro["in"] is "path" or "query" && (string?)parametro["schema"]?["type"] == "integer"
                    && ((string?)parametro["name"] == "id" || ((string?)parametro["name"])!.EndsWith("Id", StringComparison.Ordinal)))
                    Assert.Equal(1, (int)parametro["schema"]!["minimum"]!);
                if ((string?)parametro["name"] is "venceDesde" or "venceHasta")
                    Assert.Equal((string?)mes["pattern"], (string?)parametro["schema"]!["pattern"]);
            }

            // One request and one response media type per operation (the download excepted: the file's own type). The two
            // JSON operations that also negotiate for curl (the informe, the list's export) declare JSON first and the
            // others as bytes, each of which is also an operation of its own.
            if (!donde.EndsWith("/contenido", StringComparison.Ordinal))
            {
                Assert.True((op["requestBody"]?["content"]?.AsObject().Count ?? 1) == 1, $"{donde}: más de un tipo de cuerpo");
                foreach (var (codigo, r) in op["responses"]!.AsObject())
                {
                    var tipos = Respuesta(doc, r!)["content"]?.AsObject().ToList() ?? [];
                    if (tipos.Count <= 1) continue;
                    Assert.True((string?)op["operationId"] is "ObtenerInforme" or "ListarCompromisos", $"{donde} {codigo}: más de un tipo de respuesta");
                    Assert.Equal("application/json", tipos[0].Key);
                    Assert.All(tipos.Skip(1), t => Assert.Equal("binary", (string?)t.Value!["schema"]!["format"]));
                }
            }
        }
    }
}
