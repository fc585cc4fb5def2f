using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// The run's report: every response checked, grouped by operation, status and kind of violation, with a count and one
/// example each, written to <see cref="ValidacionDeContrato.Archivo"/> when the assembly's tests end
/// (<see cref="MarcoDePruebas"/>), whichever the mode.
/// </summary>
public static class InformeDeContrato
{
    private static readonly object Cerrojo = new();
    private static readonly Dictionary<(string Operacion, int Estado, string Tipo), (int Cuenta, string Ejemplo)> Grupos = [];
    private static readonly Dictionary<string, int> PorOperacion = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Dictionary<string, int>> NoDocumentados = new(StringComparer.OrdinalIgnoreCase);
    private static long _contraOperacion, _fueraBajoLaBase, _noValidadas, _interrumpidas, _conViolaciones, _cuerpos, _cuerposGrandes;

    public static void Interrumpida() => Interlocked.Increment(ref _interrumpidas);

    public static void Registrar(string prueba, string solicitud, int estado, Veredicto veredicto, bool cuerpoDemasiadoGrande = false)
    {
        lock (Cerrojo)
        {
            if (!veredicto.Validada)
            {
                _noValidadas++;
                return;
            }

            if (veredicto.Operacion.StartsWith("(fuera del contrato)", StringComparison.Ordinal)) _fueraBajoLaBase++;
            else _contraOperacion++;
            PorOperacion[veredicto.Operacion] = PorOperacion.GetValueOrDefault(veredicto.Operacion) + 1;
            if (veredicto.Violaciones.Count > 0) _conViolaciones++;
            if (veredicto.CuerpoValidado) _cuerpos++;
            if (cuerpoDemasiadoGrande) _cuerposGrandes++;
            foreach (var encabezado in veredicto.EncabezadosNoDocumentados ?? [])
            {
                var donde = NoDocumentados.TryGetValue(encabezado, out var d) ? d : NoDocumentados[encabezado] = new(StringComparer.Ordinal);
                var clave = $"{veredicto.Operacion} {estado}";
                donde[clave] = donde.GetValueOrDefault(clave) + 1;
            }

            foreach (var v in veredicto.Violaciones)
            {
                var clave = (v.Operacion, v.Estado, v.Tipo);
                Grupos[clave] = Grupos.TryGetValue(clave, out var g)
                    ? (g.Cuenta + 1, g.Ejemplo)
                    : (1, $"{prueba}: {solicitud} → {v.Estado}{(v.Detalle.Length > 0 ? " — " + v.Detalle : "")}");
            }
        }
    }

    /// <summary>Writes the report, if this run sent any request (a run of the validator's own tests alone leaves the last one).</summary>
    public static void Escribir()
    {
        string texto;
        lock (Cerrojo)
        {
            var validadas = _contraOperacion + _fueraBajoLaBase;
            if (validadas + _noValidadas + _interrumpidas == 0) return;
            texto = Componer(validadas);
        }

        var archivo = ValidacionDeContrato.Archivo;
        Directory.CreateDirectory(Path.GetDirectoryName(archivo)!);
        File.WriteAllText(archivo, texto, new UTF8Encoding(false));
    }

    private static string Componer(long validadas)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"Respuestas de la suite de integración contra api-spec/openapi.json ({ValidacionDeContrato.Variable}={ValidacionDeContrato.Modo.ToString().ToLowerInvariant()})");
        s.AppendLine(inv, $"Validadas: {validadas} ({_contraOperacion} de operaciones del contrato, {_fueraBajoLaBase} de solicitudes bajo {ContratoOpenApi.Comprometido.Base} que no llegan a ninguna operación).");
        s.AppendLine(inv, $"No validadas: {_noValidadas} fuera de {ContratoOpenApi.Comprometido.Base} o preflight CORS; {_interrumpidas} interrumpidas (el cliente no recibió la respuesta entera).");
        s.AppendLine(inv, $"Cuerpos JSON validados contra su esquema: {_cuerpos}; {_cuerposGrandes} mayores que {ValidacionDeContrato.LimiteDelCuerpo / (1024 * 1024)} MB (validados salvo el cuerpo).");
        s.AppendLine(inv, $"Con alguna violación: {_conViolaciones} respuestas; {Grupos.Count} grupos (operación + estado + tipo), {Grupos.Values.Sum(g => g.Cuenta)} violaciones.");
        s.AppendLine();
        s.AppendLine("Grupos con más violaciones:");
        foreach (var ((op, estado, tipo), g) in Grupos.OrderByDescending(g => g.Value.Cuenta).ThenBy(g => g.Key.Operacion, StringComparer.Ordinal).Take(25))
            s.AppendLine(inv, $"  {g.Cuenta,6}  {op} {estado}: {tipo}");

        s.AppendLine();
        s.AppendLine("Todos los grupos, por operación (respuestas validadas de la operación entre corchetes):");
        foreach (var porOperacion in Grupos.GroupBy(g => g.Key.Operacion).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            s.AppendLine();
            s.AppendLine(inv, $"== {porOperacion.Key} [{PorOperacion.GetValueOrDefault(porOperacion.Key)}]");
            foreach (var ((_, estado, tipo), g) in porOperacion.OrderBy(g => g.Key.Estado).ThenBy(g => g.Key.Tipo, StringComparer.Ordinal))
            {
                s.AppendLine(inv, $"  {estado} {tipo}: {g.Cuenta}");
                s.AppendLine(inv, $"      ejemplo: {ContratoOpenApi.Extracto(g.Ejemplo, 700)}");
            }
        }

        s.AppendLine();
        s.AppendLine("Informativo (no es violación: OpenAPI admite encabezados no declarados): encabezados que el servicio envió y que");
        s.AppendLine("la respuesta documentada (operación + estado) no declara; los de pocas respuestas primero. Respuestas, y dónde:");
        foreach (var (encabezado, donde) in NoDocumentados.OrderBy(e => e.Value.Count).ThenBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            var lugares = donde.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key).ToList();
            // Sent nearly everywhere (security and cache headers): the count says enough.
            var lista = lugares.Count <= 30 ? string.Join(", ", lugares) : $"p. ej. {string.Join(", ", lugares.Take(4))}, …";
            s.AppendLine(inv, $"  {encabezado}: {donde.Values.Sum()} respuestas en {lugares.Count} (operación, estado): {lista}");
        }

        return s.ToString();
    }
}
