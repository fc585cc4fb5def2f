using System.Text;

namespace CompromisosApi.Features.Informes;

/// <summary>
/// text/plain: the seed report's layout and wording, one line per header item and one block per compromiso:
/// <c>&lt;n&gt;. &lt;recomendación&gt; | &lt;m&gt;. &lt;compromiso&gt; Fecha de Vencimiento: &lt;Mes yyyy&gt; | &lt;cumplimiento&gt;
/// Observación: &lt;obs&gt; Calificación: &lt;valor&gt; (&lt;dd-MM-yyyy&gt;) Medios de Verificación: &lt;títulos&gt;</c>.
/// </summary>
/// <remarks>
/// Official texts appear verbatim, line breaks included, so each one can be found whole in the output: a
/// multi-paragraph cumplimiento keeps its own line breaks and blank lines, and the block goes on after its last line.
/// Blocks are separated by one blank line. An empty observación prints the bare label, as the seed does; a
/// compromiso without medios has no "Medios de Verificación:" (as the seed's 2.1, 3.1 and 4.1); with several, the
/// first follows the label and each further title takes a line of its own, as the seed prints 1.1's. A Pendiente
/// prints no date ("Calificación: Pendiente"); a recomendación still without compromisos prints as
/// "&lt;n&gt;. &lt;recomendación&gt; | |". Lines end in "\n", the text in one final "\n".
/// </remarks>
public static class InformeTexto
{
    public const string TipoDeContenido = "text/plain; charset=utf-8";

    public static string Generar(InformeDto informe)
    {
        var sb = new StringBuilder();
        sb.Append(informe.Titulo).Append('\n');
        foreach (var (etiqueta, valor) in Impresion.Encabezado(informe))
        {
            sb.Append(etiqueta is null ? valor : Impresion.ConEtiqueta(etiqueta, valor)).Append('\n');
        }

        sb.Append($"{Impresion.ColumnaRecomendacion} | {Impresion.ColumnaCompromiso} | {Impresion.ColumnaCumplimiento}\n");

        var primera = true;
        foreach (var (recomendacion, compromiso) in Impresion.Filas(informe))
        {
            if (!primera) sb.Append('\n');
            primera = false;
            sb.Append(Impresion.Numerado(recomendacion)).Append(" | ");
            if (compromiso is null)
            {
                sb.Append("|\n");
                continue;
            }

            sb.Append(Impresion.Numerado(compromiso.NumeroEnRecomendacion, compromiso.Texto))
                .Append(' ').Append(Impresion.ConEtiqueta(Impresion.EtiquetaVencimiento, compromiso.FechaVencimientoTexto))
                .Append(" | ");
            if (compromiso.Cumplimiento is not null) sb.Append(compromiso.Cumplimiento).Append(' ');
            sb.Append(Impresion.ConEtiqueta(Impresion.EtiquetaObservacion, compromiso.Observacion))
                .Append(' ').Append(Impresion.ConEtiqueta(Impresion.EtiquetaCalificacion, Impresion.CalificacionConFecha(compromiso)));
            for (var i = 0; i < compromiso.MediosVerificacion.Count; i++)
            {
                sb.Append(i == 0 ? ' ' : '\n');
                sb.Append(i == 0 ? Impresion.ConEtiqueta(Impresion.EtiquetaMedios, compromiso.MediosVerificacion[0]) : compromiso.MediosVerificacion[i]);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
