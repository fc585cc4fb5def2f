using System.Globalization;
using System.Text;

namespace CompromisosApi.Common;

/// <summary>
/// RFC 4180 CSV: comma-separated, CRLF after every record (the header too), a field quoted when it holds a comma, a
/// quote, CR or LF, and quotes inside doubled. Texts go out verbatim, newlines included: they are official records.
/// </summary>
public static class Csv
{
    /// <summary>header=present is RFC 4180's own parameter for a first line of names.</summary>
    public const string TipoDeContenido = "text/csv; charset=utf-8; header=present";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes the header and then each row as the database yields it. The file starts with a UTF-8 BOM: Excel, which
    /// most people in Chile open a .csv with, reads a file without it as Windows-1252 and garbles every accent and
    /// ñ; RFC 4180 allows it, and common CSV readers skip it (Python needs encoding="utf-8-sig"). Note that Excel
    /// in a Spanish locale expects ';' between fields: for spreadsheets, the .xlsx export is the right one; the CSV
    /// is for programs and open-data portals.
    /// </summary>
    public static async Task EscribirAsync<T>(Stream destino, IReadOnlyList<Columna<T>> columnas, IAsyncEnumerable<T> filas, CancellationToken ct)
    {
        var escritor = new StreamWriter(destino, Utf8, bufferSize: 16 * 1024, leaveOpen: true);
        await using (escritor.ConfigureAwait(false))
        {
            var linea = new StringBuilder();
            linea.Append('\uFEFF');
            AgregarLinea(linea, columnas.Select(c => c.Nombre));
            await foreach (var fila in filas.WithCancellation(ct))
            {
                AgregarLinea(linea, columnas.Select(c => Texto(c.Valor(fila))));
                // The writer sends its buffer (asynchronously) whenever it fills: rows leave as they come.
                await escritor.WriteAsync(linea, ct);
                linea.Clear();
            }

            await escritor.WriteAsync(linea, ct);
            await escritor.FlushAsync(ct);
        }
    }

    /// <summary>A field as RFC 4180 wants it: quoted only when it must be, with its quotes doubled.</summary>
    public static string Campo(string valor) =>
        valor.AsSpan().IndexOfAny(",\"\r\n") < 0 ? valor : "\"" + valor.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Values as the JSON writes them: invariant numbers, true/false, ISO dates, enum names.</summary>
    public static string Texto(object? valor) => valor switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => valor.ToString() ?? "",
    };

    private static void AgregarLinea(StringBuilder linea, IEnumerable<string> campos)
    {
        var primero = true;
        foreach (var campo in campos)
        {
            if (!primero) linea.Append(',');
            linea.Append(Campo(campo));
            primero = false;
        }

        linea.Append("\r\n");
    }
}
