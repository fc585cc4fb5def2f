using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Common;

public enum FormatoLista
{
    Json,
    Csv,
    Xlsx,
}

/// <summary>One column of an export: its header (camelCase, as in the JSON) and its value for a row.</summary>
public sealed record Columna<T>(string Nombre, Func<T, object?> Valor);

/// <summary>
/// Open-data exports of a list: every row that matches its filters, not a page, written to the response as the
/// database returns them (the rows are never all in memory). JSON stays the default and stays paginated.
/// </summary>
public static class Exportacion
{
    public const string TipoCsv = "text/csv";
    public const string TipoXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly string[] Formatos = ["json", "csv", "xlsx"];

    /// <summary>The representations of a list, in the server's order of preference: JSON first.</summary>
    private static readonly string[] Tipos = ["application/json", TipoCsv, TipoXlsx];

    /// <summary>
    /// ?formato= wins (a link in a portal can't set headers); otherwise Accept (<see cref="Negociacion"/>). When Accept
    /// admits none of them (a browser's text/html), the default JSON, as every list answers. An unknown formato also
    /// falls to JSON here, so that the list's validator answers 400 naming it.
    /// </summary>
    public static FormatoLista Elegir(string? formato, HttpRequest request) => formato switch
    {
        "csv" => FormatoLista.Csv,
        "xlsx" => FormatoLista.Xlsx,
        not null => FormatoLista.Json,
        _ => (FormatoLista)(Negociacion.Elegir(Tipos, request.Headers.Accept) ?? 0),
    };

    /// <summary>"compromisos-2026-11-26.csv": what was exported and on which day (Chile's date).</summary>
    public static string NombreDeArchivo(string recurso, DateOnly hoy, FormatoLista formato) =>
        $"{recurso}-{hoy.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{(formato == FormatoLista.Csv ? "csv" : "xlsx")}";

    /// <summary>
    /// The export as an attachment. It is written whole to a temporary file first: the rows are read in one statement
    /// (one consistent snapshot) at the database's pace, and its connection goes back to the pool before the first byte
    /// leaves, so a slow client holds a transfer slot (<see cref="LimiteDeTransferencias"/>) and a file, never a
    /// connection. A failure while reading is still a problem+json, since nothing has been sent yet.
    /// </summary>
    public static async Task<IResult> ResultadoAsync<T>(
        HttpContext http, FormatoLista formato, string recurso, DateOnly hoy, IReadOnlyList<Columna<T>> columnas, IAsyncEnumerable<T> filas,
        CancellationToken ct)
    {
        var limite = http.RequestServices.GetRequiredService<LimiteDeTransferencias>();
        limite.Tomar(http);
        var archivo = ArchivoTemporal.Crear();
        try
        {
            var tipo = formato switch
            {
                FormatoLista.Csv => Csv.TipoDeContenido,
                FormatoLista.Xlsx => TipoXlsx,
                _ => throw new ArgumentOutOfRangeException(nameof(formato)),
            };
            using (await limite.ConexionAsync(ct))
            {
                if (formato == FormatoLista.Csv) await Csv.EscribirAsync(archivo, columnas, filas, ct);
                else await Xlsx.EscribirAsync(archivo, recurso, columnas, filas, ct);
            }

            await archivo.FlushAsync(ct);
            archivo.Position = 0;
            // The result disposes the file after sending it, which deletes it.
            return TypedResults.File(archivo, tipo, NombreDeArchivo(recurso, hoy, formato));
        }
        catch
        {
            await archivo.DisposeAsync();
            throw;
        }
    }

}

/// <summary>
/// Between a writer that makes some synchronous writes and the response body, which forbids them (Kestrel disallows
/// synchronous IO: a blocked write would hold a thread-pool thread for as long as the client is slow). ZipArchive
/// writes an entry's data descriptor and the central directory synchronously, even through .NET 10's async API, on
/// a non-seekable stream. Here every write only lands in memory, and the asynchronous writes send the pending bytes
/// once they reach a chunk: memory stays at about one chunk, whatever the size of the file.
/// </summary>
internal sealed class SalidaPorTramos(Stream destino, int tramo = 64 * 1024) : FlujoDeSalida
{
    private readonly MemoryStream _pendiente = new();

    public override void Write(byte[] buffer, int offset, int count) => _pendiente.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _pendiente.Write(buffer);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pendiente.Write(buffer.Span);
        if (_pendiente.Length >= tramo) await EnviarAsync(cancellationToken);
    }

    /// <summary>Synchronous flushes keep the bytes for the next asynchronous write or flush.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await EnviarAsync(cancellationToken);
        await destino.FlushAsync(cancellationToken);
    }

    private async Task EnviarAsync(CancellationToken ct)
    {
        if (_pendiente.Length == 0) return;
        await destino.WriteAsync(_pendiente.GetBuffer().AsMemory(0, (int)_pendiente.Length), ct);
        _pendiente.SetLength(0);
    }
}

