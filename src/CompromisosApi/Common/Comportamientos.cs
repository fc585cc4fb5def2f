using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;

namespace CompromisosApi.Common;

/// <summary>Runs the message's validators before its handler: bad input never reaches the record.</summary>
public sealed class ValidacionBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validadores)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var errores = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var v in validadores)
        {
            var r = await v.ValidateAsync(message, cancellationToken);
            errores.AddRange(r.Errors);
        }

        if (errores.Count > 0) throw new ValidationException(errores);
        return await next(message, cancellationToken);
    }
}

/// <summary>
/// Every command runs in one transaction: its row locks hold until commit, nothing is half-written, and its audit
/// entry commits with it or not at all.
/// </summary>
public sealed class TransaccionBehavior<TMessage, TResponse>(CompromisosDbContext db, UsuarioActual usuario)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null) return await next(message, cancellationToken);

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var respuesta = await next(message, cancellationToken);
        if (db.Cambios.Count > 0)
        {
            db.Auditoria.Add(Auditoria.Entrada(typeof(TMessage).Name, (message as IConMotivo)?.Motivo, db.Cambios, usuario));
            await db.SaveChangesAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return respuesta;
    }
}

/// <summary>A command that carries a stated reason (an administrator's correction), kept in its audit entry.</summary>
public interface IConMotivo
{
    string Motivo { get; }
}
