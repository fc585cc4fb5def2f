using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CompromisosApi.Features.Trazas;

public static class ExportarTrazasEndpoint
{
    /// <summary>JSON Lines (one JSON object per line, UTF-8, \n): the media type the common log shippers read.</summary>
    public const string TipoJsonLines = "application/x-ndjson";

    public static RouteHandlerBuilder MapExportarTrazas(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("/exportacion", async Task<IResult> ([AsParameters] ExportarTrazas q, IMediator m, HttpContext http, LimiteDeTransferencias limite,
                IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
            {
                var lotes = await m.Send(q, ct);
                limite.Tomar(http);
                // The first tramo before the answer starts: a database that does not answer is still a 503.
                await using var tramos = lotes.GetAsyncEnumerator(ct);
                var hay = await tramos.MoveNextAsync();
                http.Response.ContentType = TipoJsonLines + "; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"trazas-{q.Fecha:yyyy-MM-dd}.jsonl\"";
                // Started now: the headers go out also for a day without traces (an empty file).
                await http.Response.StartAsync(ct);
                var buffer = new ArrayBufferWriter<byte>(64 * 1024);
                await using var escritor = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = json.Value.SerializerOptions.Encoder, SkipValidation = true });
                for (; hay; hay = await tramos.MoveNextAsync())
                {
                    foreach (var t in tramos.Current)
                    {
                        JsonSerializer.Serialize(escritor, t, json.Value.SerializerOptions);
                        escritor.Flush();
                        escritor.Reset();
                        buffer.Write("\n"u8);
                    }

                    await http.Response.Body.WriteAsync(buffer.WrittenMemory, ct);
                    buffer.Clear();
                }

                return Results.Empty;
            })
            .WithMetadata(new RespuestaBinariaAttribute(TipoJsonLines, adjunto: true))
            .Documentar("ExportarTrazas", "Exporta las trazas de un día (JSON Lines, para el registro central de trazas)",
                "Todas las trazas del día fecha (yyyy-MM-dd, en UTC: de 00:00 a 24:00 UTC) como JSON Lines (" + TipoJsonLines + "): un " +
                "objeto Traza por línea, terminada en \\n, en orden de ocurridaEn y luego id, como adjunto trazas-<aaaa-mm-dd>.jsonl. " +
                "Se envía mientras se lee, en tramos de 5.000 trazas, sin retener una conexión a la base de datos mientras el cliente " +
                "lee. La norma permite entregarlas al registro central en lotes dentro de 48 horas: exporte cada día ya cerrado. " +
                "Las exportaciones en curso están acotadas por dirección (429) y en total (503). Solo administradores.")
            .Errores(400, 429)
            .Requiere(Politicas.Trazas);
}

/// <param name="Fecha" example="2026-11-30">El día (UTC) a exportar, yyyy-MM-dd.</param>
public sealed record ExportarTrazas(DateOnly Fecha) : IQuery<IAsyncEnumerable<IReadOnlyList<TrazaDto>>>;

public sealed class ExportarTrazasValidator : AbstractValidator<ExportarTrazas>
{
    public ExportarTrazasValidator() =>
        RuleFor(x => x.Fecha).InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31)).WithMessage("Debe ser un día entre 2000 y 2100.");
}

public sealed class ExportarTrazasHandler(CompromisosDbContext db, LimiteDeTransferencias limite) : IQueryHandler<ExportarTrazas, IAsyncEnumerable<IReadOnlyList<TrazaDto>>>
{
    private const int Tramo = 5_000;

    public ValueTask<IAsyncEnumerable<IReadOnlyList<TrazaDto>>> Handle(ExportarTrazas q, CancellationToken ct) => ValueTask.FromResult(Lotes(q.Fecha));

    /// <summary>
    /// Keyset tramos on (ocurrida_en, id), one query each on a connection of the transfers' share, released before the
    /// tramo is sent: a client that reads slowly holds a socket, never the database.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<TrazaDto>> Lotes(DateOnly fecha, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var desde = new DateTimeOffset(fecha.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var hasta = desde.AddDays(1);
        var ultimoEn = desde;
        var ultimoId = 0L;
        while (true)
        {
            List<Traza> filas;
            using (await limite.ConexionAsync(ct))
            {
                var en = ultimoEn;
                var id = ultimoId;
                filas = await db.Trazas.AsNoTracking()
                    .Where(t => t.OcurridaEn >= desde && t.OcurridaEn < hasta && (t.OcurridaEn > en || (t.OcurridaEn == en && t.Id > id)))
                    .OrderBy(t => t.OcurridaEn).ThenBy(t => t.Id)
                    .Take(Tramo)
                    .ToListAsync(ct);
            }

            if (filas.Count == 0) yield break;
            yield return filas.Select(TrazaDto.Desde).ToList();
            if (filas.Count < Tramo) yield break;
            (ultimoEn, ultimoId) = (filas[^1].OcurridaEn, filas[^1].Id);
        }
    }
}
