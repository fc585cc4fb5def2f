using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CompromisosApi.Persistence.Configurations;

// Texts from official records have no length limit here: a cumplimiento can be pages long, and they are
// stored verbatim (no trimming, no normalisation).

internal sealed class MinisterioConfiguration : IEntityTypeConfiguration<Ministerio>
{
    public void Configure(EntityTypeBuilder<Ministerio> b)
    {
        b.Property(x => x.Nombre).HasMaxLength(Common.Validacion.LargoNombre);
        b.HasIndex(x => x.Nombre).IsUnique();
        b.Codigo(x => x.Codigo, Common.Validacion.LargoCodigoMinisterio, CodigosPresupuestarios.PatronPartida, "ministerios", "codigo");
        b.Property(x => x.Version).IsRowVersion();
    }
}

internal sealed class ServicioConfiguration : IEntityTypeConfiguration<Servicio>
{
    public void Configure(EntityTypeBuilder<Servicio> b)
    {
        b.Property(x => x.Nombre).HasMaxLength(Common.Validacion.LargoNombre);
        b.Property(x => x.Sigla).HasMaxLength(Common.Validacion.LargoSigla);
        b.HasOne<Ministerio>().WithMany().HasForeignKey(x => x.MinisterioId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.MinisterioId, x.Nombre }).IsUnique();
        b.Codigo(x => x.Codigo, Common.Validacion.LargoCodigoServicio, CodigosPresupuestarios.PatronCapitulo, "servicios", "codigo");
        b.Property(x => x.Version).IsRowVersion();
    }
}

internal sealed class LineaEvaluacionConfiguration : IEntityTypeConfiguration<LineaEvaluacion>
{
    public void Configure(EntityTypeBuilder<LineaEvaluacion> b)
    {
        b.ComoCatalogo("lineas_evaluacion", Common.Validacion.LargoCodigoLinea);
        b.HasData(
            new LineaEvaluacion("EPG", "Evaluación de Programas Gubernamentales"),
            new LineaEvaluacion("EI", "Evaluación de Impacto"),
            new LineaEvaluacion("EGI", "Evaluación del Gasto Institucional"),
            new LineaEvaluacion("ECG", "Evaluación Comprehensiva del Gasto"),
            new LineaEvaluacion("EPN", "Evaluación de Programas Nuevos"),
            new LineaEvaluacion("EFA", "Evaluación Focalizada de Ámbito"));
    }
}

internal sealed class TipoCompromisoConfiguration : IEntityTypeConfiguration<TipoCompromiso>
{
    public void Configure(EntityTypeBuilder<TipoCompromiso> b)
    {
        b.ComoCatalogo("tipos_compromiso", Common.Validacion.LargoCodigoTipo);
        b.HasData(TipoCompromiso.Catalogo);
    }
}

internal static class ConfiguracionDeCatalogos
{
    public static void ComoCatalogo<T>(this EntityTypeBuilder<T> b, string tabla, int largoCodigo) where T : FilaDeCatalogo
    {
        b.ToTable(tabla);
        b.HasKey(x => x.Codigo);
        b.Property(x => x.Codigo).HasMaxLength(largoCodigo);
        b.Property(x => x.Nombre).HasMaxLength(200);
    }
}

internal sealed class ProgramaConfiguration : IEntityTypeConfiguration<Programa>
{
    /// <summary>
    /// The service always sets when a row entered the record; a row written by other means (a migration, a bulk load)
    /// entered it when it was written.
    /// </summary>
    public const string RegistradoAhora = "now()";

    public void Configure(EntityTypeBuilder<Programa> b)
    {
        b.Property(x => x.Nombre).HasMaxLength(Common.Validacion.LargoNombrePrograma);
        b.Property(x => x.LineaEvaluacion).HasMaxLength(Common.Validacion.LargoCodigoLinea);
        b.HasOne<Servicio>().WithMany().HasForeignKey(x => x.ServicioId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LineaEvaluacion>().WithMany().HasForeignKey(x => x.LineaEvaluacion).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ServicioId, x.AnioEvaluacion, x.LineaEvaluacion, x.Nombre }).IsUnique();
        b.Codigo(x => x.CodigoPresupuestario, Common.Validacion.LargoCodigoPrograma, CodigosPresupuestarios.PatronPrograma, "programas", "codigo_presupuestario");
        b.Property(x => x.Version).IsRowVersion();
        b.Property(x => x.RegistradoEn).HasDefaultValueSql(RegistradoAhora);
    }
}

internal sealed class RecomendacionConfiguration : IEntityTypeConfiguration<Recomendacion>
{
    public void Configure(EntityTypeBuilder<Recomendacion> b)
    {
        b.ToTable("recomendaciones");
        b.HasOne<Programa>().WithMany().HasForeignKey(x => x.ProgramaId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ProgramaId, x.Numero }).IsUnique();
        b.Property(x => x.Version).IsRowVersion();
        b.Property(x => x.RegistradaEn).HasDefaultValueSql(ProgramaConfiguration.RegistradoAhora);
    }
}

internal sealed class CompromisoConfiguration : IEntityTypeConfiguration<Compromiso>
{
    public void Configure(EntityTypeBuilder<Compromiso> b)
    {
        b.Property(x => x.Numero).HasMaxLength(Domain.Compromiso.LargoNumero);
        b.HasOne<Recomendacion>().WithMany().HasForeignKey(x => x.RecomendacionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Programa>().WithMany().HasForeignKey(x => x.ProgramaId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Tipo).HasMaxLength(Common.Validacion.LargoCodigoTipo);
        b.HasOne<TipoCompromiso>().WithMany().HasForeignKey(x => x.Tipo).OnDelete(DeleteBehavior.Restrict);
        // A row written without it (SQL outside EF: the benchmark's generator, tests) is not prioritario.
        b.Property(x => x.Prioritario).HasDefaultValue(false);
        b.HasIndex(x => new { x.RecomendacionId, x.Secuencia }).IsUnique();
        b.HasIndex(x => new { x.ProgramaId, x.Id });
        b.HasIndex(x => new { x.FechaVencimiento, x.Id });
        b.Property(x => x.Version).IsRowVersion();
        b.Property(x => x.RegistradoEn).HasDefaultValueSql(ProgramaConfiguration.RegistradoAhora);

        // The programa's ministerio, copied onto the compromiso so that a ministerio's list (vencidos at a cut-off)
        // walks one index in id order and stops at the page, whatever the size of the record. Kept by triggers
        // (Persistence/Sql/ministerio-de-compromiso.sql) when a compromiso is written, a programa changes servicio or a
        // servicio changes ministerio; EF reads it and never writes it. Not part of the domain or of the contract.
        var ministerio = b.Property<int>(CompromisosDbContext.MinisterioDelCompromiso).ValueGeneratedOnAddOrUpdate().Metadata;
        ministerio.SetBeforeSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        ministerio.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        b.HasIndex(CompromisosDbContext.MinisterioDelCompromiso, nameof(Compromiso.Id));
    }
}

/// <summary>The budget law's codes (<see cref="CodigosPresupuestarios"/>), configured alike.</summary>
internal static class CodigosConfiguration
{
    /// <summary>
    /// Null where not recorded; where present, unique (a partial unique index: a duplicate is 409) and well formed
    /// (a CHECK with the contract's pattern, for rows written by other means).
    /// </summary>
    public static void Codigo<T>(
        this EntityTypeBuilder<T> b, System.Linq.Expressions.Expression<Func<T, string?>> codigo, int largo, string patron, string tabla, string columna)
        where T : class
    {
        var propiedad = b.Property(codigo).HasMaxLength(largo).Metadata.Name;
        b.HasIndex(propiedad).IsUnique().HasFilter($"{columna} IS NOT NULL");
        b.ToTable(t => t.HasCheckConstraint($"ck_{tabla}_{columna}", $"{columna} ~ '{patron}'"));
    }
}

/// <summary>What a compromiso accumulates (calificaciones, reportes, medios), configured alike.</summary>
internal static class HijosDeCompromisoConfiguration
{
    /// <summary>Its table; the compromiso it belongs to can't be deleted while it has them.</summary>
    public static void HijoDeCompromiso<T>(this EntityTypeBuilder<T> b, string tabla) where T : class, IHijoDeCompromiso
    {
        b.ToTable(tabla);
        b.HasOne<Compromiso>().WithMany().HasForeignKey(nameof(IHijoDeCompromiso.CompromisoId)).OnDelete(DeleteBehavior.Restrict);
    }

    /// <summary>A reporte or a medio: a compromiso's child, signed by a user.</summary>
    public static void RegistroDeCorte<T>(this EntityTypeBuilder<T> b, string tabla) where T : RegistroDeCorte
    {
        b.HijoDeCompromiso(tabla);
        b.Property(x => x.RegistradoPor).HasMaxLength(Common.Validacion.LargoUsuario);
    }
}

internal sealed class RegistroCalificacionConfiguration : IEntityTypeConfiguration<RegistroCalificacion>
{
    public void Configure(EntityTypeBuilder<RegistroCalificacion> b)
    {
        b.HijoDeCompromiso("calificaciones");
        b.Property(x => x.RegistradaPor).HasMaxLength(Common.Validacion.LargoUsuario);
        b.Property(x => x.MotivoCorreccion);
        b.HasIndex(x => new { x.CompromisoId, x.Id });
    }
}

internal sealed class RegistroEgresoConfiguration : IEntityTypeConfiguration<RegistroEgreso>
{
    public void Configure(EntityTypeBuilder<RegistroEgreso> b)
    {
        b.ToTable("egresos");
        b.Property(x => x.RegistradoPor).HasMaxLength(Common.Validacion.LargoUsuario);
        b.HasOne<Programa>().WithMany().HasForeignKey(x => x.ProgramaId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ProgramaId, x.Id });
    }
}

internal sealed class ReporteCumplimientoConfiguration : IEntityTypeConfiguration<ReporteCumplimiento>
{
    public void Configure(EntityTypeBuilder<ReporteCumplimiento> b)
    {
        b.RegistroDeCorte("reportes_cumplimiento");
        b.HasIndex(x => new { x.CompromisoId, x.Corte, x.Id });
        // What was reported at one corte, across servicios (the analysts' list por calificar).
        b.HasIndex(x => new { x.Corte, x.CompromisoId });
    }
}

internal sealed class MedioVerificacionConfiguration : IEntityTypeConfiguration<MedioVerificacion>
{
    public void Configure(EntityTypeBuilder<MedioVerificacion> b)
    {
        b.RegistroDeCorte("medios_verificacion");
        b.Property(x => x.Titulo).HasMaxLength(Common.Validacion.LargoTitulo);
        b.HasIndex(x => new { x.CompromisoId, x.Id });
        b.Property(x => x.NombreArchivo).HasMaxLength(Common.Validacion.LargoNombreArchivo);
        b.Property(x => x.Tipo).HasMaxLength(100);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.SubidoPor).HasMaxLength(Common.Validacion.LargoUsuario);
        // The same file twice on one compromiso is one medio (the upload answers with the existing one).
        b.HasIndex(x => new { x.CompromisoId, x.Sha256 }).IsUnique().HasFilter("sha256 IS NOT NULL");
    }
}

internal sealed class ImportacionConfiguration : IEntityTypeConfiguration<Importacion>
{
    public void Configure(EntityTypeBuilder<Importacion> b)
    {
        b.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength();
        b.HasIndex(x => x.Sha256).IsUnique();
        b.HasOne<Programa>().WithMany().HasForeignKey(x => x.ProgramaId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EntradaAuditoriaConfiguration : IEntityTypeConfiguration<EntradaAuditoria>
{
    public void Configure(EntityTypeBuilder<EntradaAuditoria> b)
    {
        b.ToTable("auditoria");
        b.Property(x => x.Antes).HasColumnType("jsonb");
        b.Property(x => x.Despues).HasColumnType("jsonb");
        b.Property(x => x.OtrosCambios).HasColumnType("jsonb");
        b.Property(x => x.TraceId).HasMaxLength(Common.Observabilidad.LargoTraceId);
        b.HasIndex(x => new { x.Entidad, x.EntidadId, x.Id });
        b.HasIndex(x => new { x.ActorSujeto, x.Id });
        b.HasIndex(x => x.OcurridaEn);
    }
}
