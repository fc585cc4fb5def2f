namespace CompromisosApi.Common;

/// <summary>Runs the message's validators before its handler: bad input never reaches the record.</summary>
public sealed class ValidacionBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validadores)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        List<FluentValidation.Results.ValidationFailure>? errores = null;
        foreach (var v in validadores)
        {
            var r = await v.ValidateAsync(message, cancellationToken);
            if (!r.IsValid) (errores ??= []).AddRange(r.Errors);
        }

        if (errores is not null) throw new ValidationException(errores);
        return await next(message, cancellationToken);
    }
}

/// <summary>
/// Every command runs in one transaction: its row locks hold until commit, nothing is half-written, and its audit
/// entry and its events (the outbox, <see cref="Bandeja"/>) commit with it or not at all.
/// </summary>
public sealed class TransaccionBehavior<TMessage, TResponse>(
    CompromisosDbContext db, UsuarioActual usuario, AmbitoTransaccional ambito, Bandeja bandeja, Metricas metricas, LimiteDeEscrituras escrituras)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        // A command sent by another command is part of it: the outer one writes the audit entry and the events.
        if (ambito.ComandoEnCurso) return await next(message, cancellationToken);

        ambito.ComandoEnCurso = true;
        try
        {
            // The transaction is the command's own, unless the request already opened one around it (a POST with an
            // Idempotency-Key, whose stored answer must commit with the effect): then the request commits it.
            // Its turn first (LimiteDeEscrituras): waiting for it holds no connection.
            var propia = db.Database.CurrentTransaction is null;
            using var turno = propia ? await escrituras.TomarAsync(cancellationToken) : null;
            await using var tx = propia ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            db.OlvidarCambios();
            var respuesta = await next(message, cancellationToken);
            var cambios = db.Cambios.ToList();
            if (cambios.Count > 0)
            {
                // One entry per write: a round's items (CompromisosDbContext.GuardarRondaAsync) each get theirs, as if sent alone.
                foreach (var parte in db.CambiosPorParte())
                    db.Auditoria.Add(Auditoria.Entrada(typeof(TMessage).Name, (message as IConMotivo)?.Motivo, parte, usuario));
                // Last: numbering the events locks the outbox counter until commit.
                var eventos = await bandeja.AgregarAsync(db, cambios, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                ambito.PorConfirmar = () => metricas.Confirmado(cambios, eventos.Select(e => e.Tipo));
            }

            if (tx is not null)
            {
                await tx.CommitAsync(cancellationToken);
                ambito.Confirmado();
            }

            return respuesta;
        }
        finally
        {
            ambito.ComandoEnCurso = false;
            // The DbContext is pooled: the next request that leases it must not see this one's changes.
            db.OlvidarCambios();
        }
    }
}

/// <summary>A read as known at an instant waits until what was being registered at that instant has committed.</summary>
public sealed class ConocidoAlBehavior<TMessage, TResponse>(CompromisosDbContext db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage, IConocidoAl
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message.ConocidoAl is { } t) await db.EsperarLoRegistradoAsync(t, cancellationToken);
        return await next(message, cancellationToken);
    }
}

/// <summary>Per request (or scope): whether a command is running, so that a command sent from it joins it.</summary>
public sealed class AmbitoTransaccional
{
    public bool ComandoEnCurso { get; set; }

    /// <summary>What to count once the command's transaction commits (whoever commits it: the command, or the request).</summary>
    public Action? PorConfirmar { get; set; }

    public void Confirmado()
    {
        PorConfirmar?.Invoke();
        PorConfirmar = null;
    }
}

/// <summary>A command that carries a stated reason (an administrator's correction), kept in its audit entry.</summary>
public interface IConMotivo
{
    string Motivo { get; }
}
