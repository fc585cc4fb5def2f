namespace CompromisosApi.Features.Compromisos;

/// <summary>What every medio carries, with or without a file.</summary>
public interface IDatosMedio
{
    string Titulo { get; }
    DateOnly Corte { get; }
}

public abstract class DatosMedioValidator<T> : AbstractValidator<T> where T : IDatosMedio
{
    protected DatosMedioValidator(Calendario calendario)
    {
        RuleFor(x => x.Titulo).TextoObligatorio(Validacion.LargoTitulo);
        RuleFor(x => x.Corte).EsFechaRazonable().EsCorte(calendario).NoPosteriorAlProximoCorte(calendario);
    }
}
