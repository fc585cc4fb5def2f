namespace CompromisosApi.Common;

public static class Auditoria
{
    /// <summary>
    /// The entity a write is about: the highest in the record's hierarchy among the rows it changed (a calificación
    /// changes its compromiso and adds a history row: the compromiso is the principal; an import creates a programa).
    /// </summary>
    private static readonly string[] Jerarquia =
        [nameof(Programa), nameof(Recomendacion), nameof(Compromiso), nameof(Servicio), nameof(Ministerio)];

    /// <summary>
    /// Principal entities whose entries only administradores read (the audit trail is otherwise open to analistas):
    /// a webhook subscription is an administrador's integration, and its URL points into another system.
    /// </summary>
    public static readonly string[] SoloAdministradores = [nameof(Suscripcion)];

    public static EntradaAuditoria Entrada(string operacion, string? motivo, IReadOnlyList<CambioRegistrado> registrados, UsuarioActual usuario)
    {
        // A row saved twice in one write (an import creates the programa, then egresses it) is one change: first
        // "before", last "after".
        var cambios = registrados
            .GroupBy(c => (c.Entidad, c.Id))
            .Select(g => new CambioRegistrado(g.Key.Entidad, g.Key.Id, g.Any(c => c.Creado), g.First().Antes, g.Last().Despues))
            .ToList();
        var principal = cambios
            .Select((c, i) => (Cambio: c, Rango: Array.IndexOf(Jerarquia, c.Entidad) is var r and >= 0 ? r : Jerarquia.Length, Orden: i))
            .OrderBy(x => x.Rango).ThenBy(x => x.Orden).First().Cambio;
        var otros = cambios.Where(c => c != principal).Select(c => new { entidad = c.Entidad, id = c.Id, creado = c.Creado }).ToList();
        var firma = usuario.Firmar();
        return new EntradaAuditoria(
            firma.En,
            usuario.Sujeto ?? UsuarioActual.Sistema,
            usuario.Nombre,
            usuario.Roles.ToArray(),
            usuario.ServicioId,
            usuario.Operacion ?? operacion,
            principal.Entidad,
            principal.Id,
            principal.Antes is null ? null : JsonDelRegistro.Serializar(principal.Antes),
            JsonDelRegistro.Serializar(principal.Despues),
            otros.Count == 0 ? null : JsonDelRegistro.Serializar(otros),
            usuario.RequestId,
            usuario.TraceId,
            usuario.Direccion,
            motivo);
    }
}
