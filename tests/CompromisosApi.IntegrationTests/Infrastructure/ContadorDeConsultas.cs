using System.Diagnostics;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the SQL commands EF Core runs on one database while it is alive (through EF's diagnostic events, which every
/// host in the process shares). The API tests run one at a time in their collection, each collection on a database
/// of its own, so what it counts is the request under test.
/// </summary>
public sealed class ContadorDeConsultas : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string ComandoEjecutado = "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted";
    private readonly List<IDisposable> _suscripciones = [];
    private int _consultas;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _textos = new();
    private readonly string _baseDeDatos;

    /// <param name="baseDeDatos">The database whose commands count (<see cref="ApiFactory.BaseDeDatos"/>).</param>
    public ContadorDeConsultas(string baseDeDatos)
    {
        _baseDeDatos = baseDeDatos;
        _suscripciones.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

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
        if (value.Key != ComandoEjecutado || value.Value is not Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData d) return;
        if (d.Command.Connection?.Database != _baseDeDatos) return;
        Interlocked.Increment(ref _consultas);
        _textos.Enqueue(d.Command.CommandText);
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
