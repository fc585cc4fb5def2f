namespace CompromisosApi.Features.Compromisos;

public interface IDatosCompromiso
{
    string Texto { get; }
    string FechaVencimiento { get; }
    string? Tipo { get; }
}

public abstract class DatosCompromisoValidator<T> : AbstractValidator<T> where T : IDatosCompromiso
{
    protected DatosCompromisoValidator()
    {
        RuleFor(x => x.Tipo!).Cascade(CascadeMode.Stop).MaximumLength(Validacion.LargoCodigoTipo)
            .Must(TipoCompromiso.Existe)
            .WithMessage("No es un tipo de compromiso del catálogo (GET /api/v1/tipos-compromiso).")
            .When(x => x.Tipo is not null);
        RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
        RuleFor(x => x.FechaVencimiento).Cascade(CascadeMode.Stop).TextoObligatorio(7).EsMes();
    }
}
