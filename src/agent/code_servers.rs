//! Which MCP server a tool written in code belongs to when its file does not construct the
//! server: `registerSearchTools(server: McpServer)` in one file, `new McpServer({ name:
//! "acme-files" })` in another that imports it (Python: `def register(mcp: FastMCP)`, or
//! `from .server import mcp`).
//!
//! The answer, first that applies: for Go, the servers constructed in the tool's own package
//! (its directory, whose files share one scope); the servers constructed in the nearest files
//! that import the tool's file (through any chain of imports; a test file only when no other
//! file does); else the servers constructed in
//! the files it imports itself; else the one server constructed in its package (the nearest
//! directory holding a `go.mod`, `package.json`, `pyproject.toml` or `setup.py`, or the scanned
//! tree when there is none), when there is exactly one. When none applies, the tool keeps the
//! server the scanner named after its file, as a tool of an unknown server.
//!
//! An import links two files of this scan when it is relative (`./tools.js`, `from .server
//! import mcp`); when it is a TypeScript/JavaScript path alias or `baseUrl` path of the nearest
//! `tsconfig.json` or `jsconfig.json` (`@/server` with `"paths": { "@/*": ["src/*"] }`, its
//! `extends` followed to configs of the tree); or when it is a Python absolute import of a
//! module found in the importing file's directory or a directory above it (`from
//! acme_pkg.server import mcp` in `src/acme_pkg/tools/refund.py` names
//! `src/acme_pkg/server.py`; among the files a tool file imports, a name it imports from a
//! module that imports it itself, as a package's `__init__.py` re-exports it, leads on to the
//! module it comes from: `python`); or when it is a Go import path of a module of the tree, which
//! links the importing file to every file of the package (`go`); or when it names a package
//! of the tree by its `package.json` name, as a workspace links them (`@acme/tools`). Only
//! files of this scan are read: nothing is resolved through installed packages or the file
//! system.
//!
//! A Python or TypeScript/JavaScript server built with a constant of another file
//! (`FastMCP(SERVER_NAME)` after `from .config import SERVER_NAME`) is named by the value that
//! file shares, found through the same imports and the re-exports of the modules they name
//! (`constants`); else a server a file leaves unnamed is named after its package.
//!
//! A Python tool class (a `BaseTool` subclass) derived from a class of another file is followed
//! through the same imports to the class it comes down to, which tells whether it is a tool and
//! what name it inherits (`python_tools`).
//!
//! The tools a low-level TypeScript/JavaScript server lists from another file (an imported
//! `ListToolsRequestSchema` handler or array) are joined to it through the same imports
//! (`listed`).
//!
//! C# names namespaces, not files, so a C# tool file imports nothing: its tools belong to the
//! servers the file builds itself; else, tool class by tool class, to the servers that
//! register the class by type (`WithTools<T>()`, `WithToolsFromAssembly()`, in the server's
//! file or in an extension method its builder calls: `csharp`); else
//! to the one C# server built in its package — the project, the nearest directory holding a
//! `.csproj` — that does not register only other classes (a C# server is no candidate for a
//! tool of another language either). A C# server built without a name (no `ServerInfo`) is
//! named, as the SDK names it, after the assembly: the project's `<AssemblyName>`, else the
//! `.csproj` file's name.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use crate::pattern::Pattern;

use crate::artifact::tool_code::SourceTools;
use crate::artifact::tsconfig::{self, PathPatterns, TsConfig};

mod constants;
mod csharp;
mod go;
mod listed;
mod python;
mod python_tools;

pub use listed::listed_elsewhere;

/// Names of the manifests whose directory is a package.
pub const PACKAGE_MANIFESTS: &[&str] = &[go::GO_MOD, "package.json", "pyproject.toml", "setup.py"];
/// How the name of a C# project file ends; its directory is a package too.
pub const CSHARP_PROJECT_SUFFIX: &str = ".csproj";

/// Whether a file of this name makes its directory a package.
pub fn is_package_manifest(name: &str) -> bool {
    PACKAGE_MANIFESTS.contains(&name) || name.ends_with(CSHARP_PROJECT_SUFFIX)
}

/// `<AssemblyName>acme-ops</AssemblyName>` outside comments: group 1 the name.
static ASSEMBLY_NAME: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"<AssemblyName>\s*([^<]*?)\s*</AssemblyName>").expect("valid regex")
});
static XML_COMMENT: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?s)<!--.*?-->").expect("valid regex"));
/// Names of the configs a TypeScript/JavaScript file in their directory or below resolves its
/// path aliases with, preferred first.
pub const SCRIPT_CONFIGS: &[&str] = &["tsconfig.json", "jsconfig.json"];
/// Configs followed through `extends`, one after another, from a directory's config.
const MAX_EXTENDS_DEPTH: usize = 4;

/// What discovery knows of the tree besides its source files: where its packages are and how
/// its TypeScript/JavaScript imports resolve. Vendored trees (`node_modules`, virtual
/// environments) are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLayout {
    /// The directories of the package manifests (repository-relative, `""` for the root).
    pub package_dirs: BTreeSet<String>,
    /// The path aliases of each directory with a `tsconfig.json` or `jsconfig.json`.
    pub script_aliases: BTreeMap<String, ScriptAliases>,
    /// The module path of each directory with a `go.mod` (`github.com/acme/ops`).
    pub go_modules: BTreeMap<String, String>,
    /// Each directory with a `.csproj` and the name of the assembly it builds (of the first
    /// project file by name where there are several).
    pub projects: BTreeMap<String, String>,
    /// Each directory with a `.csproj` that references other projects
    /// (`<ProjectReference Include="..\Acme.Tools\Acme.Tools.csproj" />`), and their
    /// directories.
    pub project_references: BTreeMap<String, Vec<String>>,
    /// The JavaScript/TypeScript packages of the tree by `package.json` name (`@acme/tools`), as
    /// a workspace links them: an import of one leads to its source.
    pub script_packages: BTreeMap<String, ScriptPackage>,
    /// Each directory with a `pyproject.toml` that names its project (`[project] name`, else
    /// `[tool.poetry] name`), and that name.
    pub python_projects: BTreeMap<String, String>,
}

/// A `package.json` of the tree: its directory and the entry points it declares (`main`,
/// `module`, `types`, `exports["."]`), as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptPackage {
    pub dir: String,
    pub entries: Vec<String>,
}

impl ScriptPackage {
    /// The package of `text`, a `package.json` in `dir`; `None` without a name.
    fn read(dir: &str, text: &str) -> Option<(String, ScriptPackage)> {
        let json: serde_json::Value = serde_json::from_str(text).ok()?;
        let name = json.get("name")?.as_str()?.to_owned();
        let exports = json.get("exports");
        let dot = exports.and_then(|e| e.get(".")).or(exports);
        let entries = [json.get("main"), json.get("module"), json.get("types")]
            .into_iter()
            .chain(dot.map(|d| d.get("import").or(d.get("default")).or(Some(d))))
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let dir = dir.to_owned();
        Some((name, ScriptPackage { dir, entries }))
    }

    /// The files an import of this package may name: for the package itself (`sub` empty) its
    /// entry points and their sources (`dist/index.js` is built from `src/index.ts`), then
    /// `src/index` and `index`; for a subpath (`@acme/tools/refund`) that path under `src/` and
    /// under the package.
    fn candidates(&self, sub: &str) -> Vec<String> {
        let mut targets: Vec<String> = Vec::new();
        if sub.is_empty() {
            for entry in &self.entries {
                let entry = entry.trim_start_matches("./");
                targets.push(entry.to_owned());
                for built in ["dist/", "build/", "lib/", "out/"] {
                    if let Some(rest) = entry.strip_prefix(built) {
                        let rest = rest
                            .strip_suffix(".d.ts")
                            .map_or(rest.to_owned(), |stem| format!("{stem}.ts"));
                        targets.push(format!("src/{rest}"));
                    }
                }
            }
            targets.extend(["src/index".to_owned(), "index".to_owned()]);
        } else {
            targets.extend([format!("src/{sub}"), sub.to_owned()]);
        }
        targets
            .iter()
            .filter_map(|target| script_candidates(&self.dir, target))
            .flatten()
            .collect()
    }
}

/// The module resolution settings of one directory's config, `extends` applied, with every
/// path repository-relative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptAliases {
    /// `compilerOptions.baseUrl`: where a non-relative import may be a path.
    pub base_url: Option<String>,
    /// `compilerOptions.paths`: each pattern with its substitutions (`web/src/*`).
    pub paths: PathPatterns,
}

impl SourceLayout {
    /// The layout of the tree whose files are `paths` (repository-relative). `read` gives the
    /// text of one of them, a config (at most `tsconfig::MAX_CONFIG_BYTES`), or `None`.
    pub fn read<'p>(
        paths: impl Iterator<Item = &'p str>,
        mut read: impl FnMut(&str) -> Option<String>,
    ) -> SourceLayout {
        let mut paths: Vec<&str> = paths.filter(|path| !is_vendored(path)).collect();
        paths.sort_unstable();
        let package_dirs = paths
            .iter()
            .filter(|path| is_package_manifest(file_name(path)))
            .map(|path| parent(path).to_owned())
            .collect();
        let mut projects = BTreeMap::new();
        let mut project_references: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for path in &paths {
            let Some(stem) = file_name(path).strip_suffix(CSHARP_PROJECT_SUFFIX) else {
                continue;
            };
            let text = read(path);
            let dir = parent(path);
            if let Some(text) = &text {
                let references = csharp::project_references(dir, text);
                if !references.is_empty() {
                    project_references
                        .entry(dir.to_owned())
                        .or_default()
                        .extend(references);
                }
            }
            if !projects.contains_key(dir) {
                let name = text
                    .and_then(|text| assembly_name(&text))
                    .unwrap_or_else(|| stem.to_owned());
                projects.insert(dir.to_owned(), name);
            }
        }
        let mut configs = Configs {
            read,
            parsed: HashMap::new(),
        };
        let go_modules = paths
            .iter()
            .filter(|path| file_name(path) == go::GO_MOD)
            .filter_map(|path| {
                let module = go::module_path(&(configs.read)(path)?)?;
                Some((parent(path).to_owned(), module))
            })
            .collect();
        let python_projects = paths
            .iter()
            .filter(|path| file_name(path) == "pyproject.toml")
            .filter_map(|path| {
                let name = python_project_name(&(configs.read)(path)?)?;
                Some((parent(path).to_owned(), name))
            })
            .collect();
        let mut script_packages = BTreeMap::new();
        for path in paths
            .iter()
            .filter(|path| file_name(path) == "package.json")
        {
            if let Some((name, package)) =
                (configs.read)(path).and_then(|text| ScriptPackage::read(parent(path), &text))
            {
                script_packages.entry(name).or_insert(package);
            }
        }
        let mut script_aliases = BTreeMap::new();
        for name in SCRIPT_CONFIGS {
            for path in paths.iter().filter(|path| file_name(path) == *name) {
                if !script_aliases.contains_key(parent(path)) {
                    let aliases = configs.aliases(path);
                    script_aliases.insert(parent(path).to_owned(), aliases);
                }
            }
        }
        SourceLayout {
            package_dirs,
            script_aliases,
            go_modules,
            projects,
            project_references,
            script_packages,
            python_projects,
        }
    }

    /// The name a server that the file at `path` builds without a name of its own takes: for
    /// C#, the assembly name of its project (the nearest `.csproj` above it); for Python, the
    /// name of the nearest `pyproject.toml` above it; for JavaScript/TypeScript, the name of the
    /// nearest `package.json` above it.
    fn project_of(&self, path: &str) -> Option<&String> {
        let dirs = || ancestors(parent(path));
        if is_csharp(path) {
            dirs().find_map(|dir| self.projects.get(dir))
        } else if path.ends_with(".py") {
            dirs().find_map(|dir| self.python_projects.get(dir))
        } else {
            dirs().find_map(|dir| {
                self.script_packages
                    .iter()
                    .find(|(_, package)| package.dir == dir)
                    .map(|(name, _)| name)
            })
        }
    }
}

/// The project name a `pyproject.toml` declares (`[project] name`, else `[tool.poetry] name`).
fn python_project_name(text: &str) -> Option<String> {
    let toml: toml::Table = text.parse().ok()?;
    let name = toml
        .get("project")
        .and_then(|p| p.get("name"))
        .or_else(|| toml.get("tool")?.get("poetry")?.get("name"))?;
    name.as_str().map(str::to_owned)
}

/// The `<AssemblyName>` a project file sets to a plain value (not an MSBuild expression).
fn assembly_name(project: &str) -> Option<String> {
    let project = XML_COMMENT.replace_all(project, "");
    let name = ASSEMBLY_NAME.captures(&project)?.get(1)?.as_str();
    (!name.is_empty() && !name.contains("$(")).then(|| name.to_owned())
}

impl ScriptAliases {
    /// The paths a non-relative import may name: the substitutions of the exact pattern it
    /// matches, else of the wildcard pattern with the longest prefix it matches, then its path
    /// under `baseUrl`.
    fn targets(&self, spec: &str) -> Vec<String> {
        let exact = self
            .paths
            .iter()
            .find(|(pattern, _)| pattern == spec)
            .map(|(_, targets)| (targets, ""));
        let matched = exact.or_else(|| {
            let mut best: Option<(usize, &Vec<String>, &str)> = None;
            for (pattern, targets) in &self.paths {
                let Some((prefix, suffix)) = pattern.split_once('*') else {
                    continue;
                };
                let Some(star) = spec
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.strip_suffix(suffix))
                else {
                    continue;
                };
                if best.is_none_or(|(longest, ..)| prefix.len() > longest) {
                    best = Some((prefix.len(), targets, star));
                }
            }
            best.map(|(_, targets, star)| (targets, star))
        });
        let mut out: Vec<String> = matched
            .into_iter()
            .flat_map(|(targets, star)| targets.iter().map(move |t| t.replacen('*', star, 1)))
            .collect();
        out.extend(self.base_url.as_deref().and_then(|base| join(base, spec)));
        out
    }
}

/// Configs read so far, by path (`None`: not in the tree, unreadable or not JSON).
struct Configs<R> {
    read: R,
    parsed: HashMap<String, Option<TsConfig>>,
}

impl<R: FnMut(&str) -> Option<String>> Configs<R> {
    fn get(&mut self, path: &str) -> Option<TsConfig> {
        if !self.parsed.contains_key(path) {
            let parsed = (self.read)(path).and_then(|text| tsconfig::parse(&text).ok());
            self.parsed.insert(path.to_owned(), parsed);
        }
        self.parsed.get(path).cloned().flatten()
    }

    /// The settings of the config at `path` with those of the configs it extends.
    fn aliases(&mut self, path: &str) -> ScriptAliases {
        let mut effective = Effective::default();
        self.apply(path, 0, &mut effective);
        let paths = match &effective.paths {
            Some((dir, paths)) => {
                // Substitutions are relative to `baseUrl`, else to the config that sets them.
                let base = effective.base_url.as_deref().unwrap_or(dir);
                paths
                    .iter()
                    .map(|(pattern, targets)| {
                        let targets = targets
                            .iter()
                            .filter(|t| !t.starts_with('/'))
                            .filter_map(|t| join(base, t))
                            .collect();
                        (pattern.clone(), targets)
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        ScriptAliases {
            base_url: effective.base_url,
            paths,
        }
    }

    /// Set what the config at `path` sets onto `into`, over what the configs it extends set
    /// (a later one of those over an earlier one).
    fn apply(&mut self, path: &str, depth: usize, into: &mut Effective) {
        let Some(config) = self.get(path) else {
            return;
        };
        let dir = parent(path);
        if depth < MAX_EXTENDS_DEPTH {
            for base in &config.extends {
                if let Some(base) = self.extended(dir, base) {
                    self.apply(&base, depth + 1, into);
                }
            }
        }
        if let Some(base_url) = config.base_url.as_deref().filter(|b| !b.starts_with('/')) {
            into.base_url = join(dir, base_url);
        }
        if let Some(paths) = config.paths {
            into.paths = Some((dir.to_owned(), paths));
        }
    }

    /// The config of the tree a relative `extends` names (with or without `.json`); a package
    /// (`@tsconfig/node20`) is not followed.
    fn extended(&mut self, dir: &str, spec: &str) -> Option<String> {
        if !(spec.starts_with("./") || spec.starts_with("../")) {
            return None;
        }
        let path = join(dir, spec)?;
        let with_json = format!("{path}.json");
        [path, with_json]
            .into_iter()
            .find(|candidate| self.get(candidate).is_some())
    }
}

/// `extends` applied so far: `baseUrl` (repository-relative) and `paths` with the directory of
/// the config that set them.
#[derive(Default)]
struct Effective {
    base_url: Option<String>,
    paths: Option<(String, PathPatterns)>,
}

fn is_vendored(path: &str) -> bool {
    path.split('/')
        .any(|dir| crate::detect::VENDORED_DIRS.contains(&dir))
}

fn is_csharp(path: &str) -> bool {
    path.ends_with(".cs")
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The servers discovery found for the tools of one file that it does not construct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// The servers of the file's tools, sorted (empty when only `by_tool` answers).
    pub servers: Vec<String>,
    /// C#: the servers of single tools (by index into the file's tools), sorted, where a
    /// server registers their class by type; they take the place of `servers`.
    pub by_tool: BTreeMap<usize, Vec<String>>,
}

impl Answer {
    /// The servers of the file's tool at `index`; empty for none.
    pub fn of(&self, index: usize) -> &[String] {
        self.by_tool.get(&index).unwrap_or(&self.servers)
    }
}

/// Give Go tools and servers named by constants of other files of their package, or exported
/// constants of packages of the tree they import, those names (see
/// `go::resolve_package_names`).
pub fn resolve_go_package_names(files: &mut [(&str, &mut SourceTools)], layout: &SourceLayout) {
    go::resolve_package_names(files, layout);
}

/// Give the tools of Python objects built by a class imported from another file of the tree
/// (`PythonLinks::imported_servers`) their server when the import leads to a file that defines
/// that class as a subclass of `FastMCP` or `MCPServer` (or re-exports one, or derives one from
/// another file's): the name its `__init__` gives, else the one the object is built with, else
/// (unnamed) the file's stem, named after its package later. Likewise the tools registered on
/// a class derived from an imported class (`PythonLinks::subclasses`) when that class is a
/// server class: its own name, else the one the class it derives from gives. The others stay
/// as they were read.
pub fn resolve_python_server_classes(
    files: &mut [(&str, &mut SourceTools)],
    layout: &SourceLayout,
) {
    python::resolve_server_classes(files, layout);
}

/// Make tools of the Python classes derived from a tool class of another file of the tree
/// (`PythonLinks::tool_classes`), with the name and description they inherit from it when they
/// write none; and drop the tool a file read for a class that declares no name and that
/// classes of other files derive from: a shared base (see `python_tools`).
pub fn resolve_python_tool_classes(files: &mut [(&str, &mut SourceTools)], layout: &SourceLayout) {
    python_tools::resolve_tool_classes(files, layout);
}

/// For each source file (by path) with tools of a server it does not construct, the servers
/// those tools belong to; files with no answer are left out.
pub fn servers_elsewhere(
    files: &[(&str, &SourceTools)],
    layout: &SourceLayout,
) -> BTreeMap<String, Answer> {
    let mut answers = BTreeMap::new();
    if !files.iter().any(|(_, f)| looks_elsewhere(f)) {
        return answers;
    }
    let by_path = by_path(files);
    let go_packages = go::Packages::of(files);
    let mut imports: Vec<Vec<usize>> = Vec::with_capacity(files.len());
    for (path, source) in files {
        let mut targets: Vec<usize> = if go::is_go(path) {
            let imported = |spec: &String| go_packages.imported(spec, &layout.go_modules);
            source.imports.iter().flat_map(imported).copied().collect()
        } else {
            source
                .imports
                .iter()
                .filter_map(|spec| resolve(path, spec, &by_path, layout))
                .collect()
        };
        targets.sort_unstable();
        targets.dedup();
        imports.push(targets);
    }
    let mut importers: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (from, targets) in imports.iter().enumerate() {
        for &to in targets {
            importers[to].push(from);
        }
    }
    // A server a file builds with a constant it imports is named by the constant's value, when
    // found. Else a server a file leaves unnamed is its project's when it is in one: in C#
    // always (the SDK names it after the assembly), elsewhere when no other file of the project
    // leaves one unnamed (test files that each build a server keep their own names).
    let constant_names = constants::server_names(files, &by_path, layout);
    let mut unnamed_in: HashMap<&String, usize> = HashMap::new();
    for (index, (path, source)) in files.iter().enumerate() {
        if source.unnamed_server.is_some()
            && constant_names[index].is_none()
            && let Some(project) = layout.project_of(path)
        {
            *unnamed_in.entry(project).or_default() += 1;
        }
    }
    let named_as = |index: usize| {
        let path = files[index].0;
        constant_names[index].as_ref().or_else(|| {
            layout
                .project_of(path)
                .filter(|project| is_csharp(path) || unnamed_in.get(project) == Some(&1))
        })
    };
    let servers_of = |indices: &[usize]| -> Vec<String> {
        let mut names: Vec<String> = indices
            .iter()
            .flat_map(|&i| {
                let source = files[i].1;
                let project = source
                    .unnamed_server
                    .as_ref()
                    .and_then(|unnamed| Some((unnamed, named_as(i)?)));
                source.servers.iter().map(move |name| match project {
                    Some((unnamed, project)) if unnamed == name => project.clone(),
                    _ => name.clone(),
                })
            })
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let registrations = csharp::Registrations::of(files, layout);
    let mut by_tool = registrations.servers_by_tool(|file| servers_of(&[file]));
    let closed = registrations.closed();
    // Each file's package, and the servers of each package's files (of one language family),
    // worked out once: the fallback below asks for them file after file.
    let mut package_files: HashMap<(&str, bool), Vec<usize>> = HashMap::new();
    for (index, (path, _)) in files.iter().enumerate() {
        let key = (package_of(path, &layout.package_dirs), is_csharp(path));
        package_files.entry(key).or_default().push(index);
    }
    let mut package_servers: HashMap<(&str, bool), Vec<String>> = HashMap::new();
    let mut python_modules = python::PythonModules::new(files, &by_path, layout);
    for (index, (path, source)) in files.iter().enumerate() {
        if !looks_elsewhere(source) {
            continue;
        }
        // A C# file's tools are those of the servers it builds, when it builds any; a Go file's
        // those of the servers its package builds; the tools of a server the file leaves
        // unnamed, that server's, named after the file's package.
        let mut servers = if is_csharp(path) {
            servers_of(&[index])
        } else if let Some(unnamed) = &source.unnamed_server {
            vec![named_as(index).unwrap_or(unnamed).clone()]
        } else {
            servers_of(go_packages.beside(path))
        };
        if servers.is_empty() {
            servers = servers_of(&nearest_constructors(index, &importers, files));
        }
        if servers.is_empty() {
            // With, for Python, the modules the names it imports come from where the module it
            // imports them from imports them itself (a package's `__init__.py`).
            let mut imported: Vec<usize> = imports[index].clone();
            imported.extend(python_modules.reexports_of(index));
            imported.retain(|&i| i != index);
            servers = servers_of(&imported);
        }
        if servers.is_empty() {
            // A C# server serves C# tools only, and the other way round.
            let key = (package_of(path, &layout.package_dirs), is_csharp(path));
            let candidates = package_servers.entry(key).or_insert_with(|| {
                let in_package: Vec<usize> = (package_files.get(&key).into_iter().flatten())
                    .copied()
                    .filter(|i| !closed.contains(i))
                    .collect();
                servers_of(&in_package)
            });
            if candidates.len() == 1 {
                servers = candidates.clone();
            }
        }
        let by_tool = by_tool.remove(&index).unwrap_or_default();
        if !servers.is_empty() || !by_tool.is_empty() {
            answers.insert((*path).to_owned(), Answer { servers, by_tool });
        }
    }
    answers
}

/// Each file's index by its path.
fn by_path<'f>(files: &[(&'f str, &SourceTools)]) -> HashMap<&'f str, usize> {
    files
        .iter()
        .enumerate()
        .map(|(i, (path, _))| (*path, i))
        .collect()
}

/// Whether a file has tools of a server it does not construct, or lists tools of another file
/// for such a server.
fn looks_elsewhere(source: &SourceTools) -> bool {
    source.tools.iter().any(|t| t.server_elsewhere)
        || source.links.listed.iter().any(|l| l.server_elsewhere)
}

/// The files nearest to `start` (in import steps, at least one) that import it and construct a
/// server; test files only when no other file does (a test that builds a server of its own to
/// exercise the tools imports them as the real server does). One walk answers both: the nearest
/// constructors outside tests, else the nearest of all.
fn nearest_constructors(
    start: usize,
    importers: &[Vec<usize>],
    files: &[(&str, &SourceTools)],
) -> Vec<usize> {
    let mut seen = vec![false; files.len()];
    seen[start] = true;
    let mut nearest_tests: Vec<usize> = Vec::new();
    let mut frontier: Vec<usize> = vec![start];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for file in frontier {
            for &importer in &importers[file] {
                if !seen[importer] {
                    seen[importer] = true;
                    next.push(importer);
                }
            }
        }
        let (tests, found): (Vec<usize>, Vec<usize>) = next
            .iter()
            .copied()
            .filter(|&i| !files[i].1.servers.is_empty())
            .partition(|&i| is_test_file(files[i].0));
        if !found.is_empty() {
            return found;
        }
        if nearest_tests.is_empty() {
            nearest_tests = tests;
        }
        frontier = next;
    }
    nearest_tests
}

/// Whether a path is a test's: under a `tests`, `test` or `__tests__` directory, or named as
/// test runners find tests (`test_*.py`, `*_test.py`, `*.test.ts`, `*.spec.js`).
fn is_test_file(path: &str) -> bool {
    let name = file_name(path);
    let stem = name.split('.').next().unwrap_or(name);
    path.split('/')
        .rev()
        .skip(1)
        .any(|dir| matches!(dir, "tests" | "test" | "__tests__"))
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || name.contains(".test.")
        || name.contains(".spec.")
}

/// The nearest directory holding a package manifest above `path` (`""` for the root, which is
/// also the package of a file with none).
fn package_of<'p>(path: &str, package_dirs: &'p BTreeSet<String>) -> &'p str {
    ancestors(parent(path))
        .find_map(|dir| package_dirs.get(dir))
        .map_or("", String::as_str)
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir` and each directory above it, the root (`""`) last.
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = (!current.is_empty()).then(|| parent(current));
        Some(current)
    })
}

/// The source file of this scan an import of the file at `from` names, if any.
fn resolve(
    from: &str,
    spec: &str,
    by_path: &HashMap<&str, usize>,
    layout: &SourceLayout,
) -> Option<usize> {
    let dir = parent(from);
    let candidates = if from.ends_with(".py") {
        if spec.starts_with('.') {
            python_candidates(dir, spec)?
        } else {
            ancestors(dir)
                .filter_map(|above| python_candidates(above, spec))
                .flatten()
                .collect()
        }
    } else if spec.starts_with("./") || spec.starts_with("../") {
        script_candidates(dir, spec)?
    } else {
        // The compiler's path aliases first, then the packages of the workspace.
        let aliased = ancestors(dir)
            .find_map(|above| layout.script_aliases.get(above))
            .map(|aliases| aliases.targets(spec))
            .unwrap_or_default();
        let mut candidates: Vec<String> = aliased
            .iter()
            .filter_map(|target| script_candidates("", target))
            .flatten()
            .collect();
        candidates.extend(workspace_candidates(spec, &layout.script_packages));
        candidates
    };
    candidates
        .iter()
        .find_map(|candidate| by_path.get(candidate.as_str()).copied())
}

/// The files an import of a package of the tree (`@acme/tools`, `@acme/tools/refund`) may
/// name: of the package with the longest name the specifier starts with.
fn workspace_candidates(spec: &str, packages: &BTreeMap<String, ScriptPackage>) -> Vec<String> {
    let mut best: Option<(usize, &str, &ScriptPackage)> = None;
    for (name, package) in packages {
        let sub = match spec.strip_prefix(name.as_str()) {
            Some("") => "",
            Some(rest) => match rest.strip_prefix('/') {
                Some(sub) => sub,
                None => continue,
            },
            None => continue,
        };
        if best.is_none_or(|(longest, ..)| name.len() > longest) {
            best = Some((name.len(), sub, package));
        }
    }
    best.map_or_else(Vec::new, |(_, sub, package)| package.candidates(sub))
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

/// `..server.app` from `pkg/tools`: `pkg/server/app.py` or `pkg/server/app/__init__.py`; an
/// absolute `acme.server` from `src`: `src/acme/server.py` or `src/acme/server/__init__.py`.
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
        } else if path.ends_with(".go") {
            Language::Go
        } else if path.ends_with(".cs") {
            Language::CSharp
        } else {
            Language::Script
        };
        let stem = path.rsplit('/').next().unwrap().split('.').next().unwrap();
        (path.to_owned(), scan(text, language, stem).unwrap())
    }

    fn answers(files: &[(String, SourceTools)], packages: &[&str]) -> Vec<(String, Vec<String>)> {
        let layout = SourceLayout {
            package_dirs: packages.iter().map(|p| (*p).to_owned()).collect(),
            ..SourceLayout::default()
        };
        answers_in(files, &layout)
    }

    fn answers_in(
        files: &[(String, SourceTools)],
        layout: &SourceLayout,
    ) -> Vec<(String, Vec<String>)> {
        let sources: Vec<(&str, &SourceTools)> =
            files.iter().map(|(p, s)| (p.as_str(), s)).collect();
        servers_elsewhere(&sources, layout)
            .into_iter()
            .map(|(path, answer)| {
                let (_, source) = files.iter().find(|(p, _)| *p == path).unwrap();
                let mut servers: Vec<String> = (0..source.tools.len())
                    .filter(|&i| source.tools[i].server_elsewhere)
                    .flat_map(|i| answer.of(i).to_vec())
                    .collect();
                servers.sort();
                servers.dedup();
                (path, servers)
            })
            .collect()
    }

    /// The layout of a tree of `(path, text)` files.
    fn layout(tree: &[(&str, &str)]) -> SourceLayout {
        SourceLayout::read(tree.iter().map(|(path, _)| *path), |path| {
            let (_, text) = tree.iter().find(|(p, _)| *p == path)?;
            Some((*text).to_owned())
        })
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
    fn a_python_factory_or_handler_leads_to_the_server_it_builds_not_a_tests() {
        let files = [
            source(
                "app/acme_ops/server.py",
                "from mcp.server.fastmcp import FastMCP\nfrom .handlers import Handler\n\n\
                 def create_server():\n    return FastMCP('acme-ops')\n\n\
                 def main():\n    mcp = create_server()\n    Handler(mcp)\n",
            ),
            source(
                "app/acme_ops/handlers.py",
                "from mcp.server.fastmcp import Context\n\nclass Handler:\n    \
                 def __init__(self, mcp):\n        mcp.tool(name='restart')(self.restart)\n",
            ),
            source(
                "app/acme_ops/main.py",
                "from .server import create_server\n\napp = create_server()\n\n\
                 @app.tool()\ndef status() -> str:\n    return 'ok'\n",
            ),
            // A test that builds a server of its own as near to the handler: not a candidate
            // while another is.
            source(
                "app/tests/test_handlers.py",
                "from mcp.server.fastmcp import FastMCP\nfrom acme_ops.handlers import Handler\n\n\
                 server = FastMCP('acme-test')\nHandler(server)\n",
            ),
        ];
        assert_eq!(files[0].1.servers, ["acme-ops"]);
        assert_eq!(
            answers(&files, &[]),
            [
                (
                    "app/acme_ops/handlers.py".to_owned(),
                    vec!["acme-ops".to_owned()]
                ),
                (
                    "app/acme_ops/main.py".to_owned(),
                    vec!["acme-ops".to_owned()]
                ),
            ]
        );
        // Imported by the test alone: the test's server.
        assert_eq!(
            answers(&[files[1].clone(), files[3].clone()], &[]),
            [(
                "app/acme_ops/handlers.py".to_owned(),
                vec!["acme-test".to_owned()]
            )]
        );
    }

    #[test]
    fn test_files_are_told_by_their_directory_or_name() {
        for path in [
            "tests/a.py",
            "pkg/test/b.py",
            "web/__tests__/c.ts",
            "test_d.py",
            "e_test.py",
            "f.test.ts",
            "g.spec.js",
        ] {
            assert!(is_test_file(path), "{path}");
        }
        for path in [
            "src/testing.py",
            "latest/server.py",
            "tests.py",
            "contest_x.py",
        ] {
            assert!(!is_test_file(path), "{path}");
        }
    }

    /// `server.registerTool` on a server imported from another file.
    const USES_IMPORTED: &str =
        "server.registerTool(\"refund\", { description: \"Refund\" }, async () => ({}));\n";

    #[test]
    fn workspace_packages_lead_to_the_server() {
        let server = |import: &str| {
            format!(
                "import {{ McpServer }} from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
                 import {{ registerSearch }} from \"{import}\";\n\
                 const server = new McpServer({{ name: \"acme-gateway\", version: \"1.0.0\" }});\n\
                 registerSearch(server);\n"
            )
        };
        let tree = [
            (
                "package.json",
                "{ \"name\": \"acme\", \"workspaces\": [\"packages/*\"] }",
            ),
            (
                "packages/gateway/package.json",
                "{ \"name\": \"@acme/gateway\" }",
            ),
            (
                "packages/search/package.json",
                "{ \"name\": \"@acme/search\", \"main\": \"dist/index.js\" }",
            ),
            (
                "packages/search-extra/package.json",
                "{ \"name\": \"@acme/search-extra\", \"exports\": { \".\": { \"import\": \"./lib/main.js\" } } }",
            ),
            (
                "packages/refund/package.json",
                "{ \"name\": \"@acme/refund\" }",
            ),
        ];
        let files = [
            source("packages/gateway/src/index.ts", &server("@acme/search")),
            source(
                "packages/gateway/src/extra.ts",
                &server("@acme/search-extra"),
            ),
            source(
                "packages/gateway/src/refund.ts",
                &server("@acme/refund/tools/refund.js"),
            ),
            source("packages/search/src/index.ts", REGISTER),
            source("packages/search-extra/src/main.ts", REGISTER),
            source("packages/refund/src/tools/refund.ts", REGISTER),
        ];
        let layout = layout(&tree);
        assert_eq!(
            layout.script_packages["@acme/search-extra"].entries,
            ["./lib/main.js"]
        );
        let expected = |path: &str| (path.to_owned(), vec!["acme-gateway".to_owned()]);
        assert_eq!(
            answers_in(&files, &layout),
            [
                expected("packages/refund/src/tools/refund.ts"),
                expected("packages/search-extra/src/main.ts"),
                expected("packages/search/src/index.ts"),
            ]
        );
        // Without the packages' names, nothing leads from the gateway to them.
        let unnamed = SourceLayout {
            script_packages: BTreeMap::new(),
            ..layout
        };
        assert!(answers_in(&files, &unnamed).is_empty());
    }

    #[test]
    fn a_server_whose_name_the_file_does_not_hold_is_named_after_its_package() {
        let python = "from mcp.server.fastmcp import FastMCP\nfrom .consts import SERVER_NAME\n\n\
                      mcp = FastMCP(name=SERVER_NAME)\n\n@mcp.tool()\ndef refund(order_id: str) -> str:\n    return order_id\n";
        let script = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
                      import { config } from \"./config.js\";\n\
                      const server = new McpServer({ name: config.name, version: \"1.0.0\" });\n\
                      server.tool(\"search\", async () => ({}));\n";
        let files = [
            source("billing/acme_billing/server.py", python),
            source("search/src/server.ts", script),
            source("loose/server.py", python),
        ];
        assert_eq!(files[0].1.unnamed_server.as_deref(), Some("server"));
        assert!(files[0].1.tools[0].server_elsewhere);
        let tree = [
            (
                "billing/pyproject.toml",
                "[project]\nname = \"acme-billing\"\n",
            ),
            ("search/package.json", "{ \"name\": \"@acme/search\" }"),
        ];
        let expected = |path: &str, server: &str| (path.to_owned(), vec![server.to_owned()]);
        assert_eq!(
            answers_in(&files, &layout(&tree)),
            [
                expected("billing/acme_billing/server.py", "acme-billing"),
                expected("loose/server.py", "server"),
                expected("search/src/server.ts", "@acme/search"),
            ]
        );
        // Two files of one project that each leave a server unnamed keep their own names.
        let mut two = files.to_vec();
        two.push(source("billing/tests/test_refund.py", python));
        let answers = answers_in(&two, &layout(&tree));
        assert_eq!(
            answers[..2],
            [
                expected("billing/acme_billing/server.py", "server"),
                expected("billing/tests/test_refund.py", "test_refund"),
            ]
        );
        // A server named in the file keeps its name and its tools.
        let named = source(
            "billing/acme_billing/named.py",
            &python.replace("name=SERVER_NAME", "\"acme-named\""),
        );
        assert_eq!(named.1.unnamed_server, None);
        assert!(!named.1.tools[0].server_elsewhere);
    }

    #[test]
    fn typescript_path_aliases_lead_to_the_server() {
        let billing = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
                       export const server = new McpServer({ name: \"acme-billing\" });\n";
        let support = "export const server = new McpServer({ name: \"acme-support\" });\n";
        let files = [
            source("web/src/billing/server.ts", billing),
            source("web/src/support/server.ts", support),
            source(
                "web/src/tools/refund.ts",
                &format!("import {{ server }} from \"@/billing/server.js\";\n{USES_IMPORTED}"),
            ),
            source(
                "web/src/tools/ticket.ts",
                &format!("import {{ server }} from \"support/server\";\n{USES_IMPORTED}"),
            ),
            source(
                "web/src/tools/exact.ts",
                &format!("import {{ server }} from \"#billing\";\n{USES_IMPORTED}"),
            ),
            // No config above it: the alias means nothing here.
            source(
                "other/refund.ts",
                &format!("import {{ server }} from \"@/billing/server.js\";\n{USES_IMPORTED}"),
            ),
        ];
        let tree = [
            ("web/package.json", "{}"),
            (
                "web/tsconfig.json",
                "{\n  // The app\n  \"extends\": \"./tsconfig.base\",\n  \"compilerOptions\": { \"baseUrl\": \"src\", },\n}\n",
            ),
            (
                "web/tsconfig.base.json",
                "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./missing/*\", \"./*\"], \"#billing\": [\"billing/server.ts\"] } } }",
            ),
            ("other/package.json", "{}"),
        ];
        let layout = layout(&tree);
        let aliases = &layout.script_aliases["web"];
        // The base's `paths` are read against the app's `baseUrl`.
        assert_eq!(aliases.base_url.as_deref(), Some("web/src"));
        assert_eq!(
            aliases.targets("@/billing/server.js"),
            [
                "web/src/missing/billing/server.js",
                "web/src/billing/server.js",
                "web/src/@/billing/server.js"
            ]
        );
        let expected = |path: &str, server: &str| (path.to_owned(), vec![server.to_owned()]);
        assert_eq!(
            answers_in(&files, &layout),
            [
                expected("web/src/tools/exact.ts", "acme-billing"),
                expected("web/src/tools/refund.ts", "acme-billing"),
                expected("web/src/tools/ticket.ts", "acme-support"),
            ]
        );
        // Without the configs, two servers in the package and no import followed: no answer.
        assert!(answers(&files, &["web", "other"]).is_empty());
    }

    #[test]
    fn configs_resolve_paths_against_the_config_that_sets_them() {
        let tree = [
            (
                "tsconfig.json",
                "{ \"extends\": [\"@tsconfig/node20\", \"./configs/paths.json\"] }",
            ),
            (
                "configs/paths.json",
                "{ \"extends\": \"../tsconfig.json\", \"compilerOptions\": { \"paths\": { \"~/*\": [\"../app/*\"], \"~/lib/*\": [\"../lib/*\"], \"/abs/*\": [\"/abs/*\"] } } }",
            ),
            (
                "app/jsconfig.json",
                "{ \"compilerOptions\": { \"baseUrl\": \".\" } }",
            ),
            ("app/tsconfig.json", "not json"),
            ("node_modules/x/tsconfig.json", "{}"),
        ];
        let layout = layout(&tree);
        let dirs: Vec<&str> = layout.script_aliases.keys().map(String::as_str).collect();
        // A tsconfig.json that is no JSON still wins over the jsconfig.json beside it.
        assert_eq!(dirs, ["", "app"]);
        assert_eq!(layout.script_aliases["app"], ScriptAliases::default());
        let root = &layout.script_aliases[""];
        assert_eq!(root.base_url, None);
        assert_eq!(root.targets("~/server"), ["app/server"]);
        // The longest prefix wins.
        assert_eq!(root.targets("~/lib/db"), ["lib/db"]);
        assert!(root.targets("react").is_empty());
    }

    #[test]
    fn python_absolute_imports_of_the_tree() {
        let billing = "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"acme-billing\")\n";
        let support = "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"acme-support\")\n";
        let tool = |import: &str| {
            format!(
                "{import}\n\n@mcp.tool()\ndef refund(order_id: str) -> str:\n    return order_id\n"
            )
        };
        let files = [
            source("src/acme_pkg/billing_server.py", billing),
            source("src/acme_pkg/support_server.py", support),
            source(
                "src/acme_pkg/tools/refunds.py",
                &tool("from acme_pkg.billing_server import mcp"),
            ),
            // A sibling package under the same source root.
            source(
                "src/acme_jobs/tickets.py",
                &tool(
                    "import acme_pkg.support_server\nfrom mcp.server.fastmcp import FastMCP\n\n\
                     mcp: FastMCP = acme_pkg.support_server.mcp",
                ),
            ),
            // A module beside it, imported as a script's sibling.
            source("scripts/server.py", billing),
            source("scripts/tools.py", &tool("from server import mcp")),
            // Not in the tree: no answer.
            source(
                "src/acme_pkg/tools/other.py",
                &tool("from acme_other.server import mcp"),
            ),
        ];
        assert!(files[2].1.tools[0].server_elsewhere);
        let expected = |path: &str, server: &str| (path.to_owned(), vec![server.to_owned()]);
        assert_eq!(
            answers(&files, &[""]),
            [
                expected("scripts/tools.py", "acme-billing"),
                expected("src/acme_jobs/tickets.py", "acme-support"),
                expected("src/acme_pkg/tools/refunds.py", "acme-billing"),
            ]
        );
    }

    /// An object built by a server class of another file takes the name the class gives, else
    /// the one it is built with, else stays unnamed; a class that is no server class there
    /// leaves its tools to a server elsewhere.
    #[test]
    fn python_server_classes_of_another_file() {
        let base = "from mcp.server.fastmcp import FastMCP\n\n\
                    class AcmeBaseServer(FastMCP):\n    def __init__(self):\n        super().__init__('acme-base')\n\n\
                    class ForwardingServer(FastMCP):\n    pass\n\n\
                    class PlainServer:\n    pass\n";
        let tool = |class: &str, args: &str| {
            format!(
                "from .base import {class}\n\nserver = {class}({args})\n\n\
                 @server.tool()\ndef ping() -> str:\n    return 'pong'\n"
            )
        };
        let mut files = [
            source("acme/base.py", base),
            source("acme/named.py", &tool("AcmeBaseServer", "")),
            source("acme/forward.py", &tool("ForwardingServer", "'acme-fwd'")),
            source("acme/unnamed.py", &tool("ForwardingServer", "NAME")),
            source("acme/plain.py", &tool("PlainServer", "'acme-plain'")),
        ];
        // Until discovery reads the class, a server elsewhere.
        assert_eq!(files[1].1.tools[0].id, "mcp:named/ping");
        assert!(files[1].1.tools[0].server_elsewhere);
        let mut linked: Vec<(&str, &mut SourceTools)> =
            files.iter_mut().map(|(p, s)| (p.as_str(), s)).collect();
        resolve_python_server_classes(&mut linked, &layout(&[]));
        let read: Vec<(&str, bool, &[String], Option<&str>)> = files[1..]
            .iter()
            .map(|(_, s)| {
                let tool = &s.tools[0];
                (
                    tool.id.as_str(),
                    tool.server_elsewhere,
                    s.servers.as_slice(),
                    s.unnamed_server.as_deref(),
                )
            })
            .collect();
        let names = |name: &str| vec![name.to_owned()];
        let (base, fwd, unnamed) = (names("acme-base"), names("acme-fwd"), names("unnamed"));
        assert_eq!(
            read,
            [
                ("mcp:acme-base/ping", false, base.as_slice(), None),
                ("mcp:acme-fwd/ping", false, fwd.as_slice(), None),
                (
                    "mcp:unnamed/ping",
                    true,
                    unnamed.as_slice(),
                    Some("unnamed")
                ),
                ("mcp:plain/ping", true, &[][..], None),
            ]
        );
    }

    /// A Go tool file with no server of its own: its package's server, else the server of a
    /// package that imports it (through the module path of a `go.mod`), else the server of a
    /// package it imports.
    #[test]
    fn go_servers_of_the_package_its_importers_and_its_imports() {
        const MCP: &str =
            "\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n";
        let server = |name: &str, imports: &str| {
            format!(
                "package main\n\nimport (\n{MCP}{imports})\n\nfunc main() {{\n\ts := server.NewMCPServer(\"{name}\", \"1.0.0\")\n\ttools.Register(s)\n}}\n"
            )
        };
        let tool = |package: &str, name: &str| {
            format!(
                "package {package}\n\nimport (\n{MCP})\n\nfunc Register(s *server.MCPServer) {{\n\ts.AddTool(mcp.NewTool(\"{name}\"), handle)\n}}\n"
            )
        };
        let tree = [
            ("go.mod", "module github.com/acme/ops\n\ngo 1.23\n"),
            ("plugins/go.mod", "module example.com/acme/plugins\n"),
        ];
        let files = [
            // Tools in a package of their own, imported by the server's.
            source(
                "cmd/ops/main.go",
                &server("acme-ops", "\t\"github.com/acme/ops/internal/tools\"\n"),
            ),
            source("internal/tools/records.go", &tool("tools", "delete_record")),
            // Tools beside the server, in its package.
            source("cmd/admin/main.go", &server("acme-admin", "")),
            source("cmd/admin/tools.go", &tool("main", "reset_cache")),
            // Tools that import the package constructing the server (the official SDK's
            // `mcp.AddTool(cmd.Server, …)` from an `init`), in another module of the tree.
            source(
                "plugins/cmd/root.go",
                "package cmd\n\nimport \"github.com/modelcontextprotocol/go-sdk/mcp\"\n\n\
                 var Server = mcp.NewServer(&mcp.Implementation{Name: \"acme-plugins\"}, nil)\n",
            ),
            source(
                "plugins/cmd/files/delete.go",
                "package files\n\nimport (\n\t\"example.com/acme/plugins/cmd\"\n\t\"github.com/modelcontextprotocol/go-sdk/mcp\"\n)\n\n\
                 func init() {\n\tmcp.AddTool(cmd.Server, &mcp.Tool{Name: \"delete_file\"}, deleteFile)\n}\n",
            ),
            // No package of the tree imports it, and its module constructs two servers.
            source("internal/orphan/orphan.go", &tool("orphan", "orphan_tool")),
        ];
        assert_eq!(files[1].1.tools[0].id, "mcp:records/delete_record");
        assert!(files[1].1.tools.iter().all(|t| t.server_elsewhere));
        let expected = |path: &str, server: &str| (path.to_owned(), vec![server.to_owned()]);
        assert_eq!(
            answers_in(&files, &layout(&tree)),
            [
                expected("cmd/admin/tools.go", "acme-admin"),
                expected("internal/tools/records.go", "acme-ops"),
                expected("plugins/cmd/files/delete.go", "acme-plugins"),
            ]
        );
        // Without the `go.mod` files no import path names a directory of the tree: only the
        // package beside the server finds it.
        assert_eq!(
            answers(&files, &[]),
            [expected("cmd/admin/tools.go", "acme-admin")]
        );
    }

    /// A Python name imported from a package's `__init__.py` (or any module) that imports it
    /// itself leads on to the module it comes from, for up to four re-exports; cycles end.
    #[test]
    fn python_names_reexported_lead_to_their_modules() {
        let server = |name: &str| {
            format!("from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('{name}')\n")
        };
        let tool = |import: &str| {
            format!(
                "from mcp.server.fastmcp import Context\n{import}\n\n\
                 @mcp.tool()\ndef ping() -> str:\n    return 'pong'\n"
            )
        };
        let mut files = vec![
            source("acme/__init__.py", "from .sub import mcp\n"),
            source("acme/sub/__init__.py", "from .server import mcp as mcp\n"),
            source("acme/sub/server.py", &server("acme-deep")),
            source("acme/other.py", &server("acme-other")),
            source("acme/tools/absolute.py", &tool("from acme import mcp")),
            source("acme/tools/parent.py", &tool("from .. import mcp")),
            source("acme/here.py", &tool("from . import mcp")),
            source("acme/aliased.py", &tool("from acme.sub import mcp as mcp")),
            // Through one re-export too many: `deep` → l1 → l2 → l3 → l4 → l5.
            source("deep/__init__.py", "from .l1 import mcp\n"),
            source("deep/l1.py", "from .l2 import mcp\n"),
            source("deep/l2.py", "from .l3 import mcp\n"),
            source("deep/l3.py", "from .l4 import mcp\n"),
            source("deep/l4.py", "from .l5 import mcp\n"),
            source("deep/l5.py", &server("acme-l5")),
            source("deep/far.py", &tool("from deep import mcp")),
            // A cycle, and an `__init__.py` that imports itself.
            source(
                "loop/__init__.py",
                "from loop import mcp\nfrom .a import mcp\n",
            ),
            source("loop/a.py", "from . import mcp\n"),
            source("loop/tools.py", &tool("from loop import mcp")),
        ];
        let expected = |path: &str, server: &str| (path.to_owned(), vec![server.to_owned()]);
        let deep = [
            expected("acme/aliased.py", "acme-deep"),
            expected("acme/here.py", "acme-deep"),
            expected("acme/tools/absolute.py", "acme-deep"),
            expected("acme/tools/parent.py", "acme-deep"),
        ];
        assert_eq!(answers(&files, &[]), deep);
        // Four re-exports are followed.
        files[12] = source("deep/l4.py", &server("acme-l4"));
        let mut four = deep.to_vec();
        four.push(expected("deep/far.py", "acme-l4"));
        assert_eq!(answers(&files, &[]), four);
    }

    /// A Python name imported from a module that imports `*` from another leads on to it when
    /// that module gives the name: binds it (or imports it) and lets `*` take it (its
    /// `__all__` lists it, else the name does not start with `_`); with re-exports by name in
    /// the same walk, four at most. Cycles end; a module that is not in the tree is passed by.
    #[test]
    fn python_names_reexported_by_star_imports_lead_to_their_modules() {
        let server = |object: &str, name: &str| {
            format!("from mcp.server.fastmcp import FastMCP\n\n{object} = FastMCP('{name}')\n")
        };
        let tool = |import: &str, object: &str| {
            format!(
                "from mcp.server.fastmcp import Context\n{import}\n\n\
                 @{object}.tool()\ndef ping() -> str:\n    return 'pong'\n"
            )
        };
        let mut files = vec![
            // Found, also past a module not in the tree and one that binds other names.
            source(
                "acme/__init__.py",
                "from acme_other.server import *\nfrom .helpers import *\nfrom .server import *\n",
            ),
            source("acme/helpers.py", &server("helper", "acme-helpers")),
            source("acme/server.py", &server("mcp", "acme-star")),
            source("acme/tools/refund.py", &tool("from acme import mcp", "mcp")),
            source("acme/here.py", &tool("from . import mcp", "mcp")),
            // Of two modules that give it, the last imported, as Python binds it.
            source(
                "twice/__init__.py",
                "from .old import *\nfrom .new import *\n",
            ),
            source("twice/old.py", &server("mcp", "acme-old")),
            source("twice/new.py", &server("mcp", "acme-new")),
            source("twice/tools.py", &tool("from twice import mcp", "mcp")),
            // `__all__` decides, then the leading `_`.
            source("only/__init__.py", "from .server import *\n"),
            source(
                "only/server.py",
                &format!("__all__ = ['other']\n{}", server("mcp", "acme-only")),
            ),
            source("only/tools.py", &tool("from only import mcp", "mcp")),
            source("private/__init__.py", "from .server import *\n"),
            source("private/server.py", &server("_mcp", "acme-private")),
            source(
                "private/tools.py",
                &tool("from private import _mcp", "_mcp"),
            ),
            source("listed/__init__.py", "from .server import *\n"),
            source(
                "listed/server.py",
                &format!("__all__ = ('_mcp',)\n{}", server("_mcp", "acme-listed")),
            ),
            source("listed/tools.py", &tool("from listed import _mcp", "_mcp")),
            // Star, by name, star: `chain` → `api` → `core` → `core/server.py`.
            source("chain/__init__.py", "from .api import *\n"),
            source("chain/api.py", "from .core import mcp\n"),
            source("chain/core/__init__.py", "from .server import *\n"),
            source("chain/core/server.py", &server("mcp", "acme-chain")),
            source("chain/tools.py", &tool("from chain import mcp", "mcp")),
            // A cycle of star imports, an `__init__.py` that imports itself, and only modules
            // that are not in the tree.
            source("loop/__init__.py", "from loop import *\nfrom .a import *\n"),
            source("loop/a.py", "from . import *\nfrom .b import *\n"),
            source("loop/b.py", "from .a import *\n"),
            source("loop/tools.py", &tool("from loop import mcp", "mcp")),
            source("gone/__init__.py", "from acme_missing import *\n"),
            source("gone/tools.py", &tool("from gone import mcp", "mcp")),
            // Through one re-export too many: `deep` → l1 → l2 → l3 → l4 → l5.
            source("deep/__init__.py", "from .l1 import *\n"),
            source("deep/l1.py", "from .l2 import *\n"),
            source("deep/l2.py", "from .l3 import *\n"),
            source("deep/l3.py", "from .l4 import *\n"),
            source("deep/l4.py", "from .l5 import *\n"),
            source("deep/l5.py", &server("mcp", "acme-l5")),
            source("deep/far.py", &tool("from deep import mcp", "mcp")),
        ];
        let expected = |path: &str, server: &str| (path.to_owned(), vec![server.to_owned()]);
        let found = [
            expected("acme/here.py", "acme-star"),
            expected("acme/tools/refund.py", "acme-star"),
            expected("chain/tools.py", "acme-chain"),
            expected("listed/tools.py", "acme-listed"),
            expected("twice/tools.py", "acme-new"),
        ];
        assert_eq!(answers(&files, &[]), found);
        // Four re-exports are followed.
        let l4 = files.iter().position(|(p, _)| p == "deep/l4.py").unwrap();
        files[l4] = source("deep/l4.py", &server("mcp", "acme-l4"));
        let mut four = found.to_vec();
        four.insert(3, expected("deep/far.py", "acme-l4"));
        assert_eq!(answers(&files, &[]), four);
    }

    /// Server classes and the constants servers are named by are followed through star imports
    /// as names of server objects are.
    #[test]
    fn python_classes_and_constants_reexported_by_star_imports() {
        let base = "from mcp.server.fastmcp import FastMCP\n\n\
                    class AcmeBaseServer(FastMCP):\n    def __init__(self):\n        super().__init__('acme-base')\n\n\
                    class _HiddenServer(FastMCP):\n    def __init__(self):\n        super().__init__('acme-hidden')\n";
        let built = |class: &str| {
            format!(
                "from kit import {class}\n\nserver = {class}()\n\n\
                 @server.tool()\ndef ping() -> str:\n    return 'pong'\n"
            )
        };
        let mut files = [
            source("kit/__init__.py", "from .core import *\n"),
            source("kit/core/__init__.py", "from .base import *\n"),
            source("kit/core/base.py", base),
            source("kit/made.py", &built("AcmeBaseServer")),
            source("kit/hidden.py", &built("_HiddenServer")),
            source(
                "names/config.py",
                "SERVER_NAME = 'acme-named'\n_SECRET = 'acme-secret'\n",
            ),
            source("names/__init__.py", "from .config import *\n"),
            source(
                "names/server.py",
                "from mcp.server.fastmcp import FastMCP\nfrom names import SERVER_NAME\n\n\
                 mcp = FastMCP(SERVER_NAME)\n\n@mcp.tool()\ndef t() -> str:\n    return 'x'\n",
            ),
            source(
                "names/secret.py",
                "from mcp.server.fastmcp import FastMCP\nfrom names import _SECRET\n\n\
                 mcp = FastMCP(_SECRET)\n\n@mcp.tool()\ndef t() -> str:\n    return 'x'\n",
            ),
        ];
        let mut linked: Vec<(&str, &mut SourceTools)> =
            files.iter_mut().map(|(p, s)| (p.as_str(), s)).collect();
        resolve_python_server_classes(&mut linked, &layout(&[]));
        let ids = |path: &str| -> Vec<String> {
            let (_, source) = files.iter().find(|(p, _)| p == path).unwrap();
            source.tools.iter().map(|t| t.id.clone()).collect()
        };
        assert_eq!(ids("kit/made.py"), ["mcp:acme-base/ping"]);
        assert_eq!(ids("kit/hidden.py"), ["mcp:hidden/ping"]);
        let named = |servers: &[&str]| servers.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            answers(&files, &[]),
            [
                ("names/secret.py".to_owned(), named(&["secret"])),
                ("names/server.py".to_owned(), named(&["acme-named"])),
            ]
        );
    }

    /// A class of one Python file derived from a server class of another (through classes of
    /// other files, and re-exports) is a server class: its `self` is the server its own
    /// `__init__` names, else the one of the class it comes down to.
    #[test]
    fn python_classes_derived_across_files() {
        let derived = |import: &str, class: &str, init: &str| {
            format!(
                "{import}\n\nclass Acme{class}({class}):\n    def __init__(self):\n        \
                 super().__init__({init})\n        self.tool()(self.ping)\n\n    \
                 def ping(self) -> str:\n        return 'pong'\n"
            )
        };
        let mut files = [
            source(
                "acme/a.py",
                "from mcp.server.fastmcp import FastMCP\n\n\
                 class A(FastMCP):\n    def __init__(self, **kwargs):\n        super().__init__('acme-a', **kwargs)\n",
            ),
            source("acme/b.py", "from .a import A\n\nclass B(A):\n    pass\n"),
            source("acme/__init__.py", "from .b import B\n"),
            source("acme/c.py", &derived("from .b import B", "B", "")),
            source("acme/d.py", &derived("from acme import B", "B", "'acme-d'")),
            source(
                "acme/e.py",
                &format!(
                    "{}\nserver = AcmeB()\n",
                    derived("from . import B", "B", "")
                ),
            ),
            // Not a server class there, or not in the tree: nothing is registered.
            source("acme/f.py", &derived("from .g import G", "G", "")),
            source("acme/g.py", "class G:\n    pass\n"),
            source("acme/h.py", &derived("from acme_other import H", "H", "")),
            // A cycle of classes.
            source("acme/i.py", &derived("from .j import J", "J", "")),
            source(
                "acme/j.py",
                "from .i import AcmeJ\n\nclass J(AcmeJ):\n    pass\n",
            ),
        ];
        assert!(files[3].1.tools.is_empty());
        let mut linked: Vec<(&str, &mut SourceTools)> =
            files.iter_mut().map(|(p, s)| (p.as_str(), s)).collect();
        resolve_python_server_classes(&mut linked, &layout(&[]));
        /// A file's path, its tools (id, whether their server is elsewhere) and its servers.
        type Read<'f> = (&'f str, Vec<(&'f str, bool)>, &'f [String]);
        let read: Vec<Read> = files
            .iter()
            .filter(|(_, s)| !s.tools.is_empty() || !s.servers.is_empty())
            .map(|(path, s)| {
                let tools = (s.tools.iter())
                    .map(|t| (t.id.as_str(), t.server_elsewhere))
                    .collect();
                (path.as_str(), tools, s.servers.as_slice())
            })
            .collect();
        let names = |name: &str| vec![name.to_owned()];
        assert_eq!(
            read,
            [
                ("acme/c.py", vec![("mcp:acme-a/ping", false)], &[][..]),
                ("acme/d.py", vec![("mcp:acme-d/ping", false)], &[][..]),
                (
                    "acme/e.py",
                    vec![("mcp:acme-a/ping", false)],
                    names("acme-a").as_slice()
                ),
            ]
        );
    }

    /// Many files importing many names from one package, and long chains of classes across
    /// files, cost time in proportion to their number: each name is followed once, and each
    /// class through a bounded number of lookups.
    #[test]
    fn many_reexports_and_derived_classes_stay_fast() {
        let n = 3_000;
        let mut files = vec![source(
            "acme/server.py",
            "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('acme')\n\n\
             class C0(FastMCP):\n    pass\n",
        )];
        let init: String = (0..n)
            .map(|i| format!("from .m{i} import name{i}\n"))
            .chain(std::iter::once("from .server import mcp\n".to_owned()))
            .collect();
        files.push(source("acme/__init__.py", &init));
        for i in 0..n {
            let imports: String = (0..50)
                .map(|k| format!("from acme import name{}\n", (i + k) % n))
                .collect();
            // `C{i+1}` derives from `C{i}` of the module before, down to `C0` of the server's.
            let base = match i {
                0 => "server".to_owned(),
                _ => format!("m{}", i - 1),
            };
            let text = format!(
                "{imports}from acme import mcp\nfrom .{base} import C{i}\n\n\
                 class C{}(C{i}):\n    def go(self):\n        self.tool()(self.go)\n\n\
                 @mcp.tool()\ndef t{i}() -> str:\n    return 'x'\n",
                i + 1
            );
            files.push(source(&format!("acme/m{i}.py"), &text));
        }
        let started = std::time::Instant::now();
        let mut linked: Vec<(&str, &mut SourceTools)> =
            files.iter_mut().map(|(p, s)| (p.as_str(), s)).collect();
        resolve_python_server_classes(&mut linked, &layout(&[]));
        let answered = answers(&files, &[]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(answered.len(), n);
    }

    /// Modules that each import `*` from many others, in cycles, cost a bounded number of
    /// lookups for each name imported through them, server objects and constants alike.
    #[test]
    fn many_star_imports_stay_fast() {
        let n = 3_000;
        let stars = |i: usize| -> String {
            (1..=8)
                .map(|k| format!("from .m{} import *\n", (i + 7 * k) % n))
                .collect()
        };
        let mut files = vec![source("acme/__init__.py", &stars(0))];
        for i in 0..n {
            files.push(source(&format!("acme/m{i}.py"), &stars(i)));
            let text = format!(
                "from mcp.server.fastmcp import FastMCP\nfrom acme import NAME{i}, mcp{i}\n\n\
                 server = FastMCP(NAME{i})\n\n@server.tool()\ndef t() -> str:\n    return 'x'\n\n\
                 @mcp{i}.tool()\ndef u() -> str:\n    return 'x'\n"
            );
            files.push(source(&format!("acme/tools/t{i}.py"), &text));
        }
        let started = std::time::Instant::now();
        let answered = answers(&files, &[]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(answered.len(), n);
    }

    /// A server built with a constant another file shares is named by its value, found through
    /// re-exports (at most `constants::MAX_REEXPORTS`); a cycle, a constant not found or an
    /// empty one leave it named after its file.
    #[test]
    fn servers_named_by_constants_of_other_files() {
        let fastmcp = "from mcp.server.fastmcp import FastMCP\n";
        let python = |import: &str| {
            format!(
                "{fastmcp}{import}\nmcp = FastMCP(NAME)\n\n@mcp.tool()\ndef t() -> str:\n    return 'x'\n"
            )
        };
        let sdk = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n";
        let script = |import: &str| {
            format!(
                "{sdk}{import}\nconst server = new McpServer({{ name: NAME, version: \"1\" }});\n\
                 server.tool(\"t\", async () => ({{}}));\n"
            )
        };
        let files = [
            source("acme/consts.py", "NAME = 'acme-deep'\nEMPTY = ''\n"),
            source("acme/__init__.py", "from .consts import NAME\n"),
            source("acme/pkg/__init__.py", "from .. import NAME\n"),
            source("acme/pkg/server.py", &python("from acme.pkg import NAME")),
            source("acme/own.py", &format!("NAME = 'acme-own'\n{}", python(""))),
            source(
                "acme/empty.py",
                &python("from .consts import EMPTY as NAME"),
            ),
            source("cycle/a.py", "from .b import NAME\n"),
            source("cycle/b.py", "from .a import NAME\n"),
            source("cycle/server.py", &python("from .a import NAME")),
            source("web/names.ts", "export const NAME = \"acme-web\";\n"),
            source("web/other.ts", "export const OTHER = \"acme-other\";\n"),
            source(
                "web/all.ts",
                "export * from \"./other.js\";\nexport * from \"./names.js\";\n",
            ),
            source(
                "web/index.ts",
                "export { NAME as NAME } from \"./all.js\";\n",
            ),
            source(
                "web/server.ts",
                &script("import { NAME } from \"./index.js\";"),
            ),
            source(
                "web/missing.ts",
                &script("import { NAME } from \"./other.js\";"),
            ),
        ];
        let named = |servers: &[&str]| servers.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            answers(&files, &[]),
            [
                ("acme/empty.py".to_owned(), named(&["empty"])),
                ("acme/own.py".to_owned(), named(&["acme-own"])),
                ("acme/pkg/server.py".to_owned(), named(&["acme-deep"])),
                ("cycle/server.py".to_owned(), named(&["server"])),
                ("web/missing.ts".to_owned(), named(&["missing"])),
                ("web/server.ts".to_owned(), named(&["acme-web"])),
            ]
        );
    }

    /// A server built with a constant reached as an attribute of an imported module
    /// (`FastMCP(config.SERVER_NAME)`) is named by its value: the module found as Python finds
    /// it (a name the package's `__init__.py` imports wins over its submodule). A module not in
    /// the tree, a constant bound twice, a module name assigned in the server's file, and a
    /// cycle leave it named after its file.
    #[test]
    fn servers_named_by_attributes_of_imported_modules() {
        let python = |import: &str, name: &str| {
            format!(
                "from mcp.server.fastmcp import FastMCP\n{import}\n\nmcp = FastMCP({name})\n\n\
                 @mcp.tool()\ndef t() -> str:\n    return 'x'\n"
            )
        };
        let files = [
            source(
                "acme/config.py",
                "SERVER_NAME = 'acme-billing'\nTWICE = 'acme-a'\nTWICE = 'acme-b'\n",
            ),
            source(
                "acme/relative.py",
                &python("from . import config", "config.SERVER_NAME"),
            ),
            source(
                "acme/absolute.py",
                &python(
                    "from acme import config as settings",
                    "name=settings.SERVER_NAME",
                ),
            ),
            source(
                "acme/aliased.py",
                &python("import acme.config as config", "config.SERVER_NAME"),
            ),
            source(
                "acme/plain.py",
                &python("import os, acme.config", "acme.config.SERVER_NAME"),
            ),
            source(
                "acme/twice.py",
                &python("from . import config", "config.TWICE"),
            ),
            source(
                "acme/assigned.py",
                &python(
                    "from . import config\nconfig = load()",
                    "config.SERVER_NAME",
                ),
            ),
            source(
                "acme/outside.py",
                &python("from outside import config", "config.SERVER_NAME"),
            ),
            source(
                "acme/unimported.py",
                &python("import acme", "config.SERVER_NAME"),
            ),
            // The package's `__init__.py` imports `config` from `.impl`, whose submodule it is:
            // that one, not `shadow/config.py`.
            source("shadow/__init__.py", "from .impl import config\n"),
            source("shadow/impl/__init__.py", "\"\"\"Implementation.\"\"\"\n"),
            source("shadow/impl/config.py", "SERVER_NAME = 'acme-impl'\n"),
            source("shadow/config.py", "SERVER_NAME = 'acme-shadowed'\n"),
            source(
                "shadow/server.py",
                &python("from shadow import config", "config.SERVER_NAME"),
            ),
            // An `__init__.py` that imports its own submodule, and a cycle of two modules.
            source("own/__init__.py", "from . import config\n"),
            source("own/config.py", "SERVER_NAME = 'acme-own'\n"),
            source(
                "own/server.py",
                &python("from own import config", "config.SERVER_NAME"),
            ),
            source("cycle/a.py", "from .b import config\n"),
            source("cycle/b.py", "from .a import config\n"),
            source(
                "cycle/server.py",
                &python("from .a import config", "config.SERVER_NAME"),
            ),
        ];
        let named = |servers: &[&str]| servers.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            answers(&files, &[]),
            [
                ("acme/absolute.py".to_owned(), named(&["acme-billing"])),
                ("acme/aliased.py".to_owned(), named(&["acme-billing"])),
                ("acme/assigned.py".to_owned(), named(&["assigned"])),
                ("acme/outside.py".to_owned(), named(&["outside"])),
                ("acme/plain.py".to_owned(), named(&["acme-billing"])),
                ("acme/relative.py".to_owned(), named(&["acme-billing"])),
                ("acme/twice.py".to_owned(), named(&["twice"])),
                ("acme/unimported.py".to_owned(), named(&["unimported"])),
                ("cycle/server.py".to_owned(), named(&["server"])),
                ("own/server.py".to_owned(), named(&["acme-own"])),
                ("shadow/server.py".to_owned(), named(&["acme-impl"])),
            ]
        );
    }

    /// A tool registered on a server object reached as an attribute of an imported module
    /// (`@server.mcp.tool()` after `from shop import server`, `import shop.server as srv`,
    /// `import shop` with `mcp` re-exported by `shop/__init__.py`) is a tool of the server that
    /// module builds, in a file that names MCP or not. A module not in the tree, or one that
    /// builds no server, leaves the tool as it was read; a cycle of re-exports ends.
    #[test]
    fn python_servers_reached_as_attributes_of_imported_modules() {
        let server = |object: &str, name: &str| {
            format!("from mcp.server.fastmcp import FastMCP\n\n{object} = FastMCP('{name}')\n")
        };
        let tool = |import: &str, object: &str| {
            format!("{import}\n\n@{object}.tool()\ndef ping() -> str:\n    return 'pong'\n")
        };
        let mut files = [
            source("shop/server.py", &server("mcp", "acme-shop")),
            source("shop/other.py", &server("support", "acme-other")),
            source("shop/__init__.py", "from .server import *\n"),
            source("shop/helpers.py", "def helper():\n    return 1\n"),
            source(
                "shop/tools/from.py",
                &tool("from shop import server", "server.mcp"),
            ),
            source(
                "shop/tools/relative.py",
                &tool("from .. import server as srv", "srv.mcp"),
            ),
            source(
                "shop/tools/aliased.py",
                &tool("import shop.server as srv", "srv.mcp"),
            ),
            source("shop/tools/package.py", &tool("import shop", "shop.mcp")),
            source(
                "shop/tools/named.py",
                &tool(
                    "from mcp.server.fastmcp import Context\nimport shop",
                    "shop.mcp",
                ),
            ),
            source(
                "shop/tools/outside.py",
                &tool("from outside import server", "server.mcp"),
            ),
            source(
                "shop/tools/helpers.py",
                &tool("from shop import helpers", "helpers.mcp"),
            ),
            source("loop/__init__.py", "from .a import mcp\n"),
            source("loop/a.py", "from loop import mcp\n"),
            source("loop/tools.py", &tool("import loop", "loop.mcp")),
        ];
        let mut linked: Vec<(&str, &mut SourceTools)> =
            files.iter_mut().map(|(p, s)| (p.as_str(), s)).collect();
        resolve_python_server_classes(&mut linked, &layout(&[]));
        let ids = |path: &str| -> Vec<String> {
            let (_, source) = files.iter().find(|(p, _)| p == path).unwrap();
            source.tools.iter().map(|t| t.id.clone()).collect()
        };
        assert_eq!(ids("shop/tools/from.py"), ["mcp:from/ping"]);
        assert_eq!(ids("shop/tools/named.py"), ["mcp:named/ping"]);
        for plain in [
            "shop/tools/outside.py",
            "shop/tools/helpers.py",
            "loop/tools.py",
        ] {
            assert_eq!(ids(plain), ["fn:ping"], "{plain}");
        }
        let shop = vec!["acme-shop".to_owned()];
        assert_eq!(
            answers(&files, &[]),
            [
                ("shop/tools/aliased.py".to_owned(), shop.clone()),
                ("shop/tools/from.py".to_owned(), shop.clone()),
                ("shop/tools/named.py".to_owned(), shop.clone()),
                ("shop/tools/package.py".to_owned(), shop.clone()),
                ("shop/tools/relative.py".to_owned(), shop),
            ]
        );
    }

    /// A file that registers tools on many attributes of many modules shares a bounded number
    /// of them, and discovery follows each one a bounded number of steps.
    #[test]
    fn many_module_attributes_stay_bounded_and_fast() {
        let n = 2_000;
        let imports: String = (0..100).map(|k| format!("import acme.m{k}\n")).collect();
        let tools: String = (0..100)
            .map(|k| format!("@acme.m{k}.mcp.tool()\ndef t{k}() -> str:\n    return 'x'\n\n"))
            .collect();
        let text = format!("{imports}\n{tools}");
        let many = source("acme/tools/many.py", &text);
        let links = many.1.python_links.as_deref().unwrap();
        assert_eq!(
            links.module_servers.len(),
            crate::artifact::tool_code::MAX_MODULE_SERVERS
        );
        let mut files = vec![
            many,
            source(
                "acme/m0.py",
                "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('acme')\n",
            ),
        ];
        for i in 1..n {
            files.push(source(
                &format!("acme/m{i}.py"),
                &format!("from .m{} import mcp\n", i - 1),
            ));
            files.push(source(
                &format!("acme/tools/t{i}.py"),
                &format!(
                    "import acme.m{i}\n\n@acme.m{i}.mcp.tool()\ndef t() -> str:\n    return 'x'\n"
                ),
            ));
        }
        let started = std::time::Instant::now();
        let mut linked: Vec<(&str, &mut SourceTools)> =
            files.iter_mut().map(|(p, s)| (p.as_str(), s)).collect();
        resolve_python_server_classes(&mut linked, &layout(&[]));
        let answered = answers(&files, &[]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        // `m1` to `m4` re-export `m0`'s server within four steps; the others do not reach it.
        let reached: Vec<&str> = answered.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            reached,
            [
                "acme/tools/many.py",
                "acme/tools/t1.py",
                "acme/tools/t2.py",
                "acme/tools/t3.py",
                "acme/tools/t4.py",
            ]
        );
    }

    #[test]
    fn many_files_importing_a_constant_stay_fast() {
        let n = 3_000;
        let mut files = vec![
            source("acme/consts.py", "SERVER_NAME = 'acme'\n"),
            source("acme/__init__.py", "from .consts import SERVER_NAME\n"),
        ];
        for i in 0..n {
            let text = format!(
                "from mcp.server.fastmcp import FastMCP\nfrom acme import SERVER_NAME\n\n\
                 mcp = FastMCP(SERVER_NAME)\n\n@mcp.tool()\ndef t{i}() -> str:\n    return 'x'\n"
            );
            files.push(source(&format!("acme/m{i}.py"), &text));
            // Modules that each export all of the one before, in a chain.
            let text = format!(
                "export * from \"./e{}.js\";\nexport * from \"./e{}.js\";\n",
                i + 1,
                (i + 2) % n
            );
            files.push(source(&format!("web/e{i}.ts"), &text));
            // Servers that import through those a constant none shares.
            let text = format!(
                "import {{ McpServer }} from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
                 import {{ NAME }} from \"./e{i}.js\";\n\
                 const server = new McpServer({{ name: NAME, version: \"1\" }});\n\
                 server.tool(\"t\", async () => ({{}}));\n"
            );
            files.push(source(&format!("web/s{i}.ts"), &text));
        }
        let started = std::time::Instant::now();
        let answered = answers(&files, &[]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(answered.len(), 2 * n);
        for (path, servers) in answered {
            let expected = match path.strip_prefix("web/") {
                Some(name) => name.trim_end_matches(".ts").to_owned(),
                None => "acme".to_owned(),
            };
            assert_eq!(servers, [expected]);
        }
    }

    #[test]
    fn a_file_that_constructs_an_unnamed_server_keeps_its_tools() {
        let files = [source(
            "ops/server.ts",
            "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
             const server = new McpServer(info);\nserver.tool(\"ping\", async () => ({}));\n",
        )];
        assert_eq!(files[0].1.servers, ["server"]);
        // Outside any package, the server keeps the file's name, and its tools with it.
        assert_eq!(
            answers(&files, &[]),
            [("ops/server.ts".to_owned(), vec!["server".to_owned()])]
        );
    }

    /// A C# program that builds an MCP server, named `name` or left unnamed.
    fn csharp_program(name: Option<&str>) -> String {
        csharp_server(name, ".WithToolsFromAssembly()")
    }

    /// A C# program that builds an MCP server and registers tools with `registers`.
    fn csharp_server(name: Option<&str>, registers: &str) -> String {
        let options = name.map_or(String::new(), |name| {
            format!("options => options.ServerInfo = new() {{ Name = \"{name}\" }}")
        });
        format!(
            "var builder = Host.CreateApplicationBuilder(args);\n\
             builder.Services.AddMcpServer({options}).WithStdioServerTransport(){registers};\n\
             await builder.Build().RunAsync();\n"
        )
    }

    /// A C# file that builds an MCP server and registers tools with `registers`.
    fn server_file(path: &str, name: Option<&str>, registers: &str) -> (String, SourceTools) {
        source(path, &csharp_server(name, registers))
    }

    fn csharp_tool(name: &str) -> String {
        csharp_tool_class("Tools", name)
    }

    /// A `[McpServerToolType]` class with one tool.
    fn csharp_tool_class(class: &str, name: &str) -> String {
        format!(
            "[McpServerToolType]\npublic static class {class}\n{{\n    [McpServerTool]\n    \
             public static string {name}() => \"\";\n}}\n"
        )
    }

    /// A C# file of one `[McpServerToolType]` class with one tool.
    fn tool_class_file(path: &str, class: &str, name: &str) -> (String, SourceTools) {
        source(path, &csharp_tool_class(class, name))
    }

    /// A C# tool class is served by the servers that register it by type, wherever it is
    /// declared: in the server's project, or in one it references.
    #[test]
    fn csharp_tool_classes_belong_to_the_servers_that_register_them() {
        let tree = [
            ("src/Acme.Tools/Acme.Tools.csproj", "<Project />"),
            (
                "src/Acme.Ops/Acme.Ops.csproj",
                "<Project><ItemGroup>\n  <!-- <ProjectReference Include=\"..\\Acme.Jobs\\Acme.Jobs.csproj\" /> -->\n  \
                 <ProjectReference Include=\"..\\Acme.Tools\\Acme.Tools.csproj\" />\n  \
                 <ProjectReference Include=\"$(RepoRoot)/x/X.csproj\" />\n</ItemGroup></Project>",
            ),
            (
                "src/Acme.Mail/Acme.Mail.csproj",
                "<Project><ItemGroup><ProjectReference Include=\"../Acme.Ops/Acme.Ops.csproj\" /></ItemGroup></Project>",
            ),
            ("src/Acme.Jobs/Acme.Jobs.csproj", "<Project />"),
            ("src/Acme.Notes/Acme.Notes.csproj", "<Project />"),
        ];
        let layout = layout(&tree);
        assert_eq!(
            layout.project_references,
            BTreeMap::from([
                ("src/Acme.Mail".to_owned(), vec!["src/Acme.Ops".to_owned()]),
                ("src/Acme.Ops".to_owned(), vec!["src/Acme.Tools".to_owned()]),
            ])
        );
        let jobs_tools = format!(
            "{}{}",
            csharp_tool_class("AdminTools", "Purge"),
            csharp_tool_class("StatusTools", "Status")
        );
        let notes = |registers: &str| {
            [
                server_file("src/Acme.Notes/Program.cs", None, ".WithTools<NoteTools>()"),
                tool_class_file("src/Acme.Notes/NoteTools.cs", "NoteTools", "AddNote"),
                tool_class_file("src/Acme.Notes/DraftTools.cs", "DraftTools", "AddDraft"),
                source("src/Acme.Notes/Extensions.cs", registers),
            ]
        };
        let mut files = vec![
            // A class library's tools, served by the projects that reference it, directly
            // (by type) or through another project (by the library's assembly).
            server_file(
                "src/Acme.Ops/Program.cs",
                Some("acme-ops"),
                ".WithTools<Acme.Tools.OrderTools>()",
            ),
            server_file(
                "src/Acme.Mail/Program.cs",
                None,
                ".WithToolsFromAssembly(typeof(MailTools).Assembly)",
            ),
            tool_class_file("src/Acme.Tools/OrderTools.cs", "OrderTools", "Refund"),
            tool_class_file("src/Acme.Tools/MailTools.cs", "MailTools", "SendReceipt"),
            // One project, two servers, each with its classes; one class of the file
            // registered by neither, and one of another project no reference reaches.
            server_file(
                "src/Acme.Jobs/Admin.cs",
                Some("acme-admin"),
                ".WithTools<AdminTools>()",
            ),
            source(
                "src/Acme.Jobs/Public.cs",
                &csharp_server(
                    Some("acme-public"),
                    ".WithTools(new[] { typeof(StatusTools), typeof(MailTools) })",
                ),
            ),
            source("src/Acme.Jobs/Tools/JobTools.cs", &jobs_tools),
            tool_class_file("src/Acme.Jobs/Tools/Orphan.cs", "OrphanTools", "Orphan"),
        ];
        files.extend(notes("// No other registration.\n"));
        let expected = |path: &str, servers: &[&str]| {
            let servers = servers.iter().map(|s| (*s).to_owned()).collect();
            (path.to_owned(), servers)
        };
        assert_eq!(
            answers_in(&files, &layout),
            [
                expected(
                    "src/Acme.Jobs/Tools/JobTools.cs",
                    &["acme-admin", "acme-public"]
                ),
                expected("src/Acme.Notes/NoteTools.cs", &["Acme.Notes"]),
                expected("src/Acme.Tools/MailTools.cs", &["Acme.Mail"]),
                expected("src/Acme.Tools/OrderTools.cs", &["Acme.Mail", "acme-ops"]),
            ]
        );
        // Each class of a file to its own server.
        let sources: Vec<(&str, &SourceTools)> =
            files.iter().map(|(p, s)| (p.as_str(), s)).collect();
        let answer = &servers_elsewhere(&sources, &layout)["src/Acme.Jobs/Tools/JobTools.cs"];
        assert_eq!(
            (answer.of(0), answer.of(1)),
            (
                &["acme-admin".to_owned()][..],
                &["acme-public".to_owned()][..]
            )
        );

        // A file of the project that registers with a builder it is given (an extension
        // method): what the server serves is not all read, and it takes the project's other
        // classes, as before.
        let files = notes(
            "static class Extensions { public static IMcpServerBuilder AddDrafts(this IMcpServerBuilder b) => b.WithTools<DraftTools>(); }\n",
        );
        assert_eq!(
            answers_in(&files, &layout),
            [
                expected("src/Acme.Notes/DraftTools.cs", &["Acme.Notes"]),
                expected("src/Acme.Notes/NoteTools.cs", &["Acme.Notes"]),
            ]
        );
    }

    /// The classes an extension method on `IMcpServerBuilder` registers belong to the servers
    /// whose builders call it (after `AddMcpServer(…)` or on a variable holding the builder),
    /// the method looked up as a class is: in the server's project, else in one it references.
    #[test]
    fn csharp_classes_registered_by_builder_extension_methods() {
        let tree = [
            ("src/Acme.Tools/Acme.Tools.csproj", "<Project />"),
            (
                "src/Acme.Ops/Acme.Ops.csproj",
                "<Project><ItemGroup><ProjectReference Include=\"..\\Acme.Tools\\Acme.Tools.csproj\" /></ItemGroup></Project>",
            ),
            ("src/Acme.Mail/Acme.Mail.csproj", "<Project />"),
            ("src/Acme.Notes/Acme.Notes.csproj", "<Project />"),
        ];
        let layout = layout(&tree);
        let extensions = "public static class McpBuilderExtensions\n{\n    \
             public static IMcpServerBuilder WithAcmeTools(this IMcpServerBuilder builder) =>\n        \
             builder.WithTools<OrderTools>().WithStockTools();\n    \
             public static IMcpServerBuilder WithStockTools(this IMcpServerBuilder builder)\n    {\n        \
             builder.WithTools(typeof(StockTools));\n        return builder;\n    }\n}\n";
        let files = [
            source("src/Acme.Tools/McpBuilderExtensions.cs", extensions),
            tool_class_file("src/Acme.Tools/OrderTools.cs", "OrderTools", "Refund"),
            tool_class_file("src/Acme.Tools/StockTools.cs", "StockTools", "Reserve"),
            tool_class_file("src/Acme.Tools/SpareTools.cs", "SpareTools", "Spare"),
            // Calls the referenced project's extension method, which calls another: its
            // registrations are all read, and the project's unregistered class is no tool of it.
            server_file(
                "src/Acme.Ops/Program.cs",
                Some("acme-ops"),
                ".WithAcmeTools()",
            ),
            tool_class_file("src/Acme.Ops/OpsTools.cs", "OpsTools", "Unregistered"),
            // Does not reference `Acme.Tools`: the method is not found.
            server_file(
                "src/Acme.Mail/Program.cs",
                Some("acme-mail"),
                ".WithAcmeTools()",
            ),
            // A builder held in a variable, and an extension method of the project.
            source(
                "src/Acme.Notes/Program.cs",
                "var mcp = builder.Services.AddMcpServer().WithStdioServerTransport();\n\
                 mcp.WithDrafts();\nawait builder.Build().RunAsync();\n",
            ),
            source(
                "src/Acme.Notes/Extensions.cs",
                "static class Extensions { public static IMcpServerBuilder WithDrafts(this IMcpServerBuilder b) => b.WithTools<DraftTools>(); }\n",
            ),
            tool_class_file("src/Acme.Notes/DraftTools.cs", "DraftTools", "AddDraft"),
        ];
        let expected = |path: &str, servers: &[&str]| {
            let servers = servers.iter().map(|s| (*s).to_owned()).collect();
            (path.to_owned(), servers)
        };
        assert_eq!(
            answers_in(&files, &layout),
            [
                expected("src/Acme.Notes/DraftTools.cs", &["Acme.Notes"]),
                expected("src/Acme.Tools/OrderTools.cs", &["acme-ops"]),
                expected("src/Acme.Tools/StockTools.cs", &["acme-ops"]),
            ]
        );
        // Unread: the server serves what the method registers, and stays open to the
        // project's other classes.
        let mut files = files.to_vec();
        files[0] = source(
            "src/Acme.Tools/McpBuilderExtensions.cs",
            &extensions.replace("typeof(StockTools)", "toolTypes"),
        );
        assert_eq!(
            answers_in(&files, &layout),
            [
                expected("src/Acme.Notes/DraftTools.cs", &["Acme.Notes"]),
                expected("src/Acme.Ops/OpsTools.cs", &["acme-ops"]),
                expected("src/Acme.Tools/OrderTools.cs", &["acme-ops"]),
            ]
        );
    }

    /// With no `.csproj` in the scan, a registered class is found anywhere in the tree when
    /// all classes of its name are in one package; of several packages, it is ambiguous.
    #[test]
    fn csharp_registered_classes_outside_projects() {
        let server = server_file(
            "app/Program.cs",
            Some("acme-app"),
            ".WithTools<SharedTools>()",
        );
        let shared = |path: &str| tool_class_file(path, "SharedTools", "Ping");
        let files = [server.clone(), shared("lib/SharedTools.cs")];
        assert_eq!(
            answers(&files, &["app", "lib", "other"]),
            [("lib/SharedTools.cs".to_owned(), vec!["acme-app".to_owned()])]
        );
        let files = [
            server,
            shared("lib/SharedTools.cs"),
            shared("other/SharedTools.cs"),
        ];
        assert!(answers(&files, &["app", "lib", "other"]).is_empty());

        // So is an extension method that registers it: one of its name in the tree is found,
        // two in different packages are ambiguous.
        let server = server_file("app/Program.cs", Some("acme-app"), ".WithShared()");
        let extension = |path: &str| {
            source(
                path,
                "static class E { public static IMcpServerBuilder WithShared(this IMcpServerBuilder b) => b.WithTools<SharedTools>(); }\n",
            )
        };
        let mut files = vec![
            server,
            extension("lib/Extensions.cs"),
            shared("lib/SharedTools.cs"),
        ];
        assert_eq!(
            answers(&files, &["app", "lib", "other"]),
            [("lib/SharedTools.cs".to_owned(), vec!["acme-app".to_owned()])]
        );
        files.push(extension("other/Extensions.cs"));
        assert!(answers(&files, &["app", "lib", "other"]).is_empty());
    }

    #[test]
    fn csharp_tools_belong_to_the_server_of_their_project() {
        let tree = [
            (
                "ops/Acme.Ops.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\" />",
            ),
            (
                "notes/Acme.Notes.csproj",
                "<Project>\n  <!-- <AssemblyName>old</AssemblyName> -->\n  \
                 <PropertyGroup><AssemblyName> acme-notes </AssemblyName></PropertyGroup>\n</Project>",
            ),
            (
                "jobs/Acme.Jobs.csproj",
                "<Project><PropertyGroup><AssemblyName>$(RootNamespace)</AssemblyName></PropertyGroup></Project>",
            ),
            ("lib/Acme.Lib.csproj", "<Project />"),
        ];
        let layout = layout(&tree);
        let projects: Vec<(&str, &str)> = layout
            .projects
            .iter()
            .map(|(dir, name)| (dir.as_str(), name.as_str()))
            .collect();
        assert_eq!(
            projects,
            [
                ("jobs", "Acme.Jobs"),
                ("lib", "Acme.Lib"),
                ("notes", "acme-notes"),
                ("ops", "Acme.Ops")
            ]
        );
        let inline = format!("{}\n{}", csharp_program(None), csharp_tool("Wipe"));
        let files = [
            // A named server in Program.cs, tools in another file of the project.
            source("ops/Program.cs", &csharp_program(Some("acme-ops"))),
            source("ops/Tools/OrderTools.cs", &csharp_tool("Refund")),
            // An unnamed server: the assembly's name.
            source("notes/Program.cs", &csharp_program(None)),
            source("notes/Tools/NoteTools.cs", &csharp_tool("AddNote")),
            // Tools beside the unnamed server that builds them.
            source("jobs/Program.cs", &inline),
            // A class library with no server: no answer.
            source("lib/LibTools.cs", &csharp_tool("Ping")),
            // A C# server serves no TypeScript tool.
            source("ops/web/search.ts", REGISTER),
        ];
        assert!(files[1].1.tools[0].server_elsewhere);
        let expected = |path: &str, server: &str| (path.to_owned(), vec![server.to_owned()]);
        assert_eq!(
            answers_in(&files, &layout),
            [
                expected("jobs/Program.cs", "Acme.Jobs"),
                expected("notes/Tools/NoteTools.cs", "acme-notes"),
                expected("ops/Tools/OrderTools.cs", "acme-ops"),
            ]
        );
        // With no project in the scan, the one server of the tree, named after its file.
        let files = [
            source("Program.cs", &csharp_program(None)),
            source("Tools/EchoTools.cs", &csharp_tool("Echo")),
        ];
        assert_eq!(
            answers(&files, &[]),
            [expected("Tools/EchoTools.cs", "Program")]
        );
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
