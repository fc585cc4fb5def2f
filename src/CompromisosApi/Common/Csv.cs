using System.Globalization;
using System.Text;

namespace CompromisosApi.Common;

/// <summary>
/// RFC 4180 CSV: comma-separated, CRLF after every record (the header too), a field quoted when it holds a comma, a
/// quote, CR or LF (or a semicolon or tab, see <see cref="Campo"/>), and quotes inside doubled. Texts go out verbatim,
/// newlines included, except that a text a spreadsheet would read as a formula is neutralised
/// (<see cref="Neutralizar"/>); the JSON keeps it as it is.
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
                AgregarLinea(linea, columnas.Select(c => Celda(c.Valor(fila))));
                // The writer sends its buffer (asynchronously) whenever it fills: rows leave as they come.
                await escritor.WriteAsync(linea, ct);
                linea.Clear();
            }

            await escritor.WriteAsync(linea, ct);
            await escritor.FlushAsync(ct);
        }
    }

    /// <summary>
    /// A field as RFC 4180 wants it: quoted when it must be, with its quotes doubled. Also quoted when it holds a
    /// semicolon or a tab: a spreadsheet in a locale that splits on ';' (Excel in Spanish), or a reader told to split
    /// on tabs, would otherwise start a new cell in the middle of a text, and that cell could begin with '='
    /// (OWASP's CSV Injection page warns of exactly that). Quoted, the separator stays inside the text.
    /// </summary>
    public static string Campo(string valor) =>
        valor.AsSpan().IndexOfAny(",;\t\"\r\n") < 0 ? valor : "\"" + valor.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").</summary>
    private const string InicioDeFormula = "=+-@\t\r";

    /// <summary>
    /// OWASP's remedy for formula injection: a text whose first character is =, +, -, @, tab or CR gets a single
    /// quote in front, which spreadsheets take as "this cell is text" (Excel hides it). Leading whitespace before such a
    /// character counts as well, since some spreadsheets trim it on import. Only texts: the numbers,
    /// dates and booleans the service writes itself are never formulas, and none of them starts with '-'.
    /// </summary>
    public static string Neutralizar(string texto)
    {
        foreach (var c in texto)
        {
            if (InicioDeFormula.Contains(c)) return "'" + texto;
            if (!char.IsWhiteSpace(c)) break;
        }

        return texto;
    }

    /// <summary>A cell's text: <see cref="Texto"/>, with texts neutralised.</summary>
    public static string Celda(object? valor) => valor is string s ? Neutralizar(s) : Texto(valor);

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
