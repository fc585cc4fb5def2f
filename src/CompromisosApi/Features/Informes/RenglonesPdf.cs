using PdfSharp.Drawing;

namespace CompromisosApi.Features.Informes;

/// <summary>A run of text in one weight, placed at X within its line.</summary>
internal sealed record Pieza(string Texto, bool Negrita, double X);

/// <summary>A laid-out line of a cell, or (no pieces) the gap between two paragraphs.</summary>
internal sealed record Renglon(IReadOnlyList<Pieza> Piezas, double Alto);

/// <summary>A paragraph as runs of text, each regular or bold.</summary>
internal sealed record Parrafo(IReadOnlyList<(string Texto, bool Negrita)> Tramos);

/// <summary>
/// Text into lines of a given width, with the font's own metrics: words wrap at spaces (a word wider than its column
/// is cut), a "\n" starts a new line. Widths come from the page being drawn (<see cref="MaquetadorPdf"/>), measured once
/// per text and font.
/// </summary>
internal sealed class RenglonesPdf(Func<string, XFont, double> medir)
{
    /// <summary>Room for rounding when comparing measured widths.</summary>
    public const double Tolerancia = 0.01;

    private double Medir(string texto, XFont fuente) => medir(texto, fuente);

    /// <summary>
    /// Greedy line wrapping at spaces. A "\n" forces a new line. The spaces where a line is cut are dropped; the
    /// others are drawn, inside the piece before the next word, so copied or extracted text keeps its spaces.
    /// </summary>
    public List<List<Pieza>> Envolver(IReadOnlyList<(string Texto, bool Negrita)> tramos, double ancho, XFont normal, XFont negrita)
    {
        var lineas = new List<List<Pieza>>();
        var linea = new List<Pieza>();
        var x = 0.0;
        var inicioDeRenglon = true; // at the start of the text or right after a "\n": leading spaces are kept
        (string Texto, bool Negrita)? espacios = null; // drawn only if a word follows on the same line

        XFont Fuente(bool enNegrita) => enNegrita ? negrita : normal;

        void Cerrar()
        {
            lineas.Add(linea);
            linea = [];
            x = 0;
        }

        void Poner(string texto, bool enNegrita)
        {
            if (linea.Count > 0 && linea[^1].Negrita == enNegrita) linea[^1] = linea[^1] with { Texto = linea[^1].Texto + texto };
            else linea.Add(new Pieza(texto, enNegrita, x));
            x += Medir(texto, Fuente(enNegrita));
        }

        foreach (var (texto, enNegrita) in tramos)
        {
            foreach (var token in Fichas(Visible(texto)))
            {
                if (token == "\n")
                {
                    Cerrar();
                    inicioDeRenglon = true;
                    espacios = null;
                    continue;
                }

                if (token[0] == ' ')
                {
                    espacios = espacios is { } e ? (e.Texto + token, e.Negrita) : (token, enNegrita);
                    continue;
                }

                var fuente = Fuente(enNegrita);
                var anchoEspacios = espacios is { } s ? Medir(s.Texto, Fuente(s.Negrita)) : 0;
                if (linea.Count > 0 && x + anchoEspacios + Medir(token, fuente) > ancho + Tolerancia)
                {
                    Cerrar();
                    espacios = null;
                }
                else if (linea.Count == 0 && !inicioDeRenglon)
                {
                    espacios = null;
                }

                if (espacios is { } sp) Poner(sp.Texto, sp.Negrita);
                espacios = null;
                inicioDeRenglon = false;

                // A word wider than the whole column is cut where it fills a line.
                var palabra = token;
                while (x + Medir(palabra, fuente) > ancho + Tolerancia)
                {
                    var corte = Corte(palabra, fuente, ancho - x);
                    Poner(palabra[..corte], enNegrita);
                    Cerrar();
                    palabra = palabra[corte..];
                }

                Poner(palabra, enNegrita);
            }
        }

        lineas.Add(linea);
        return lineas;
    }

    /// <summary>"\n", runs of spaces and runs of anything else, in order.</summary>
    private static IEnumerable<string> Fichas(string texto)
    {
        var inicio = 0;
        while (inicio < texto.Length)
        {
            var c = texto[inicio];
            var fin = inicio + 1;
            if (c != '\n')
            {
                var espacio = c == ' ';
                while (fin < texto.Length && texto[fin] != '\n' && (texto[fin] == ' ') == espacio) fin++;
            }

            yield return texto[inicio..fin];
            inicio = fin;
        }
    }

    /// <summary>
    /// How many characters of the word fit in the width; at least one (two for a surrogate pair), so the layout
    /// always advances. Widths add up (PDFsharp applies no kerning), so this is linear in the word's length.
    /// </summary>
    private int Corte(string palabra, XFont fuente, double disponible)
    {
        var n = char.IsHighSurrogate(palabra[0]) && palabra.Length > 1 ? 2 : 1;
        var usado = Medir(palabra[..n], fuente);
        while (n < palabra.Length)
        {
            var paso = char.IsHighSurrogate(palabra[n]) && n + 1 < palabra.Length ? 2 : 1;
            var w = Medir(palabra.Substring(n, paso), fuente);
            if (usado + w > disponible + Tolerancia) break;
            usado += w;
            n += paso;
        }

        return n;
    }

    /// <summary>Tabs and other control characters have no glyph: drawn as spaces (the record keeps them).</summary>
    private static string Visible(string texto) =>
        texto.Any(c => c != '\n' && char.IsControl(c))
            ? string.Concat(texto.Select(c => c != '\n' && char.IsControl(c) ? ' ' : c))
            : texto;
}
