using System.Text;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The checker every response of the suite goes through (<see cref="ValidacionDeContrato"/>), on a small contract
/// written here, so that each rule is seen to fail when it should and the suite's silence means something.
/// </summary>
public sealed class ValidadorDeContratoTests
{
    private const string Documento = """
        {
          "openapi": "3.0.4",
          "info": { "title": "prueba", "version": "1" },
          "paths": {
            "/api/v1/cosas/{id}": {
              "get": {
                "operationId": "ObtenerCosa",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int32", "minimum": 1 } } ],
                "responses": {
                  "200": {
                    "description": "ok",
                    "headers": {
                      "ETag": { "required": true, "schema": { "type": "string", "maxLength": 12 } },
                      "Idempotent-Replayed": { "$ref": "#/components/headers/Repetida" }
                    },
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Cosa" } } }
                  },
                  "404": { "$ref": "#/components/responses/NoEncontrada" }
                }
              },
              "delete": {
                "operationId": "EliminarCosa",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int32" } } ],
                "responses": { "204": { "description": "eliminada" } }
              }
            },
            "/api/v1/estado": {
              "get": { "operationId": "ObtenerEstado", "responses": { "200": { "description": "ok", "content": { "text/*": { "schema": { "type": "string" } } } } } }
            },
            "/api/v1/cosas/actual": {
              "get": {
                "operationId": "ObtenerCosaActual",
                "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Cosa" } } } } }
              }
            }
          },
          "components": {
            "schemas": {
              "Cosa": {
                "type": "object",
                "required": [ "id", "nombre", "nota" ],
                "additionalProperties": false,
                "properties": {
                  "id": { "type": "integer", "format": "int32" },
                  "nombre": { "type": "string", "maxLength": 20 },
                  "nota": { "type": "string", "nullable": true },
                  "desde": { "type": "string", "format": "date" },
                  "origen": { "oneOf": [ { "$ref": "#/components/schemas/Origen" }, { "type": "object", "nullable": true, "enum": [null] } ] }
                }
              },
              "Origen": { "type": "object", "required": [ "fecha" ], "properties": { "fecha": { "type": "string", "format": "date" } } },
              "ProblemDetails": {
                "type": "object",
                "properties": { "status": { "type": "integer", "nullable": true }, "title": { "type": "string", "nullable": true } }
              }
            },
            "responses": {
              "NoEncontrada": { "description": "no", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } }
            },
            "headers": {
              "Repetida": { "required": true, "schema": { "type": "string", "enum": [ "true" ] } }
            }
          }
        }
        """;

    private static readonly ContratoOpenApi Contrato = ContratoOpenApi.DesdeJson(Documento);

    private const string CosaValida = """{"id": 7, "nombre": "siete", "nota": null, "desde": "2011-12-31", "origen": null}""";

    private static RespuestaObservada Respuesta(int estado, string? tipo, string? cuerpo, params (string, string)[] encabezados)
    {
        var todos = encabezados.ToDictionary(e => e.Item1, e => e.Item2, StringComparer.OrdinalIgnoreCase);
        if (tipo is not null) todos["Content-Type"] = tipo;
        var bytes = cuerpo is null ? null : Encoding.UTF8.GetBytes(cuerpo);
        return new RespuestaObservada(estado, todos, bytes?.Length ?? 0, bytes);
    }

    private static RespuestaObservada Cosa(string cuerpo = CosaValida, string tipo = "application/json; charset=utf-8", int estado = 200) =>
        Respuesta(estado, tipo, cuerpo, ("ETag", "\"abc\""), ("Idempotent-Replayed", "true"));

    private static Violacion Una(Veredicto v)
    {
        Assert.True(v.Validada);
        return Assert.Single(v.Violaciones);
    }

    [Fact]
    public void Una_respuesta_documentada_pasa_con_nullable_referencias_y_formatos()
    {
        var v = Contrato.Validar("GET", "/api/v1/cosas/7", Cosa());
        Assert.True(v.Validada);
        Assert.Equal("ObtenerCosa", v.Operacion);
        Assert.Empty(v.Violaciones);

        // A nullable reference (oneOf: the reference or null alone, ReferenciasAnulables) takes the object and null.
        Assert.Empty(Contrato.Validar("GET", "/api/v1/cosas/7", Cosa("""{"id": 7, "nombre": "x", "nota": "n", "origen": {"fecha": "2011-12-31"}}""")).Violaciones);
        Assert.Empty(Contrato.Validar("DELETE", "/api/v1/cosas/7", Respuesta(204, null, null)).Violaciones);
        Assert.Empty(Contrato.Validar("GET", "/api/v1/cosas/99", Respuesta(404, "application/problem+json", """{"status": 404, "title": "No"}""")).Violaciones);
        Assert.Empty(Contrato.Validar("GET", "/api/v1/estado", Respuesta(200, "text/plain; charset=utf-8", "bien")).Violaciones);
    }

    [Fact]
    public void Un_estado_no_documentado_falla()
    {
        var v = Una(Contrato.Validar("GET", "/api/v1/cosas/7", Respuesta(500, "application/problem+json", """{"status": 500}""")));
        Assert.Equal(("ObtenerCosa", 500, "estado no documentado"), (v.Operacion, v.Estado, v.Tipo));
        Assert.Contains("200, 404", v.Detalle);
    }

    [Fact]
    public void Un_tipo_de_contenido_no_documentado_falla()
    {
        var v = Una(Contrato.Validar("GET", "/api/v1/cosas/7", Cosa("<p>siete</p>", "text/html")));
        Assert.Equal("tipo de contenido no documentado: text/html", v.Tipo);

        // A documented problem answered as plain JSON is the wrong type too.
        Assert.Equal("tipo de contenido no documentado: application/json",
            Una(Contrato.Validar("GET", "/api/v1/cosas/99", Respuesta(404, "application/json", "{}"))).Tipo);
    }

    [Fact]
    public void Sin_contenido_documentado_no_puede_venir_cuerpo_y_con_contenido_documentado_debe_venir()
    {
        Assert.Equal("cuerpo en una respuesta documentada sin contenido",
            Una(Contrato.Validar("DELETE", "/api/v1/cosas/7", Respuesta(204, "application/json", "{}"))).Tipo);
        Assert.Contains(Contrato.Validar("GET", "/api/v1/cosas/7", Respuesta(200, null, null, ("ETag", "\"a\""), ("Idempotent-Replayed", "true"))).Violaciones,
            x => x.Tipo == "sin cuerpo en una respuesta documentada con contenido");
    }

    [Fact]
    public void Un_encabezado_requerido_ausente_o_fuera_de_su_esquema_falla()
    {
        var sinEtag = Una(Contrato.Validar("GET", "/api/v1/cosas/7", Respuesta(200, "application/json", CosaValida, ("Idempotent-Replayed", "true"))));
        Assert.Equal("encabezado requerido ausente: ETag", sinEtag.Tipo);

        // Required through a $ref to components/headers.
        var sinRepetida = Una(Contrato.Validar("GET", "/api/v1/cosas/7", Respuesta(200, "application/json", CosaValida, ("ETag", "\"abc\""))));
        Assert.Equal("encabezado requerido ausente: Idempotent-Replayed", sinRepetida.Tipo);

        var largo = Una(Contrato.Validar("GET", "/api/v1/cosas/7", Respuesta(200, "application/json", CosaValida, ("etag", "\"demasiado-largo\""), ("Idempotent-Replayed", "true"))));
        Assert.StartsWith("encabezado ETag no cumple su esquema", largo.Tipo);
    }

    [Theory]
    [InlineData("""{"id": 7, "nombre": null, "nota": null}""", "cuerpo: StringExpected en #/nombre")]
    [InlineData("""{"id": "7", "nombre": "x", "nota": null}""", "cuerpo: IntegerExpected en #/id")]
    [InlineData("""{"id": 7, "nombre": "x"}""", "cuerpo: PropertyRequired en #/nota")]
    [InlineData("""{"id": 7, "nombre": "x", "nota": null, "otra": 1}""", "cuerpo: NoAdditionalPropertiesAllowed en #/otra")]
    [InlineData("""{"id": 7, "nombre": "x", "nota": null, "desde": "31-12-2011"}""", "cuerpo: DateExpected en #/desde")]
    [InlineData("""{"id": 7, "nombre": "un nombre de más de veinte caracteres", "nota": null}""", "cuerpo: StringTooLong en #/nombre")]
    [InlineData("""{"id": 7, """, "el cuerpo no es JSON")]
    public void Un_cuerpo_que_no_cumple_el_esquema_falla(string cuerpo, string tipo)
    {
        var v = Una(Contrato.Validar("GET", "/api/v1/cosas/7", Cosa(cuerpo)));
        Assert.Equal(tipo, v.Tipo);
    }

    [Fact]
    public void Una_referencia_anulable_que_no_es_ni_el_objeto_ni_null_dice_por_que_ninguna()
    {
        // oneOf [$ref, null alone]: each branch's failure is reported, the object's first.
        var v = Contrato.Validar("GET", "/api/v1/cosas/7", Cosa("""{"id": 7, "nombre": "x", "nota": null, "origen": {"fecha": 5}}"""));
        Assert.Equal(["cuerpo: StringExpected en #/origen.fecha", "cuerpo: NotInEnumeration en #/origen"], v.Violaciones.Select(x => x.Tipo));
        Assert.Empty(Contrato.Validar("GET", "/api/v1/cosas/7", Cosa(CosaValida)).Violaciones);
    }

    [Fact]
    public void Un_problema_documentado_se_valida_contra_su_esquema()
    {
        var v = Una(Contrato.Validar("GET", "/api/v1/cosas/99", Respuesta(404, "application/problem+json", """{"status": "404"}""")));
        Assert.Equal("cuerpo: IntegerExpected en #/status", v.Tipo);
    }

    [Fact]
    public void La_ruta_se_busca_por_plantilla_concreta_primero_y_tipo_de_parametro()
    {
        Assert.Equal("ObtenerCosaActual", Contrato.Validar("GET", "/api/v1/cosas/actual", Cosa()).Operacion);
        Assert.Equal("ObtenerCosa", Contrato.Validar("GET", "/API/v1/Cosas/7", Cosa()).Operacion);

        // "abc" and 0 are not what {id} admits (an int32 from 1): the request is outside the contract.
        var texto = Contrato.Validar("GET", "/api/v1/cosas/abc/", Respuesta(404, "application/problem+json", "{}"));
        Assert.StartsWith("(fuera del contrato)", texto.Operacion);
        var cero = Contrato.Validar("GET", "/api/v1/cosas/0", Respuesta(404, "application/problem+json", "{}"));
        Assert.Equal("(fuera del contrato) GET /api/v1/cosas/{id}", cero.Operacion);
        Assert.Empty(cero.Violaciones);
    }

    [Fact]
    public void Fuera_del_contrato_bajo_la_base_solo_vale_un_error_4xx_problem_json()
    {
        Assert.Equal("/api/v1", Contrato.Base);
        Assert.Empty(Contrato.Validar("GET", "/api/v1/nada", Respuesta(404, "application/problem+json", """{"status": 404}""")).Violaciones);
        Assert.Empty(Contrato.Validar("PUT", "/api/v1/cosas/7", Respuesta(405, "application/problem+json", """{"status": 405}""")).Violaciones);

        Assert.Equal("una solicitud fuera del contrato no recibió un error 4xx",
            Una(Contrato.Validar("GET", "/api/v1/nada", Respuesta(200, "application/json", "{}"))).Tipo);
        Assert.Equal("error fuera del contrato sin application/problem+json (es sin cuerpo)",
            Una(Contrato.Validar("GET", "/api/v1/nada", Respuesta(404, null, null))).Tipo);
        Assert.Equal("cuerpo: IntegerExpected en #/status",
            Una(Contrato.Validar("GET", "/api/v1/nada", Respuesta(404, "application/problem+json", """{"status": "x"}"""))).Tipo);
    }

    [Fact]
    public void Fuera_de_la_base_y_los_preflight_CORS_no_se_validan()
    {
        Assert.False(Contrato.Validar("GET", "/health/live", Respuesta(200, "text/plain", "Healthy")).Validada);
        Assert.False(Contrato.Validar("GET", "/swagger/index.html", Respuesta(200, "text/html", "<html/>")).Validada);
        Assert.False(Contrato.Validar("OPTIONS", "/api/v1/cosas/7", Respuesta(204, null, null), preflightCors: true).Validada);
    }

    /// <summary>The committed document itself is read as intended: a real operation's real schema accepts and refuses.</summary>
    [Fact]
    public void El_contrato_comprometido_se_lee_y_valida()
    {
        var contrato = ContratoOpenApi.Comprometido;
        Assert.Equal("/api/v1", contrato.Base);
        const string compromiso = """
            {"id": 3, "recomendacionId": 1, "programaId": 1, "numero": "1.2", "texto": "Elaborar matriz.", "fechaVencimiento": "2009-12",
             "calificacion": "Pendiente", "fechaCalificacion": null, "vencido": true, "tipo": null, "prioritario": false,
             "oportunidad": {"cumplidoEn": null, "aTiempo": null, "mesesDeAtraso": null}}
            """;
        var bien = contrato.Validar("GET", "/api/v1/compromisos/3", Respuesta(200, "application/json", compromiso, ("ETag", "\"1\"")));
        Assert.Equal("ObtenerCompromiso", bien.Operacion);
        Assert.DoesNotContain(bien.Violaciones, v => v.Tipo.StartsWith("cuerpo", StringComparison.Ordinal));

        var mal = contrato.Validar("GET", "/api/v1/compromisos/3", Respuesta(200, "application/json", compromiso.Replace("Pendiente", "Olvidado", StringComparison.Ordinal), ("ETag", "\"1\"")));
        Assert.Contains(mal.Violaciones, v => v.Tipo == "cuerpo: NotInEnumeration en #/calificacion");
    }
}
