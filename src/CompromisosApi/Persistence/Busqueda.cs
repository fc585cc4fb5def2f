using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NpgsqlTypes;

namespace CompromisosApi.Persistence;

/// <summary>
/// The search document of a compromiso: its texto (weight A), its recomendación's texto (B) and every cumplimiento
/// reported for it (C), as one Spanish, accent-free tsvector. It lives in its own table, kept by database triggers
/// (Persistence/Sql/busqueda.sql), for two reasons: a column on compromisos would change the row's xmin, which
/// is its ETag, every time a reporte arrives; and triggers keep it right whoever writes (handlers, the demo loader,
/// imports, an administrator's SQL). Only the database writes these rows; the API only reads them.
/// </summary>
public sealed class BusquedaCompromiso
{
    private BusquedaCompromiso() { }

    public int CompromisoId { get; private set; }
    public NpgsqlTsVector Documento { get; private set; } = null!;
}

/// <summary>The search document of a programa: its nombre (A), its recomendaciones (B) and compromisos (C).</summary>
public sealed class BusquedaPrograma
{
    private BusquedaPrograma() { }

    public int ProgramaId { get; private set; }
    public NpgsqlTsVector Documento { get; private set; } = null!;
}

/// <summary>SQL functions of the search, defined once in Persistence/Sql/busqueda.sql and called from LINQ.</summary>
public static class FuncionesDeBusqueda
{
    /// <summary>
    /// busqueda_consulta(q): websearch_to_tsquery('spanish', unaccent(q)), the same normalisation the documents get,
    /// so "focalizacion" finds "focalización". websearch syntax never fails on user input ("a -b", quotes, "or").
    /// </summary>
    public static NpgsqlTsQuery Consulta(string texto) => throw new InvalidOperationException("Solo se traduce a SQL.");

    /// <summary>busqueda_documento_compromiso_al: the compromiso's document at a moment (cumplimientos dated and registered by then).</summary>
    public static NpgsqlTsVector DocumentoCompromisoAl(int compromisoId, DateOnly? alCorte, DateTimeOffset? conocidoAl) =>
        throw new InvalidOperationException("Solo se traduce a SQL.");

    /// <summary>busqueda_documento_programa_al: the programa's document as known at an instant.</summary>
    public static NpgsqlTsVector DocumentoProgramaAl(int programaId, DateTimeOffset? conocidoAl) =>
        throw new InvalidOperationException("Solo se traduce a SQL.");

    /// <summary>busqueda_consulta_indexable(q): what of the query the stored documents' index can answer (null: nothing).</summary>
    public static NpgsqlTsQuery ConsultaIndexable(string texto) => throw new InvalidOperationException("Solo se traduce a SQL.");

    public static void Registrar(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDbFunction(typeof(FuncionesDeBusqueda).GetMethod(nameof(Consulta))!).HasName("busqueda_consulta");
        modelBuilder.HasDbFunction(typeof(FuncionesDeBusqueda).GetMethod(nameof(DocumentoCompromisoAl))!).HasName("busqueda_documento_compromiso_al");
        modelBuilder.HasDbFunction(typeof(FuncionesDeBusqueda).GetMethod(nameof(DocumentoProgramaAl))!).HasName("busqueda_documento_programa_al");
        modelBuilder.HasDbFunction(typeof(FuncionesDeBusqueda).GetMethod(nameof(ConsultaIndexable))!).HasName("busqueda_consulta_indexable");
    }

    /// <summary>
    /// Whether the stored documents' index can pre-select the rows a search at a moment needs (the query requires some
    /// word); a query of exclusions only can't be pre-selected, and is checked on every row of the other filters.
    /// </summary>
    public static async Task<bool> IndexablePorAsync(CompromisosDbContext db, string texto, CancellationToken ct) =>
        await db.Database.SqlQuery<bool>($"SELECT busqueda_consulta_indexable({texto}) IS NOT NULL AS \"Value\"").SingleAsync(ct);
}

/// <summary>A search document is a row of its own, keyed by its owner's id, gone with it, searched through a GIN index.</summary>
internal abstract class DocumentoDeBusquedaConfiguration<TDocumento, TDueno>(string tabla, string claveDueno) : IEntityTypeConfiguration<TDocumento>
    where TDocumento : class
    where TDueno : class
{
    public void Configure(EntityTypeBuilder<TDocumento> b)
    {
        b.ToTable(tabla);
        b.HasKey(claveDueno);
        b.Property(claveDueno).ValueGeneratedNever();
        b.HasOne<TDueno>().WithOne().HasForeignKey<TDocumento>(claveDueno).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(nameof(BusquedaCompromiso.Documento)).HasMethod("gin");
    }
}

internal sealed class BusquedaCompromisoConfiguration()
    : DocumentoDeBusquedaConfiguration<BusquedaCompromiso, Compromiso>("busqueda_compromisos", nameof(BusquedaCompromiso.CompromisoId));

internal sealed class BusquedaProgramaConfiguration()
    : DocumentoDeBusquedaConfiguration<BusquedaPrograma, Programa>("busqueda_programas", nameof(BusquedaPrograma.ProgramaId));
