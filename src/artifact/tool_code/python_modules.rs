//! The modules a Python file names through the names its imports bind, so that an attribute of
//! one can be followed to the module's file: `config.SERVER_NAME` after `from . import config`
//! or `import acme_pkg.config as config`, `acme_pkg.config.SERVER_NAME` after `import
//! acme_pkg.config`, `server.mcp` after `from acme_pkg import server`. Discovery resolves the
//! module as it resolves every import (`agent::code_servers::python`); a name brought in by
//! `from … import` is that name of the module when the module binds or imports it, else its
//! submodule, as Python reads it.
//!
//! Only imports in code at any indentation are read, and nothing is run: a module bound at run
//! time (`importlib.import_module`, `__import__`) names nothing.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::pattern::Pattern;
use serde::Serialize;

use super::python_servers::FromName;

/// Module names one file binds, read at most: the first ones.
const MAX_MODULE_NAMES: usize = 256;

/// `name.attr`, `a.b.attr`: a dotted name of identifiers.
static DOTTED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$").expect("valid regex")
});

/// A module a Python file names through a name it binds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PythonModule {
    /// The module as written: `.`, `acme_pkg` of `from acme_pkg import config`;
    /// `acme_pkg.config` of `import acme_pkg.config as config`.
    pub module: String,
    /// The name imported from it (`config` of `from acme_pkg import config`): that name of the
    /// module where the module binds or imports it, else its submodule. `None` for a module
    /// named by `import`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The modules a file names, by the dotted name that stands for each in its code.
#[derive(Debug, Default)]
pub(super) struct ModuleNames<'t> {
    /// `from M import n as bound`, `import a.b as bound`: by the name bound.
    bound: BTreeMap<&'t str, (&'t str, Option<&'t str>)>,
    /// `import a.b.c`: the modules imported without an alias, each reached by its own dotted
    /// name, and the packages above it by theirs (`a`, `a.b`).
    plain: Vec<&'t str>,
}

impl<'t> ModuleNames<'t> {
    /// The names the file's imports bind to modules (or to names that may be modules): its
    /// `from … import` names and the clauses of its `import` statements
    /// ([`super::python_import_clauses`]); the first [`MAX_MODULE_NAMES`].
    pub fn read(imports: &[FromName<'t>], clauses: &[&'t str]) -> ModuleNames<'t> {
        let mut names = ModuleNames::default();
        for import in imports.iter().take(MAX_MODULE_NAMES) {
            names
                .bound
                .insert(import.bound, (import.module, Some(import.name)));
        }
        for clause in clauses {
            if names.bound.len() + names.plain.len() >= MAX_MODULE_NAMES {
                break;
            }
            let mut words = clause.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(module), Some("as"), Some(alias)) => {
                    names.bound.insert(alias, (module, None));
                }
                (Some(module), None, _) => names.plain.push(module),
                _ => {}
            }
        }
        names
    }

    pub fn is_empty(&self) -> bool {
        self.bound.is_empty() && self.plain.is_empty()
    }

    /// The module `dotted` names in the file (`config`, `acme_pkg.config`), if an import
    /// binds it: a name bound by `from … import` or `import … as`, or a module imported by
    /// `import` or a package above one.
    pub fn module(&self, dotted: &str) -> Option<PythonModule> {
        if let Some((module, name)) = self.bound.get(dotted) {
            return Some(PythonModule {
                module: (*module).to_owned(),
                name: name.map(str::to_owned),
            });
        }
        let is_plain = |plain: &&str| {
            (plain.strip_prefix(dotted))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        };
        self.plain.iter().any(is_plain).then(|| PythonModule {
            module: dotted.to_owned(),
            name: None,
        })
    }

    /// `config.SERVER_NAME`, `server.mcp`: the module the part before the last dot names and
    /// the name after it, when an import binds that module.
    pub fn attribute<'d>(&self, dotted: &'d str) -> Option<(PythonModule, &'d str)> {
        if !DOTTED.is_match(dotted) {
            return None;
        }
        let (module, attribute) = dotted.rsplit_once('.')?;
        Some((self.module(module)?, attribute))
    }

    /// The first name of `dotted`, the one the file binds (`config` of `config.SERVER_NAME`).
    pub fn head(dotted: &str) -> &str {
        dotted.split('.').next().unwrap_or(dotted)
    }
}

#[cfg(test)]
mod tests {
    use super::super::python_servers::from_names;
    use super::super::{PythonSource, python_import_clauses};
    use super::*;

    fn attribute(text: &str, dotted: &str) -> Option<(String, Option<String>, String)> {
        let source = PythonSource::new(text);
        let imports = from_names(&source);
        let clauses = python_import_clauses(&source);
        let names = ModuleNames::read(&imports, &clauses);
        let (module, attribute) = names.attribute(dotted)?;
        Some((module.module, module.name, attribute.to_owned()))
    }

    fn found(
        module: &str,
        name: Option<&str>,
        attribute: &str,
    ) -> Option<(String, Option<String>, String)> {
        Some((
            module.to_owned(),
            name.map(str::to_owned),
            attribute.to_owned(),
        ))
    }

    #[test]
    fn attributes_of_imported_modules_name_their_module() {
        assert_eq!(
            attribute("from . import config\n", "config.SERVER_NAME"),
            found(".", Some("config"), "SERVER_NAME")
        );
        assert_eq!(
            attribute("from acme_pkg import server as srv\n", "srv.mcp"),
            found("acme_pkg", Some("server"), "mcp")
        );
        assert_eq!(
            attribute(
                "import os, acme_pkg.config as config\n",
                "config.SERVER_NAME"
            ),
            found("acme_pkg.config", None, "SERVER_NAME")
        );
        let plain = "import acme_pkg.config\n";
        assert_eq!(
            attribute(plain, "acme_pkg.config.SERVER_NAME"),
            found("acme_pkg.config", None, "SERVER_NAME")
        );
        assert_eq!(
            attribute(plain, "acme_pkg.mcp"),
            found("acme_pkg", None, "mcp")
        );
        assert_eq!(
            attribute("import acme_pkg\n", "acme_pkg.mcp"),
            found("acme_pkg", None, "mcp")
        );
    }

    #[test]
    fn names_no_import_binds_name_no_module() {
        for (text, dotted) in [
            ("import acme_pkg\n", "acme.mcp"),
            ("import acme_pkg_extra\n", "acme_pkg.mcp"),
            ("import acme_pkg.config as config\n", "acme_pkg.config.NAME"),
            ("# import acme_pkg\n", "acme_pkg.mcp"),
            ("\"\"\"\nfrom . import config\n\"\"\"\n", "config.NAME"),
            ("from . import config\n", "config"),
            ("from . import config\n", "config.NAME()"),
            ("", "config.NAME"),
        ] {
            assert_eq!(attribute(text, dotted), None, "{text} {dotted}");
        }
    }

    #[test]
    fn module_names_are_bounded() {
        let many: String = (0..1000).map(|i| format!("import acme_{i}\n")).collect();
        let source = PythonSource::new(&many);
        let clauses = python_import_clauses(&source);
        let names = ModuleNames::read(&[], &clauses);
        assert_eq!(names.plain.len(), MAX_MODULE_NAMES);
        assert!(names.attribute("acme_0.mcp").is_some());
        assert!(names.attribute("acme_999.mcp").is_none());
    }
}
