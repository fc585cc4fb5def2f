using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace CompromisosApi.UnitTests;

/// <summary>
/// Dependencies run one way: Features → Domain, Persistence, Common, never back. Domain depends on nothing else of the
/// application; Persistence and Common never on Features; a feature area depends only on the areas
/// <see cref="Permitidas"/> lists, and never in a circle. Read from the compiled IL (a name written out in full, such
/// as <c>Features.Evidencia.X</c>, counts like a using), and from the source for what the IL can't show (a constant is
/// compiled into its value). Program.cs, the composition root, and the code Mediator generates may name everything.
/// </summary>
public sealed partial class ArquitecturaTests
{
    private const string Raiz = "CompromisosApi";
    private const string Features = Raiz + ".Features";

    /// <summary>
    /// The dependencies between feature areas there may be, and why. A new one fails the test until it is added here
    /// (it may not close a circle); one that is gone fails it until it is removed.
    /// </summary>
    private static readonly Dictionary<string, string[]> Permitidas = new()
    {
        // Medios de verificación store their files through the evidence pieces (type detection, checked stream, upload form).
        ["Compromisos"] = ["Evidencia"],
        // A correction is a calificación or a programa's state written again: it uses their lock helpers and answers.
        ["Correcciones"] = ["Compromisos", "Programas"],
        // The work lists at a corte are lists of compromisos.
        ["Cortes"] = ["Compromisos"],
        // The demo registers the seed through the API's own commands.
        ["Demo"] = ["Compromisos", "Correcciones", "Importaciones", "Programas"],
        // An imported compromiso's text and due month are held to the rules of one registered through the API.
        ["Importaciones"] = ["Compromisos"],
        // A webhook delivers the event feed's CloudEvent.
        ["Webhooks"] = ["Eventos"],
    };

    private static readonly Types Tipos = Types.InAssembly(typeof(Program).Assembly);

    private static readonly Lazy<SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>> Grafo = new(CalcularGrafo);

    [Fact]
    public void Domain_no_depende_del_resto_de_la_aplicacion() =>
        SinDependencias("Domain", $"{Raiz}.Persistence", $"{Raiz}.Common", Features);

    [Fact]
    public void Persistence_no_depende_de_Features() => SinDependencias("Persistence", Features);

    [Fact]
    public void Common_no_depende_de_Features() => SinDependencias("Common", Features);

    [Fact]
    public void Las_areas_no_dependen_en_circulo()
    {
        var ciclos = Ciclos(Grafo.Value.ToDictionary(a => a.Key, a => a.Value.Keys.ToList()));
        Assert.True(ciclos.Count == 0, "Áreas de Features que dependen en círculo:\n" + string.Join("\n", ciclos.Select(c =>
            $"  {string.Join(" → ", c.Append(c[0]))}\n" + string.Join("\n", c.Select((a, i) => Arista(a, c[(i + 1) % c.Count])))))
            + "\nGrafo: " + Describir());
    }

    [Fact]
    public void Las_areas_dependen_solo_de_las_permitidas()
    {
        var nuevas = Grafo.Value.SelectMany(a => a.Value.Keys
            .Where(b => !Permitidas.GetValueOrDefault(a.Key, []).Contains(b))
            .Select(b => Arista(a.Key, b))).ToList();
        var idas = Permitidas.SelectMany(a => a.Value
            .Where(b => !Grafo.Value.TryGetValue(a.Key, out var deps) || !deps.ContainsKey(b))
            .Select(b => $"    {a.Key} → {b}")).ToList();
        Assert.True(nuevas.Count == 0 && idas.Count == 0,
            (nuevas.Count == 0 ? "" : "Dependencias entre áreas que ArquitecturaTests.Permitidas no lista:\n" + string.Join("\n", nuevas) + "\n")
            + (idas.Count == 0 ? "" : "ArquitecturaTests.Permitidas lista dependencias que ya no existen (quítelas):\n" + string.Join("\n", idas) + "\n")
            + "Grafo: " + Describir());
    }

    [Fact]
    public void Un_circulo_se_encuentra_y_se_nombra()
    {
        var grafo = new Dictionary<string, List<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A", "D"], ["D"] = [], ["E"] = ["E2"], ["E2"] = ["E"],
        };
        Assert.Equal([["A", "B", "C"], ["E", "E2"]], Ciclos(grafo));
        Assert.Empty(Ciclos(new Dictionary<string, List<string>> { ["A"] = ["B"], ["B"] = [] }));
    }

    private static void SinDependencias(string capa, params string[] prohibidos)
    {
        var r = Tipos.That().ResideInNamespace($"{Raiz}.{capa}").ShouldNot().HaveDependencyOnAny(prohibidos).GetResult();
        var enIl = (r.FailingTypes ?? []).Select(t => $"    {t.FullName}: {t.Explanation}");
        var enFuente = Archivos(capa).SelectMany(f => Nombrados(f.Texto, prohibidos).Select(n => $"    {f.Ruta}: {n}"));
        var fallas = enIl.Concat(enFuente).ToList();
        Assert.True(fallas.Count == 0, $"{Raiz}.{capa} depende de {string.Join(" o ", prohibidos)}:\n" + string.Join("\n", fallas));
    }

    /// <summary>Area → the areas it depends on → the types (or source files) that do.</summary>
    private static SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> CalcularGrafo()
    {
        var areas = Tipos.That().ResideInNamespace(Features).GetTypes()
            .Select(t => t.ReflectionType.Namespace ?? "")
            .Where(n => n.StartsWith(Features + ".", StringComparison.Ordinal))
            .Select(n => n[(Features.Length + 1)..].Split('.')[0])
            .ToHashSet();
        var grafo = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        void Agregar(string a, string b, string quien)
        {
            var deps = grafo.TryGetValue(a, out var d) ? d : grafo[a] = new(StringComparer.Ordinal);
            (deps.TryGetValue(b, out var q) ? q : deps[b] = new(StringComparer.Ordinal)).Add(quien);
        }

        foreach (var a in areas)
        {
            grafo.TryAdd(a, new(StringComparer.Ordinal));
            foreach (var b in areas.Where(b => b != a))
            {
                foreach (var t in Tipos.That().ResideInNamespace($"{Features}.{a}").And().HaveDependencyOnAny($"{Features}.{b}").GetTypes())
                {
                    // Lambdas and async methods compile to nested types: name the type they were written in.
                    var tipo = t.ReflectionType;
                    while (tipo.DeclaringType is { } externo) tipo = externo;
                    Agregar(a, b, tipo.Name);
                }
            }

            foreach (var f in Archivos($"Features/{a}"))
            {
                foreach (var b in Nombrados(f.Texto, [Features]).Select(n => n.Split('.')[2]).Where(b => b != a && areas.Contains(b)))
                    Agregar(a, b, f.Ruta);
            }
        }

        return grafo;
    }

    private static string Arista(string a, string b) => $"    {a} → {b}: {string.Join(", ", Grafo.Value[a][b])}";

    private static string Describir() =>
        string.Join("; ", Grafo.Value.Select(a => $"{a.Key} → {(a.Value.Count == 0 ? "∅" : string.Join(", ", a.Value.Keys))}"));

    /// <summary>The C# files under src/CompromisosApi/&lt;carpeta&gt;, without their comments.</summary>
    private static IEnumerable<(string Ruta, string Texto)> Archivos(string carpeta)
    {
        var raiz = Repositorio.Fuente;
        return Directory.EnumerateFiles(Path.Combine(raiz, carpeta), "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(raiz, f), Comentario().Replace(File.ReadAllText(f), "")));
    }

    /// <summary>
    /// The names the code writes out in the given namespaces: in a using, or qualified in full or in part from below
    /// CompromisosApi (<c>Features.Evidencia.OpcionesEvidencia</c>), which is how a constant is reached.
    /// </summary>
    private static IEnumerable<string> Nombrados(string codigo, IEnumerable<string> espacios) => espacios.SelectMany(e =>
        Regex.Matches(codigo, $@"(?<![\w.])(?:global::)?(?:{Raiz}\.)?{e[(Raiz.Length + 1)..]}\.(\w+)")
            .Select(m => $"{e}.{m.Groups[1].Value}"))
        .Distinct();

    [GeneratedRegex(@"//.*")]
    private static partial Regex Comentario();

    /// <summary>One circle per strongly connected component of more than one area (Tarjan), as a path through it.</summary>
    private static List<List<string>> Ciclos(IReadOnlyDictionary<string, List<string>> grafo)
    {
        var indice = new Dictionary<string, int>();
        var bajo = new Dictionary<string, int>();
        var pila = new Stack<string>();
        var componentes = new List<HashSet<string>>();

        void Visitar(string v)
        {
            indice[v] = bajo[v] = indice.Count;
            pila.Push(v);
            foreach (var w in grafo.GetValueOrDefault(v, []))
            {
                if (!indice.ContainsKey(w))
                {
                    Visitar(w);
                    bajo[v] = Math.Min(bajo[v], bajo[w]);
                }
                else if (pila.Contains(w))
                {
                    bajo[v] = Math.Min(bajo[v], indice[w]);
                }
            }

            if (bajo[v] != indice[v]) return;
            var componente = new HashSet<string>();
            string x;
            do componente.Add(x = pila.Pop()); while (x != v);
            if (componente.Count > 1) componentes.Add(componente);
        }

        foreach (var v in grafo.Keys.Order(StringComparer.Ordinal).Where(v => !indice.ContainsKey(v))) Visitar(v);
        return componentes.Select(c => Camino(grafo, c)).OrderBy(c => c[0], StringComparer.Ordinal).ToList();
    }

    /// <summary>The shortest circle from the component's first area back to it (breadth first).</summary>
    private static List<string> Camino(IReadOnlyDictionary<string, List<string>> grafo, HashSet<string> componente)
    {
        var inicio = componente.Order(StringComparer.Ordinal).First();
        var previo = new Dictionary<string, string> { [inicio] = "" };
        var cola = new Queue<string>([inicio]);
        while (cola.Count > 0)
        {
            var v = cola.Dequeue();
            foreach (var w in grafo[v].Where(componente.Contains).Order(StringComparer.Ordinal))
            {
                if (w == inicio)
                {
                    var camino = new List<string> { v };
                    while (previo[camino[0]] != "") camino.Insert(0, previo[camino[0]]);
                    return camino;
                }

                if (previo.TryAdd(w, v)) cola.Enqueue(w);
            }
        }

        throw new InvalidOperationException("Una componente fuertemente conexa siempre tiene un circuito.");
    }
}
