namespace CompromisosApi.Persistence;

public sealed class CompromisosDbContext(DbContextOptions<CompromisosDbContext> options) : DbContext(options)
{
    public DbSet<Ministerio> Ministerios => Set<Ministerio>();
    public DbSet<Servicio> Servicios => Set<Servicio>();
    public DbSet<LineaEvaluacion> LineasEvaluacion => Set<LineaEvaluacion>();
    public DbSet<TipoCompromiso> TiposCompromiso => Set<TipoCompromiso>();
    public DbSet<Programa> Programas => Set<Programa>();
    public DbSet<Recomendacion> Recomendaciones => Set<Recomendacion>();
    public DbSet<Compromiso> Compromisos => Set<Compromiso>();
    public DbSet<RegistroCalificacion> Calificaciones => Set<RegistroCalificacion>();
    public DbSet<ReporteCumplimiento> Reportes => Set<ReporteCumplimiento>();
    public DbSet<MedioVerificacion> MediosVerificacion => Set<MedioVerificacion>();
    public DbSet<RegistroEgreso> Egresos => Set<RegistroEgreso>();
    public DbSet<Importacion> Importaciones => Set<Importacion>();
    public DbSet<EntradaAuditoria> Auditoria => Set<EntradaAuditoria>();
    public DbSet<EventoSaliente> Eventos => Set<EventoSaliente>();
    public DbSet<VencimientoNotificado> VencimientosNotificados => Set<VencimientoNotificado>();
    public DbSet<RecordatorioEnviado> RecordatoriosEnviados => Set<RecordatorioEnviado>();
    public DbSet<EgresoPropuestoNotificado> EgresosPropuestosNotificados => Set<EgresoPropuestoNotificado>();
    public DbSet<ClaveIdempotencia> ClavesIdempotencia => Set<ClaveIdempotencia>();
    public DbSet<Suscripcion> Suscripciones => Set<Suscripcion>();
    public DbSet<Entrega> Entregas => Set<Entrega>();
    public DbSet<Traza> Trazas => Set<Traza>();

    /// <summary>Shadow property of Compromiso: its programa's ministerio, kept by the database (see CompromisoConfiguration).</summary>
    public const string MinisterioDelCompromiso = "MinisterioId";

    /// <summary>Annotation of a column whose value never leaves the row (a webhook secret): not in the audit trail.</summary>
    public const string Reservado = "Compromisos:Reservado";

    /// <summary>
    /// Annotation of a URL column that may carry credentials (a webhook receiver's): its user-info and query values
    /// are recorded redacted (<see cref="Common.Redaccion.Url"/>). A new URL column gets it by declaring it.
    /// </summary>
    public const string UrlConCredenciales = "Compromisos:UrlConCredenciales";

    /// <summary>
    /// Every row this unit of work created or changed, with its values before and after, for the audit trail. The
    /// context is pooled, so the list is per unit of work: TransaccionBehavior clears it around each command, and a save
    /// outside a transaction (background jobs) starts it afresh.
    /// </summary>
    public List<CambioRegistrado> Cambios { get; } = [];

    private IReadOnlyList<int>? _partesPorCompromiso;

    /// <summary>
    /// The command writes several compromisos independently (a round's items): its changes are audited per compromiso,
    /// in this order, one entry each, as if each had been sent alone. A row that belongs to no compromiso of the list goes
    /// in a last entry of its own.
    /// </summary>
    private void AuditarPorCompromiso(IReadOnlyList<int> orden) => _partesPorCompromiso = orden;

    /// <summary>
    /// A round's rows, each audited on its own as if sent alone (<see cref="AuditarPorCompromiso"/>, TransaccionBehavior),
    /// saved one by one so that their ids, and the events that follow them, keep the order of the request.
    /// </summary>
    public async Task GuardarRondaAsync<T>(IReadOnlyList<int> orden, IEnumerable<T> filas, CancellationToken ct) where T : class
    {
        AuditarPorCompromiso(orden);
        foreach (var fila in filas)
        {
            Add(fila);
            await SaveChangesAsync(ct);
        }
    }

    /// <summary>The command's changes, part by part (<see cref="AuditarPorCompromiso"/>); all in one part otherwise.</summary>
    public IEnumerable<IReadOnlyList<CambioRegistrado>> CambiosPorParte()
    {
        if (_partesPorCompromiso is not { } orden)
        {
            if (Cambios.Count > 0) yield return Cambios;
            yield break;
        }

        var porCompromiso = Cambios.ToLookup(DeCompromiso);
        foreach (var id in orden.Distinct())
        {
            if (porCompromiso[id].ToList() is { Count: > 0 } parte) yield return parte;
        }

        if (porCompromiso.Where(g => g.Key is not { } id || !orden.Contains(id)).SelectMany(g => g).ToList() is { Count: > 0 } resto) yield return resto;
    }

    /// <summary>The compromiso a changed row is or belongs to (null: none).</summary>
    private static int? DeCompromiso(CambioRegistrado c) => c.Entidad switch
    {
        nameof(Compromiso) => c.Despues.GetValueOrDefault(nameof(Compromiso.Id)) as int?,
        nameof(RegistroCalificacion) or nameof(ReporteCumplimiento) or nameof(MedioVerificacion) =>
            c.Despues.GetValueOrDefault(nameof(IHijoDeCompromiso.CompromisoId)) as int?,
        _ => null,
    };

    /// <summary>Forgets the changes recorded so far, and their parts: a new unit of work starts.</summary>
    public void OlvidarCambios()
    {
        Cambios.Clear();
        _partesPorCompromiso = null;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Original values are gone once the changes are accepted, and generated keys exist only after: read both sides.
        var pendientes = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified && e.Entity is not (EntradaAuditoria or IFilaTecnica))
            .Select(e => (Entrada: e, Creado: e.State == EntityState.Added, Antes: e.State == EntityState.Modified ? Valores(e.OriginalValues) : null))
            .ToList();
        var filas = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (Database.CurrentTransaction is null) OlvidarCambios();
        Cambios.AddRange(pendientes.Select(p => new CambioRegistrado(
            p.Entrada.Metadata.ClrType.Name,
            string.Join(",", p.Entrada.Metadata.FindPrimaryKey()!.Properties.Select(k => p.Entrada.Property(k.Name).CurrentValue)),
            p.Creado,
            p.Antes,
            Valores(p.Entrada.CurrentValues))));
        return filas;
    }

    private static Dictionary<string, object?> Valores(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyValues valores) =>
        valores.Properties.Where(p => p.Name != nameof(Programa.Version) && p.FindAnnotation(Reservado) is null && !p.IsShadowProperty())
            .ToDictionary(p => p.Name, p => p.FindAnnotation(UrlConCredenciales) is null ? valores[p] : Common.Redaccion.Url((string?)valores[p]));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CompromisosDbContext).Assembly);
        FuncionesDeBusqueda.Registrar(modelBuilder);
        AlCorte.Registrar(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: the database stays readable and reordering the C# enum can't corrupt it.
        configurationBuilder.Properties<Calificacion>().HaveConversion<string>().HaveMaxLength(30);
        configurationBuilder.Properties<EstadoPrograma>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<CategoriaDesempeno>().HaveConversion<string>().HaveMaxLength(20);
    }

    /// <summary>
    /// Row locks that make the record's rules hold under concurrent writers. Children writes take the
    /// programa FOR SHARE and egreso takes it FOR UPDATE, so a compromiso can't be added or qualified
    /// while its programa egresses; numbering and calificaciones lock their parent FOR UPDATE. A programa's row lock
    /// is taken behind its turn (<c>turno_de_programas</c>, Persistence/Sql/bloqueos.sql), so that a change of the
    /// programa is not starved by the calificaciones that keep arriving under it. The function runs in the statement,
    /// before the row is locked (the lock is taken on the rows the join returns).
    /// </summary>
    public async Task<Programa?> BloquearProgramaAsync(int id, bool exclusivo, CancellationToken ct) =>
        (exclusivo
            ? await Programas.FromSql($"SELECT p.*, p.xmin FROM turno_de_programas(ARRAY[{id}], true) AS turno, programas p WHERE p.id = {id} FOR UPDATE OF p").ToListAsync(ct)
            : await BloquearProgramasAsync([id], ct))
        .SingleOrDefault();

    /// <summary>Several programas FOR SHARE, locked in id order (the order every multi-row lock follows).</summary>
    public Task<List<Programa>> BloquearProgramasAsync(int[] ids, CancellationToken ct) =>
        Programas.FromSql($"SELECT p.*, p.xmin FROM turno_de_programas({ids}, false) AS turno, programas p WHERE p.id = ANY({ids}) ORDER BY p.id FOR SHARE OF p").ToListAsync(ct);

    /// <summary>Several compromisos FOR UPDATE, locked in id order, so two writers of overlapping sets never wait in a cycle.</summary>
    public Task<List<Compromiso>> BloquearCompromisosAsync(int[] ids, CancellationToken ct) =>
        Compromisos.FromSql($"SELECT *, xmin FROM compromisos WHERE id = ANY({ids}) ORDER BY id FOR UPDATE").ToListAsync(ct);

    public async Task<Recomendacion?> BloquearRecomendacionAsync(int id, CancellationToken ct) =>
        (await Recomendaciones.FromSql($"SELECT *, xmin FROM recomendaciones WHERE id = {id} FOR UPDATE").ToListAsync(ct))
        .SingleOrDefault();
}

public sealed record CambioRegistrado(string Entidad, string Id, bool Creado, Dictionary<string, object?>? Antes, Dictionary<string, object?> Despues);
