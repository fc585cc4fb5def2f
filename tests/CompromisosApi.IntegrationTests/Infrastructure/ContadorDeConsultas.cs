using System.Diagnostics;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the SQL commands EF Core runs while it is alive (through EF's diagnostic events). The API tests run one at
/// a time in their collection, so what it counts is the request under test.
/// </summary>
public sealed class ContadorDeConsultas : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string ComandoEjecutado = "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted";
    private readonly List<IDisposable> _suscripciones = [];
    private int _consultas;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _textos = new();

    public ContadorDeConsultas() => _suscripciones.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public int Consultas => Volatile.Read(ref _consultas);

    /// <summary>The SQL of each command counted.</summary>
    public IReadOnlyCollection<string> Textos => _textos;

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.EntityFrameworkCore")
        {
            lock (_suscripciones) _suscripciones.Add(value.Subscribe(this));
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != ComandoEjecutado) return;
        Interlocked.Increment(ref _consultas);
        if (value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData d) _textos.Enqueue(d.Command.CommandText);
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_suscripciones)
        {
            foreach (var s in _suscripciones) s.Dispose();
        }
    }
}
