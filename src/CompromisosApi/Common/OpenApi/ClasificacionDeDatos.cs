using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace CompromisosApi.Common;

/// <summary>
/// The classification of every exposed field (Norma Técnica de Interoperabilidad, D12 Art. 20): each property of each
/// schema carries <c>x-clasificacion</c>, read from one declarative map: a class per schema and the properties that
/// differ from it. Runs last, over the finished components (document filters add members to the problem schemas), so
/// every property is seen; a schema missing from the map gets nothing, and the contract's classification test names
/// its properties. A property that is only a $ref is written as <c>allOf: [$ref]</c>, since OpenAPI 3.0 ignores
/// anything beside a $ref (generators read a single-element allOf as the referenced type).
/// The Directorio de Datos (api-spec/directorio-datos.csv) is generated from the contract this leaves.
/// </summary>
internal sealed class ClasificacionDeDatos : Swashbuckle.AspNetCore.SwaggerGen.IDocumentFilter
{
    public const string Extension = "x-clasificacion";

    public const string Personal = "personal";
    public const string Sensible = "sensible";
    public const string Estadistico = "estadistico";
    public const string Secreto = "secreto";
    public const string Reservado = "reservado";
    public const string Otro = "otro";

    public static readonly IReadOnlyList<string> Clases = [Personal, Sensible, Estadistico, Secreto, Reservado, Otro];

    private sealed record Decision(string PorOmision, IReadOnlyDictionary<string, string>? Excepciones = null);

    private static Decision Todo(string clase) => new(clase);

    private static Decision Con(string porOmision, params (string Propiedad, string Clase)[] excepciones) =>
        new(porOmision, excepciones.ToDictionary(e => e.Propiedad, e => e.Clase, StringComparer.Ordinal));

    /// <summary>The key of a statistics group (which ministerio, servicio, year, line, type or category): otro.</summary>
    private static readonly (string, string)[] ClaveDeGrupo =
        [("id", Otro), ("nombre", Otro), ("anioEvaluacion", Otro), ("lineaEvaluacion", Otro), ("tipo", Otro), ("categoriaDesempeno", Otro)];

    /// <summary>
    /// Official record texts, ids, codes and dates are <c>otro</c> (public information under Ley 20.285); whoever
    /// registered, uploaded or created something, the audit's actor and the trace's official and principal are
    /// <c>personal</c> (names, RUNs, subjects of natural persons); the webhook signing secret is <c>secreto</c>;
    /// counts and percentages aggregated over many records are <c>estadistico</c>. A page's items keep the
    /// classification of their own schema.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Decision> Mapa = new Dictionary<string, Decision>(StringComparer.Ordinal)
    {
        ["CalificacionDeCorteEntrada"] = Todo(Otro),
        ["CalificacionEntrada"] = Todo(Otro),
        ["CalificacionImportada"] = Todo(Otro),
        ["CalificacionRegistrada"] = Con(Otro, ("registradaPor", Personal)),
        ["CalificacionesDeCorte"] = Todo(Otro),
        ["CalificacionesDeCorteEntrada"] = Todo(Otro),
        ["CloudEvent"] = Todo(Otro),
        ["Compromiso"] = Todo(Otro),
        ["CompromisoAbierto"] = Todo(Otro),
        ["CompromisoEntrada"] = Todo(Otro),
        ["CompromisoImportado"] = Todo(Otro),
        ["CompromisoInforme"] = Todo(Otro),
        ["ConteoPorCalificacion"] = Todo(Estadistico),
        ["CorreccionEntrada"] = Todo(Otro),
        ["Corte"] = Todo(Otro),
        ["Cumplimiento"] = Con(Otro, ("grupos", Estadistico)),
        ["DocumentoImportacion"] = Todo(Otro),
        ["EgresoEntrada"] = Todo(Otro),
        ["EgresoPropuesto"] = Todo(Otro),
        ["ElementoRechazado"] = Todo(Otro),
        // The stored entity before and after may hold who registered it (registradoPor): personal.
        ["EntradaAuditoria"] = Con(Otro,
            ("actorSujeto", Personal), ("actorNombre", Personal), ("actorRoles", Personal),
            ("direccionCliente", Personal), ("antes", Personal), ("despues", Personal)),
        ["GrupoCumplimiento"] = Con(Estadistico, ClaveDeGrupo),
        ["GrupoOportunidad"] = Con(Estadistico, ClaveDeGrupo),
        ["HttpValidationProblemDetails"] = Todo(Otro),
        ["Informe"] = Todo(Otro),
        ["LineaEvaluacion"] = Todo(Otro),
        ["ListaDeCortes"] = Todo(Otro),
        ["MedioImportado"] = Todo(Otro),
        ["MedioInforme"] = Todo(Otro),
        ["MedioVerificacion"] = Con(Otro, ("registradoPor", Personal), ("subidoPor", Personal)),
        ["MedioVerificacionEntrada"] = Todo(Otro),
        ["Ministerio"] = Todo(Otro),
        ["MinisterioEntrada"] = Todo(Otro),
        // A compromiso's own timeliness (derived from its record, like vencido); the groups' figures are estadistico.
        ["Oportunidad"] = Todo(Otro),
        ["OportunidadPorGrupo"] = Con(Otro, ("grupos", Estadistico)),
        ["OtroCambio"] = Todo(Otro),
        ["PaginaCalificacionRegistrada"] = Todo(Otro),
        ["PaginaCompromiso"] = Todo(Otro),
        ["PaginaEntradaAuditoria"] = Todo(Otro),
        ["PaginaEventos"] = Todo(Otro),
        ["PaginaMedioVerificacion"] = Todo(Otro),
        ["PaginaMinisterio"] = Todo(Otro),
        ["PaginaPrograma"] = Todo(Otro),
        ["PaginaRecomendacion"] = Todo(Otro),
        ["PaginaReporte"] = Todo(Otro),
        ["PaginaServicio"] = Todo(Otro),
        ["PaginaSuscripcion"] = Todo(Otro),
        ["PaginaTraza"] = Todo(Otro),
        ["ProblemDetails"] = Todo(Otro),
        ["ProblemaDeRonda"] = Todo(Otro),
        ["ProblemaImportacionNoAutorizada"] = Todo(Otro),
        ["Programa"] = Todo(Otro),
        ["ProgramaEntrada"] = Todo(Otro),
        ["ProgramaImportado"] = Todo(Otro),
        ["ReaperturaEntrada"] = Todo(Otro),
        ["RechazoImportacion"] = Todo(Otro),
        ["Recomendacion"] = Todo(Otro),
        ["RecomendacionEntrada"] = Todo(Otro),
        ["RecomendacionImportada"] = Todo(Otro),
        ["RecomendacionInforme"] = Todo(Otro),
        ["Reporte"] = Con(Otro, ("registradoPor", Personal)),
        ["ReporteDeCorteEntrada"] = Todo(Otro),
        ["ReporteEntrada"] = Todo(Otro),
        ["ReporteImportado"] = Todo(Otro),
        ["ReportesDeCorte"] = Todo(Otro),
        ["ReportesDeCorteEntrada"] = Todo(Otro),
        ["ResultadoImportacion"] = Todo(Otro),
        ["Servicio"] = Todo(Otro),
        ["ServicioEntrada"] = Todo(Otro),
        ["ServicioImportado"] = Todo(Otro),
        ["Suscripcion"] = Con(Otro, ("creadaPor", Personal)),
        ["SuscripcionCreada"] = Con(Otro, ("creadaPor", Personal), ("secreto", Secreto)),
        ["SuscripcionEntrada"] = Todo(Otro),
        ["TipoCompromiso"] = Todo(Otro),
        ["Traza"] = Con(Otro, ("funcionarioRun", Personal), ("sujeto", Personal)),
    };

    public void Apply(OpenApiDocument doc, Swashbuckle.AspNetCore.SwaggerGen.DocumentFilterContext context)
    {
        foreach (var (nombre, esquema) in doc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (esquema is not OpenApiSchema s || s.Properties is not { Count: > 0 } || !Mapa.TryGetValue(nombre, out var decision)) continue;
            foreach (var propiedad in s.Properties.Keys.ToList())
            {
                var clase = decision.Excepciones?.GetValueOrDefault(propiedad) ?? decision.PorOmision;
                var p = s.Properties[propiedad];
                if (p is not OpenApiSchema conClase)
                {
                    conClase = new OpenApiSchema { AllOf = [p] };
                    s.Properties[propiedad] = conClase;
                }

                conClase.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                conClase.Extensions[Extension] = new JsonNodeExtension(JsonValue.Create(clase));
            }
        }
    }
}
