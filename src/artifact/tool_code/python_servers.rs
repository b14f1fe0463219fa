//! Python MCP servers a file builds other than by binding a constructor's result to a name
//! (`mcp = FastMCP("acme")`, which `tool_code` reads itself): a factory function that constructs
//! a server and returns it (`return FastMCP("acme")`, or `mcp = FastMCP("acme")` … `return mcp`),
//! bound where it is called (`app = create_server()`); and a subclass of `FastMCP` or
//! `MCPServer`, whose instances take the name its `__init__` passes on
//! (`super().__init__("acme")`), else the one they are built with (`server = AcmeServer("acme")`
//! for a class that forwards its arguments), and in whose body `self` is that server. Also the
//! tools registered by a call rather than a decorator: `server.tool(name="restart")(restart)`,
//! `self.tool()(self.restart)`, `server.add_tool(restart)`.
//!
//! Only factories and classes of the same file are known, read lexically as the rest of
//! `tool_code`: nothing is imported or run. A factory imported from another file binds nothing
//! here (the tools decorated on its result are tools of a server elsewhere, which discovery
//! follows through the import), and a subclass of a class of another file is no server class
//! here: the file is read a second time as if it were one ([`Subclass`]), and discovery keeps
//! what that reading finds when the class it derives from is a server class in its own file.
//! An instance of a class imported by a name that says it is a server (`AcmeBaseServer`) is
//! recorded with its module, and discovery reads the class in that module's file
//! (`agent::code_servers::resolve_python_server_classes`). An attribute of `self` bound to a
//! server (`self.mcp = FastMCP("acme")`) is that server in its class's body only.
//! A function that only takes a server (`def register(mcp: FastMCP)`) constructs none.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::LazyLock;

use crate::pattern::Pattern;

use super::{
    PY_DEF, PY_FIRST_STRING, PY_KWARG, PythonSource, annotations_in, bounded_call, capture,
    docstring,
};
use crate::artifact::escapes::decode_python;
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Dialect, ToolDecl, short_description};

/// Classes of the SDKs whose instances are MCP servers with any arguments.
const SERVER_CLASSES: &[&str] = &["FastMCP", "MCPServer"];
/// Classes a file's server classes may be found through: a subclass of a subclass.
const MAX_CLASS_DEPTH: usize = 8;

/// `obj = callee(`, `self.server = callee(`, `app: FastMCP = callee(` (also `await callee(`):
/// group 1 the object, group 2 the callee.
static PY_CALL_BINDING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"([A-Za-z_][A-Za-z0-9_.]*)[ \t]*(?::[ \t]*[A-Za-z_][A-Za-z0-9_.\[\]]*[ \t]*)?=[ \t]*(?:await[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
        .expect("valid regex")
});
/// `return callee(`: group 1 the callee.
static PY_RETURN_CALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\breturn[ \t]+(?:await[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
        .expect("valid regex")
});
/// `return mcp`, `return mcp, config`, `return (load(), mcp)`: group 1 what is returned, to
/// the end of the line.
static PY_RETURN_VALUE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?m)\breturn[ \t]+([^\n]+)$").expect("valid regex"));
/// `app, config = callee(`, `(app, config) = callee(` at the start of a line: group 1 the
/// names, group 2 the callee.
static PY_TUPLE_BINDING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)^[ \t]*\(?[ \t]*([A-Za-z_][A-Za-z0-9_.]*(?:[ \t]*,[ \t]*\*?[A-Za-z_][A-Za-z0-9_.]*)+)[ \t]*,?[ \t]*\)?[ \t]*=[ \t]*(?:await[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
        .expect("valid regex")
});
/// `super().__init__(`, `super(AcmeServer, self).__init__(`.
static PY_SUPER_INIT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\bsuper\s*\([^)]*\)\s*\.\s*__init__\s*\(").expect("valid regex")
});
/// `name="acme"`: groups 1 and 2 the name.
static PY_NAME_LITERAL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\bname\s*=\s*(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)')"#)
        .expect("valid regex")
});
/// `name=` and its value: group 1 how the value starts.
static PY_NAME_VALUE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\bname\s*=\s*([^\s=,)][^\s,)]*)").expect("valid regex"));
/// `obj.tool(` or `obj.add_tool(`, a registration by call: group 1 the object, group 2 the
/// method.
static PY_REGISTER_CALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"([A-Za-z_][A-Za-z0-9_.]*)\.(tool|add_tool)\s*\(").expect("valid regex")
});

/// What a call of a server class or of a factory builds: the SDK class at its root and the
/// name written out for it, if any.
#[derive(Debug, Clone, PartialEq)]
struct Built<'t> {
    class: &'t str,
    name: Option<String>,
    /// For a factory that returns a tuple (`return mcp, config`), the server's place in it.
    item: Option<usize>,
}

/// A binding of names to the result of a call: `app = create_server(…)`, `app, config =
/// create_server(…)`.
struct CallBinding<'t> {
    /// The names bound, each with its byte offset; more than one for a tuple.
    targets: Vec<(usize, &'t str)>,
    callee: &'t str,
    /// The byte offset of the call's opening parenthesis.
    call: usize,
}

impl<'t> CallBinding<'t> {
    /// The name bound to the server `built` is: the one name for a server, the name at the
    /// server's place for a tuple; with the server it stands for.
    fn server(&self, built: Built<'t>) -> Option<((usize, &'t str), Built<'t>)> {
        let target = match (built.item, self.targets.as_slice()) {
            (None, [one]) => *one,
            (Some(k), targets) if targets.len() > 1 => *targets.get(k)?,
            _ => return None,
        };
        let server = Built {
            item: None,
            ..built
        };
        (!target.1.starts_with('*')).then_some((target, server))
    }
}

/// The bindings of names to calls in `range` of the file's code, in order.
fn call_bindings<'t>(source: &PythonSource<'t>, range: Range<usize>) -> Vec<CallBinding<'t>> {
    let text = &source.text[..range.end];
    let start = range.start;
    let mut out: Vec<CallBinding> = PY_CALL_BINDING
        .captures_iter(&text[start..])
        .filter_map(|c| {
            let (whole, object, callee) = (c.get(0)?, c.get(1)?, c.get(2)?);
            let at = start + object.start();
            // The last name of a tuple (`app, config = …`) is read with the tuple.
            let before = text[..at].trim_end_matches([' ', '\t']);
            (source.is_code(at) && !before.ends_with(',')).then(|| CallBinding {
                targets: vec![(at, &text[at..at + object.len()])],
                callee: callee.as_str(),
                call: start + whole.end() - 1,
            })
        })
        .collect();
    for c in PY_TUPLE_BINDING.captures_iter(&text[start..]) {
        let (Some(whole), Some(names), Some(callee)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let at = start + names.start();
        if !source.is_code(at) {
            continue;
        }
        let mut targets = Vec::new();
        let mut offset = at;
        for part in names.as_str().split(',') {
            let name = part.trim();
            let skip = part.len() - part.trim_start().len();
            targets.push((offset + skip, name));
            offset += part.len() + 1;
        }
        out.push(CallBinding {
            targets,
            callee: callee.as_str(),
            call: start + whole.end() - 1,
        });
    }
    out.sort_by_key(|binding| binding.call);
    out
}

/// A subclass of an SDK server class, defined in the file.
#[derive(Debug)]
struct ServerClass<'t> {
    name: &'t str,
    /// The server class of the file it derives from, if any.
    parent: Option<&'t str>,
    /// The SDK class it derives from, through the file's other server classes.
    base: &'t str,
    /// Its body, in bytes.
    body: Range<usize>,
    /// The name its `__init__` gives the server, or the one a server class it derives from
    /// gives; `None` when it passes on the name it is built with.
    server: Option<String>,
    /// For a class that derives from classes imported from other modules (and from no SDK
    /// class or server class of the file), their modules as written and their names there:
    /// it is a server class when one of them is, which discovery tells.
    imported: Vec<(&'t str, &'t str)>,
    /// For such a class, the placeholder name ([`subclass_mark`]) its server stands under.
    mark: Option<String>,
}

impl ServerClass<'_> {
    /// The name the class's server stands under: its placeholder, else the name it gives.
    fn server_name(&self) -> Option<&String> {
        self.mark.as_ref().or(self.server.as_ref())
    }
}

/// A class of the file that derives from classes imported from other modules (`class
/// AcmeExt(AcmeBase)` after `from .base import AcmeBase`), directly or through classes of the
/// file: a server class when one of those is one in its own file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Subclass<'t> {
    pub class: &'t str,
    /// The classes it derives from, in order: their modules as written, their names there.
    pub bases: Vec<(&'t str, &'t str)>,
    /// The name its `__init__` gives the server, or one of the file's classes it derives from
    /// gives.
    pub server: Option<String>,
}

/// The server objects of one Python file.
#[derive(Debug, Default)]
pub(super) struct PythonServers<'t> {
    /// Objects bound to a server whose name is written out: object → name. A factory that
    /// constructs one is an entry too, by its function's name.
    pub named: BTreeMap<&'t str, String>,
    /// Objects bound to a server, named or not: object → SDK class.
    pub objects: BTreeMap<&'t str, &'t str>,
    /// In the order their bodies start.
    classes: Vec<ServerClass<'t>>,
    /// Each class's index in `classes`, by name.
    class_index: BTreeMap<&'t str, usize>,
    /// For each server class, the names its instances in the file are built with (`None`: no
    /// name written out).
    instances: BTreeMap<&'t str, Vec<Option<String>>>,
    /// Each binding of an object to a server, by object, in file order: where, and the name.
    bindings: BTreeMap<&'t str, Vec<(usize, Option<String>)>>,
    /// Objects bound to the result of a function imported from another module whose name
    /// says it makes a server (`app = create_server()`): servers built elsewhere.
    imported: BTreeSet<&'t str>,
    /// The bodies of the file's classes at the margin, in order: where an attribute of `self`
    /// (`self.mcp`) is bound to a server, it is that server in its class only.
    scopes: Vec<Range<usize>>,
    /// Objects bound to an instance of a class imported from another module whose name says
    /// it is a server (`server = AcmeBaseServer()` after `from .base import AcmeBaseServer`),
    /// in file order; the bindings of those objects stand under the name [`imported_mark`] of
    /// their index until discovery reads the class.
    pub imported_builds: Vec<ImportedBuild<'t>>,
    /// Objects the file binds only to instances of classes that are no MCP server classes
    /// (`agent = Agent("test")`, `toolset = FunctionToolset()`): their `.tool` decorators are
    /// no MCP server's, even in a file that names MCP.
    others: BTreeSet<&'t str>,
}

/// An instance of a class imported from another module (see
/// `PythonServers::imported_builds`).
#[derive(Debug)]
pub(super) struct ImportedBuild<'t> {
    /// The module as written (`.base`, `acme.base`).
    pub module: &'t str,
    /// The class's name in that module.
    pub class: &'t str,
    /// The name the instance is built with, when written out.
    pub name: Option<String>,
}

/// The placeholder server name of the `k`-th imported build of a file: no name a file writes.
pub(super) fn imported_mark(k: usize) -> String {
    format!("\u{1}{k}")
}

/// The placeholder server name of the `k`-th [`Subclass`] of a file: no name a file writes.
pub(super) fn subclass_mark(k: usize) -> String {
    format!("\u{2}{k}")
}

/// The file's classes that derive from classes imported from other modules (see [`Subclass`]),
/// in the order their bodies start: the `k`-th stands under [`subclass_mark`]`(k)` when
/// [`PythonServers::read`] reads them as servers.
pub(super) fn subclasses<'t>(
    source: &PythonSource<'t>,
    imports: &[FromName<'t>],
) -> Vec<Subclass<'t>> {
    let bases = imported_bases(imports);
    if bases.is_empty() || !source.text.contains("class") {
        return Vec::new();
    }
    server_classes(source, &bases)
        .into_iter()
        .filter(|class| !class.imported.is_empty())
        .map(|class| Subclass {
            class: class.name,
            bases: class.imported,
            server: class.server,
        })
        .collect()
}

/// The classes the file imports that a class of the file may derive from, by the name they are
/// bound to: their module as written and their name there.
fn imported_bases<'t>(imports: &[FromName<'t>]) -> BTreeMap<&'t str, (&'t str, &'t str)> {
    imported_classes(imports)
        .map(|import| (import.bound, (import.module, import.name)))
        .collect()
}

impl<'t> PythonServers<'t> {
    /// The servers of `source`, to those its `obj = FastMCP(…)` bindings make (`named`,
    /// `objects`) added the servers its factories and server classes build. `imports` are the
    /// names the file imports; with `subclasses`, a class that derives from imported classes
    /// ([`Subclass`]) is read as a server class whose server stands under its placeholder.
    pub fn read(
        source: &PythonSource<'t>,
        named: BTreeMap<&'t str, String>,
        objects: BTreeMap<&'t str, &'t str>,
        imports: &[FromName<'t>],
        subclasses: bool,
    ) -> PythonServers<'t> {
        let mut servers = PythonServers {
            named,
            objects,
            ..PythonServers::default()
        };
        let text = source.text;
        servers.imported = imported_server_objects(source, imports);
        if !subclasses && !text.contains("Server") && !text.contains("MCP") {
            servers.others = servers.other_objects(source, imports);
            return servers;
        }
        if text.contains("self.") {
            servers.scopes = class_scopes(source);
        }
        let bases = if subclasses {
            imported_bases(imports)
        } else {
            BTreeMap::new()
        };
        servers.classes = server_classes(source, &bases);
        let mut k = 0;
        for class in &mut servers.classes {
            if !class.imported.is_empty() {
                class.mark = Some(subclass_mark(k));
                k += 1;
            }
        }
        servers.class_index = (servers.classes.iter().enumerate())
            .map(|(k, class)| (class.name, k))
            .collect();
        let factories = servers.factories(source);
        for (function, built) in &factories {
            servers.bind(function, built.clone());
        }
        let imported_classes = imported_server_classes(imports);
        for binding in call_bindings(source, 0..text.len()) {
            let args = bounded_call(&text[binding.call..]);
            if let Some(&(module, class)) = imported_classes.get(binding.callee)
                && servers.class(binding.callee).is_none()
                && let [(at, object)] = binding.targets[..]
            {
                let mark = imported_mark(servers.imported_builds.len());
                servers.imported_builds.push(ImportedBuild {
                    module,
                    class,
                    name: literal_name(args),
                });
                let bound = servers.bindings.entry(object).or_default();
                bound.push((at, Some(mark)));
                servers.imported.insert(object);
                continue;
            }
            let Some(((at, object), built)) = servers
                .built_by(binding.callee, args, &factories)
                .and_then(|built| binding.server(built))
            else {
                continue;
            };
            // An instance of a class is one of each server class it derives from.
            let mut class = Some(last_segment(binding.callee));
            for _depth in 0..MAX_CLASS_DEPTH {
                let Some(found) = class.and_then(|name| servers.class(name)) else {
                    break;
                };
                let (name, parent) = (found.name, found.parent);
                servers
                    .instances
                    .entry(name)
                    .or_default()
                    .push(built.name.clone());
                class = parent;
            }
            servers
                .bindings
                .entry(object)
                .or_default()
                .push((at, built.name.clone()));
            servers.bind(object, built);
        }
        servers.others = servers.other_objects(source, imports);
        servers
    }

    /// See `others`: objects bound to a call of a class (a capitalised callee) that is no SDK
    /// server class (a bare `Server` included), no server class of the file and no class
    /// imported by a name that says it is a server, and never bound to a server or to the
    /// result of a function.
    fn other_objects(
        &self,
        source: &PythonSource<'t>,
        imports: &[FromName<'t>],
    ) -> BTreeSet<&'t str> {
        let text = source.text;
        if !text.contains(".tool") && !text.contains(".add_tool") {
            return BTreeSet::new();
        }
        let imported_classes = imported_server_classes(imports);
        let (mut others, mut maybe_servers) = (BTreeSet::new(), BTreeSet::new());
        for binding in call_bindings(source, 0..text.len()) {
            let last = last_segment(binding.callee);
            let server_class = SERVER_CLASSES.contains(&last)
                || last == "Server"
                || self.class(last).is_some()
                || imported_classes.contains_key(binding.callee);
            let class = last.starts_with(|c: char| c.is_ascii_uppercase());
            for &(_, object) in &binding.targets {
                if class && !server_class {
                    others.insert(object);
                } else {
                    maybe_servers.insert(object);
                }
            }
        }
        others.retain(|object| {
            !maybe_servers.contains(object)
                && !self.objects.contains_key(object)
                && !self.imported.contains(object)
                && !self.bindings.contains_key(object)
        });
        others
    }

    /// Whether the file binds `object` only to instances of classes that are no MCP server
    /// classes (`agent = Agent("test")`).
    pub fn is_other(&self, object: &str) -> bool {
        self.others.contains(object)
    }

    fn bind(&mut self, object: &'t str, built: Built<'t>) {
        if let Some(name) = built.name {
            self.named.entry(object).or_insert(name);
        }
        self.objects.entry(object).or_insert(built.class);
    }

    /// The file's server classes, each with the name its `__init__` gives its server (`None`:
    /// the one it is built with).
    pub fn server_classes(&self) -> impl Iterator<Item = (&'t str, Option<&String>)> + '_ {
        self.classes
            .iter()
            .filter(|class| class.imported.is_empty())
            .map(|class| (class.name, class.server.as_ref()))
    }

    fn class(&self, name: &str) -> Option<&ServerClass<'t>> {
        self.class_index.get(name).map(|&k| &self.classes[k])
    }

    /// What calling `callee` with `args` (from its opening parenthesis) builds: an SDK server
    /// (a bare `Server` only with a name, as elsewhere), an instance of a server class of the
    /// file, or a factory's server.
    fn built_by(
        &self,
        callee: &str,
        args: &str,
        factories: &BTreeMap<&'t str, Built<'t>>,
    ) -> Option<Built<'t>> {
        let last = last_segment(callee);
        if let Some(class) = SERVER_CLASSES.iter().find(|class| **class == last) {
            return Some(Built {
                class,
                name: literal_name(args),
                item: None,
            });
        }
        if last == "Server" {
            return literal_name(args).map(|name| Built {
                class: "Server",
                name: Some(name),
                item: None,
            });
        }
        if let Some(class) = self.class(last) {
            return Some(Built {
                class: class.base,
                name: class.server_name().cloned().or_else(|| literal_name(args)),
                item: None,
            });
        }
        factories.get(last).cloned()
    }

    /// The functions of the file that construct a server and return it, by name (a factory that
    /// calls another is read in a second pass).
    fn factories(&self, source: &PythonSource<'t>) -> BTreeMap<&'t str, Built<'t>> {
        let text = source.text;
        let defs: Vec<(&'t str, Range<usize>)> = (0..source.lines.len())
            .filter(|&i| !source.quoted[i])
            .filter_map(|i| {
                let c = PY_DEF.captures(source.lines[i])?;
                let name = c.get(1)?;
                let at = source.starts[i] + name.start();
                if !source.is_code(at) {
                    return None;
                }
                Some((&text[at..at + name.len()], function_body(source, i)?))
            })
            .collect();
        let mut factories = BTreeMap::new();
        for _pass in 0..2 {
            for (function, body) in &defs {
                if factories.contains_key(function) {
                    continue;
                }
                if let Some(built) = self.returned(source, body.clone(), &factories) {
                    factories.insert(*function, built);
                }
            }
        }
        factories
    }

    /// The server a function body returns: a construction (`return FastMCP("acme")`) or a name
    /// bound to one in the body (`mcp = FastMCP("acme")` … `return mcp`).
    fn returned(
        &self,
        source: &PythonSource<'t>,
        body: Range<usize>,
        factories: &BTreeMap<&'t str, Built<'t>>,
    ) -> Option<Built<'t>> {
        let text = &source.text[..body.end];
        let start = body.start;
        let in_code = |m: crate::pattern::Match| source.is_code(start + m.start());
        let from = |m: crate::pattern::Match| &source.text[start + m.end() - 1..];
        for c in PY_RETURN_CALL.captures_iter(&text[start..]) {
            let (Some(whole), Some(callee)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let args = bounded_call(from(whole));
            if !in_code(whole) {
                continue;
            }
            let Some(mut built) = self.built_by(callee.as_str(), args, factories) else {
                continue;
            };
            // `return FastMCP("acme"), config`: the first of a tuple.
            let after = &source.text[start + whole.end() - 1 + args.len()..];
            if after.trim_start_matches([' ', '\t']).starts_with(',') {
                if built.item.is_some() {
                    continue;
                }
                built.item = Some(0);
            }
            return Some(built);
        }
        let mut locals: BTreeMap<&str, Built> = BTreeMap::new();
        for binding in call_bindings(source, body.clone()) {
            let args = bounded_call(&source.text[binding.call..]);
            if let Some(((_, object), built)) = self
                .built_by(binding.callee, args, factories)
                .and_then(|built| binding.server(built))
            {
                locals.entry(object).or_insert(built);
            }
        }
        if locals.is_empty() {
            return None;
        }
        PY_RETURN_VALUE
            .captures_iter(&text[start..])
            .filter(|c| c.get(0).is_some_and(in_code))
            .find_map(|c| {
                let value = c.get(1)?.as_str();
                let value = value[..super::comment_start(value).unwrap_or(value.len())].trim();
                let value = match value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
                    Some(inner) if bounded_call(value).len() == value.len() => inner,
                    _ => value,
                };
                let names = split_arguments(value);
                let k = names.iter().position(|name| locals.contains_key(name))?;
                let built = locals.get(names[k])?.clone();
                Some(Built {
                    item: (names.len() > 1).then_some(k),
                    ..built
                })
            })
    }

    /// Whether `object`, at byte `at`, is a server the file builds: bound to one, or `self` in
    /// the body of a server class.
    pub fn is_server(&self, object: &str, at: usize) -> bool {
        if let Some(bound) = self.bound_in_class(object, at) {
            return !bound.is_empty() || self.imported.contains(object);
        }
        self.objects.contains_key(object)
            || self.imported.contains(object)
            || (object == "self" && self.class_at(at).is_some())
    }

    /// The server `object` stands for at byte `at`: its name (`None`: not written out, so named
    /// after the file), and whether the file builds it. `self` in a server class's body is the
    /// class's server: the name its `__init__` gives, else the one name its instances in the file
    /// are built with.
    pub fn server_of(&self, object: &str, at: usize) -> (Option<&str>, bool) {
        if object == "self"
            && let Some(class) = self.class_at(at)
        {
            if let Some(name) = class.server_name() {
                return (Some(name), true);
            }
            let instances = self
                .instances
                .get(class.name)
                .map_or(&[][..], Vec::as_slice);
            let mut names: Vec<Option<&String>> = instances.iter().map(Option::as_ref).collect();
            names.sort();
            names.dedup();
            return match names.as_slice() {
                [] => (None, false),
                [Some(name)] => (Some(name), true),
                _ if names.contains(&None) => (None, true),
                _ => (None, false),
            };
        }
        // An attribute of `self` is bound in its class's body or not at all; an object bound
        // more than once (a local `server` in each test) is the server of the binding before
        // `at`, else of the first one.
        let bound = match self.bound_in_class(object, at) {
            Some([]) => return (None, false),
            Some(bound) => Some(bound),
            None => self.bindings.get(object).map(Vec::as_slice),
        };
        if let Some(bound) = bound {
            let before = bound.partition_point(|(position, _)| *position < at);
            if let Some((_, name)) = bound.get(before.saturating_sub(1)) {
                return (name.as_deref(), true);
            }
        }
        (
            self.named.get(object).map(String::as_str),
            self.objects.contains_key(object),
        )
    }

    /// For an attribute of `self` (`self.mcp`) at byte `at` in the body of a class at the
    /// margin, its bindings to a server in that body (maybe none); `None` for another object,
    /// or outside such a class.
    fn bound_in_class(&self, object: &str, at: usize) -> Option<&[(usize, Option<String>)]> {
        if !object.starts_with("self.") {
            return None;
        }
        let started = self.scopes.partition_point(|scope| scope.start <= at);
        let scope = self.scopes.get(started.checked_sub(1)?)?;
        if !scope.contains(&at) {
            return None;
        }
        let bound = self.bindings.get(object).map_or(&[][..], Vec::as_slice);
        let from = bound.partition_point(|(position, _)| *position < scope.start);
        let to = bound.partition_point(|(position, _)| *position < scope.end);
        Some(&bound[from..to])
    }

    /// The server class whose body holds byte `at`, the innermost where classes nest. A body
    /// runs to the next line at the margin, so a nested class's ends where its outer class's
    /// does, and the last body to start before `at` is the only one that can hold it.
    fn class_at(&self, at: usize) -> Option<&ServerClass<'t>> {
        let started = self.classes.partition_point(|class| class.body.start <= at);
        let class = self.classes.get(started.checked_sub(1)?)?;
        class.body.contains(&at).then_some(class)
    }
}

/// A name a file imports from another module: `from .server import mcp as app` binds `app` to
/// `mcp` of `.server`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FromName<'t> {
    /// The module as written (`.server`, `acme.server`, `..`).
    pub module: &'t str,
    /// The name in that module.
    pub name: &'t str,
    /// The name it is bound to in the file.
    pub bound: &'t str,
}

/// The names the file imports in code by `from … import …` (not `*`), in file order.
pub(super) fn from_names<'t>(source: &PythonSource<'t>) -> Vec<FromName<'t>> {
    let text = source.text;
    if !text.contains("import") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in super::PY_FROM_IMPORT.captures_iter(text) {
        let (Some(whole), Some(module), Some(names)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        if !source.is_code(super::first_word(whole)) {
            continue;
        }
        for name in names.as_str().split([',', '(', ')', '\n']) {
            let mut words = name.split_whitespace();
            let (name, bound) = match (words.next(), words.next(), words.next()) {
                (Some(name), Some("as"), Some(alias)) => (name, alias),
                (Some(name), None, _) => (name, name),
                _ => continue,
            };
            if is_identifier(name) && is_identifier(bound) {
                out.push(FromName {
                    module: module.as_str(),
                    name,
                    bound,
                });
            }
        }
    }
    out
}

fn is_identifier(word: &str) -> bool {
    word.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The objects bound to a call of a function the file imports by name from another module
/// (`from .server import create_server`) when the function's name says it makes a server (holds
/// `server` or `mcp`; a class, named in capitals, is not read): `app = create_server()`. The module is not read here; the tools of such
/// an object are tools of a server elsewhere, found through the import.
fn imported_server_objects<'t>(
    source: &PythonSource<'t>,
    imports: &[FromName<'t>],
) -> BTreeSet<&'t str> {
    let functions: BTreeSet<&str> = imports
        .iter()
        .map(|import| import.bound)
        .filter(|bound| {
            let lower = bound.to_ascii_lowercase();
            let function = bound.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
            function && (lower.contains("server") || lower.contains("mcp"))
        })
        .collect();
    if functions.is_empty() {
        return BTreeSet::new();
    }
    // Of a tuple (`app, config = create_server()`), the first name.
    call_bindings(source, 0..source.text.len())
        .into_iter()
        .filter(|binding| functions.contains(binding.callee))
        .filter_map(|binding| Some(binding.targets.first()?.1))
        .collect()
}

/// The classes the file imports by name from another module whose names say they are servers
/// (end in `Server` or `MCP`: `AcmeBaseServer`, `SecureFastMCP`), by the name they are bound
/// to: their module as written and their name there.
fn imported_server_classes<'t>(imports: &[FromName<'t>]) -> BTreeMap<&'t str, (&'t str, &'t str)> {
    imported_classes(imports)
        .filter(|import| import.name.ends_with("Server") || import.name.ends_with("MCP"))
        .map(|import| (import.bound, (import.module, import.name)))
        .collect()
}

/// The names the file imports that may be classes of another file's server: named in
/// capitals, not the SDK's own classes.
fn imported_classes<'i, 't: 'i>(
    imports: &'i [FromName<'t>],
) -> impl Iterator<Item = &'i FromName<'t>> + 'i {
    imports.iter().filter(|import| {
        import.name.starts_with(|c: char| c.is_ascii_uppercase())
            && !SERVER_CLASSES.contains(&import.name)
            && import.name != "Server"
    })
}

/// The classes of the file that derive from `FastMCP` or `MCPServer`, directly or through
/// another such class of the file, with their bodies and the server names their `__init__`
/// passes to `super().__init__(…)`; also those that derive from `imported` classes (by the
/// name they are bound to: module and name there) and from no such class.
fn server_classes<'t>(
    source: &PythonSource<'t>,
    imported: &BTreeMap<&'t str, (&'t str, &'t str)>,
) -> Vec<ServerClass<'t>> {
    let text = source.text;
    let headers: Vec<(&'t str, Vec<&'t str>, usize)> = (0..source.lines.len())
        .filter(|&i| !source.quoted[i])
        .filter_map(|i| {
            let line = source.lines[i];
            let c = super::PY_CLASS.captures(line)?;
            let (name, bases) = (c.get(1)?, c.get(2)?);
            if !source.is_code(source.starts[i]) {
                return None;
            }
            let bases = bases
                .as_str()
                .split(',')
                .map(|base| last_segment(base.trim()))
                .collect();
            Some((name.as_str(), bases, i))
        })
        .collect();
    let defined: BTreeSet<&str> = headers.iter().map(|(name, ..)| *name).collect();
    let mut classes: Vec<ServerClass<'t>> = Vec::new();
    let mut known: BTreeMap<&str, usize> = BTreeMap::new();
    for _depth in 0..MAX_CLASS_DEPTH {
        let before = classes.len();
        for (name, bases, line) in &headers {
            if known.contains_key(name) {
                continue;
            }
            let parent = bases.iter().find_map(|base| {
                if let Some(sdk) = SERVER_CLASSES.iter().find(|class| *class == base) {
                    return Some((None, *sdk, None, Vec::new()));
                }
                let class = &classes[*known.get(base)?];
                let roots = class.imported.clone();
                Some((Some(class.name), class.base, class.server.clone(), roots))
            });
            // Else, classes of other files it may derive from (a base of the file defined
            // further down is read on a later pass).
            let parent = parent.or_else(|| {
                let roots: Vec<(&str, &str)> = (bases.iter())
                    .filter(|base| !defined.contains(*base))
                    .filter_map(|base| imported.get(base).copied())
                    .collect();
                (!roots.is_empty()).then_some((None, SERVER_CLASSES[0], None, roots))
            });
            let Some((parent, base, inherited, roots)) = parent else {
                continue;
            };
            let body = class_body(source, *line);
            let server = PY_SUPER_INIT
                .find_iter(&text[body.clone()])
                .find(|m| source.is_code(body.start + m.start()))
                .map(|m| literal_name(bounded_call(&text[body.start + m.end() - 1..])))
                .unwrap_or(inherited);
            known.insert(name, classes.len());
            classes.push(ServerClass {
                name,
                parent,
                base,
                body,
                server,
                imported: roots,
                mark: None,
            });
        }
        if classes.len() == before {
            break;
        }
    }
    classes.sort_by_key(|class| class.body.start);
    classes
}

/// The bodies of the classes of the file whose `class` is at the margin, in order.
fn class_scopes(source: &PythonSource) -> Vec<Range<usize>> {
    (0..source.lines.len())
        .filter(|&i| {
            let line = source.lines[i];
            !source.quoted[i]
                && line
                    .strip_prefix("class")
                    .is_some_and(|rest| rest.starts_with([' ', '\t']))
        })
        .map(|i| class_body(source, i))
        .collect()
}

/// The bytes of the body of the class whose header is on line `header`: up to the next line of
/// code that starts at the margin.
fn class_body(source: &PythonSource, header: usize) -> Range<usize> {
    let start = source
        .starts
        .get(header + 1)
        .copied()
        .unwrap_or(source.text.len());
    let end = (header + 1..source.lines.len())
        .find(|&i| {
            let line = source.lines[i];
            !source.quoted[i] && !line.is_empty() && !line.starts_with([' ', '\t', '#'])
        })
        .map_or(source.text.len(), |i| source.starts[i]);
    start..end.max(start)
}

/// The bytes of the body of the function whose `def` is on line `def`: from the line after its
/// signature (which may span lines) up to the next line of code indented no deeper than the
/// `def`; `None` for a one-line function or a signature that does not end.
fn function_body(source: &PythonSource, def: usize) -> Option<Range<usize>> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let margin = indent(source.lines[def]);
    let mut depth = 0i32;
    let mut signature_end = None;
    for i in def..source.lines.len().min(def + super::MAX_SPAN_LINES) {
        let line = source.lines[i];
        let code = &line[..super::comment_start(line).unwrap_or(line.len())];
        depth += super::paren_depth(code);
        if depth <= 0 && code.trim_end().ends_with(':') {
            signature_end = Some(i);
            break;
        }
    }
    let first = signature_end? + 1;
    let start = *source.starts.get(first)?;
    let end = (first..source.lines.len())
        .find(|&i| {
            let line = source.lines[i];
            let trimmed = line.trim_start();
            !source.quoted[i]
                && !trimmed.is_empty()
                && !trimmed.starts_with('#')
                && indent(line) <= margin
        })
        .map_or(source.text.len(), |i| source.starts[i]);
    Some(start..end.max(start))
}

/// The server name a constructor's arguments (from the opening parenthesis) write out: the first
/// argument, or `name=`, as a string literal.
fn literal_name(args: &str) -> Option<String> {
    PY_FIRST_STRING
        .captures(args)
        .or_else(|| PY_NAME_LITERAL.captures(args))
        .and_then(|c| capture(&c, &[1, 2]).map(decode_python))
}

fn last_segment(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path).trim()
}

/// Tools registered by a call: `obj.tool(…)(function)` on any object in a file that names MCP
/// (as the decorator it spells out), `obj.add_tool(function, …)` on a server the file builds.
/// A tool is named by a `name` written out as a string literal (`tool`'s first argument too,
/// `add_tool`'s second), else after the function, which the file must define (a loop's
/// `mcp.tool()(func)` names nothing); a name computed at run time skips the tool. Its
/// description is `description=` written out, else the function's docstring.
pub(super) fn registered_tools(
    source: &PythonSource,
    servers: &PythonServers,
    is_mcp: bool,
    stem: &str,
) -> Vec<ToolDecl> {
    let text = source.text;
    if !text.contains(".tool") && !text.contains(".add_tool") {
        return Vec::new();
    }
    let defs: BTreeMap<&str, usize> = (0..source.lines.len())
        .rev()
        .filter(|&i| !source.quoted[i])
        .filter_map(|i| Some((PY_DEF.captures(source.lines[i])?.get(1)?.as_str(), i)))
        .collect();
    let mut out = Vec::new();
    for c in PY_REGISTER_CALL.captures_iter(text) {
        let (Some(whole), Some(object), Some(method)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let at = whole.start();
        let before = text[..at].trim_end_matches([' ', '\t']);
        if !source.is_code(at) || before.ends_with(['@', '.']) {
            continue;
        }
        let (object, add_tool) = (object.as_str(), method.as_str() == "add_tool");
        let accepted =
            servers.is_server(object, at) || (is_mcp && !add_tool && !servers.is_other(object));
        let args = bounded_call(&text[whole.end() - 1..]);
        if !accepted || !args.ends_with(')') {
            continue;
        }
        let inner = &args[1..args.len() - 1];
        let (function, mut name) = if add_tool {
            let arguments = split_arguments(inner);
            let positional = |k: usize| arguments.get(k).filter(|a| !is_keyword(a)).copied();
            let name = match positional(1) {
                Some(argument) => match whole_literal(argument) {
                    Some(name) => Some(name),
                    None => continue,
                },
                None => None,
            };
            (positional(0), name)
        } else {
            let after = &text[whole.end() - 1 + args.len()..];
            let after = after.trim_start_matches([' ', '\t']);
            if !after.starts_with('(') {
                continue;
            }
            let call = bounded_call(after);
            let function = call.get(1..call.len().saturating_sub(1)).map(str::trim);
            (
                function,
                PY_FIRST_STRING
                    .captures(args)
                    .and_then(|c| capture(&c, &[1, 2]).map(decode_python)),
            )
        };
        let Some(function) = function.filter(|f| is_path(f)) else {
            continue;
        };
        let mut description = None;
        for k in PY_KWARG.captures_iter(inner) {
            match (&k[1], capture(&k, &[2, 3])) {
                ("name" | "name_override", Some(v)) => name = Some(decode_python(v)),
                ("description", Some(v)) => description = Some(decode_python(v)),
                _ => {}
            }
        }
        if name.is_none() && names_computed(inner) {
            continue;
        }
        let defined = last_segment(function);
        let def = defs.get(defined).copied();
        let name = match (name, def) {
            (Some(name), _) => name,
            (None, Some(_)) => defined.to_owned(),
            (None, None) => continue,
        };
        if description.is_none() {
            description = def.and_then(|line| docstring(&source.lines[line + 1..]));
        }
        let (server, here) = servers.server_of(object, at);
        let server = server.unwrap_or(stem);
        let offset = function.as_ptr() as usize - text.as_ptr() as usize;
        let name_at = offset + function.len() - defined.len();
        out.push(ToolDecl {
            id: format!("mcp:{server}/{name}"),
            name,
            provider: Some(format!("mcp:{server}")),
            dialect: Dialect::Fastmcp,
            description: description.map(|d| short_description(&d)),
            annotations: annotations_in(inner),
            auto_approved: None,
            url: None,
            span: Some(TextSpan::at(text, name_at, defined.len())),
            server_elsewhere: !here,
        });
    }
    out
}

/// The arguments of a call (between its parentheses), split at the commas outside brackets and
/// strings, trimmed.
fn split_arguments(inner: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut escaped, mut from) = (0i32, None, false, 0);
    for (i, c) in inner.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(inner[from..i].trim());
                    from = i + 1;
                }
                _ => {}
            },
        }
    }
    let last = inner[from..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// Whether arguments pass a `name=` that is neither a string literal nor `None`: a name
/// computed at run time.
fn names_computed(arguments: &str) -> bool {
    PY_NAME_VALUE
        .captures_iter(arguments)
        .any(|c| !c[1].starts_with(['"', '\'']) && &c[1] != "None")
}

/// The value of an argument that is one string literal (`"restart"`), decoded.
fn whole_literal(argument: &str) -> Option<String> {
    let quote = argument
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\''))?;
    let body = argument.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut escaped = false;
    for c in body.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            _ if c == quote => return None,
            _ => {}
        }
    }
    (!body.is_empty()).then(|| decode_python(body))
}

/// `name=value`, a keyword argument.
fn is_keyword(argument: &str) -> bool {
    argument.split_once('=').is_some_and(|(key, value)| {
        !value.starts_with('=') && key.trim().chars().all(|c| c.is_alphanumeric() || c == '_')
    })
}

/// A dotted name: `restart`, `self.restart`, `handlers.refund`.
fn is_path(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && !text.ends_with('.')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

#[cfg(test)]
mod tests {
    use crate::artifact::tool_code::{Language, SourceTools, scan};

    fn python(text: &str) -> SourceTools {
        scan(text, Language::Python, "server").unwrap()
    }

    /// Each tool's id, and whether its server is elsewhere.
    fn ids(source: &SourceTools) -> Vec<(&str, bool)> {
        source
            .tools
            .iter()
            .map(|t| (t.id.as_str(), t.server_elsewhere))
            .collect()
    }

    #[test]
    fn a_factory_builds_the_server_its_result_is_bound_to() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\n\
             def create_server() -> FastMCP:\n\
             \x20   \"\"\"Build it.\"\"\"\n\
             \x20   return FastMCP(\n        'acme-ops',\n        instructions='x',\n    )\n\n\
             app = create_server()\n\n\
             @app.tool()\n\
             def status() -> str:\n    return 'ok'\n",
        );
        assert_eq!(ids(&source), [("mcp:acme-ops/status", false)]);
        assert_eq!(source.servers, ["acme-ops"]);
        assert_eq!(source.unnamed_server, None);
    }

    #[test]
    fn tools_decorated_in_a_factory_belong_to_the_server_it_builds() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\n\
             def build(\n    debug: bool = False,\n) -> FastMCP:\n\
             \x20   mcp = FastMCP(name=\"acme-ops\", debug=debug)\n\n\
             \x20   @mcp.tool()\n\
             \x20   def restart(service: str) -> str:\n        return service\n\n\
             \x20   return mcp\n\n\
             def wrapped():\n    return build()\n\n\
             server = wrapped()\n\n\
             @server.tool()\n\
             def status() -> str:\n    return 'ok'\n",
        );
        assert_eq!(
            ids(&source),
            [
                ("mcp:acme-ops/restart", false),
                ("mcp:acme-ops/status", false)
            ]
        );
        assert_eq!(source.servers, ["acme-ops"]);
    }

    #[test]
    fn a_function_that_takes_a_server_builds_none() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\n\
             def register(mcp: FastMCP) -> FastMCP:\n\
             \x20   @mcp.tool()\n\
             \x20   def status() -> str:\n        return 'ok'\n\
             \x20   return mcp\n\n\
             app = register(other)\n",
        );
        assert_eq!(ids(&source), [("mcp:server/status", true)]);
        assert!(source.servers.is_empty());
    }

    #[test]
    fn a_subclass_names_its_server_in_its_init() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\n\
             class AcmeServer(FastMCP):\n\
             \x20   \"\"\"Ops.\"\"\"\n\n\
             \x20   def __init__(self, **kwargs):\n\
             \x20       super().__init__(name=\"acme-ops\", **kwargs)\n\
             \x20       self.tool()(self.restart)\n\
             \x20       self.add_tool(self.drain, 'drain_node', description='Drain a node.')\n\n\
             \x20       @self.tool(name='ping')\n\
             \x20       def _ping() -> str:\n            return 'pong'\n\n\
             \x20   async def restart(self, service: str) -> str:\n\
             \x20       \"\"\"Restart a service.\"\"\"\n        return service\n\n\
             \x20   def drain(self, node: str) -> str:\n        return node\n\n\
             server = AcmeServer()\n\n\
             @server.tool()\n\
             def status() -> str:\n    return 'ok'\n",
        );
        assert_eq!(
            ids(&source),
            [
                ("mcp:acme-ops/restart", false),
                ("mcp:acme-ops/drain_node", false),
                ("mcp:acme-ops/ping", false),
                ("mcp:acme-ops/status", false),
            ]
        );
        let described: Vec<Option<&str>> = source
            .tools
            .iter()
            .map(|t| t.description.as_deref())
            .collect();
        assert_eq!(
            described,
            [
                Some("Restart a service."),
                Some("Drain a node."),
                None,
                None
            ]
        );
        assert_eq!(source.servers, ["acme-ops"]);
    }

    #[test]
    fn a_subclass_that_forwards_its_arguments_takes_the_name_it_is_built_with() {
        let class = "from fastmcp import FastMCP\n\n\
             class Forwarding(FastMCP):\n\
             \x20   def __init__(self, *args, **kwargs):\n\
             \x20       super().__init__(*args, **kwargs)\n\
             \x20       self.tool()(self.ping)\n\n\
             \x20   def ping(self) -> str:\n        return 'pong'\n\n\
             class Audited(Forwarding):\n    pass\n\n";
        let source = python(&format!(
            "{class}app = Audited(\n    name='acme-forward',\n)\n\n\
             @app.tool()\ndef status() -> str:\n    return 'ok'\n"
        ));
        assert_eq!(
            ids(&source),
            [
                ("mcp:acme-forward/ping", false),
                ("mcp:acme-forward/status", false)
            ]
        );
        // Built without a name written out: named after the file until discovery names it
        // after its package.
        let source = python(&format!(
            "{class}app = Forwarding(name=SERVER_NAME)\n\n\
             @app.tool()\ndef status() -> str:\n    return 'ok'\n"
        ));
        assert_eq!(
            ids(&source),
            [("mcp:server/ping", true), ("mcp:server/status", true)]
        );
        assert_eq!(source.unnamed_server.as_deref(), Some("server"));
        // Never built here: its own tools are tools of a server elsewhere.
        let source = python(class);
        assert_eq!(ids(&source), [("mcp:server/ping", true)]);
        assert!(source.servers.is_empty());
    }

    #[test]
    fn an_object_bound_twice_is_the_server_of_its_nearest_binding() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\n\
             def test_one():\n\
             \x20   server: FastMCP = FastMCP('acme-one')\n\n\
             \x20   @server.tool()\n\
             \x20   def first() -> str:\n        return '1'\n\n\
             def test_two():\n\
             \x20   server = FastMCP('acme-two')\n\n\
             \x20   @server.tool()\n\
             \x20   def second() -> str:\n        return '2'\n",
        );
        assert_eq!(
            ids(&source),
            [
                ("mcp:acme-one/first", false),
                ("mcp:acme-two/second", false)
            ]
        );
    }

    #[test]
    fn tools_registered_by_call_are_named_as_written_or_after_a_function_of_the_file() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\
             from .handlers import refund, void\n\n\
             mcp = FastMCP('acme-billing')\n\
             mcp.tool(name='refund_order')(refund)\n\
             mcp.tool()(invoice)\n\
             mcp.tool()(void)\n\
             mcp.add_tool(invoice, name=f'{PREFIX}_invoice')\n\
             mcp.add_tool(tool.fn, tool.name)\n\
             for func in [invoice]:\n    mcp.tool()(func)\n\
             # mcp.tool(name='commented')(refund)\n\
             text = \"mcp.tool(name='quoted')(refund)\"\n\n\
             def invoice(order: str) -> str:\n\
             \x20   \"\"\"Send an invoice.\"\"\"\n    return order\n",
        );
        assert_eq!(
            ids(&source),
            [
                ("mcp:acme-billing/refund_order", false),
                ("mcp:acme-billing/invoice", false),
            ]
        );
        assert_eq!(
            source.tools[1].description.as_deref(),
            Some("Send an invoice.")
        );
        // A handler's server is elsewhere; `add_tool` on an object not known as a server (an
        // agent framework's toolbox) registers nothing.
        let source = python(
            "from mcp.server.fastmcp import Context\n\n\
             class Handler:\n\
             \x20   def __init__(self, mcp, box):\n\
             \x20       self.mcp = mcp\n\
             \x20       self.mcp.tool(\n            name='list_nodes',\n        )(self.list_nodes)\n\
             \x20       box.add_tool(self.list_nodes)\n\n\
             \x20   def list_nodes(self, ctx: Context) -> list:\n        return []\n",
        );
        assert_eq!(ids(&source), [("mcp:server/list_nodes", true)]);
        // Where the function is passed.
        let span = source.tools[0].span.unwrap();
        assert_eq!(span.line, 8);
    }

    #[test]
    fn an_imported_factory_is_read_from_its_name() {
        let factory = "from .server import create_server\nfrom .agents import make_agent, AcmeMCPHandler\n\n\
             app = create_server()\nagent = make_agent()\nhandler = AcmeMCPHandler('acme')\n\n";
        let source = python(&format!(
            "{factory}@app.tool()\ndef status() -> str:\n    return 'ok'\n\n\
             @agent.tool\ndef lookup() -> str:\n    return 'x'\n\n\
             @handler.tool()\ndef other() -> str:\n    return 'y'\n"
        ));
        assert_eq!(
            ids(&source),
            [
                ("mcp:server/status", true),
                ("fn:lookup", false),
                ("fn:other", false),
            ]
        );
        assert!(source.servers.is_empty());
    }

    #[test]
    fn a_server_held_in_an_attribute_is_that_server_in_its_class() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\
             from .shared import mcp\n\n\
             class Billing:\n\
             \x20   def routes(self):\n\
             \x20       @self.mcp.tool()\n\
             \x20       def status() -> str:\n            return 'ok'\n\n\
             \x20   def __init__(self):\n\
             \x20       self.mcp = FastMCP(\"acme-billing\")\n\
             \x20       self.mcp.tool()(self.refund)\n\
             \x20       self.mcp.add_tool(self.void, name='void_order')\n\n\
             \x20   def refund(self, order: str) -> str:\n\
             \x20       \"\"\"Refund an order.\"\"\"\n        return order\n\n\
             \x20   def void(self, order: str) -> str:\n        return order\n\n\
             # A handler of a server built elsewhere.\n\
             class Handler:\n\
             \x20   def __init__(self, mcp):\n\
             \x20       self.mcp = mcp\n\
             \x20       self.mcp.tool(name='list_nodes')(self.list_nodes)\n\
             \x20       self.mcp.add_tool(self.list_nodes, 'ignored')\n\n\
             \x20   def list_nodes(self) -> list:\n        return []\n\n\
             app.state.mcp = FastMCP('acme-state')\n\n\
             @app.state.mcp.tool()\n\
             def ping() -> str:\n    return 'pong'\n\n\
             @mcp.tool()\n\
             def shared() -> str:\n    return 'x'\n",
        );
        assert_eq!(
            ids(&source),
            [
                ("mcp:acme-billing/status", false),
                ("mcp:acme-billing/refund", false),
                ("mcp:acme-billing/void_order", false),
                ("mcp:server/list_nodes", true),
                ("mcp:acme-state/ping", false),
                // `mcp` is not `self.mcp`.
                ("mcp:server/shared", true),
            ]
        );
        assert_eq!(source.servers, ["acme-billing", "acme-state"]);
        assert_eq!(source.unnamed_server, None);
    }

    #[test]
    fn a_factory_that_returns_a_tuple_builds_the_server_at_its_place() {
        let source = python(
            "from mcp.server.fastmcp import FastMCP\n\n\
             def create_server():\n\
             \x20   config = load()\n\
             \x20   mcp = FastMCP('acme-ops')\n\
             \x20   return mcp, config\n\n\
             def create_pair():\n\
             \x20   return load(), FastMCP('acme-other')\n\n\
             def reversed_server():\n\
             \x20   server = FastMCP('acme-rev')\n\
             \x20   return (load(), server)\n\n\
             def wrapped():\n\
             \x20   app, config = create_server()\n\
             \x20   return app\n\n\
             app, _config = create_server()\n\
             whole = create_server()\n\
             (cfg, rev) = reversed_server()\n\
             inner = wrapped()\n\n\
             @app.tool()\n\
             def status() -> str:\n    return 'ok'\n\n\
             @_config.tool()\n\
             def wrong() -> str:\n    return 'no'\n\n\
             @whole.tool()\n\
             def tuple_tool() -> str:\n    return 'no'\n\n\
             @rev.tool()\n\
             def reversed_tool() -> str:\n    return 'ok'\n\n\
             @inner.tool()\n\
             def inner_tool() -> str:\n    return 'ok'\n",
        );
        assert_eq!(
            ids(&source),
            [
                ("mcp:acme-ops/status", false),
                ("mcp:server/wrong", true),
                ("mcp:server/tuple_tool", true),
                ("mcp:acme-rev/reversed_tool", false),
                ("mcp:acme-ops/inner_tool", false),
            ]
        );
        assert_eq!(source.servers, ["acme-ops", "acme-rev"]);
    }

    /// A class derived from an imported class is no server class of the file: the tools it
    /// would register were it one are kept apart, with what discovery needs to tell.
    #[test]
    fn classes_derived_from_imported_classes_are_read_for_discovery() {
        let source = python(
            "from .base import AcmeBase\nfrom acme.mixins import Logged as LoggedMixin\n\n\
             class AcmeExt(LoggedMixin, AcmeBase):\n\
             \x20   def __init__(self):\n\
             \x20       super().__init__()\n\
             \x20       self.tool()(self.refund)\n\
             \x20       self.add_tool(self.void, 'void_order')\n\n\
             \x20   @self.tool()\n\
             \x20   def status(self) -> str:\n        return 'ok'\n\n\
             \x20   def refund(self, order: str) -> str:\n\
             \x20       \"\"\"Refund an order.\"\"\"\n        return order\n\n\
             \x20   def void(self, order: str) -> str:\n        return order\n\n\
             class AcmeAudit(AcmeExt):\n\
             \x20   def __init__(self):\n\
             \x20       super().__init__(name='acme-audit')\n\n\
             class Plain:\n    pass\n\n\
             server = AcmeAudit()\n\n\
             @server.tool()\ndef ping() -> str:\n    return 'pong'\n",
        );
        // As read alone: a file that does not name MCP registers nothing by call, and its
        // decorators are plain tools.
        assert_eq!(ids(&source), [("fn:status", false), ("fn:ping", false)]);
        assert!(source.servers.is_empty());
        let links = source.python_links.as_deref().unwrap();
        let bound: Vec<(&str, &str, &str)> = (links.names.iter())
            .map(|n| (n.bound.as_str(), n.module.as_str(), n.name.as_str()))
            .collect();
        assert_eq!(
            bound,
            [
                ("AcmeBase", ".base", "AcmeBase"),
                ("LoggedMixin", "acme.mixins", "Logged"),
            ]
        );
        /// A class, its bases, its server's name, whether it is built, its tools.
        type Read<'s> = (
            &'s str,
            Vec<(&'s str, &'s str)>,
            Option<&'s str>,
            bool,
            Vec<(&'s str, bool)>,
        );
        let read: Vec<Read> = (links.subclasses.iter())
            .map(|s| {
                let bases = (s.bases.iter())
                    .map(|(m, n)| (m.as_str(), n.as_str()))
                    .collect();
                let tools = (s.tools.iter())
                    .map(|t| (t.id.as_str(), t.server_elsewhere))
                    .collect();
                (s.class.as_str(), bases, s.server.as_deref(), s.built, tools)
            })
            .collect();
        let bases = vec![("acme.mixins", "Logged"), (".base", "AcmeBase")];
        assert_eq!(
            read,
            [
                (
                    "AcmeExt",
                    bases.clone(),
                    None,
                    false,
                    vec![
                        ("mcp:server/refund", true),
                        ("mcp:server/void_order", true),
                        ("mcp:server/status", true),
                    ]
                ),
                (
                    "AcmeAudit",
                    bases,
                    Some("acme-audit"),
                    true,
                    vec![("mcp:server/ping", true)]
                ),
            ]
        );
        let described = links.subclasses[0].tools[0].description.as_deref();
        assert_eq!(described, Some("Refund an order."));
        // Its spans are those of the tools read alone, which they replace.
        assert_eq!(links.subclasses[0].tools[2].span, source.tools[0].span);
        // A file with no tool marker still says what its classes derive from.
        let source = python("from .a import A\n\nclass B(A):\n    pass\n");
        let links = source.python_links.as_deref().unwrap();
        assert_eq!(links.subclasses[0].class, "B");
        assert!(links.subclasses[0].tools.is_empty());
    }

    /// Many classes, bindings and registrations in one file cost time in proportion to their
    /// number: each lookup is by name or by position, never a walk over all the others.
    #[test]
    fn many_classes_bindings_and_registrations_stay_fast() {
        let head = "from mcp.server.fastmcp import FastMCP\n";
        let chain = (1..40_000)
            .map(|i| format!("class A{i}(A{}):\n    pass\n", i - 1))
            .collect::<String>();
        let classes = format!(
            "{head}class A0(FastMCP):\n    def __init__(self):\n        super().__init__('acme')\n{chain}"
        );
        let bound = (0..20_000)
            .map(|i| format!("mcp = FastMCP('s{i}')\n@mcp.tool()\ndef t{i}():\n    pass\n"))
            .collect::<String>();
        let selves = (0..20_000)
            .map(|i| format!("class S{i}(FastMCP):\n    def go(self):\n        self.tool()(f)\n"))
            .collect::<String>();
        let derived = (0..20_000)
            .map(|i| {
                format!(
                    "class D{i}(Base{}):\n    def go(self):\n        self.tool()(f)\n",
                    i % 100
                )
            })
            .collect::<String>();
        let imports = (0..100)
            .map(|i| format!("from .base{i} import Base{i}\n"))
            .collect::<String>();
        for text in [
            classes,
            format!("{head}{bound}"),
            format!("{head}def f(): pass\n{selves}"),
            format!("{head}{imports}def f(): pass\n{derived}"),
        ] {
            let started = std::time::Instant::now();
            let _ = python(&text);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(8),
                "{:?} for {}…",
                started.elapsed(),
                &text[head.len()..head.len() + 30]
            );
        }
    }
}
