namespace CompromisosApi.Persistence;

/// <summary>
/// The database objects EF does not model (functions, triggers, the unaccent extension, a column's storage), kept as
/// the <c>.sql</c> files of <c>Persistence/Sql</c>, one per group of objects with the comment that says what they are
/// for, and embedded in the assembly. The initial migration runs them after EF's tables, in <see cref="Orden"/>; the
/// README (<i>Database objects outside EF</i>) lists them. Every file can be run again (CREATE OR REPLACE, IF NOT
/// EXISTS), so a later migration that changes an object can run its edited file.
/// </summary>
public static class ObjetosSql
{
    /// <summary>The order they run in: the extension the search functions call comes first; the rest only need the tables.</summary>
    public static IReadOnlyList<string> Orden { get; } =
    [
        "busqueda.sql",
        "auditoria.sql",
        "evidencia.sql",
        "ministerio-de-compromiso.sql",
        "bloqueos.sql",
        "al-corte.sql",
        // The statistics' steps: their tables and functions, then the triggers on the record's tables that write them.
        "estadisticas.sql",
        "estadisticas-disparadores.sql",
        "registro-inmutable.sql",
        // The partitioned table EF does not model, its partition functions and the first partitions.
        "trazas.sql",
    ];

    /// <summary>Prefix of the embedded files' resource names (CompromisosApi.csproj).</summary>
    public const string PrefijoRecurso = "CompromisosApi.Persistence.Sql.";

    public static string Leer(string archivo)
    {
        using var recurso = typeof(ObjetosSql).Assembly.GetManifestResourceStream(PrefijoRecurso + archivo)
            ?? throw new InvalidOperationException($"Falta el recurso Persistence/Sql/{archivo}.");
        using var lector = new StreamReader(recurso);
        return lector.ReadToEnd();
    }
}
