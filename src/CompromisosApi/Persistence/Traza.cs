using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CompromisosApi.Persistence;

/// <summary>
/// The trace of one transaction (a request under /api/v1, reads and refusals included): who called (organismo, RUN,
/// procedure, principal), what (operationId, route, resource), when (UTC) and how it ended. Never the body or the query.
/// Written only by <see cref="EscritorDeTrazas"/> (COPY), in the table <c>trazas</c>, partitioned by month
/// (<c>Persistence/Sql/trazas.sql</c>); read by the administradores and exported for the central registry.
/// </summary>
public sealed class Traza : IFilaTecnica
{
    public long Id { get; init; }
    public DateTimeOffset OcurridaEn { get; init; }
    public int DuracionMs { get; init; }
    public string Metodo { get; init; } = null!;
    public string? Operacion { get; init; }
    public string? Ruta { get; init; }
    public string? RecursoId { get; init; }
    public string? OrganismoSolicitante { get; init; }
    public string? FuncionarioRun { get; init; }
    public string? Procedimiento { get; init; }
    public string TransaccionId { get; init; } = null!;
    public string? TraceId { get; init; }
    public string? Sujeto { get; init; }
    public short Status { get; init; }

    /// <summary><see cref="Exito"/> (status below 400) or <see cref="Error"/>.</summary>
    public string Resultado { get; init; } = null!;

    public string? TipoProblema { get; init; }
    public string Proveedor { get; init; } = null!;

    public const string Exito = "exito";
    public const string Error = "error";
}

internal sealed class TrazaConfiguration : IEntityTypeConfiguration<Traza>
{
    public void Configure(EntityTypeBuilder<Traza> b)
    {
        // The table, its sequence and its indexes are Sql/trazas.sql's: EF does not model partitioning. This model is
        // that table for the queries, and the migrations leave it out.
        b.ToTable("trazas", t => t.ExcludeFromMigrations());
        // A partitioned table's key includes its partition key.
        b.HasKey(x => new { x.Id, x.OcurridaEn });
        b.Property(x => x.Id).HasDefaultValueSql("nextval('trazas_id_seq')");
        b.Property(x => x.Metodo).HasMaxLength(20);
        b.Property(x => x.Operacion).HasMaxLength(100);
        b.Property(x => x.Ruta).HasMaxLength(300);
        b.Property(x => x.RecursoId).HasMaxLength(Interoperabilidad.LargoRecurso);
        b.Property(x => x.OrganismoSolicitante).HasMaxLength(Interoperabilidad.LargoOrganismo);
        b.Property(x => x.FuncionarioRun).HasMaxLength(Interoperabilidad.LargoRun);
        b.Property(x => x.Procedimiento).HasMaxLength(Interoperabilidad.LargoProcedimiento);
        b.Property(x => x.TransaccionId).HasMaxLength(Interoperabilidad.LargoTransaccion);
        b.Property(x => x.TraceId).HasMaxLength(32);
        b.Property(x => x.Sujeto).HasMaxLength(Interoperabilidad.LargoSujeto);
        b.Property(x => x.Resultado).HasMaxLength(10);
        b.Property(x => x.TipoProblema).HasMaxLength(200);
        b.Property(x => x.Proveedor).HasMaxLength(Interoperabilidad.LargoOrganismo);
    }
}
