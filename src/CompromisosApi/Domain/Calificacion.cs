namespace CompromisosApi.Domain;

/// <summary>Calificación de un compromiso. Cumplido y Cancelado son finales.</summary>
public enum Calificacion
{
    Pendiente,
    Cumplido,
    ParcialmenteCumplido,
    NoCumplido,
    Cancelado,
}

public static class CalificacionExtensions
{
    /// <summary>
    /// The final calificaciones: a compromiso with one of them is closed, otherwise open. The one definition: EF queries
    /// test membership in this array (Persistence/AlCorte.cs), SQL calls vencido_al_corte (Persistence/Sql/al-corte.sql).
    /// </summary>
    public static readonly Calificacion[] Finales = [Calificacion.Cumplido, Calificacion.Cancelado];

    public static bool EsFinal(this Calificacion c) => Array.IndexOf(Finales, c) >= 0;
}
