namespace CompromisosApi.Features.Compromisos;

public interface IDatosCompromiso
{
    string Texto { get; }
    string FechaVencimiento { get; }
}

public abstract class DatosCompromisoValidator<T> : AbstractValidator<T> where T : IDatosCompromiso
{
    protected DatosCompromisoValidator()
    {
        RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
        RuleFor(x => x.FechaVencimiento).Cascade(CascadeMode.Stop).TextoObligatorio(7).EsMes();
    }
}
