using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CompromisosApi.Features.Informes;

/// <summary>
/// The pages of the PDF informe: title and header lines, then the seed's three-column table with its header row
/// repeated on every page, and "Página n de m" at the foot. A row that does not fit in what is left of a page starts on
/// the next one; a row taller than a whole page (a cumplimiento can run for pages) is cut between lines and goes on
/// under the repeated header. Labels are bold; medios follow their label, one title per line.
/// </summary>
internal sealed class MaquetadorPdf
{
    private const double Margen = 40;
    private const double MargenInferior = 50;
    private const double Relleno = 4;
    private const double TamanoCuerpo = 8.5;
    private const double Tolerancia = RenglonesPdf.Tolerancia;
    private static readonly double[] AnchosRelativos = [0.27, 0.30, 0.43];

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
    private readonly RenglonesPdf _renglones;
    private double _y;
    private int _filasEnPagina;

    public MaquetadorPdf(PdfDocument documento, CancellationToken ct)
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
        _renglones = new RenglonesPdf(Medir);
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
        foreach (var linea in _renglones.Envolver([(informe.Titulo, true)], _anchoUtil, _titulo, _titulo))
        {
            var ancho = linea.Sum(p => Medir(p.Texto, _titulo));
            Lienzo.DrawString(linea[0].Texto, _titulo, XBrushes.Black, Margen + (_anchoUtil - ancho) / 2, _y, XStringFormats.TopLeft);
            _y += _titulo.GetHeight();
        }

        _y += 8;
        foreach (var (etiqueta, valor) in Impresion.Encabezado(informe))
        {
            List<(string, bool)> tramos = etiqueta is null ? [(valor, false)] : [(etiqueta + " ", true), (valor, false)];
            foreach (var linea in _renglones.Envolver(tramos, _anchoUtil, _encabezado, _encabezadoNegrita))
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
            renglones.AddRange(_renglones.Envolver(parrafo.Tramos, ancho, _normal, _negrita).Select(l => new Renglon(l, _altoLinea)));
        }

        return renglones;
    }

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
