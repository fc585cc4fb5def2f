namespace CompromisosApi.Features.Importaciones;

/// <summary>
/// The budget law's codes in an import document (<see cref="CodigosPresupuestarios"/>): well formed and agreeing with
/// each other in the document (the validator), and with the catalog rows the import reuses (the handler). The import
/// never changes an existing ministerio or servicio: a code the document gives must be the one the row has, if it has
/// one; a row without a code is reused as it is (its code is set with PUT, an administrador's write).
/// </summary>
public static class CodigosDeImportacion
{
    public const string CampoMinisterio = "ministerioCodigo";
    public const string CampoServicio = "servicio.codigo";
    public const string CampoPrograma = "programa.codigoPresupuestario";

    public static void Reglas(AbstractValidator<DocumentoImportacion> v)
    {
        v.RuleFor(x => x.MinisterioCodigo).CodigoMinisterio().OverridePropertyName(CampoMinisterio);
        v.RuleFor(x => x.Servicio.Codigo).Cascade(CascadeMode.Stop).CodigoServicio()
            .Must((d, c) => CodigosPresupuestarios.Pertenece(c, d.MinisterioCodigo))
            .WithMessage(d => CodigosPresupuestarios.Inconsistencia(d.Servicio.Codigo, d.MinisterioCodigo, "su ministerio (ministerioCodigo)")!)
            .OverridePropertyName(CampoServicio);
        v.RuleFor(x => x.Programa.CodigoPresupuestario).Cascade(CascadeMode.Stop).CodigoPrograma()
            .Must((d, c) => CodigosPresupuestarios.Pertenece(c, d.Servicio.Codigo))
            .WithMessage(d => CodigosPresupuestarios.Inconsistencia(d.Programa.CodigoPresupuestario, d.Servicio.Codigo, "su servicio (servicio.codigo)")!)
            .OverridePropertyName(CampoPrograma);
    }

    /// <summary>The document's codes against the rows it reuses (null: created from the document); 400 naming the field.</summary>
    public static void Asegurar(DocumentoImportacion doc, Ministerio? ministerio, Servicio? servicio)
    {
        if (ministerio?.Codigo is { } m && doc.MinisterioCodigo is { } dm && dm != m)
            throw Validacion.Invalido(CampoMinisterio, $"El ministerio \"{ministerio.Nombre}\" ya existe con el código {m}; la importación no lo cambia.");
        if (servicio?.Codigo is { } s && doc.Servicio.Codigo is { } ds && ds != s)
            throw Validacion.Invalido(CampoServicio, $"El servicio \"{servicio.Nombre}\" ya existe con el código {s}; la importación no lo cambia.");

        // The codes in effect: those of the reused rows, or the document's for the rows it creates.
        var codigoMinisterio = ministerio is null ? doc.MinisterioCodigo : ministerio.Codigo;
        var codigoServicio = servicio is null ? doc.Servicio.Codigo : servicio.Codigo;
        if (servicio is null && CodigosPresupuestarios.Inconsistencia(doc.Servicio.Codigo, codigoMinisterio, "su ministerio") is { } e1)
            throw Validacion.Invalido(CampoServicio, e1);
        if (CodigosPresupuestarios.Inconsistencia(doc.Programa.CodigoPresupuestario, codigoServicio, "su servicio") is { } e2)
            throw Validacion.Invalido(CampoPrograma, e2);
    }
}
