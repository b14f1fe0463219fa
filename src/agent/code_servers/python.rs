//! Python names followed from file to file: a name imported from a module that itself imports
//! it (a package's `__init__.py` holding `from .server import mcp`) leads on to the module
//! that defines it, and a class imported from another file, or derived from one, is a server
//! class when the class it comes down to is one in its own file (`class AcmeExt(AcmeBase)`
//! after `from .base import AcmeBase`, with `class AcmeBase(FastMCP)` in `base.py`).
//!
//! A name imported from a module that imports `*` from another (`from .server import *`) leads
//! on to it the same way, when that module gives the name: binds it (or imports it) and lets
//! `*` take it (its `__all__` lists it, else it does not start with `_`).
//!
//! A module named in a file through a name its imports bind (`from acme_pkg import server`,
//! `import acme_pkg.server as srv`, `import acme_pkg`) leads the same way to the server object
//! the file reaches as its attribute (`@server.mcp.tool()`): the module's file, and on through
//! its re-exports to the module that binds the object. `from acme_pkg import server` is read as
//! Python reads it: the name `server` where `acme_pkg/__init__.py` imports it (followed) or
//! binds it (an object, no module), else the submodule `acme_pkg/server.py`.
//!
//! Only what the files of the scan say is read, through the imports `code_servers` resolves.
//! Every walk is bounded (re-exports, then steps through classes) and stops where it comes
//! back to a file it left, so cycles of imports end at once.

use std::collections::{HashMap, HashSet};

use super::{SourceLayout, resolve};
use crate::artifact::tool_code::{
    ModuleServer, PythonLinks, PythonSubclass, SourceTools, star_takes,
};
use crate::artifact::tool_json::ToolDecl;

/// Re-exports followed from the module a name is imported from: `__init__.py` re-exporting
/// from another `__init__.py` that re-exports from the server's module is two.
pub(super) const MAX_REEXPORTS: usize = 4;
/// Modules looked into through `from … import *` for one name at one step of a walk, the
/// modules the walk passed included.
const MAX_STAR_LOOKUPS: usize = 32;
/// Lookups (re-exports and classes derived from imported classes, along every base) made to
/// tell whether one class is a server class.
const MAX_CLASS_LOOKUPS: usize = 32;

/// What a class of a file is, as its file says.
#[derive(Clone, Copy)]
enum Class<'f> {
    /// A subclass of `FastMCP` or `MCPServer` of the file, with the name its `__init__` gives.
    Server(&'f Option<String>),
    /// A class derived from classes imported from other files.
    Derived(&'f PythonSubclass),
}

/// The Python files of a scan, to follow the names they import through one another.
pub(super) struct PythonModules<'f> {
    files: &'f [(&'f str, &'f SourceTools)],
    by_path: &'f HashMap<&'f str, usize>,
    layout: &'f SourceLayout,
    /// The classes of every file, by file and name.
    classes: HashMap<(usize, &'f str), Class<'f>>,
    /// The files each name of a file leads to through its re-exports, once asked.
    reexports: HashMap<(usize, &'f str), Vec<usize>>,
}

impl<'f> PythonModules<'f> {
    pub fn new(
        files: &'f [(&'f str, &'f SourceTools)],
        by_path: &'f HashMap<&'f str, usize>,
        layout: &'f SourceLayout,
    ) -> PythonModules<'f> {
        PythonModules {
            files,
            by_path,
            layout,
            classes: HashMap::new(),
            reexports: HashMap::new(),
        }
    }

    /// Read the classes of every file, for [`Self::server_class`] and
    /// [`Self::subclass_server`].
    fn with_classes(mut self) -> PythonModules<'f> {
        let mut classes = HashMap::new();
        for (index, (_, source)) in self.files.iter().enumerate() {
            let Some(links) = source.python_links.as_deref() else {
                continue;
            };
            for subclass in &links.subclasses {
                classes.insert((index, subclass.class.as_str()), Class::Derived(subclass));
            }
            for (class, server) in &links.server_classes {
                classes.insert((index, class.as_str()), Class::Server(server));
            }
        }
        self.classes = classes;
        self
    }

    fn links(&self, file: usize) -> Option<&'f PythonLinks> {
        self.files[file].1.python_links.as_deref()
    }

    /// The file a Python import of `file` names.
    pub(super) fn module(&self, file: usize, module: &str) -> Option<usize> {
        resolve(self.files[file].0, module, self.by_path, self.layout)
    }

    /// The modules the names `file` imports lead to through the modules it imports them from
    /// ([`Self::reexported`]), and the modules of the server objects it reaches as attributes
    /// of modules ([`Self::module_server`]).
    pub fn reexports_of(&mut self, file: usize) -> Vec<usize> {
        let Some(links) = self.links(file) else {
            return Vec::new();
        };
        let mut reached = Vec::new();
        for name in &links.names {
            if let Some(module) = self.module(file, &name.module) {
                reached.extend_from_slice(self.reexported(module, &name.name));
            }
        }
        for module_server in &links.module_servers {
            reached.extend(self.module_server(file, module_server));
        }
        reached
    }

    /// The file that binds the server object `file` reaches as an attribute of a module
    /// (`server.mcp` after `from acme_pkg import server`): the module's file when it binds the
    /// object, else the module the object is re-exported from ([`Self::reexported`]).
    fn module_server(&mut self, file: usize, module_server: &'f ModuleServer) -> Option<usize> {
        let module = &module_server.module;
        let target = imported_module(
            self.files,
            self.by_path,
            self.layout,
            file,
            &module.module,
            module.name.as_deref(),
        )?;
        let object = module_server.object.as_str();
        if self.binds(target, object) {
            return Some(target);
        }
        self.reexported(target, object).last().copied()
    }

    /// The files the name `name` of the module `file` leads to where the module imports it
    /// itself, re-export after re-export (at most [`MAX_REEXPORTS`], none twice): for
    /// `from .server import mcp` or `from .server import *` in `acme/__init__.py`, and `mcp`
    /// of it, `acme/server.py`.
    fn reexported(&mut self, file: usize, name: &'f str) -> &[usize] {
        if !self.reexports.contains_key(&(file, name)) {
            let mut passed: Vec<usize> = vec![file];
            let (mut at, mut name_there) = (file, name);
            for step in 0..MAX_REEXPORTS {
                let hops = MAX_REEXPORTS - step;
                let Some((next, name_next)) = self.origin(at, name_there, hops, &passed) else {
                    break;
                };
                if passed.contains(&next) {
                    break;
                }
                passed.push(next);
                (at, name_there) = (next, name_next);
            }
            self.reexports.insert((file, name), passed.split_off(1));
        }
        &self.reexports[&(file, name)]
    }

    /// Where the name `name` of the module `file` comes from when the module imports it: the
    /// module it names it from (`from .server import mcp`) and its name there, else, when the
    /// module does not bind it itself, the last module it imports `*` from that gives it
    /// ([`Self::gives`]), looked for `hops` re-exports deep at most (at least one) and in none
    /// of `passed`.
    pub(super) fn origin(
        &self,
        file: usize,
        name: &'f str,
        hops: usize,
        passed: &[usize],
    ) -> Option<(usize, &'f str)> {
        let links = self.links(file)?;
        if let Some(import) = links.imported(name) {
            return Some((self.module(file, &import.module)?, import.name.as_str()));
        }
        if self.binds(file, name) {
            return None;
        }
        let mut looked = passed.to_vec();
        // The last of them that gives it, as Python binds it.
        let star = (links.star_imports.iter().rev())
            .filter_map(|module| self.module(file, module))
            .find(|&star| self.gives(star, name, hops - 1, &mut looked))?;
        Some((star, name))
    }

    /// Whether `from <the module file> import *` gives the name `name`: the module's `__all__`
    /// (else the name's leading `_`) lets it, and the module binds it, imports it by name or
    /// takes it from a module it imports `*` from, `hops` re-exports deeper at most. No module
    /// of `looked` is looked into, each one looked into joins it, and none once it holds
    /// [`MAX_STAR_LOOKUPS`].
    fn gives(&self, file: usize, name: &str, hops: usize, looked: &mut Vec<usize>) -> bool {
        let links = self.links(file);
        if looked.len() >= MAX_STAR_LOOKUPS || looked.contains(&file) || !star_takes(links, name) {
            return false;
        }
        looked.push(file);
        let Some(links) = links else {
            return self.binds(file, name);
        };
        if self.binds(file, name) || links.imported(name).is_some() {
            return true;
        }
        hops > 0
            && (links.star_imports.iter())
                .filter_map(|module| self.module(file, module))
                .any(|star| self.gives(star, name, hops - 1, looked))
    }

    /// Whether the module `file` binds the name `name` itself: a string constant, a class
    /// derived from another, or any name at its margin where it may build a server.
    fn binds(&self, file: usize, name: &str) -> bool {
        let source = self.files[file].1;
        source.constants.contains_key(name)
            || self.links(file).is_some_and(|links| {
                links.binds(name) || links.subclasses.iter().any(|s| s.class == name)
            })
    }

    /// Whether the class `class` of the module `file` (defined there or imported there) is a
    /// server class: `Some` with the name its `__init__` gives (`None`: it passes on the name it
    /// is built with), `None` when it is not or cannot be told.
    pub fn server_class(&self, file: usize, class: &'f str) -> Option<Option<String>> {
        let mut lookups = MAX_CLASS_LOOKUPS;
        let mut visited = HashSet::new();
        self.class_in(file, class, &mut lookups, &mut visited)
    }

    /// Whether `subclass`, a class of `file`, is a server class, as [`Self::server_class`]:
    /// its own name, else the one the first of its bases that is a server class gives.
    pub fn subclass_server(
        &self,
        file: usize,
        subclass: &'f PythonSubclass,
    ) -> Option<Option<String>> {
        let mut lookups = MAX_CLASS_LOOKUPS;
        let mut visited = HashSet::from([(file, subclass.class.as_str())]);
        self.derived(file, subclass, &mut lookups, &mut visited)
    }

    fn class_in(
        &self,
        file: usize,
        class: &'f str,
        lookups: &mut usize,
        visited: &mut HashSet<(usize, &'f str)>,
    ) -> Option<Option<String>> {
        if *lookups == 0 || !visited.insert((file, class)) {
            return None;
        }
        *lookups -= 1;
        match self.classes.get(&(file, class)) {
            Some(Class::Server(server)) => Some((*server).clone()),
            Some(Class::Derived(subclass)) => self.derived(file, subclass, lookups, visited),
            None => {
                let (next, class) = self.origin(file, class, MAX_REEXPORTS, &[file])?;
                self.class_in(next, class, lookups, visited)
            }
        }
    }

    fn derived(
        &self,
        file: usize,
        subclass: &'f PythonSubclass,
        lookups: &mut usize,
        visited: &mut HashSet<(usize, &'f str)>,
    ) -> Option<Option<String>> {
        let base = subclass.bases.iter().find_map(|(module, name)| {
            let next = self.module(file, module)?;
            self.class_in(next, name, lookups, visited)
        })?;
        Some(subclass.server.clone().or(base))
    }
}

/// The file of the module a Python file (`file`) names by `from <module> import <name>` when
/// the name is a module, followed as Python binds it: the name the module's file imports by
/// that name, followed on (a package's `__init__.py` holding `from . import config` or `from
/// .settings import config`), else, when the module's file does not bind it (to an object, a
/// module then being none), its submodule `<module>.<name>`. With no `name` (`import
/// acme_pkg.config as config`), the module itself. At most [`MAX_REEXPORTS`] imports are
/// followed, never into a module already passed; a module not in the tree is none.
pub(super) fn imported_module(
    files: &[(&str, &SourceTools)],
    by_path: &HashMap<&str, usize>,
    layout: &SourceLayout,
    file: usize,
    module: &str,
    name: Option<&str>,
) -> Option<usize> {
    let resolve_in = |file: usize, module: &str| resolve(files[file].0, module, by_path, layout);
    let Some(mut name) = name else {
        return resolve_in(file, module);
    };
    let (mut at, mut module) = (file, module);
    let mut passed = vec![file];
    for _ in 0..MAX_REEXPORTS {
        let Some(package) = resolve_in(at, module).filter(|package| !passed.contains(package))
        else {
            break;
        };
        let links = files[package].1.python_links.as_deref();
        if let Some(import) = links.and_then(|links| links.imported(name)) {
            passed.push(package);
            (at, module, name) = (package, &import.module, &import.name);
            continue;
        }
        let binds = files[package].1.constants.contains_key(name)
            || links.is_some_and(|links| {
                links.binds(name) || links.subclasses.iter().any(|s| s.class == name)
            });
        if binds {
            return None;
        }
        break;
    }
    let separator = if module.ends_with('.') { "" } else { "." };
    resolve_in(at, &format!("{module}{separator}{name}"))
}

/// What discovery found for the servers of a Python file's objects and classes that come from
/// other files.
enum Found {
    /// The `k`-th of the file's `imported_servers` is built by a server class: the name.
    Built(usize, Option<String>),
    /// The `k`-th of the file's `subclasses` is a server class: the name.
    Derived(usize, Option<String>),
    /// The `k`-th of the file's `module_servers` is a server of the tree.
    OfModule(usize),
}

/// See `code_servers::resolve_python_server_classes`.
pub(super) fn resolve_server_classes(
    files: &mut [(&str, &mut SourceTools)],
    layout: &SourceLayout,
) {
    let view: Vec<(&str, &SourceTools)> = files.iter().map(|(path, s)| (*path, &**s)).collect();
    let by_path: HashMap<&str, usize> = (view.iter().enumerate())
        .map(|(i, (path, _))| (*path, i))
        .collect();
    let mut modules = PythonModules::new(&view, &by_path, layout).with_classes();
    let mut found: Vec<(usize, Found)> = Vec::new();
    for (index, (path, source)) in view.iter().enumerate() {
        let Some(links) = &source.python_links else {
            continue;
        };
        for (k, imported) in links.imported_servers.iter().enumerate() {
            let Some(target) = resolve(path, &imported.module, &by_path, layout) else {
                continue;
            };
            if let Some(server) = modules.server_class(target, &imported.class) {
                let name = server.or_else(|| imported.name.clone());
                found.push((index, Found::Built(k, name)));
            }
        }
        for (k, subclass) in links.subclasses.iter().enumerate() {
            if subclass.tools.is_empty() && !subclass.built {
                continue;
            }
            if let Some(server) = modules.subclass_server(index, subclass) {
                found.push((index, Found::Derived(k, server)));
            }
        }
        for (k, module_server) in links.module_servers.iter().enumerate() {
            if !module_server.tools.is_empty()
                && let Some(target) = modules.module_server(index, module_server)
                && !view[target].1.servers.is_empty()
            {
                found.push((index, Found::OfModule(k)));
            }
        }
    }
    for (index, found) in found {
        let source = &mut *files[index].1;
        match found {
            Found::Built(k, server) => built_by_imported_class(source, k, server),
            Found::Derived(k, server) => derived_from_imported_class(source, k, server),
            Found::OfModule(k) => registered_on_module_server(source, k),
        }
    }
}

/// The tools of the `k`-th imported build of the file take the server `server` (`None`:
/// unnamed, as a server the file builds without a name).
fn built_by_imported_class(source: &mut SourceTools, k: usize, server: Option<String>) {
    let Some(imported) = (source.python_links.as_ref()).and_then(|l| l.imported_servers.get(k))
    else {
        return;
    };
    let spans: HashSet<usize> = imported.tools.iter().copied().collect();
    let mut built = None;
    for tool in &mut source.tools {
        if !tool.span.is_some_and(|span| spans.contains(&span.offset)) {
            continue;
        }
        if let Some(name) = name_tool(tool, server.as_deref()) {
            built = Some(name);
        }
    }
    if let Some(name) = built {
        add_server(source, name, server.is_none());
    }
}

/// The `k`-th class of the file derived from imported classes is a server class of the server
/// `server` (`None`: unnamed): the tools read as registered on it take the place of those read
/// at their spans otherwise.
fn derived_from_imported_class(source: &mut SourceTools, k: usize, server: Option<String>) {
    let Some(subclass) = (source.python_links.as_ref()).and_then(|l| l.subclasses.get(k)) else {
        return;
    };
    let (mut tools, built) = (subclass.tools.clone(), subclass.built);
    let spans: HashSet<usize> = tools
        .iter()
        .filter_map(|t| t.span)
        .map(|s| s.offset)
        .collect();
    source
        .tools
        .retain(|tool| !tool.span.is_some_and(|span| spans.contains(&span.offset)));
    let mut named = server.clone();
    for tool in &mut tools {
        if let Some(name) = name_tool(tool, server.as_deref()) {
            named = Some(name);
        }
    }
    source.tools.extend(tools);
    source.tools.sort_by_key(|t| t.span.map(|s| s.offset));
    if built && let Some(name) = named {
        add_server(source, name, server.is_none());
    }
}

/// The tools registered on the `k`-th server object the file reaches as an attribute of a
/// module are that server's: read as its tools, they take the place of the plain tools read at
/// their spans.
fn registered_on_module_server(source: &mut SourceTools, k: usize) {
    let Some(module_server) = (source.python_links.as_ref()).and_then(|l| l.module_servers.get(k))
    else {
        return;
    };
    let tools = module_server.tools.clone();
    for tool in &mut source.tools {
        if let Some(read) = tools.iter().find(|t| t.span == tool.span) {
            *tool = read.clone();
        }
    }
}

/// Name a tool of a server elsewhere under the file's stem after the server `server`, found:
/// unnamed (`None`), it keeps the stem, as a tool of a server the file builds without a name.
/// Returns the server's name.
fn name_tool(tool: &mut ToolDecl, server: Option<&str>) -> Option<String> {
    let stem = tool.provider.as_deref()?.strip_prefix("mcp:")?.to_owned();
    let name = server.map_or(stem, str::to_owned);
    tool.server_elsewhere = server.is_none();
    tool.provider = Some(format!("mcp:{name}"));
    tool.id = format!("mcp:{name}/{}", tool.name);
    Some(name)
}

/// The file builds the server `name`; `unnamed`, one it does not name.
fn add_server(source: &mut SourceTools, name: String, unnamed: bool) {
    if unnamed {
        // A server the constant the file's other unnamed server is built with does not name.
        source.unnamed_by = None;
        source.unnamed_server = Some(name.clone());
    }
    source.servers.push(name);
    source.servers.sort();
    source.servers.dedup();
}
