using System.Text.RegularExpressions;
using Compression.Onnx.Tests.Pipeline;

namespace Compression.Onnx.Tests.Architecture;

/// <summary>
/// The engine's layering, read from its sources (docs/architecture.md): every file's namespace is its folder's, no file
/// is over 450 lines, the top-level folders depend on each other without a cycle, and Tensors uses no other folder. A
/// folder depends on another when one of its files has a <c>using</c> of the other's namespace or names one of its types
/// qualified by the namespace. The root folder (namespace <c>Compression.Onnx</c>) is the public front door every folder
/// sees without a <c>using</c>: settings, report, exception, codes and the entry points; it is not a node of the graph.
/// </summary>
[TestClass]
public sealed partial class LayeringTests
{
    private const string RootNamespace = "Compression.Onnx";
    private const int MaximumLines = 450;
    private static readonly Lazy<List<SourceFile>> Files = new(ReadSources);

    [TestMethod]
    public void Every_namespace_matches_its_folder()
    {
        var wrong = Files.Value
            .Where(f => f.Namespace != RootNamespace + string.Concat(f.Folders.Select(d => "." + d)))
            .Select(f => $"{f.Path}: namespace {f.Namespace}")
            .ToList();
        Assert.IsEmpty(wrong, string.Join("\n", wrong));
    }

    [TestMethod]
    public void No_source_file_is_over_450_lines()
    {
        var tooLong = Files.Value.Where(f => f.Lines > MaximumLines).Select(f => $"{f.Path}: {f.Lines} lines").ToList();
        Assert.IsEmpty(tooLong, string.Join("\n", tooLong));
    }

    [TestMethod]
    public void Folders_depend_on_each_other_without_a_cycle()
    {
        var edges = Dependencies();
        var cycle = FindCycle(edges);
        Assert.IsNull(cycle, cycle is null ? null : "folder cycle: " + string.Join(" -> ", cycle) + "\n" + Describe(edges));
    }

    [TestMethod]
    public void Tensors_depend_only_on_the_protobuf_types()
    {
        var edges = Dependencies();
        Assert.IsEmpty(edges.GetValueOrDefault("Tensors", []), "Tensors uses " + string.Join(", ", edges.GetValueOrDefault("Tensors", [])));
    }

    [TestMethod]
    public void The_check_sees_a_cycle_and_a_qualified_use()
    {
        // The rule itself, on a made-up graph and a made-up line, so the tests above cannot pass by seeing nothing.
        var edges = new Dictionary<string, SortedSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };
        CollectionAssert.AreEqual(new[] { "A", "B", "C", "A" }, FindCycle(edges));
        var types = new Dictionary<string, HashSet<string>> { ["Graph"] = ["ModelGraph"], ["IO"] = ["OnnxModel"] };
        CollectionAssert.AreEquivalent(new[] { "Graph", "IO" }, UsedFolders("using Compression.Onnx.IO;\nvar g = Graph.ModelGraph.Build(m); // Graph.Node in a comment\nGraph.Node.Add(x);", "Tensors", types).ToArray());
        Assert.IsTrue(Dependencies().Count > 5, "the engine's folders were read");
    }

    private static Dictionary<string, SortedSet<string>> Dependencies()
    {
        var folders = Files.Value.Where(f => f.Folders.Length > 0).Select(f => f.Folders[0]).ToHashSet(StringComparer.Ordinal);
        var types = folders.ToDictionary(
            folder => folder,
            folder => Files.Value.Where(f => f.Folders.Length > 0 && f.Folders[0] == folder).SelectMany(f => TypeDeclaration().Matches(f.Code).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        var edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in Files.Value.Where(f => f.Folders.Length > 0))
        {
            string from = file.Folders[0];
            if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = new SortedSet<string>(StringComparer.Ordinal);
            targets.UnionWith(UsedFolders(file.Code, from, types));
        }

        return edges;
    }

    /// <summary>The top-level folders <paramref name="code"/> (comments and strings removed) uses, other than its own.</summary>
    private static IEnumerable<string> UsedFolders(string code, string own, IReadOnlyDictionary<string, HashSet<string>> types)
    {
        code = CommentOrString().Replace(code, " ");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in UsingDirective().Matches(code)) used.Add(m.Groups[1].Value);
        foreach (var (folder, declared) in types)
        {
            foreach (Match m in Regex.Matches(code, @"(?<![\w.])(?:(?:Compression\.)?Onnx\.)?" + folder + @"\.(\w+)"))
            {
                if (declared.Contains(m.Groups[1].Value)) used.Add(folder);
            }
        }

        used.Remove(own);
        return used.Where(types.ContainsKey);
    }

    /// <summary>One cycle as a path that ends where it starts, or null.</summary>
    private static List<string>? FindCycle(IReadOnlyDictionary<string, SortedSet<string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (string next in edges.GetValueOrDefault(node, []))
            {
                if (state.GetValueOrDefault(next) == 1) return [.. path.Skip(path.IndexOf(next)), next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (string node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        }

        return null;
    }

    private static string Describe(Dictionary<string, SortedSet<string>> edges) =>
        string.Join("\n", edges.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} -> {string.Join(", ", e.Value)}"));

    private static List<SourceFile> ReadSources()
    {
        string root = Path.GetFullPath(Path.Combine(PassTestFiles.Data(), "..", "..", "src", "Compression.Onnx"));
        var files = new List<SourceFile>();
        foreach (string path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal)) continue;
            string code = File.ReadAllText(path);
            string[] folders = relative.Split('/')[..^1];
            string ns = FileNamespace().Match(code) is { Success: true } m ? m.Groups[1].Value : "(none)";
            files.Add(new SourceFile(relative, folders, ns, code, File.ReadLines(path).Count()));
        }

        return files;
    }

    private sealed record SourceFile(string Path, string[] Folders, string Namespace, string Code, int Lines);

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?Compression\.Onnx\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b(?:class|struct|record|enum|interface)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
