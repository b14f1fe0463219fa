//! Which MCP server a tool written in code belongs to when its file does not construct the
//! server: `registerSearchTools(server: McpServer)` in one file, `new McpServer({ name:
//! "acme-files" })` in another that imports it (Python: `def register(mcp: FastMCP)`, or
//! `from .server import mcp`).
//!
//! The answer, first that applies: the servers constructed in the nearest files that import
//! the tool's file (through any chain of relative imports); else the servers constructed in
//! the files it imports itself; else the one server constructed in its package (the nearest
//! directory holding a `package.json`, `pyproject.toml` or `setup.py`, or the scanned tree when
//! there is none), when there is exactly one. When none applies, the tool keeps the server the
//! scanner named after its file, as a tool of an unknown server. Only files of this scan are
//! read; nothing is resolved through packages, path aliases or the file system.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::artifact::tool_code::SourceTools;

/// Names of the manifests whose directory is a package.
pub const PACKAGE_MANIFESTS: &[&str] = &["package.json", "pyproject.toml", "setup.py"];

/// The directories of the package manifests among `paths` (repository-relative), leaving out
/// vendored trees (`node_modules`, virtual environments).
pub fn package_dirs<'p>(paths: impl Iterator<Item = &'p str>) -> BTreeSet<String> {
    paths
        .filter(|path| {
            let name = path.rsplit('/').next().unwrap_or(path);
            PACKAGE_MANIFESTS.contains(&name)
                && !path
                    .split('/')
                    .any(|dir| crate::detect::VENDORED_DIRS.contains(&dir))
        })
        .map(|path| parent(path).to_owned())
        .collect()
}

/// For each source file (by path) with tools of a server it does not construct, the servers
/// those tools belong to, sorted; files with no answer are left out. `package_dirs` holds the
/// directories of package manifests (`""` for the root).
pub fn servers_elsewhere(
    files: &[(&str, &SourceTools)],
    package_dirs: &BTreeSet<String>,
) -> BTreeMap<String, Vec<String>> {
    let mut answers = BTreeMap::new();
    if !files
        .iter()
        .any(|(_, f)| f.tools.iter().any(|t| t.server_elsewhere))
    {
        return answers;
    }
    let by_path: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, (path, _))| (*path, i))
        .collect();
    let imports: Vec<Vec<usize>> = files
        .iter()
        .map(|(path, source)| {
            let mut targets: Vec<usize> = source
                .imports
                .iter()
                .filter_map(|spec| resolve(path, spec, &by_path))
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
    let mut importers: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (from, targets) in imports.iter().enumerate() {
        for &to in targets {
            importers[to].push(from);
        }
    }
    let servers_of = |indices: &[usize]| -> Vec<String> {
        let mut names: Vec<String> = indices
            .iter()
            .flat_map(|&i| files[i].1.servers.iter().cloned())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    for (index, (path, source)) in files.iter().enumerate() {
        if !source.tools.iter().any(|t| t.server_elsewhere) {
            continue;
        }
        let nearest = nearest_constructors(index, &importers, files);
        let mut servers = servers_of(&nearest);
        if servers.is_empty() {
            let imported: Vec<usize> = imports[index]
                .iter()
                .copied()
                .filter(|&i| i != index)
                .collect();
            servers = servers_of(&imported);
        }
        if servers.is_empty() {
            let package = package_of(path, package_dirs);
            let in_package: Vec<usize> = files
                .iter()
                .enumerate()
                .filter(|(_, (p, _))| package_of(p, package_dirs) == package)
                .map(|(i, _)| i)
                .collect();
            let candidates = servers_of(&in_package);
            if candidates.len() == 1 {
                servers = candidates;
            }
        }
        if !servers.is_empty() {
            answers.insert((*path).to_owned(), servers);
        }
    }
    answers
}

/// The files nearest to `start` (in import steps, at least one) that import it and construct a
/// server.
fn nearest_constructors(
    start: usize,
    importers: &[Vec<usize>],
    files: &[(&str, &SourceTools)],
) -> Vec<usize> {
    let mut seen = vec![false; files.len()];
    seen[start] = true;
    let mut frontier: VecDeque<usize> = VecDeque::from([start]);
    while !frontier.is_empty() {
        let mut next = VecDeque::new();
        for file in frontier {
            for &importer in &importers[file] {
                if !seen[importer] {
                    seen[importer] = true;
                    next.push_back(importer);
                }
            }
        }
        let found: Vec<usize> = next
            .iter()
            .copied()
            .filter(|&i| !files[i].1.servers.is_empty())
            .collect();
        if !found.is_empty() {
            return found;
        }
        frontier = next;
    }
    Vec::new()
}

/// The nearest directory holding a package manifest above `path` (`""` for the root, which is
/// also the package of a file with none).
fn package_of<'p>(path: &str, package_dirs: &'p BTreeSet<String>) -> &'p str {
    let mut dir = parent(path);
    loop {
        if let Some(found) = package_dirs.get(dir) {
            return found;
        }
        if dir.is_empty() {
            return "";
        }
        dir = parent(dir);
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The source file of this scan a relative import names, if any.
fn resolve(from: &str, spec: &str, by_path: &HashMap<&str, usize>) -> Option<usize> {
    let candidates = if from.ends_with(".py") {
        spec.starts_with('.').then_some(())?;
        python_candidates(parent(from), spec)?
    } else {
        (spec.starts_with("./") || spec.starts_with("../")).then_some(())?;
        script_candidates(parent(from), spec)?
    };
    candidates
        .iter()
        .find_map(|candidate| by_path.get(candidate.as_str()).copied())
}

/// `./echo.js` from `src/tools`: `src/tools/echo.js`, `src/tools/echo.ts` (TypeScript imports
/// name the compiled file), and for a specifier without extension the usual extensions and
/// `index` files.
fn script_candidates(dir: &str, spec: &str) -> Option<Vec<String>> {
    let joined = join(dir, spec)?;
    let mut candidates = vec![joined.clone()];
    for (compiled, source) in [(".js", ".ts"), (".mjs", ".mts"), (".cjs", ".cts")] {
        if let Some(stem) = joined.strip_suffix(compiled) {
            candidates.push(format!("{stem}{source}"));
        }
    }
    for suffix in [".ts", ".mts", ".js", ".mjs", "/index.ts", "/index.js"] {
        candidates.push(format!("{joined}{suffix}"));
    }
    Some(candidates)
}

/// `..server.app` from `pkg/tools`: `pkg/server/app.py` or `pkg/server/app/__init__.py`.
fn python_candidates(dir: &str, spec: &str) -> Option<Vec<String>> {
    let dots = spec.chars().take_while(|&c| c == '.').count();
    let module = &spec[dots..];
    let mut base = dir.to_owned();
    for _ in 1..dots {
        if base.is_empty() {
            return None;
        }
        base = parent(&base).to_owned();
    }
    let module_path = module.replace('.', "/");
    let joined = match (base.is_empty(), module_path.is_empty()) {
        (_, true) => base,
        (true, false) => module_path,
        (false, false) => format!("{base}/{module_path}"),
    };
    let init = if joined.is_empty() {
        "__init__.py".to_owned()
    } else {
        format!("{joined}/__init__.py")
    };
    Some(if module.is_empty() {
        vec![init]
    } else {
        vec![format!("{joined}.py"), init]
    })
}

/// `dir` joined with a `./`- or `../`-relative path, normalised; `None` above the root.
fn join(dir: &str, relative: &str) -> Option<String> {
    let path = if dir.is_empty() {
        relative.to_owned()
    } else {
        format!("{dir}/{relative}")
    };
    crate::inventory::normalize(&path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::tool_code::{Language, scan};

    fn source(path: &str, text: &str) -> (String, SourceTools) {
        let language = if path.ends_with(".py") {
            Language::Python
        } else {
            Language::Script
        };
        let stem = path.rsplit('/').next().unwrap().split('.').next().unwrap();
        (path.to_owned(), scan(text, language, stem).unwrap())
    }

    fn answers(files: &[(String, SourceTools)], packages: &[&str]) -> Vec<(String, Vec<String>)> {
        let files: Vec<(&str, &SourceTools)> = files.iter().map(|(p, s)| (p.as_str(), s)).collect();
        let packages = packages.iter().map(|p| (*p).to_owned()).collect();
        servers_elsewhere(&files, &packages).into_iter().collect()
    }

    const REGISTER: &str = "import type { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
        export function registerSearch(server: McpServer) {\n  server.registerTool(\"search\", { description: \"Search\" }, async () => ({}));\n}\n";

    #[test]
    fn the_server_is_found_through_the_files_that_import_the_tools() {
        let files = [
            source(
                "files/src/server.ts",
                "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
                 import { registerAll } from \"./tools/index.js\";\n\
                 const server = new McpServer({ name: \"acme-files\", version: \"1.0.0\" });\n\
                 registerAll(server);\n",
            ),
            source(
                "files/src/tools/index.ts",
                "import {\n  registerSearch,\n} from './search.js';\nexport const registerAll = (s) => registerSearch(s);\n",
            ),
            source("files/src/tools/search.ts", REGISTER),
            // Another package's server is not a candidate.
            source(
                "notes/server.ts",
                "const server = new McpServer({ name: \"acme-notes\" });\n",
            ),
        ];
        assert_eq!(files[2].1.tools[0].id, "mcp:search/search");
        assert!(files[2].1.tools[0].server_elsewhere);
        assert_eq!(
            answers(&files, &["files", "notes"]),
            [(
                "files/src/tools/search.ts".to_owned(),
                vec!["acme-files".to_owned()]
            )]
        );
    }

    #[test]
    fn otherwise_the_one_server_of_the_package() {
        let server = "const server = new McpServer({ name: \"acme-files\" });\n";
        let files = [
            source("files/src/server.ts", server),
            source("files/src/plugins/search.ts", REGISTER),
        ];
        assert_eq!(
            answers(&files, &["files"]),
            [(
                "files/src/plugins/search.ts".to_owned(),
                vec!["acme-files".to_owned()]
            )]
        );
        // Two servers in the package: no answer, the file's own name stays.
        let files = [
            source("files/src/server.ts", server),
            source(
                "files/src/other.ts",
                "const server = new McpServer({ name: \"acme-other\" });\n",
            ),
            source("files/src/plugins/search.ts", REGISTER),
        ];
        assert!(answers(&files, &["files"]).is_empty());
        // No server in the package: none from another one.
        let files = [
            source("files/src/server.ts", server),
            source("lonely/search.ts", REGISTER),
        ];
        assert!(answers(&files, &["files", "lonely"]).is_empty());
    }

    #[test]
    fn python_servers_passed_to_a_function_or_imported() {
        let tools = "from mcp.server.fastmcp import FastMCP\n\n\
            def register_tools(mcp: FastMCP) -> None:\n    @mcp.tool()\n    def lookup(key: str) -> str:\n        return key\n";
        let files = [
            source(
                "app/server.py",
                "from mcp.server.fastmcp import FastMCP\nfrom .tools import register_tools\n\nmcp = FastMCP(\"acme-py\")\nregister_tools(mcp)\n",
            ),
            source("app/tools.py", tools),
            source(
                "app/extra/notes.py",
                "from ..server import mcp\n\n@mcp.tool()\ndef add_note(text: str) -> str:\n    return text\n",
            ),
        ];
        assert!(files[1].1.tools[0].server_elsewhere);
        assert_eq!(
            answers(&files, &[]),
            [
                ("app/extra/notes.py".to_owned(), vec!["acme-py".to_owned()]),
                ("app/tools.py".to_owned(), vec!["acme-py".to_owned()]),
            ]
        );
    }

    #[test]
    fn a_file_that_constructs_its_server_needs_no_answer() {
        let files = [source(
            "ops/server.ts",
            "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
             const server = new McpServer(info);\nserver.tool(\"ping\", async () => ({}));\n",
        )];
        assert!(!files[0].1.tools[0].server_elsewhere);
        assert_eq!(files[0].1.servers, ["server"]);
        assert!(answers(&files, &[]).is_empty());
    }

    #[test]
    fn paths_resolve_within_the_tree() {
        assert_eq!(join("a/b", "../c/./d.js").as_deref(), Some("a/c/d.js"));
        assert_eq!(join("a", "../../x"), None);
        assert_eq!(
            python_candidates("pkg/sub", "..server.app").unwrap(),
            ["pkg/server/app.py", "pkg/server/app/__init__.py"]
        );
        assert_eq!(python_candidates("pkg", ".").unwrap(), ["pkg/__init__.py"]);
        assert_eq!(python_candidates("", "..x"), None);
        let dirs: BTreeSet<String> = ["", "a"].iter().map(|d| (*d).to_owned()).collect();
        assert_eq!(package_of("a/b/c.ts", &dirs), "a");
        assert_eq!(package_of("b/c.ts", &dirs), "");
    }
}
