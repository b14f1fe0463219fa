//! Go packages, as discovery needs them: a package is the directory of its files, and an import
//! path names the directory of a module of the tree (the `module` line of its `go.mod`) joined
//! with the rest of the path (`module github.com/acme/ops` in `ops/go.mod` and `import
//! "github.com/acme/ops/internal/tools"` name `ops/internal/tools/`). A module that is not in the
//! tree (a dependency, the standard library) names nothing; `replace` directives, `go.work` and
//! `vendor/` are not read.
//!
//! The files of a package share one scope: a tool or server a file names with a constant it does
//! not bind (`mcp.NewTool(ToolRefund, …)`) takes the value another file of the package binds
//! it to (`const ToolRefund = "acme_refund"` in `names.go`), when exactly one file binds it.
//! An exported constant of a package of the tree the file imports (`names.ToolRefund` after
//! `import "github.com/acme/ops/internal/names"`) is read the same way among that package's
//! files (its `_test` package left out), each imported package read once.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::SourceLayout;
use crate::artifact::tool_code::SourceTools;
use crate::artifact::tool_json::short_description;

/// The name of the file whose directory is a Go module's root.
pub const GO_MOD: &str = "go.mod";

/// The module path a `go.mod` declares (`module github.com/acme/ops`, also quoted).
pub fn module_path(go_mod: &str) -> Option<String> {
    go_mod.lines().find_map(|line| {
        let line = line.split("//").next().unwrap_or("").trim();
        let rest = line.strip_prefix("module")?;
        if !rest.starts_with([' ', '\t', '"', '`']) {
            return None;
        }
        let path = rest.trim().trim_matches(['"', '`']);
        (!path.is_empty()).then(|| path.to_owned())
    })
}

/// The Go files of a scan by directory (their package), as indices into the scan's files.
pub struct Packages {
    by_dir: HashMap<String, Vec<usize>>,
}

impl Packages {
    pub fn of(files: &[(&str, &SourceTools)]) -> Packages {
        let mut by_dir: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, (path, _)) in files.iter().enumerate() {
            if is_go(path) {
                by_dir
                    .entry(super::parent(path).to_owned())
                    .or_default()
                    .push(index);
            }
        }
        Packages { by_dir }
    }

    /// The files of the package of the Go file at `path` (itself included); none for a file
    /// that is not Go.
    pub fn beside(&self, path: &str) -> &[usize] {
        if !is_go(path) {
            return &[];
        }
        self.by_dir
            .get(super::parent(path))
            .map_or(&[], Vec::as_slice)
    }

    /// The files of the package an import path names, through the modules of the tree.
    pub fn imported(&self, spec: &str, modules: &BTreeMap<String, String>) -> &[usize] {
        package_dir(spec, modules)
            .and_then(|dir| self.by_dir.get(&dir))
            .map_or(&[], Vec::as_slice)
    }
}

/// Give the Go files' tools and servers named by constants of other files of their package
/// (`SourceTools::go_scope`) those names, package by package (a directory's files with the same
/// `package` clause): a constant bound by one file only, once. A tool whose name stays unknown
/// is left out; one whose description stays unknown has none; a server whose name stays unknown
/// keeps its file's stem.
pub fn resolve_package_names(files: &mut [(&str, &mut SourceTools)], layout: &SourceLayout) {
    let imported = imported_constants(files, layout);
    let mut packages: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (index, (path, source)) in files.iter().enumerate() {
        if let Some(scope) = source.go_scope.as_ref().filter(|_| is_go(path)) {
            let key = (super::parent(path).to_owned(), scope.package.clone());
            packages.entry(key).or_default().push(index);
        }
    }
    for members in packages.values() {
        let mut wanted: HashSet<String> = HashSet::new();
        for &i in members {
            let Some(scope) = files[i].1.go_scope.as_deref() else {
                continue;
            };
            wanted.extend(scope.server_constant.iter().map(|s| s.constant.clone()));
            for pending in &scope.pending {
                wanted.extend(pending.name.iter().chain(&pending.description).cloned());
            }
        }
        if wanted.is_empty() {
            continue;
        }
        let mut values: HashMap<String, Option<String>> = HashMap::new();
        for &i in members {
            let Some(scope) = files[i].1.go_scope.as_deref() else {
                continue;
            };
            for (name, value) in scope.constants.iter().filter(|(n, _)| wanted.contains(n)) {
                values
                    .entry(name.clone())
                    .and_modify(|known| *known = None)
                    .or_insert_with(|| Some(value.clone()));
            }
        }
        for &i in members {
            let value = |name: &String| match name.contains('.') {
                true => imported.get(&(i, name.clone())).cloned(),
                false => values.get(name).cloned().flatten(),
            };
            resolve_file(files[i].1, &value);
        }
    }
}

/// The values of the exported constants of other packages the files wait for
/// (`PackageScope::imported`), by file and qualified name (`names.ToolRefund`): a constant bound
/// by one file of the imported package only, once.
fn imported_constants(
    files: &[(&str, &mut SourceTools)],
    layout: &SourceLayout,
) -> HashMap<(usize, String), String> {
    let mut found = HashMap::new();
    if files
        .iter()
        .all(|(_, s)| s.go_scope.as_ref().is_none_or(|g| g.imported.is_empty()))
    {
        return found;
    }
    let mut by_dir: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, (path, source)) in files.iter().enumerate() {
        if let Some(scope) = &source.go_scope
            && is_go(path)
            && !scope.package.ends_with("_test")
        {
            by_dir.entry(super::parent(path)).or_default().push(index);
        }
    }
    // The exported constants of each package asked for, read once.
    let mut packages: HashMap<String, HashMap<&str, Option<&str>>> = HashMap::new();
    for (index, (_, source)) in files.iter().enumerate() {
        let Some(scope) = source.go_scope.as_deref() else {
            continue;
        };
        let waiting = (scope.pending.iter())
            .flat_map(|pending| pending.name.iter().chain(&pending.description))
            .chain(scope.server_constant.iter().map(|server| &server.constant));
        for qualified in waiting {
            let Some((qualifier, name)) = qualified.split_once('.') else {
                continue;
            };
            let Some(dir) = (scope.imported.get(qualifier))
                .and_then(|path| package_dir(path, &layout.go_modules))
            else {
                continue;
            };
            let constants = packages.entry(dir).or_insert_with_key(|dir| {
                let mut constants: HashMap<&str, Option<&str>> = HashMap::new();
                for &member in by_dir.get(dir.as_str()).into_iter().flatten() {
                    let Some(scope) = files[member].1.go_scope.as_deref() else {
                        continue;
                    };
                    for (name, value) in &scope.constants {
                        constants
                            .entry(name.as_str())
                            .and_modify(|known| *known = None)
                            .or_insert(Some(value.as_str()));
                    }
                }
                constants
            });
            if let Some(Some(value)) = constants.get(name) {
                found.insert((index, qualified.clone()), (*value).to_owned());
            }
        }
    }
    found
}

/// Give one file's pending tools and server the values `value` finds for their constants.
fn resolve_file(source: &mut SourceTools, value: &impl Fn(&String) -> Option<String>) {
    let Some(scope) = source.go_scope.as_deref_mut() else {
        return;
    };
    let server = scope.server_constant.take();
    for pending in std::mem::take(&mut scope.pending) {
        let mut tool = pending.tool;
        if let Some(constant) = &pending.name {
            let Some(name) = value(constant) else {
                continue;
            };
            let provider = tool.provider.as_deref().unwrap_or("mcp:");
            tool.id = format!("{provider}/{name}");
            tool.name = name;
        }
        if let Some(constant) = &pending.description {
            tool.description = value(constant).map(|text| short_description(&text));
        }
        source.tools.push(tool);
    }
    if let Some(server) = server
        && let Some(name) = value(&server.constant)
        && source.servers.contains(&server.placeholder)
    {
        let placeholder = format!("mcp:{}", server.placeholder);
        let provider = format!("mcp:{name}");
        for tool in &mut source.tools {
            if !tool.server_elsewhere && tool.provider.as_deref() == Some(placeholder.as_str()) {
                tool.id = format!("{provider}/{}", tool.name);
                tool.provider = Some(provider.clone());
            }
        }
        for entry in &mut source.servers {
            if *entry == server.placeholder {
                entry.clone_from(&name);
            }
        }
        source.servers.sort();
        source.servers.dedup();
    }
    source.tools.sort_by_key(|t| t.span.map(|s| s.offset));
}

pub fn is_go(path: &str) -> bool {
    path.ends_with(".go")
}

/// The directory (repository-relative) an import path names: that of the module of the tree
/// whose path is the longest prefix of it, joined with the rest of the path.
fn package_dir(spec: &str, modules: &BTreeMap<String, String>) -> Option<String> {
    let (_, dir, rest) = modules
        .iter()
        .filter_map(|(dir, module)| {
            let rest = match spec.strip_prefix(module.as_str())? {
                "" => "",
                rest => rest.strip_prefix('/')?,
            };
            Some((module.len(), dir, rest))
        })
        .max_by_key(|(length, ..)| *length)?;
    Some(match (dir.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_owned(),
        (false, true) => dir.clone(),
        (false, false) => format!("{dir}/{rest}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::tool_code::{Language, scan};

    /// A file after resolution: its path, its tools (id and description) and its servers.
    type Resolved = (String, Vec<(String, Option<String>)>, Vec<String>);

    /// The files `sources` (path, text) scanned and resolved: each file's tools (id and
    /// description) and servers.
    fn resolved(sources: &[(&str, &str)]) -> Vec<Resolved> {
        let mut scanned: Vec<(&str, SourceTools)> = sources
            .iter()
            .map(|(path, text)| {
                let stem = path.rsplit('/').next().unwrap().trim_end_matches(".go");
                (*path, scan(text, Language::Go, stem).unwrap())
            })
            .collect();
        let mut files: Vec<(&str, &mut SourceTools)> =
            scanned.iter_mut().map(|(path, s)| (*path, s)).collect();
        resolve_package_names(&mut files, &SourceLayout::default());
        scanned
            .into_iter()
            .map(|(path, source)| {
                let tools = source
                    .tools
                    .iter()
                    .map(|t| (t.id.clone(), t.description.clone()))
                    .collect();
                (path.to_owned(), tools, source.servers)
            })
            .collect()
    }

    const SERVER: &str = "package billing\n\nimport (\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n)\n\nfunc Serve() {\n\ts := server.NewMCPServer(ServerName, \"1.0.0\")\n\ts.AddTool(mcp.NewTool(ToolRefund, mcp.WithDescription(RefundText)), refund)\n\ts.AddTool(mcp.NewTool(\"acme_status\", mcp.WithDescription(StatusText)), status)\n\ts.AddTool(mcp.NewTool(ToolVoid), void)\n}\n";

    #[test]
    fn constants_of_another_file_of_the_package_name_tools_and_servers() {
        let names = "package billing\n\nconst (\n\tServerName = \"acme-billing\"\n\tToolRefund = \"acme_refund\"\n\tRefundText = \"Refund an order\"\n\tToolVoid   = \"acme_void\"\n)\n";
        // Bound twice in the package: unknown. Another package clause: not this package's.
        let more = "package billing\n\nconst ToolVoid = \"acme_void_again\"\n";
        let other = "package billing_test\n\nconst StatusText = \"Show a status\"\n";
        let elsewhere = "package billing\n\nconst StatusText = \"Not this directory's\"\n";
        let found = resolved(&[
            ("billing/serve.go", SERVER),
            ("billing/names.go", names),
            ("billing/more.go", more),
            ("billing/other.go", other),
            ("shipping/names.go", elsewhere),
        ]);
        let (_, tools, servers) = &found[0];
        assert_eq!(servers, &["acme-billing"]);
        assert_eq!(
            tools,
            &[
                (
                    "mcp:acme-billing/acme_refund".to_owned(),
                    Some("Refund an order".to_owned())
                ),
                ("mcp:acme-billing/acme_status".to_owned(), None),
            ]
        );
        assert!(
            found[1..]
                .iter()
                .all(|(_, tools, servers)| tools.is_empty() && servers.is_empty())
        );
    }

    #[test]
    fn without_the_constants_tools_named_by_them_are_left_out() {
        let found = resolved(&[("billing/serve.go", SERVER)]);
        let (_, tools, servers) = &found[0];
        assert_eq!(servers, &["serve"]);
        assert_eq!(tools, &[("mcp:serve/acme_status".to_owned(), None)]);
    }

    #[test]
    fn module_paths_are_read_from_the_module_line() {
        assert_eq!(
            module_path("// The ops server\nmodule github.com/acme/ops // main\n\ngo 1.23\n")
                .as_deref(),
            Some("github.com/acme/ops")
        );
        assert_eq!(
            module_path("module \"example.com/acme/tools\"\n").as_deref(),
            Some("example.com/acme/tools")
        );
        assert_eq!(module_path("modules x\ngo 1.22\n"), None);
        assert_eq!(module_path(""), None);
    }

    #[test]
    fn import_paths_name_directories_of_the_modules_of_the_tree() {
        let modules: BTreeMap<String, String> = [
            ("", "github.com/acme/ops"),
            ("plugins", "github.com/acme/ops/plugins"),
            ("libs/shared", "example.com/acme/shared"),
        ]
        .iter()
        .map(|(dir, module)| ((*dir).to_owned(), (*module).to_owned()))
        .collect();
        let dir = |spec| package_dir(spec, &modules);
        assert_eq!(
            dir("github.com/acme/ops/internal/tools").as_deref(),
            Some("internal/tools")
        );
        assert_eq!(dir("github.com/acme/ops").as_deref(), Some(""));
        // The longest module path wins: a nested module is its own.
        assert_eq!(
            dir("github.com/acme/ops/plugins/files").as_deref(),
            Some("plugins/files")
        );
        assert_eq!(
            dir("example.com/acme/shared").as_deref(),
            Some("libs/shared")
        );
        assert_eq!(dir("github.com/acme/opsx/tools"), None);
        assert_eq!(dir("fmt"), None);
    }
}
