using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CompromisosApi.Persistence.Configurations;

// The outbox, webhook deliveries and idempotency keys: the service's machinery around the record.

internal sealed class EventoSalienteConfiguration : IEntityTypeConfiguration<EventoSaliente>
{
    public void Configure(EntityTypeBuilder<EventoSaliente> b)
    {
        b.ToTable("eventos");
        b.HasKey(x => x.Posicion);
        // Assigned from eventos_contador in the writing transaction, never by a sequence (see Bandeja).
        b.Property(x => x.Posicion).ValueGeneratedNever();
        b.HasIndex(x => x.Id).IsUnique();
        b.Property(x => x.Tipo).HasMaxLength(60);
        b.Property(x => x.Sujeto).HasMaxLength(200);
        // json, not jsonb: the data is served exactly as written (key order included).
        b.Property(x => x.Datos).HasColumnType("json");
        // version-traceid-parentid-flags: 55 characters in W3C Trace Context version 00.
        b.Property(x => x.Traceparent).HasMaxLength(Common.Observabilidad.LargoTraceparent);
    }
}

/// <summary>The one-row counter that orders the outbox by commit (see Bandeja).</summary>
internal sealed class ContadorDeEventos
{
    public short Id { get; set; }
    public long Ultima { get; set; }
}

internal sealed class ContadorDeEventosConfiguration : IEntityTypeConfiguration<ContadorDeEventos>
{
    public void Configure(EntityTypeBuilder<ContadorDeEventos> b)
    {
        b.ToTable("eventos_contador");
        b.Property(x => x.Id).ValueGeneratedNever();
    }
}

internal sealed class VencimientoNotificadoConfiguration : IEntityTypeConfiguration<VencimientoNotificado>
{
    public void Configure(EntityTypeBuilder<VencimientoNotificado> b)
    {
        b.ToTable("vencimientos_notificados");
        b.HasKey(x => x.CompromisoId);
        b.Property(x => x.CompromisoId).ValueGeneratedNever();
        b.HasOne<Compromiso>().WithMany().HasForeignKey(x => x.CompromisoId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ClaveIdempotenciaConfiguration : IEntityTypeConfiguration<ClaveIdempotencia>
{
    public void Configure(EntityTypeBuilder<ClaveIdempotencia> b)
    {
        b.ToTable("claves_idempotencia");
        b.HasKey(x => new { x.Sujeto, x.Clave });
        b.Property(x => x.Sujeto).HasMaxLength(Common.Validacion.LargoUsuario);
        b.Property(x => x.Clave).HasMaxLength(Common.Idempotencia.LargoMaximo);
        b.Property(x => x.Huella).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.Encabezados).HasColumnType("jsonb");
        b.HasIndex(x => x.ExpiraEn);
    }
}

internal sealed class SuscripcionConfiguration : IEntityTypeConfiguration<Suscripcion>
{
    public void Configure(EntityTypeBuilder<Suscripcion> b)
    {
        b.ToTable("suscripciones");
        b.Property(x => x.Url).HasMaxLength(Common.Validacion.LargoUrl).HasAnnotation(CompromisosDbContext.UrlConCredenciales, true);
        b.Property(x => x.Secreto).HasMaxLength(100).HasAnnotation(CompromisosDbContext.Reservado, true);
        b.Property(x => x.Estado).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.CreadaPor).HasMaxLength(Common.Validacion.LargoUsuario);
        b.Property(x => x.UltimoError).HasMaxLength(1000);
        b.Property(x => x.Version).IsRowVersion();
    }
}

internal sealed class EntregaConfiguration : IEntityTypeConfiguration<Entrega>
{
    public void Configure(EntityTypeBuilder<Entrega> b)
    {
        b.ToTable("entregas");
        b.Property(x => x.Estado).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.UltimoError).HasMaxLength(1000);
        b.HasOne<Suscripcion>().WithMany().HasForeignKey(x => x.SuscripcionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<EventoSaliente>().WithMany().HasForeignKey(x => x.EventoPosicion).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SuscripcionId, x.EventoPosicion }).IsUnique();
        // The relay's queue heads: the oldest pending delivery of each (subscription, programa).
        b.HasIndex(x => new { x.SuscripcionId, x.ProgramaId, x.EventoPosicion })
            .HasDatabaseName("ix_entregas_pendientes_por_programa")
            .HasFilter("estado = 'Pendiente'");
        b.HasIndex(x => new { x.EventoPosicion })
            .HasDatabaseName("ix_entregas_pendientes")
            .HasFilter("estado = 'Pendiente'");
    }
}

internal sealed class RecordatorioEnviadoConfiguration : IEntityTypeConfiguration<RecordatorioEnviado>
{
    public void Configure(EntityTypeBuilder<RecordatorioEnviado> b)
    {
        b.ToTable("recordatorios_enviados");
        b.HasKey(x => new { x.ServicioId, x.Corte });
        b.HasOne<Servicio>().WithMany().HasForeignKey(x => x.ServicioId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EgresoPropuestoNotificadoConfiguration : IEntityTypeConfiguration<EgresoPropuestoNotificado>
{
    public void Configure(EntityTypeBuilder<EgresoPropuestoNotificado> b)
    {
        b.ToTable("egresos_propuestos_notificados");
        b.HasKey(x => x.ProgramaId);
        b.Property(x => x.ProgramaId).ValueGeneratedNever();
        b.HasOne<Programa>().WithMany().HasForeignKey(x => x.ProgramaId).OnDelete(DeleteBehavior.Cascade);
    }
}
