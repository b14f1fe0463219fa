//! Go packages, as discovery needs them: a package is the directory of its files, and an import
//! path names the directory of a module of the tree (the `module` line of its `go.mod`) joined
//! with the rest of the path (`module github.com/acme/ops` in `ops/go.mod` and `import
//! "github.com/acme/ops/internal/tools"` name `ops/internal/tools/`). A module that is not in the
//! tree (a dependency, the standard library) names nothing; `replace` directives, `go.work` and
//! `vendor/` are not read.

use std::collections::{BTreeMap, HashMap};

use crate::artifact::tool_code::SourceTools;

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
