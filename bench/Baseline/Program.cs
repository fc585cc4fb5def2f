// Bare baseline for E1 (issue 7): GET /compromisos/{id} with raw Npgsql and System.Text.Json source generation.
// No mediator, EF Core, mapping, validation, auth, rate limiting or middleware: the floor the full stack is
// compared with (R1). The same rows and columns as the service's query (LIMIT 1), same JSON shape, same ETag (xmin).
using System.Text.Json.Serialization;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));
var fuente = NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("Compromisos")
    ?? throw new InvalidOperationException("ConnectionStrings__Compromisos is required"));
var chile = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
var app = builder.Build();

const string Sql =
    "SELECT c.id, c.recomendacion_id, c.programa_id, c.numero, c.texto, c.fecha_vencimiento, c.calificacion, " +
    "c.fecha_calificacion, c.xmin, c.ministerio_id, c.secuencia, c.tipo, c.prioritario, " +
    "CASE WHEN c.calificacion = 'Cumplido' THEN cumplido_al_corte(c.id, NULL, NULL) END " +
    "FROM compromisos AS c WHERE c.id = $1 LIMIT 1";

app.MapGet("/compromisos/{id:int}", async (int id, HttpContext http, CancellationToken ct) =>
{
    await using var cmd = fuente.CreateCommand(Sql);
    cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
    await using var r = await cmd.ExecuteReaderAsync(ct);
    if (!await r.ReadAsync(ct)) return Results.NotFound();
    var vence = r.GetFieldValue<DateOnly>(5);
    var calificacion = r.GetString(6);
    var hoy = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, chile).DateTime);
    var vencido = calificacion is not ("Cumplido" or "Cancelado")
        && (vence.Year < hoy.Year || (vence.Year == hoy.Year && vence.Month <= hoy.Month));
    DateOnly? cumplidoEn = r.IsDBNull(13) ? null : r.GetFieldValue<DateOnly>(13);
    int? atraso = cumplidoEn is { } f ? Math.Max(0, (f.Year * 12 + f.Month) - (vence.Year * 12 + vence.Month)) : null;
    var dto = new CompromisoDto(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetString(4),
        vence.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), calificacion,
        r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7), vencido, r.IsDBNull(11) ? null : r.GetString(11), r.GetBoolean(12),
        new OportunidadDto(cumplidoEn, atraso is null ? null : atraso == 0, atraso));
    http.Response.Headers.ETag = $"\"{r.GetFieldValue<uint>(8)}\"";
    return Results.Ok(dto);
});
app.MapGet("/health/ready", () => "Healthy");
app.Run();

public sealed record CompromisoDto(int Id, int RecomendacionId, int ProgramaId, string Numero, string Texto,
    string FechaVencimiento, string Calificacion, DateOnly? FechaCalificacion, bool Vencido, string? Tipo, bool Prioritario,
    OportunidadDto Oportunidad);

public sealed record OportunidadDto(DateOnly? CumplidoEn, [property: JsonPropertyName("aTiempo")] bool? ATiempo, int? MesesDeAtraso);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CompromisoDto))]
internal partial class BaselineJson : JsonSerializerContext;
