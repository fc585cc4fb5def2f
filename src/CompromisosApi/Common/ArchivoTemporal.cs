namespace CompromisosApi.Common;

/// <summary>
/// A private scratch file that disappears when closed (or when the process dies): where an upload is received before
/// it goes to the database, and an export is written before it goes to the client, so that neither holds a database
/// connection for as long as the client takes.
/// </summary>
public static class ArchivoTemporal
{
    public static FileStream Crear() => new(
        Path.Combine(Path.GetTempPath(), $"compromisos-{Guid.NewGuid():N}.tmp"),
        new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 64 * 1024,
        });
}
