namespace CompromisosApi.Common;

/// <summary>The roles of the record, as token claims (role) name them.</summary>
public static class Roles
{
    /// <summary>DIPRES: programas, recomendaciones, compromisos, calificaciones, egreso, importaciones.</summary>
    public const string Analista = "analista";

    /// <summary>A servicio's staff, with a servicio_id claim: reportes and medios of its own servicio only.</summary>
    public const string Servicio = "servicio";

    /// <summary>Catalog and corrections (reopening an egreso, correcting a final calificación), always with a reason.</summary>
    public const string Administrador = "administrador";

    public const string ClaimServicio = "servicio_id";
}

public static class Politicas
{
    public const string Registro = "registro";
    public const string Evidencia = "evidencia";
    public const string Catalogo = "catalogo";
    public const string Importacion = "importacion";
    public const string Auditoria = "auditoria";
    public const string Correccion = "correccion";
    public const string Trazas = "trazas";
}
