using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Common;

/// <summary>Un elemento de una ronda que no puede registrarse, con el problema que la operación individual habría respondido por él.</summary>
public sealed record ElementoRechazado
{
    /// <summary>Posición del elemento en la lista de la solicitud (desde 0).</summary>
    /// <example>3</example>
    [Range(0, Ronda.MaximoElementos - 1)]
    public required int Indice { get; init; }

    /// <summary>Ruta del elemento en la solicitud, con la notación de errors en el 400.</summary>
    /// <example>calificaciones[3]</example>
    [MaxLength(40)]
    public required string Ruta { get; init; }

    /// <summary>El compromiso que el elemento nombra.</summary>
    /// <example>7</example>
    public required int CompromisoId { get; init; }

    /// <summary>El estado HTTP que la operación individual habría respondido por este elemento.</summary>
    /// <example>409</example>
    [Range(400, 499)]
    public required int Status { get; init; }

    /// <summary>El tipo de problema de la operación individual (urn:compromisos:regla:&lt;regla&gt;, urn:compromisos:no-encontrado…).</summary>
    /// <example>urn:compromisos:regla:calificacion-final</example>
    [MaxLength(200)]
    public required string Type { get; init; }

    /// <example>La calificación actual es final</example>
    [MaxLength(300)]
    public required string Title { get; init; }

    /// <example>El compromiso 1.1 está Cumplido desde el 31-12-2009; Cumplido y Cancelado son finales.</example>
    [MaxLength(Validacion.LargoTexto)]
    public required string? Detail { get; init; }
}

/// <summary>
/// Una ronda rechazada (urn:compromisos:ronda-rechazada): nada se escribió. status es el menor de los estados de sus
/// elementos, es decir, el que una solicitud individual con todos esos problemas recibiría (se comprueban en ese orden:
/// datos, existencia, reglas, cuotas).
/// </summary>
public sealed class ProblemaDeRonda : ProblemDetails
{
    /// <summary>Cada elemento que no puede registrarse, en el orden de la solicitud, con su propio problema.</summary>
    [MaxLength(Ronda.MaximoElementos)]
    public IReadOnlyList<ElementoRechazado>? Items { get; init; }
}

/// <summary>
/// A round: many items of one kind in one request, all or nothing. Each item is checked with the single operation's
/// own rules; a refusal the single operation would answer (400, 404, 409, 422) is recorded for that item and the others
/// are still checked, so that the one answer lists every item that fails, each with its own problem type.
/// </summary>
public sealed class Ronda(string lista)
{
    /// <summary>Most items a round takes.</summary>
    public const int MaximoElementos = 500;

    private readonly List<ElementoRechazado> _rechazados = [];

    /// <summary>Runs an item's checks; false (and the item recorded) when one refuses it.</summary>
    public bool Intentar(int indice, int compromisoId, Action paso)
    {
        try
        {
            paso();
            return true;
        }
        catch (Exception e) when (ManejadorDeErrores.ProblemaDeElemento(e) is not null)
        {
            Rechazar(indice, compromisoId, e);
            return false;
        }
    }

    public void Rechazar(int indice, int compromisoId, Exception e)
    {
        var p = ManejadorDeErrores.ProblemaDeElemento(e) ?? throw e;
        _rechazados.Add(new ElementoRechazado
        {
            Indice = indice,
            Ruta = $"{lista}[{indice}]",
            CompromisoId = compromisoId,
            Status = p.Status!.Value,
            Type = p.Type!,
            Title = p.Title!,
            Detail = p.Detail,
        });
    }

    /// <summary>
    /// Nothing is written unless every item passed. The answer's status is the least of the items' (the one a single
    /// request failing in all those ways would get: input, existence, rules, quotas); a 400 also carries errors keyed by
    /// each failing item's path, as every 400 of the service does.
    /// </summary>
    public void AsegurarSinRechazos(int total)
    {
        if (_rechazados.Count == 0) return;
        var ordenados = _rechazados.OrderBy(r => r.Indice).ToList();
        var status = ordenados.Min(r => r.Status);
        var extensiones = new Dictionary<string, object?> { ["items"] = ordenados };
        if (status == StatusCodes.Status400BadRequest)
            extensiones["errors"] = ordenados.ToDictionary(r => r.Ruta, r => new[] { r.Detail ?? r.Title });
        throw new ProblemaHttpException(status, TiposDeProblema.RondaRechazada, "La ronda no se registró",
            $"{ordenados.Count} de {total} elementos no pueden registrarse; nada se escribió. items indica cada uno con el problema que " +
            "la operación individual respondería.", extensiones);
    }
}
