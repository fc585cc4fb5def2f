namespace CompromisosApi.Common;

/// <summary>
/// Bounds on official texts: generous (a cumplimiento can run for pages), but finite, so no single request can
/// fill the database or a page of results.
/// </summary>
public static class Validacion
{
    public const int LargoNombre = 300;

    /// <summary>Who wrote something: a user's name or a token's subject.</summary>
    public const int LargoUsuario = 300;

    public const int LargoSigla = 30;

    /// <summary>An evaluation line's code (EPG, EI …).</summary>
    public const int LargoCodigoLinea = 10;

    /// <summary>The column of a tipo de compromiso's catalog code ("SistemasDeInformacion").</summary>
    public const int LargoCodigoTipo = 30;

    /// <summary>A ministerio's code: its partida, "PP" (<see cref="Domain.CodigosPresupuestarios"/>).</summary>
    public const int LargoCodigoMinisterio = 2;

    /// <summary>A servicio's code: partida.capítulo, "PP.CC".</summary>
    public const int LargoCodigoServicio = 5;

    /// <summary>A programa's codigoPresupuestario: partida.capítulo.programa, "PP.CC.NN".</summary>
    public const int LargoCodigoPrograma = 8;

    /// <summary>Programa names are part of a unique index; 500 characters stay within PostgreSQL's btree limit.</summary>
    public const int LargoNombrePrograma = 500;

    public const int LargoTitulo = 1_000;
    public const int LargoTexto = 20_000;
    public const int LargoCumplimiento = 200_000;

    /// <summary>Longest evidence file name kept (characters).</summary>
    public const int LargoNombreArchivo = 255;

    /// <summary>Longest webhook receiver URL.</summary>
    public const int LargoUrl = 2000;

    /// <summary>Official texts are stored verbatim, but one that is blank carries nothing and is refused.</summary>
    public static IRuleBuilderOptions<T, string?> TextoObligatorio<T>(this IRuleBuilder<T, string?> regla, int largoMaximo) =>
        regla.NotEmpty().WithMessage("Es obligatorio y no puede estar en blanco.").TextoOpcional(largoMaximo);

    /// <summary>PostgreSQL text can't hold the NUL character; it is refused here, not discovered on insert.</summary>
    public static IRuleBuilderOptions<T, string?> TextoOpcional<T>(this IRuleBuilder<T, string?> regla, int largoMaximo) =>
        regla.MaximumLength(largoMaximo).WithMessage($"Admite a lo más {largoMaximo} caracteres.")
            .Must(t => t is null || !t.Contains('\0')).WithMessage("No puede contener el carácter nulo (U+0000).");

    /// <summary>A code of the budget law's structure, null or matching its pattern (the contract shows the same pattern).</summary>
    public static IRuleBuilderOptions<T, string?> Codigo<T>(this IRuleBuilder<T, string?> regla, Func<string?, bool> esValido, string forma) =>
        regla.Must(esValido).WithMessage($"Debe tener la forma {forma} (dígitos), como en la Ley de Presupuestos, o ser null.");

    public static IRuleBuilderOptions<T, string?> CodigoMinisterio<T>(this IRuleBuilder<T, string?> regla) =>
        regla.Codigo(Domain.CodigosPresupuestarios.EsPartida, "PP (la partida: \"13\")");

    public static IRuleBuilderOptions<T, string?> CodigoServicio<T>(this IRuleBuilder<T, string?> regla) =>
        regla.Codigo(Domain.CodigosPresupuestarios.EsCapitulo, "PP.CC (partida.capítulo: \"13.03\")");

    public static IRuleBuilderOptions<T, string?> CodigoPrograma<T>(this IRuleBuilder<T, string?> regla) =>
        regla.Codigo(Domain.CodigosPresupuestarios.EsPrograma, "PP.CC.NN (partida.capítulo.programa: \"13.03.01\")");

    /// <summary>A 400 naming one field, for what only the handler can judge (a code against its parent's, read under lock).</summary>
    public static ValidationException Invalido(string campo, string mensaje) =>
        new([new FluentValidation.Results.ValidationFailure(campo, mensaje)]);

    /// <summary>The first year of an evaluation the record holds (the program evaluations began in 1997).</summary>
    public const int PrimerAnioEvaluacion = 1997;

    public static IRuleBuilderOptions<T, int> Id<T>(this IRuleBuilder<T, int> regla) =>
        regla.GreaterThan(0).WithMessage("Debe ser un id positivo.");

    /// <summary>
    /// alCorte within the record's years; conocidoAl not after now: the record as known at a future instant is not known
    /// yet (writes until then would change the answer), and a past one never changes.
    /// </summary>
    public static void ReglasDeMomento<T>(this AbstractValidator<T> v, TimeProvider reloj) where T : Persistence.ILecturaAlMomento
    {
        v.RuleFor(x => x.AlCorte).EsFechaRazonable();
        v.RuleFor(x => x.ConocidoAl).YaOcurrido(reloj)
            // Without alCorte its day in Chile is the cut-off, which alCorte's own bounds hold (found by an outside review).
            .Must(t => t is null || Calendario.EnChile(t.Value).Year >= Meses.AnioMinimo)
            .WithMessage($"Su día en Chile (el corte que toma sin alCorte) no puede ser anterior a {Meses.AnioMinimo}.");
    }

    public static IRuleBuilderOptions<T, DateTimeOffset?> YaOcurrido<T>(this IRuleBuilder<T, DateTimeOffset?> regla, TimeProvider reloj) =>
        regla.Must(t => t is null || t <= reloj.GetUtcNow())
            .WithMessage("No puede ser posterior al instante actual: el registro tal como se conocerá en el futuro aún no existe.");

    /// <summary>A calificación or an egreso is dated at a cut-off that has happened; a future date would lock the history.</summary>
    public static IRuleBuilderOptions<T, DateOnly> NoFutura<T>(this IRuleBuilder<T, DateOnly> regla, Calendario calendario) =>
        regla.Must(f => f <= calendario.Hoy()).WithMessage("No puede ser posterior a hoy.");
}

/// <summary>
/// A text the validators refuse blank (<see cref="Validacion.TextoObligatorio{T}"/>): the contract gives it minLength 1
/// and a pattern that needs a character that is not white space (ReglasDeEntrada, Common/OpenApi).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NoEnBlancoAttribute : Attribute;

/// <summary>A text the contract gives this pattern (and the validators check), such as the budget law's codes.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PatronAttribute(string patron) : Attribute
{
    public string Patron { get; } = patron;
}

/// <summary>A due month, "yyyy-MM" between Meses.AnioMinimo and AnioMaximo (<see cref="Meses.EsMes{T}"/>), for the contract.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MesAttribute : Attribute;

/// <summary>
/// A year of evaluation (<see cref="Validacion.PrimerAnioEvaluacion"/> to the year after the current one, as the
/// validator checks it), for the contract: its minimum, and the moving maximum in words.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class AnioDeEvaluacionAttribute : Attribute;

/// <summary>A list of event types (<see cref="Persistence.TiposDeEvento.Todos"/>), for the contract: their enum.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TiposDeEventoAttribute : Attribute;

/// <summary>An absolute URL (the validator parses it), for the contract: format uri.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class UrlAttribute : Attribute;

/// <summary>
/// A JSON value kept as it was stored (a <see cref="System.Text.Json.JsonElement"/>) whose shape is a list of this
/// type: the contract shows that shape (ReglasDeEntrada, Common/OpenApi).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListaJsonDeAttribute(Type elemento) : Attribute
{
    public Type Elemento { get; } = elemento;
}
