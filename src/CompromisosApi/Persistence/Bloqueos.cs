namespace CompromisosApi.Persistence;

/// <summary>
/// Advisory locks (two-key form, its own key space) that make a periodic task run on one instance at a time: the
/// webhook relay's dispatch, compromiso.vencido and corte.recordatorio. One key per task, all here, so none is reused.
/// </summary>
internal static class Bloqueos
{
    private const int Espacio = 0x436F6D70; // "Comp"
    public const int Despacho = 1;
    public const int Vencidos = 2;
    public const int Recordatorios = 3;

    public static async Task<bool> IntentarAsync(CompromisosDbContext db, int tarea, CancellationToken ct) =>
        (await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({Espacio}, {tarea}) AS \"Value\"").ToListAsync(ct)).Single();
}
