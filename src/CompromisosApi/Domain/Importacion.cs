namespace CompromisosApi.Domain;

/// <summary>
/// A legacy record imported whole. Its hash makes the import idempotent: the same document again finds this row
/// instead of creating a second programa.
/// </summary>
public sealed class Importacion
{
    private Importacion() { }

    public Importacion(int programaId, string sha256, DateTimeOffset importadaEn)
    {
        ProgramaId = programaId;
        Sha256 = sha256;
        ImportadaEn = importadaEn;
    }

    public long Id { get; private set; }
    public int ProgramaId { get; private set; }
    public string Sha256 { get; private set; } = null!;
    public DateTimeOffset ImportadaEn { get; private set; }
}
