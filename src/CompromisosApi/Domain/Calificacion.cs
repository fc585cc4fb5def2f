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
    public static bool EsFinal(this Calificacion c) => c is Calificacion.Cumplido or Calificacion.Cancelado;
}
