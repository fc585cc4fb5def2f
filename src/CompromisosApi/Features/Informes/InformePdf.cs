using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace CompromisosApi.Features.Informes;

/// <summary>
/// application/pdf: A4 portrait, the title and header lines, then the seed's three-column table with its header row
/// repeated on every page, and "Página n de m" at the foot of each page.
/// </summary>
/// <remarks>
/// Layout is done here, line by line, with the font's own metrics: words wrap at spaces (a word wider than its
/// column is cut), a line break in an official text starts a new line and a blank line a new paragraph. A row that
/// does not fit in what is left of a page starts on the next one; a row taller than a whole page (a cumplimiento
/// can run for pages) is cut between lines and goes on under the repeated header. Labels are bold; medios follow
/// their label, one title per line. The fonts (DejaVu Sans Condensed, Bitstream Vera licence) are embedded in the
/// assembly, so nothing has to be installed, and subset into the PDF. The same informe gives the same bytes: fixed
/// dates (the egreso or the cut-off, at 00:00 UTC) and IDs derived from the content instead of random ones.
/// </remarks>
public static partial class InformePdf
{
    public const string TipoDeContenido = "application/pdf";

    private const double Margen = 40;
    private const double MargenInferior = 50;
    private const double Relleno = 4;
    private const double TamanoCuerpo = 8.5;

    /// <summary>Room for rounding when comparing measured widths.</summary>
    private const double Tolerancia = 0.01;
    private static readonly double[] AnchosRelativos = [0.27, 0.30, 0.43];

    static InformePdf()
    {
        // Global to PDFsharp, and only this service draws PDFs: set once per process, before any font is used.
        if (GlobalFontSettings.FontResolver is not FuentesIncrustadas) GlobalFontSettings.FontResolver = new FuentesIncrustadas();
    }

    /// <param name="informe">The informe to print.</param>
    /// <param name="ct">Checked at every row and page: a long layout stops when its client has gone.</param>
    public static byte[] Generar(InformeDto informe, CancellationToken ct = default)
    {
        using var documento = new PdfDocument();
        var fecha = informe.FechaEgreso ?? informe.AlCorte;
        var instante = new DateTime(fecha.Year, fecha.Month, fecha.Day, 0, 0, 0, DateTimeKind.Utc);
        documento.Info.Title = $"{informe.Titulo} — {informe.Programa}";
        documento.Info.Subject = informe.Programa;
        documento.Info.Creator = "CompromisosApi";
        documento.Info.CreationDate = instante;
        documento.Info.ModificationDate = instante;
        documento.Language = "es-CL";
        documento.Options.CompressContentStreams = true;
        var huella = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(informe));
        var id = string.Concat(huella.Take(16).Select(b => (char)b));
        documento.Internals.FirstDocumentID = id;
        documento.Internals.SecondDocumentID = id;

        new Maquetador(documento, ct).Maquetar(informe);

        using var salida = new MemoryStream();
        documento.Save(salida, closeStream: false);
        return SinAzar(salida.ToArray(), huella);
    }

    /// <summary>
    /// PDFsharp 6.2 draws two things at random while saving, with no setting to fix them: the six-letter tag of each
    /// font subset ("ILWGDS+DejaVu Sans Condensed") and the XMP DocumentID/InstanceID. Both are rewritten here from
    /// the content's hash, in place and with the same length, so the cross-reference offsets stay valid. They sit in
    /// uncompressed dictionaries and in the uncompressed XMP stream; the determinism test fails if that changes.
    /// </summary>
    private static byte[] SinAzar(byte[] pdf, byte[] huella)
    {
        var texto = Encoding.Latin1.GetString(pdf);
        texto = EtiquetaDeSubconjunto().Replace(texto, m => Etiqueta(huella, m.Groups["fuente"].Value) + "+" + m.Groups["fuente"].Value);
        texto = UuidXmp().Replace(texto, m => new Guid(huella.AsSpan(m.Groups["campo"].Value == "DocumentID" ? 0 : 16, 16)).ToString());
        return Encoding.Latin1.GetBytes(texto);
    }

    /// <summary>Six capital letters, as PDF requires of a subset tag, from the content and the font's name.</summary>
    private static string Etiqueta(byte[] huella, string fuente)
    {
        var h = SHA256.HashData([.. huella, .. Encoding.UTF8.GetBytes(fuente)]);
        return string.Concat(h.Take(6).Select(b => (char)('A' + b % 26)));
    }

    [GeneratedRegex(@"(?<=/(?:BaseFont|FontName)/)[A-Z]{6}\+(?<fuente>[^/\[\]<>()\s]+)")]
    private static partial Regex EtiquetaDeSubconjunto();

    [GeneratedRegex(@"(?<=<xmpMM:(?<campo>DocumentID|InstanceID)>uuid:)[0-9a-fA-F-]{36}")]
    private static partial Regex UuidXmp();

    /// <summary>A run of text in one weight, placed at X within its line.</summary>
    private sealed record Pieza(string Texto, bool Negrita, double X);

    /// <summary>A laid-out line of a cell, or (no pieces) the gap between two paragraphs.</summary>
    private sealed record Renglon(IReadOnlyList<Pieza> Piezas, double Alto);

    /// <summary>A paragraph as runs of text, each regular or bold.</summary>
    private sealed record Parrafo(IReadOnlyList<(string Texto, bool Negrita)> Tramos);

    private sealed class Maquetador
    {
        private readonly PdfDocument _documento;
        private readonly CancellationToken _ct;
        private readonly XFont _normal;
        private readonly XFont _negrita;
        private readonly XFont _titulo;
        private readonly XFont _encabezado;
        private readonly XFont _encabezadoNegrita;
        private readonly XFont _pie;
        private readonly double _altoLinea;
        private readonly Dictionary<(string, bool, double), double> _anchos = [];
        private readonly List<(PdfPage Pagina, XGraphics Lienzo)> _paginas = [];
        private readonly double[] _anchosColumna;
        private readonly double _anchoUtil;
        private double _y;
        private int _filasEnPagina;

        public Maquetador(PdfDocument documento, CancellationToken ct)
        {
            _documento = documento;
            _ct = ct;
            var opciones = new XPdfFontOptions(PdfFontEncoding.Unicode);
            _normal = new XFont(FuentesIncrustadas.Familia, TamanoCuerpo, XFontStyleEx.Regular, opciones);
            _negrita = new XFont(FuentesIncrustadas.Familia, TamanoCuerpo, XFontStyleEx.Bold, opciones);
            _titulo = new XFont(FuentesIncrustadas.Familia, 12, XFontStyleEx.Bold, opciones);
            _encabezado = new XFont(FuentesIncrustadas.Familia, 10, XFontStyleEx.Regular, opciones);
            _encabezadoNegrita = new XFont(FuentesIncrustadas.Familia, 10, XFontStyleEx.Bold, opciones);
            _pie = new XFont(FuentesIncrustadas.Familia, 8, XFontStyleEx.Regular, opciones);
            _altoLinea = _normal.GetHeight();
            _anchoUtil = AnchoA4 - 2 * Margen;
            _anchosColumna = AnchosRelativos.Select(a => a * _anchoUtil).ToArray();
        }

        private static double AnchoA4 => XUnit.FromMillimeter(210).Point;

        private static double AltoA4 => XUnit.FromMillimeter(297).Point;

        private XGraphics Lienzo => _paginas[^1].Lienzo;

        private double Fondo => AltoA4 - MargenInferior;

        public void Maquetar(InformeDto informe)
        {
            NuevaPagina(conCabeceraDeTabla: false);
            Encabezado(informe);
            CabeceraDeTabla();

            foreach (var (recomendacion, compromiso) in Impresion.Filas(informe))
            {
                _ct.ThrowIfCancellationRequested();
                var celdas = Celdas(recomendacion, compromiso)
                    .Select((parrafos, i) => Maquetar(parrafos, _anchosColumna[i] - 2 * Relleno))
                    .ToArray();
                Fila(celdas);
            }

            Pies();
        }

        private void NuevaPagina(bool conCabeceraDeTabla)
        {
            _ct.ThrowIfCancellationRequested();
            var pagina = _documento.AddPage();
            pagina.Width = XUnit.FromPoint(AnchoA4);
            pagina.Height = XUnit.FromPoint(AltoA4);
            _paginas.Add((pagina, XGraphics.FromPdfPage(pagina)));
            _y = Margen;
            _filasEnPagina = 0;
            if (conCabeceraDeTabla) CabeceraDeTabla();
        }

        private void Encabezado(InformeDto informe)
        {
            foreach (var linea in Envolver([(informe.Titulo, true)], _anchoUtil, _titulo, _titulo))
            {
                var ancho = linea.Sum(p => Medir(p.Texto, _titulo));
                Lienzo.DrawString(linea[0].Texto, _titulo, XBrushes.Black, Margen + (_anchoUtil - ancho) / 2, _y, XStringFormats.TopLeft);
                _y += _titulo.GetHeight();
            }

            _y += 8;
            foreach (var (etiqueta, valor) in Impresion.Encabezado(informe))
            {
                List<(string, bool)> tramos = etiqueta is null ? [(valor, false)] : [(etiqueta + " ", true), (valor, false)];
                foreach (var linea in Envolver(tramos, _anchoUtil, _encabezado, _encabezadoNegrita))
                {
                    foreach (var p in linea)
                    {
                        Lienzo.DrawString(p.Texto, p.Negrita ? _encabezadoNegrita : _encabezado, XBrushes.Black, Margen + p.X, _y, XStringFormats.TopLeft);
                    }

                    _y += _encabezado.GetHeight();
                }
            }

            _y += 10;
        }

        private void CabeceraDeTabla()
        {
            string[] columnas = [Impresion.ColumnaRecomendacion, Impresion.ColumnaCompromiso, Impresion.ColumnaCumplimiento];
            var alto = _altoLinea + 2 * Relleno;
            var x = Margen;
            for (var i = 0; i < columnas.Length; i++)
            {
                Lienzo.DrawRectangle(XPens.Black, XBrushes.LightGray, x, _y, _anchosColumna[i], alto);
                Lienzo.DrawString(columnas[i], _negrita, XBrushes.Black, x + Relleno, _y + Relleno, XStringFormats.TopLeft);
                x += _anchosColumna[i];
            }

            _y += alto;
        }

        /// <summary>The three cells, as the seed fills them.</summary>
        private static List<Parrafo>[] Celdas(RecomendacionInformeDto recomendacion, CompromisoInformeDto? compromiso)
        {
            var rec = Parrafos(Impresion.Numerado(recomendacion));
            if (compromiso is null) return [rec, [], []];

            var comp = Parrafos(Impresion.Numerado(compromiso.NumeroEnRecomendacion, compromiso.Texto));
            comp.Add(ConEtiqueta(Impresion.EtiquetaVencimiento, compromiso.FechaVencimientoTexto));

            var cumpl = compromiso.Cumplimiento is null ? [] : Parrafos(compromiso.Cumplimiento);
            cumpl.Add(ConEtiqueta(Impresion.EtiquetaObservacion, compromiso.Observacion));
            cumpl.Add(ConEtiqueta(Impresion.EtiquetaCalificacion, Impresion.CalificacionConFecha(compromiso)));
            if (compromiso.MediosVerificacion.Count > 0)
            {
                // As the seed prints them: the first title after the label, each further one on a line of its own.
                var medios = new List<(string, bool)> { (Impresion.EtiquetaMedios + " ", true) };
                foreach (var (titulo, i) in compromiso.MediosVerificacion.Select((t, i) => (t, i)))
                {
                    medios.Add(((i == 0 ? "" : "\n") + titulo, false));
                }

                cumpl.Add(new Parrafo(medios));
            }

            return [rec, comp, cumpl];
        }

        private static List<Parrafo> Parrafos(string texto) =>
            texto.ReplaceLineEndings("\n").Split("\n\n").Select(p => new Parrafo([(p, false)])).ToList();

        private static Parrafo ConEtiqueta(string etiqueta, string? valor) =>
            string.IsNullOrEmpty(valor) ? new Parrafo([(etiqueta, true)]) : new Parrafo([(etiqueta + " ", true), (valor, false)]);

        /// <summary>Lays out a cell's paragraphs in a column, with a third of a line between paragraphs.</summary>
        private List<Renglon> Maquetar(List<Parrafo> parrafos, double ancho)
        {
            var renglones = new List<Renglon>();
            foreach (var parrafo in parrafos)
            {
                if (renglones.Count > 0) renglones.Add(new Renglon([], _altoLinea / 3));
                renglones.AddRange(Envolver(parrafo.Tramos, ancho, _normal, _negrita).Select(l => new Renglon(l, _altoLinea)));
            }

            return renglones;
        }

        /// <summary>
        /// Greedy line wrapping at spaces. A "\n" forces a new line. The spaces where a line is cut are dropped; the
        /// others are drawn, inside the piece before the next word, so copied or extracted text keeps its spaces.
        /// </summary>
        private List<List<Pieza>> Envolver(IReadOnlyList<(string Texto, bool Negrita)> tramos, double ancho, XFont normal, XFont negrita)
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

        private double Medir(string texto, XFont fuente)
        {
            var clave = (texto, fuente.Bold, fuente.Size);
            if (!_anchos.TryGetValue(clave, out var w))
            {
                w = Lienzo.MeasureString(texto, fuente).Width;
                _anchos[clave] = w;
            }

            return w;
        }

        /// <summary>
        /// Draws a row. Whole if it fits; on a new page if it fits there; otherwise cut between lines across pages.
        /// </summary>
        private void Fila(List<Renglon>[] celdas)
        {
            var alto = celdas.Max(Alto) + 2 * Relleno;
            var altoDePagina = Fondo - Margen - (_altoLinea + 2 * Relleno);
            var restante = Fondo - _y;
            if (alto > restante)
            {
                // A row that fits on a page of its own starts on the next one, unless no row is on this page yet (its
                // header row would be left alone); a longer one starts here if a few lines fit, and goes on.
                var alSiguiente = alto <= altoDePagina && _filasEnPagina > 0;
                if (alSiguiente || restante < 2 * Relleno + 3 * _altoLinea) NuevaPagina(conCabeceraDeTabla: true);
            }

            var pendientes = celdas.Select(c => new Queue<Renglon>(c)).ToArray();
            while (true)
            {
                var disponible = Fondo - _y - 2 * Relleno;
                var tramo = pendientes.Select(q => Tomar(q, disponible)).ToArray();
                if (tramo.All(t => t.Count == 0) && pendientes.Any(q => q.Count > 0))
                {
                    if (_filasEnPagina == 0) throw new InvalidOperationException("Una línea del informe no cabe en una página.");
                    NuevaPagina(conCabeceraDeTabla: true);
                    continue;
                }

                var altoTramo = tramo.Max(Alto) + 2 * Relleno;
                var x = Margen;
                for (var i = 0; i < tramo.Length; i++)
                {
                    Lienzo.DrawRectangle(XPens.Black, x, _y, _anchosColumna[i], altoTramo);
                    var y = _y + Relleno;
                    foreach (var renglon in tramo[i])
                    {
                        foreach (var p in renglon.Piezas)
                        {
                            Lienzo.DrawString(p.Texto, p.Negrita ? _negrita : _normal, XBrushes.Black, x + Relleno + p.X, y, XStringFormats.TopLeft);
                        }

                        y += renglon.Alto;
                    }

                    x += _anchosColumna[i];
                }

                _y += altoTramo;
                _filasEnPagina++;
                if (pendientes.All(q => q.Count == 0)) return;
                NuevaPagina(conCabeceraDeTabla: true);
            }
        }

        private static double Alto(IEnumerable<Renglon> renglones) => renglones.Sum(r => r.Alto);

        /// <summary>The lines of a cell that fit in the height; a paragraph gap is not carried to the top of a page.</summary>
        private static List<Renglon> Tomar(Queue<Renglon> cola, double disponible)
        {
            var tomados = new List<Renglon>();
            var usado = 0.0;
            while (cola.Count > 0 && usado + cola.Peek().Alto <= disponible + Tolerancia)
            {
                var r = cola.Dequeue();
                if (tomados.Count == 0 && r.Piezas.Count == 0) continue;
                tomados.Add(r);
                usado += r.Alto;
            }

            while (tomados.Count > 0 && tomados[^1].Piezas.Count == 0) tomados.RemoveAt(tomados.Count - 1);
            return tomados;
        }

        private void Pies()
        {
            var total = _paginas.Count;
            for (var i = 0; i < total; i++)
            {
                var lienzo = _paginas[i].Lienzo;
                var texto = $"Página {i + 1} de {total}";
                var ancho = Medir(texto, _pie);
                lienzo.DrawString(texto, _pie, XBrushes.Black, (AnchoA4 - ancho) / 2, AltoA4 - MargenInferior + 18, XStringFormats.TopLeft);
                lienzo.Dispose();
            }
        }
    }
}

/// <summary>
/// PDFsharp needs its fonts handed to it on Linux. These ship inside the assembly (Features/Informes/Fuentes, with
/// their licence), so the PDF looks the same on every machine and needs no font package.
/// </summary>
internal sealed class FuentesIncrustadas : IFontResolver
{
    public const string Familia = "DejaVu Sans Condensed";
    private const string Normal = "DejaVuSansCondensed";
    private const string Negrita = "DejaVuSansCondensed-Bold";

    private static readonly Lazy<byte[]> BytesNormal = new(() => Leer(Normal));
    private static readonly Lazy<byte[]> BytesNegrita = new(() => Leer(Negrita));

    // Any family asked for gets ours: the informe uses only this one, and a missing font must not fail a report.
    public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? Negrita : Normal, false, isItalic);

    public byte[] GetFont(string faceName) => faceName == Negrita ? BytesNegrita.Value : BytesNormal.Value;

    private static byte[] Leer(string nombre)
    {
        using var flujo = typeof(FuentesIncrustadas).Assembly.GetManifestResourceStream($"CompromisosApi.Fuentes.{nombre}.ttf")
            ?? throw new InvalidOperationException($"Falta la fuente incrustada {nombre}.");
        using var copia = new MemoryStream();
        flujo.CopyTo(copia);
        return copia.ToArray();
    }
}
