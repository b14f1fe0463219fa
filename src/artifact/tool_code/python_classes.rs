//! Tool classes of a Python file: subclasses of LangChain's or CrewAI's `BaseTool` and of
//! smolagents' `Tool` (imported from `smolagents` or `smolagents.tools`, or reached as
//! `smolagents.Tool`; a `Tool` of any other origin is not smolagents'), directly or through
//! other classes of the file (`class AcmeExecTool(AcmeSandboxBase)` with `class
//! AcmeSandboxBase(BaseTool)`), and the classes that may be ones through a class imported from
//! another file of the project.
//!
//! A class's `name` and `description` are the class attributes written at its body's own
//! indentation and outside brackets (`name: str = "Acme Search"`, `name = "acme_search"`): a
//! `name=` inside a call of the body (`env_vars = [EnvVar(name="ACME_API_KEY")]`), in a method
//! or in a nested class names something else. A class that writes neither takes it from the
//! first of its bases that has one, as Python looks attributes up.
//!
//! A class that declares no name of its own and that other classes derive from is a shared
//! base, not a tool: listed under its class name it would stand for no tool an agent is given,
//! and its concrete subclasses are listed themselves. It stays a tool where the file builds it
//! or passes it as a value (`AcmeBase()`, `tools=[AcmeBase]`): something then uses the class
//! itself. A class derived from a class imported from another file is recorded with the imported
//! classes it comes down to ([`PythonToolClass::bases`]); discovery
//! (`agent::code_servers::python_tools`) makes it a tool when one of those is a tool class in
//! its own file, and drops that file's reading of a nameless base other files derive from.
//!
//! An abstract class is no tool either, whatever it writes: one that lists `ABC` among its
//! bases (or is built by `ABCMeta`), that declares an `@abstractmethod`, or that leaves one of
//! the file's classes it derives from declares without a definition of its own (Python would
//! not build it). Its concrete subclasses, in the file or in other files, are the tools.
//!
//! Read lexically, like the rest of `tool_code`: a class header on one line at the margin,
//! bodies up to the next line of code at the margin.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Serialize;

use super::python_servers::FromName;
use super::{PY_CLASS, PythonSource};
use crate::artifact::escapes::decode_python;
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Dialect, ToolDecl, short_description};
use crate::pattern::Pattern;

/// Classes a tool class may be found through within one file: a subclass of a subclass.
const MAX_CLASS_DEPTH: usize = 8;
/// Lines of a class body read for its attributes, at most.
const MAX_BODY_LINES: usize = 2000;
/// Bytes of an attribute's value read, at most.
const MAX_VALUE_BYTES: usize = 4 * 1024;

/// `name: str = `, `description = ` at the start of a body line (its indentation removed):
/// group 1 the attribute.
static PY_CLASS_ATTR: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^(name|description)[ \t]*(?::[ \t]*[A-Za-z_][A-Za-z0-9_\[\]. ]*)?=[ \t]*")
        .expect("valid regex")
});
/// One string literal at the start of a value (after white space, comments and line breaks):
/// groups 1 to 4 its text.
static PY_LITERAL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"^(?:\s|#[^\n]*)*(?:[rRuU]?)(?s:"""(.*?)"""|'''(.*?)''')|^(?:\s|#[^\n]*)*[rRuU]?(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')"#)
        .expect("valid regex")
});
/// `def forward(`, `async def forward(` at the start of a body line (its indentation removed):
/// group 1 the method.
static PY_METHOD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)").expect("valid regex")
});
/// The modules smolagents' `Tool` is imported from.
const SMOLAGENTS_MODULES: &[&str] = &["smolagents", "smolagents.tools"];
/// A capitalised name called (`AcmeBase(`): group 1.
static PY_CAPITAL_CALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?:^|[^A-Za-z0-9_.])([A-Z][A-Za-z0-9_]*)[ \t]*\(").expect("valid regex")
});
/// A capitalised name that may be passed as a value: after an opening bracket, a comma or `=`
/// (`[AcmeBase]`, `(a, AcmeBase)`, `tool_class = AcmeBase`): group 1. What follows it is checked
/// apart, so that the next element can match too.
static PY_CAPITAL_VALUE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)(?:^|[(\[,=])[ \t]*([A-Z][A-Za-z0-9_]*)").expect("valid regex")
});
/// An open call whose arguments name classes without using them as tools.
static PY_CLASS_CHECK: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(?:isinstance|issubclass|super|type|cast)\s*\([^()]*$").expect("valid regex")
});

/// A class of a Python file that is a tool class, or may be one through classes imported from
/// other files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PythonToolClass {
    pub class: String,
    /// The classes imported from other files it comes down to, through classes of the file,
    /// in order: each one's module as written and name there. Empty for a class the file shows
    /// derives from `BaseTool`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<(String, String)>,
    /// Its `name`, its own or that of a class of the file it derives from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its `description`, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// It writes a `name` of its own.
    pub declares_name: bool,
    /// CrewAI's or LangChain's, as the file tells (its root's, for a class of `bases`).
    pub dialect: Dialect,
    /// Its name in its header.
    pub span: TextSpan,
    /// A class of the file derives from it.
    pub derived: bool,
    /// The file builds it or passes it as a value.
    pub used: bool,
    /// It is abstract: Python would not build it (see the module's header).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub abstract_class: bool,
}

impl PythonToolClass {
    /// Whether it is a shared base rather than a tool, given whether classes of other files
    /// derive from it (`derived_elsewhere`).
    pub fn is_base(&self, derived_elsewhere: bool) -> bool {
        self.abstract_class
            || (!self.declares_name && !self.used && (self.derived || derived_elsewhere))
    }

    /// The tool it is, with the name and description it inherits from classes of other files
    /// (`inherited`) and the dialect of the class it comes down to.
    pub fn tool(&self, inherited: (Option<&str>, Option<&str>), dialect: Dialect) -> ToolDecl {
        let name = (self.name.as_deref())
            .or(inherited.0)
            .unwrap_or(&self.class)
            .to_owned();
        let description = self.description.as_deref().or(inherited.1);
        ToolDecl {
            id: format!("fn:{name}"),
            name,
            provider: None,
            dialect,
            description: description.map(short_description),
            annotations: None,
            auto_approved: None,
            url: None,
            span: Some(self.span),
            server_elsewhere: false,
        }
    }
}

/// What a class of the file derives from, as far as the file tells.
#[derive(Debug, Clone, PartialEq)]
enum Root<'t> {
    /// A framework's tool class (`BaseTool`, smolagents' `Tool`), directly or through classes
    /// of the file: the dialect it gives.
    Framework(Dialect),
    /// Classes imported from other files: module as written, name there.
    Imported(Vec<(&'t str, &'t str)>),
}

struct Header<'t> {
    class: &'t str,
    bases: Vec<&'t str>,
    line: usize,
    offset: usize,
    /// It lists `ABC` among its bases or is built by `ABCMeta`.
    declared_abstract: bool,
}

impl Header<'_> {
    /// Where its class is named, from its line (not counted again from the file's start).
    fn span(&self, source: &PythonSource) -> TextSpan {
        let start = source.starts[self.line];
        TextSpan {
            line: u32::try_from(self.line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(source.text[start..self.offset].chars().count() + 1)
                .unwrap_or(u32::MAX),
            offset: self.offset,
            len: self.class.len(),
        }
    }
}

/// The file's tool classes and the tools they are: the classes that derive from `BaseTool`
/// (directly or through classes of the file) and are not shared bases, and every class that is
/// or may be a tool class, for discovery. `imports` are the names the file imports.
pub(super) fn read(
    source: &PythonSource,
    imports: &[FromName],
) -> (Vec<ToolDecl>, Vec<PythonToolClass>) {
    let text = source.text;
    if !text.contains("class") {
        return (Vec::new(), Vec::new());
    }
    let headers = headers(source);
    if headers.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let defined: BTreeMap<&str, usize> = (headers.iter().enumerate().rev())
        .map(|(k, header)| (header.class, k))
        .collect();
    let imported: BTreeMap<&str, (&str, &str)> = (imports.iter())
        .filter(|import| import.name.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|import| (import.bound, (import.module, import.name)))
        .collect();
    let base_tool_dialect = if text.contains("crewai") {
        Dialect::CrewaiTool
    } else {
        Dialect::LangchainBaseTool
    };
    // The framework class a base names, if it names one.
    let framework = |base: &str| {
        let from = imported.get(base);
        if base == "BaseTool"
            || base.ends_with(".BaseTool")
            || from.is_some_and(|(_, name)| *name == "BaseTool")
        {
            return Some(base_tool_dialect);
        }
        let smolagents = from
            .is_some_and(|(module, name)| *name == "Tool" && SMOLAGENTS_MODULES.contains(module))
            || (base.strip_suffix(".Tool"))
                .is_some_and(|module| SMOLAGENTS_MODULES.contains(&module));
        smolagents.then_some(Dialect::SmolagentsTool)
    };
    // What each class comes down to, read again until no class changes (a base defined further
    // down the file is known on a later pass).
    let mut roots: Vec<Option<Root>> = vec![None; headers.len()];
    for _depth in 0..MAX_CLASS_DEPTH {
        let mut changed = false;
        for (k, header) in headers.iter().enumerate() {
            let mut root = None;
            let mut from_imports = Vec::new();
            for base in &header.bases {
                if let Some(dialect) = framework(base) {
                    root = Some(Root::Framework(dialect));
                    break;
                }
                match defined.get(base) {
                    Some(&j) if j != k => match &roots[j] {
                        Some(Root::Framework(dialect)) => {
                            root = Some(Root::Framework(*dialect));
                            break;
                        }
                        Some(Root::Imported(more)) => from_imports.extend(more.iter().copied()),
                        None => {}
                    },
                    Some(_) => {}
                    None => from_imports.extend(imported.get(base).copied()),
                }
            }
            from_imports.dedup();
            let root = root.or((!from_imports.is_empty()).then_some(Root::Imported(from_imports)));
            if root != roots[k] {
                roots[k] = root;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let kept: Vec<usize> = (0..headers.len()).filter(|&k| roots[k].is_some()).collect();
    if kept.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let (mut names, mut descriptions) = (vec![None; headers.len()], vec![None; headers.len()]);
    for &k in &kept {
        (names[k], descriptions[k]) = attributes(source, headers[k].line);
    }
    let declares_name: Vec<bool> = names.iter().map(Option::is_some).collect();
    let abstract_class = abstract_classes(source, &headers, &defined);
    let names = inherited(names, &headers, &defined);
    let descriptions = inherited(descriptions, &headers, &defined);
    let derived: BTreeSet<&str> = (kept.iter())
        .flat_map(|&k| headers[k].bases.iter().copied())
        .filter(|base| defined.contains_key(base))
        .collect();
    // Only a class that declares no name can be a shared base.
    let nameless = kept.iter().any(|&k| !declares_name[k]);
    let used = if nameless {
        used_classes(source)
    } else {
        BTreeSet::new()
    };
    let mut tools = Vec::new();
    let mut classes = Vec::new();
    for &k in &kept {
        let header = &headers[k];
        let class = PythonToolClass {
            class: header.class.to_owned(),
            bases: match &roots[k] {
                Some(Root::Imported(bases)) => (bases.iter())
                    .map(|(module, name)| ((*module).to_owned(), (*name).to_owned()))
                    .collect(),
                _ => Vec::new(),
            },
            name: names[k].clone(),
            description: descriptions[k].clone(),
            declares_name: declares_name[k],
            dialect: match &roots[k] {
                Some(Root::Framework(dialect)) => *dialect,
                _ => base_tool_dialect,
            },
            span: header.span(source),
            derived: derived.contains(header.class),
            used: used.contains(header.class),
            abstract_class: abstract_class[k],
        };
        if let Some(Root::Framework(dialect)) = roots[k]
            && !class.is_base(false)
        {
            tools.push(class.tool((None, None), dialect));
        }
        classes.push(class);
    }
    (tools, classes)
}

/// The classes of the file whose header is at the margin, in code, in file order.
fn headers<'t>(source: &PythonSource<'t>) -> Vec<Header<'t>> {
    (0..source.lines.len())
        .filter(|&i| !source.quoted[i] && source.lines[i].starts_with("class"))
        .filter_map(|i| {
            let c = PY_CLASS.captures(source.lines[i])?;
            let (class, bases) = (c.get(1)?, c.get(2)?);
            let offset = source.starts[i] + class.start();
            if !source.is_code(offset) {
                return None;
            }
            let declared_abstract = (bases.as_str().split(',')).any(|base| {
                let base = base.trim();
                let metaclass = (base.strip_prefix("metaclass"))
                    .map(|rest| rest.trim_start().trim_start_matches('=').trim());
                matches!(base, "ABC" | "abc.ABC")
                    || matches!(metaclass, Some("ABCMeta" | "abc.ABCMeta"))
            });
            let bases = (bases.as_str().split(','))
                .map(str::trim)
                // `metaclass=ABCMeta` and other keywords, `Generic[T]`'s parameters.
                .filter(|base| !base.is_empty() && !base.contains('='))
                .map(|base| base.split('[').next().unwrap_or(base).trim())
                .collect();
            Some(Header {
                class: class.as_str(),
                bases,
                line: i,
                offset,
                declared_abstract,
            })
        })
        .collect()
}

/// Whether each class (indexed as `headers`) is abstract: declared so, or with an abstract
/// method of its own or of the file's classes it derives from that none of them, nor it,
/// defines.
fn abstract_classes(
    source: &PythonSource,
    headers: &[Header],
    defined: &BTreeMap<&str, usize>,
) -> Vec<bool> {
    let marked = source.text.contains("abstractmethod");
    if !marked && !headers.iter().any(|header| header.declared_abstract) {
        return vec![false; headers.len()];
    }
    let methods: Vec<(BTreeSet<&str>, BTreeSet<&str>)> = if marked {
        headers
            .iter()
            .map(|header| methods(source, header.line))
            .collect()
    } else {
        vec![Default::default(); headers.len()]
    };
    // The abstract methods each class leaves undefined, read again until no class changes.
    let mut pending: Vec<BTreeSet<&str>> = methods.iter().map(|(_, own)| own.clone()).collect();
    for _depth in 0..MAX_CLASS_DEPTH {
        let mut changed = false;
        for (k, header) in headers.iter().enumerate() {
            let (concrete, own) = &methods[k];
            let inherited: Vec<&str> = (header.bases.iter())
                .filter_map(|base| defined.get(base).filter(|&&j| j != k))
                .flat_map(|&j| pending[j].iter().copied())
                .filter(|method| !concrete.contains(method) || own.contains(method))
                .collect();
            for method in inherited {
                changed |= pending[k].insert(method);
            }
        }
        if !changed {
            break;
        }
    }
    (headers.iter().zip(&pending))
        .map(|(header, pending)| header.declared_abstract || !pending.is_empty())
        .collect()
}

/// The methods a class (its header on line `header`) defines in its body, at the body's own
/// indentation, and those of them marked `@abstractmethod`.
fn methods<'t>(source: &PythonSource<'t>, header: usize) -> (BTreeSet<&'t str>, BTreeSet<&'t str>) {
    let (mut defined, mut abstract_methods) = (BTreeSet::new(), BTreeSet::new());
    let mut marked = false;
    for (i, margin, trimmed) in body_statements(source, header) {
        if let Some(decorator) = trimmed.strip_prefix('@') {
            let decorator = decorator.trim_start();
            marked |= ["abstractmethod", "abc.abstractmethod"].iter().any(|name| {
                decorator.strip_prefix(name).is_some_and(|rest| {
                    !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
                })
            });
        } else if let Some(c) = PY_METHOD.captures(trimmed) {
            if let Some(method) = c.get(1) {
                let at = source.starts[i] + margin + method.start();
                let method = &source.text[at..at + method.len()];
                defined.insert(method);
                if marked {
                    abstract_methods.insert(method);
                }
            }
            marked = false;
        } else {
            marked = false;
        }
    }
    (defined, abstract_methods)
}

/// The statements of the body of the class whose header is line `header`, at the body's own
/// indentation and outside brackets: each line's index, the length of its margin and its text
/// after the margin. Blank lines, comments and lines inside triple-quoted strings are skipped;
/// the body ends at the margin, or after [`MAX_BODY_LINES`].
fn body_statements<'t>(source: &PythonSource<'t>, header: usize) -> Vec<(usize, usize, &'t str)> {
    let mut statements = Vec::new();
    let mut indent: Option<&str> = None;
    let mut depth = 0i32;
    let last = source.lines.len().min(header + 1 + MAX_BODY_LINES);
    for i in header + 1..last {
        if source.quoted[i] {
            continue;
        }
        let line = source.lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let margin = &line[..line.len() - trimmed.len()];
        if depth == 0 && margin.is_empty() {
            break;
        }
        let indent = *indent.get_or_insert(margin);
        if depth == 0 && margin == indent {
            statements.push((i, margin.len(), trimmed));
        }
        depth = (depth + bracket_change(line)).max(0);
    }
    statements
}

/// The `name` or `description` of each class (`values`: its own, indexed as `headers`) with
/// what it inherits: its own, else that of the first of its bases of the file that has one.
fn inherited(
    mut values: Vec<Option<String>>,
    headers: &[Header],
    defined: &BTreeMap<&str, usize>,
) -> Vec<Option<String>> {
    for _depth in 0..MAX_CLASS_DEPTH {
        let mut changed = false;
        for (k, header) in headers.iter().enumerate() {
            if values[k].is_some() {
                continue;
            }
            let base = (header.bases.iter())
                .filter_map(|base| defined.get(base))
                .find_map(|&j| values[j].clone());
            if base.is_some() {
                values[k] = base;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    values
}

/// The `name` and `description` a class writes in its body (its header on line `header`): at
/// the body's own indentation, outside brackets, as string literals (one, triple-quoted, or
/// several in parentheses, joined).
fn attributes(source: &PythonSource, header: usize) -> (Option<String>, Option<String>) {
    let (mut name, mut description) = (None, None);
    for (i, margin, trimmed) in body_statements(source, header) {
        if (trimmed.starts_with("name") || trimmed.starts_with("description"))
            && let Some(c) = PY_CLASS_ATTR.captures(trimmed)
        {
            let at = source.starts[i] + margin + c.get(0).map_or(0, |m| m.end());
            let slot = if &c[1] == "name" {
                &mut name
            } else {
                &mut description
            };
            if slot.is_none() {
                *slot = literal_value(source.text, at).filter(|value| !value.is_empty());
            }
        }
    }
    (name, description)
}

/// The string a value starting at byte `at` is: one literal, or literals in parentheses,
/// joined as Python joins adjacent literals. `None` for anything else.
fn literal_value(text: &str, at: usize) -> Option<String> {
    let mut end = (at + MAX_VALUE_BYTES).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let value = &text[at..end];
    let Some(inner) = value.strip_prefix('(') else {
        let c = PY_LITERAL.captures(value)?;
        return Some(decode_python(super::capture(&c, &[1, 2, 3, 4])?));
    };
    let mut rest = inner;
    let mut joined = String::new();
    let mut any = false;
    while let Some(c) = PY_LITERAL.captures(rest) {
        joined.push_str(&decode_python(super::capture(&c, &[1, 2, 3, 4])?));
        rest = &rest[c.get(0)?.end()..];
        any = true;
    }
    let closed = rest
        .trim_start_matches(|c: char| c.is_whitespace())
        .starts_with(')');
    (any && closed).then_some(joined)
}

/// How a line changes the depth of brackets, outside its strings and comment (a string that
/// runs on past the line hides the rest of it).
fn bracket_change(line: &str) -> i32 {
    const QUOTES: [&[u8]; 4] = [b"\"\"\"", b"'''", b"\"", b"'"];
    let bytes = line.as_bytes();
    let mut open: Option<&[u8]> = None;
    let (mut change, mut i) = (0, 0);
    while i < bytes.len() {
        let rest = &bytes[i..];
        match open {
            Some(_) if rest[0] == b'\\' => i += 2,
            Some(quote) if rest.starts_with(quote) => {
                open = None;
                i += quote.len();
            }
            Some(_) => i += 1,
            None => {
                match rest[0] {
                    b'#' => break,
                    b'(' | b'[' | b'{' => change += 1,
                    b')' | b']' | b'}' => change -= 1,
                    b'"' | b'\'' => {
                        let quote = QUOTES.iter().find(|q| rest.starts_with(q));
                        open = quote.copied();
                        i += open.map_or(1, <[u8]>::len);
                        continue;
                    }
                    _ => {}
                }
                i += 1;
            }
        }
    }
    change
}

/// The capitalised names the file builds or passes as values, in code, outside class headers,
/// imports, type subscripts (`Optional[AcmeBase]`) and checks of a class (`isinstance(tool,
/// AcmeBase)`, `super(AcmeBase, self)`).
fn used_classes<'t>(source: &PythonSource<'t>) -> BTreeSet<&'t str> {
    let text = source.text;
    let mut used = BTreeSet::new();
    for (pattern, call) in [(&*PY_CAPITAL_CALL, true), (&*PY_CAPITAL_VALUE, false)] {
        for c in pattern.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            if !source.is_code(m.start()) {
                continue;
            }
            let line_start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[line_start..m.start()];
            let statement = before.trim_start();
            if statement.starts_with("class ")
                || statement.starts_with("from ")
                || statement.starts_with("import ")
                || PY_CLASS_CHECK.is_match(before)
            {
                continue;
            }
            if !call {
                let next = text[m.end()..]
                    .trim_start_matches([' ', '\t'])
                    .chars()
                    .next();
                if !matches!(next, None | Some(',' | ')' | ']' | '\n' | '\r' | '#')) {
                    continue;
                }
                let mut previous = before.trim_end().chars().rev();
                let subscript = previous.next() == Some('[')
                    && previous
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                if subscript {
                    continue;
                }
            }
            used.insert(m.as_str());
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use crate::artifact::tool_code::{Language, PythonToolClass, scan};
    use crate::artifact::tool_json::Dialect;

    fn read(text: &str) -> (Vec<(String, Option<String>)>, Vec<PythonToolClass>) {
        let source = scan(text, Language::Python, "tools").unwrap();
        let tools = (source.tools.iter())
            .map(|tool| (tool.id.clone(), tool.description.clone()))
            .collect();
        let classes = source
            .python_links
            .map(|links| links.tool_classes)
            .unwrap_or_default();
        (tools, classes)
    }

    #[test]
    fn a_name_inside_the_body_s_calls_is_not_the_tool_s() {
        let text = r#"from crewai.tools import BaseTool, EnvVar


class AcmeSearchTool(BaseTool):
    env_vars: list[EnvVar] = [
        EnvVar(
            name="ACME_API_KEY",
            description="API key for the Acme search service",
        ),
    ]
    name: str = "Acme Search"
    description: str = (
        "Searches the Acme "
        "catalogue."
    )

    def _run(self, query: str) -> str:
        name = "local"
        return query


class AcmeLookupTool(BaseTool):
    args: dict = {"name": "x",
    "description": "y"}

    class Config:
        name = "nested"

    description = """Looks things up."""
    name = 'acme_lookup'


class AcmeUnnamed(BaseTool):
    name: str = ""
"#;
        let (tools, _) = read(text);
        assert_eq!(
            tools,
            [
                (
                    "fn:Acme Search".to_owned(),
                    Some("Searches the Acme catalogue.".to_owned())
                ),
                (
                    "fn:acme_lookup".to_owned(),
                    Some("Looks things up.".to_owned())
                ),
                ("fn:AcmeUnnamed".to_owned(), None),
            ]
        );
    }

    #[test]
    fn subclasses_of_a_shared_base_are_the_tools() {
        let text = r#"from crewai.tools import BaseTool as CrewBaseTool


class AcmeSandboxBase(CrewBaseTool):
    api_key: str = ""
    description: str = "Runs in the Acme sandbox."


class AcmeExecTool(AcmeSandboxBase):
    name: str = "Acme Sandbox Exec"
    description: str = "Runs shell commands in a remote sandbox."


class AcmeReadTool(AcmeSandboxBase):
    name = "Acme Read"


class AcmeNamed(CrewBaseTool):
    name = "acme_named"


class AcmeNamedAgain(AcmeNamed):
    pass
"#;
        let (tools, classes) = read(text);
        assert_eq!(
            tools,
            [
                (
                    "fn:Acme Sandbox Exec".to_owned(),
                    Some("Runs shell commands in a remote sandbox.".to_owned())
                ),
                (
                    "fn:Acme Read".to_owned(),
                    Some("Runs in the Acme sandbox.".to_owned())
                ),
                ("fn:acme_named".to_owned(), None),
                ("fn:acme_named".to_owned(), None),
            ]
        );
        assert!(classes.iter().all(|class| class.bases.is_empty()));
        assert!(
            classes
                .iter()
                .all(|class| class.dialect == Dialect::CrewaiTool)
        );
        let base = &classes[0];
        assert!(base.derived && !base.used && !base.declares_name);
    }

    #[test]
    fn a_base_the_file_builds_or_registers_is_a_tool() {
        let base = "from langchain.tools import BaseTool\n\n\
                    class AcmeBase(BaseTool):\n    pass\n\n\
                    class AcmeChild(AcmeBase):\n    name = 'acme_child'\n\n";
        let ids = |text: &str| -> Vec<String> { read(text).0.into_iter().map(|t| t.0).collect() };
        assert_eq!(ids(base), ["fn:acme_child"]);
        for use_ in [
            "tool = AcmeBase()\n",
            "agent = make(tools=[AcmeBase])\n",
            "TOOLS = [\n    AcmeChild,\n    AcmeBase,\n]\n",
        ] {
            assert_eq!(
                ids(&format!("{base}{use_}")),
                ["fn:AcmeBase", "fn:acme_child"],
                "{use_}"
            );
        }
        for check in [
            "ok = isinstance(tool, AcmeBase)\n",
            "def pick(tool: Optional[AcmeBase]) -> AcmeBase:\n    pass\n",
            "# tool = AcmeBase()\n",
            "HELP = 'AcmeBase()'\n",
        ] {
            assert_eq!(ids(&format!("{base}{check}")), ["fn:acme_child"], "{check}");
        }
    }

    #[test]
    fn classes_derived_from_imported_classes_wait_for_discovery() {
        let text = "from .base import AcmeSandboxBase\n\n\
                    class AcmeMid(AcmeSandboxBase):\n    description = 'Runs code.'\n\n\
                    class AcmeExec(AcmeMid):\n    name = 'Acme Exec'\n";
        let (tools, classes) = read(text);
        assert!(tools.is_empty());
        let found: Vec<(&str, Option<&str>, Option<&str>, bool)> = (classes.iter())
            .map(|class| {
                (
                    class.class.as_str(),
                    class.name.as_deref(),
                    class.description.as_deref(),
                    class.derived,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("AcmeMid", None, Some("Runs code."), true),
                ("AcmeExec", Some("Acme Exec"), Some("Runs code."), false),
            ]
        );
        let base = (".base".to_owned(), "AcmeSandboxBase".to_owned());
        assert!(classes.iter().all(|class| class.bases == [base.clone()]));
        // A file that names no tool still records them.
        let text = "from .base import AcmeSandboxBase\n\nclass AcmeExec(AcmeSandboxBase):\n    name = 'acme exec'\n";
        assert_eq!(read(text).1.len(), 1);
    }

    #[test]
    fn smolagents_tool_subclasses_are_tools_only_with_its_import() {
        let body = "    name = \"purge_accounts\"\n    \
                    description = \"Permanently delete customer accounts.\"\n    \
                    inputs = {\"account_id\": {\"type\": \"string\", \"description\": \"id\"}}\n    \
                    output_type = \"string\"\n\n    \
                    def forward(self, account_id: str) -> str:\n        return account_id\n";
        let expected = [(
            "fn:purge_accounts".to_owned(),
            Some("Permanently delete customer accounts.".to_owned()),
        )];
        for header in [
            "from smolagents import Tool\n\n\nclass AcmePurge(Tool):\n",
            "from smolagents.tools import Tool as SmolTool\n\n\nclass AcmePurge(SmolTool):\n",
            "import smolagents\n\n\nclass AcmePurge(smolagents.Tool):\n",
        ] {
            let (tools, classes) = read(&format!("{header}{body}"));
            assert_eq!(tools, expected, "{header}");
            assert_eq!(classes[0].dialect, Dialect::SmolagentsTool, "{header}");
        }
        // Named after the class without a `name`.
        let (tools, _) = read(
            "from smolagents import Tool\n\nclass AcmeLookup(Tool):\n    \
             description = 'Looks up an order.'\n\n    def forward(self):\n        pass\n",
        );
        assert_eq!(tools[0].0, "fn:AcmeLookup");
        // A `Tool` that is not smolagents' is no tool class in this file.
        for header in [
            "from acme.framework import Tool\n\n\nclass AcmePurge(Tool):\n",
            "class AcmePurge(Tool):\n",
            "import acme\n\n\nclass AcmePurge(acme.Tool):\n",
        ] {
            let (tools, _) = read(&format!("{header}{body}"));
            assert!(tools.is_empty(), "{header}");
        }
    }

    #[test]
    fn abstract_tool_classes_are_not_tools() {
        // The repro's shape: a local abstract root, a base to subclass and an abstract helper
        // that implements nothing.
        let framework = "from abc import ABC, abstractmethod\n\n\n\
                         class BaseTool(ABC):\n    @abstractmethod\n    \
                         def forward(self, *args):\n        ...\n\n\n\
                         class Tool(BaseTool):\n    \"\"\"Set `name`.\"\"\"\n\n\n\
                         class ModelBackedTool(Tool):\n    \"\"\"Do not use directly.\"\"\"\n";
        let (tools, classes) = read(framework);
        assert!(tools.is_empty(), "{tools:?}");
        assert!(classes.iter().all(|class| class.abstract_class));
        // A concrete subclass that defines the abstract method is a tool; one that leaves it
        // abstract is not.
        let concrete = format!(
            "{framework}\n\nclass AcmeSummarise(ModelBackedTool):\n    name = 'acme_summarise'\n\n    \
             def forward(self, text):\n        return text\n\n\n\
             class AcmeHalf(ModelBackedTool):\n    name = 'acme_half'\n\n    \
             def setup(self):\n        pass\n"
        );
        let (tools, _) = read(&concrete);
        assert_eq!(tools, [("fn:acme_summarise".to_owned(), None)]);
        // Declared abstract: `ABC` among the bases, `ABCMeta`, an `@abstractmethod` of its own,
        // whatever name it writes.
        for declared in [
            "class AcmeBase(BaseTool, ABC):\n    name = 'acme_base'\n",
            "class AcmeBase(BaseTool, abc.ABC):\n    name = 'acme_base'\n",
            "class AcmeBase(BaseTool, metaclass=ABCMeta):\n    name = 'acme_base'\n",
            "class AcmeBase(BaseTool):\n    name = 'acme_base'\n\n    \
             @abc.abstractmethod\n    def _run(self):\n        ...\n",
        ] {
            let text = format!("import abc\nfrom langchain.tools import BaseTool\n\n{declared}");
            let (tools, classes) = read(&text);
            assert!(tools.is_empty(), "{declared}");
            assert!(classes[0].abstract_class, "{declared}");
        }
        // A decorator that only starts like `abstractmethod`, or a commented-out one, declares
        // nothing abstract.
        for text in [
            "class AcmeTool(BaseTool):\n    name = 'acme'\n\n    \
             @abstractmethodology\n    def _run(self):\n        ...\n",
            "class AcmeTool(BaseTool):\n    name = 'acme'\n\n    \
             # @abstractmethod\n    def _run(self):\n        ...\n",
        ] {
            let text = format!("from langchain.tools import BaseTool\n\n{text}");
            assert_eq!(read(&text).0, [("fn:acme".to_owned(), None)], "{text}");
        }
    }
}
