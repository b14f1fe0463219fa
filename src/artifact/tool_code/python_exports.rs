//! What a Python module gives `from … import *`: the modules it imports `*` from itself, its
//! literal `__all__`, and the names it binds at the margin. Discovery follows a name imported
//! from a package through them (`agent::code_servers::python`) as it follows `from .server
//! import mcp`: `from .server import *` in `acme_pkg/__init__.py` gives `mcp` when `server.py`
//! binds it and its `__all__`, if it has one, lists it.
//!
//! Only literals are read: an `__all__` built at run time (`__all__ = base.__all__ + […]`,
//! `__all__.append(…)`, one bound inside a block) stands for no list, and `*` then takes every
//! name that does not start with `_`, as it does from a module without `__all__`.

use std::sync::LazyLock;

use crate::pattern::Pattern;

use super::{PY_FROM_IMPORT, PythonSource, first_word};

/// Modules one file imports `*` from, kept at most: the first ones.
const MAX_STAR_IMPORTS: usize = 8;
/// Names a file shares as bound at its margin, at most: the first ones.
const MAX_BOUND_NAMES: usize = 256;
/// Bytes of an `__all__` literal read at most: a longer one is read as built at run time.
const MAX_ALL_BYTES: usize = 8 * 1024;

/// `__all__ = `, `__all__: list[str] = `, `__all__ += `, `__all__.append(`, indented or not:
/// group 1 the indentation, group 2 the operator.
static PY_ALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)^([ \t]*)__all__[ \t]*(?::[^=\n]*)?(\+=|=|\.)").expect("valid regex")
});
/// A name bound at the margin: `def name`, `async def name`, `class Name`, `name = …`, `name:
/// T = …`, `a, b = …`; groups 1 to 3 the name or names.
static PY_MARGIN_BINDING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)^(?:(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)|class[ \t]+([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*(?:[ \t]*,[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*(?::[^=\n]*)?=(?:[^=]|$))")
        .expect("valid regex")
});

/// What `from <the file> import *` reads of a Python file.
#[derive(Debug, Default, PartialEq)]
pub(super) struct StarExports {
    /// The modules the file imports `*` from, as written, in order.
    pub modules: Vec<String>,
    /// The names of its literal `__all__`, sorted; `None` without one.
    pub all: Option<Vec<String>>,
    /// The names it binds at the margin, sorted.
    pub bound: Vec<String>,
}

/// What the file gives `*`; the names it binds only when `with_bound` (a file that may build a
/// server, so that a name imported through `*` can lead to it).
pub(super) fn read(source: &PythonSource, with_bound: bool) -> StarExports {
    StarExports {
        modules: star_modules(source),
        all: all_names(source),
        bound: if with_bound {
            bound_names(source)
        } else {
            Vec::new()
        },
    }
}

/// `from .server import *`, `from acme_pkg.server import *`: the modules.
fn star_modules(source: &PythonSource) -> Vec<String> {
    let text = source.text;
    if !imports_star(text) {
        return Vec::new();
    }
    let mut modules: Vec<String> = Vec::new();
    for c in PY_FROM_IMPORT.captures_iter(text) {
        let (Some(whole), Some(module), Some(names)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        if names.as_str().trim() != "*" || !source.is_code(first_word(whole)) {
            continue;
        }
        if !modules.iter().any(|m| m == module.as_str()) {
            modules.push(module.as_str().to_owned());
        }
        if modules.len() == MAX_STAR_IMPORTS {
            break;
        }
    }
    modules
}

/// Whether `import` followed by `*` (after blanks) occurs in `text`: the cheap test before the
/// imports are read (`*` alone is common, in `*args`).
fn imports_star(text: &str) -> bool {
    text.match_indices("import").any(|(at, word)| {
        text[at + word.len()..]
            .trim_start_matches([' ', '\t'])
            .starts_with('*')
    })
}

/// The names of the file's `__all__` when every binding of it in code is at the margin, to a
/// literal list or tuple of strings (`=` starts it again, `+=` adds to it), sorted.
fn all_names(source: &PythonSource) -> Option<Vec<String>> {
    let text = source.text;
    if !text.contains("__all__") {
        return None;
    }
    let mut names: Option<Vec<String>> = None;
    for c in PY_ALL.captures_iter(text) {
        let (Some(indent), Some(operator)) = (c.get(1), c.get(2)) else {
            continue;
        };
        if !source.is_code(indent.end()) {
            continue;
        }
        if !indent.is_empty() || operator.as_str() == "." {
            return None;
        }
        let listed = literal_strings(&text[operator.end()..])?;
        match (operator.as_str(), &mut names) {
            ("+=", Some(names)) => names.extend(listed),
            _ => names = Some(listed),
        }
    }
    let mut names = names?;
    names.sort();
    names.dedup();
    Some(names)
}

/// The strings of the list or tuple literal `text` starts with (after white space), when it
/// holds only one-line string literals and the line it ends on holds nothing more but a comment.
fn literal_strings(text: &str) -> Option<Vec<String>> {
    let text = &text[..floor_boundary(text, MAX_ALL_BYTES)];
    let rest = text.trim_start_matches([' ', '\t']);
    let close = match rest.chars().next()? {
        '[' => ']',
        '(' => ')',
        _ => return None,
    };
    let mut rest = &rest[1..];
    let mut strings = Vec::new();
    loop {
        rest = skip_blanks(rest);
        if let Some(after) = rest.strip_prefix(close) {
            let line = after.split('\n').next().unwrap_or("").trim();
            return (line.is_empty() || line.starts_with('#')).then_some(strings);
        }
        let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let body = &rest[1..];
        let end = body.find([quote, '\\', '\n'])?;
        if !body[end..].starts_with(quote) {
            return None;
        }
        strings.push(body[..end].to_owned());
        rest = skip_blanks(&body[end + 1..]);
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else if !rest.starts_with(close) {
            return None;
        }
    }
}

/// `text` after its white space, line breaks and `#` comments.
fn skip_blanks(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        match text.strip_prefix('#') {
            Some(comment) => text = comment.find('\n').map_or("", |end| &comment[end..]),
            None => return text,
        }
    }
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether the line may bind a name at the margin, the cheap test before the pattern: it starts
/// with a letter or `_` (most lines of a module are indented) and is a `def`, a `class` or holds
/// `=` (most others at the margin are imports).
fn may_bind_at_margin(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && (["def", "async", "class"]
            .iter()
            .any(|w| line.starts_with(w))
            || line.contains('='))
}

/// The names the file binds at the margin, sorted (the first [`MAX_BOUND_NAMES`] met).
fn bound_names(source: &PythonSource) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let text = source.text;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|end| end + 1);
    let starts = std::iter::once(0).chain(ends.clone());
    'found: for (at, end) in starts.zip(ends.chain(std::iter::once(text.len()))) {
        let line = &text[at..end];
        if !may_bind_at_margin(line) {
            continue;
        }
        let Some(c) = PY_MARGIN_BINDING.captures(line) else {
            continue;
        };
        let Some(bound) = c.get(1).or(c.get(2)).or(c.get(3)) else {
            continue;
        };
        if !source.is_code(at + bound.start()) {
            continue;
        }
        for name in bound.as_str().split(',').map(str::trim) {
            if names.len() == MAX_BOUND_NAMES {
                break 'found;
            }
            names.push(name.to_owned());
        }
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exports(text: &str) -> StarExports {
        read(&PythonSource::new(text), true)
    }

    #[test]
    fn star_imports_are_read_in_code_in_order() {
        let text = "\"\"\"Acme.\n\nfrom .docs import *\n\"\"\"\nfrom .server import *\n\
                    # from .commented import *\nfrom acme_pkg.tools import  *  # all of it\n\
                    from .named import mcp\ntry:\n    from .optional import *\nexcept ImportError:\n    pass\n\
                    from .server import *\n";
        assert_eq!(
            exports(text).modules,
            [".server", "acme_pkg.tools", ".optional"]
        );
        let many: String = (0..20).map(|i| format!("from .m{i} import *\n")).collect();
        assert_eq!(exports(&many).modules.len(), MAX_STAR_IMPORTS);
    }

    #[test]
    fn a_literal_all_is_read_and_one_built_at_run_time_is_not() {
        let all = |text: &str| exports(text).all;
        let names = |names: &[&str]| Some(names.iter().map(|n| (*n).to_owned()).collect());
        assert_eq!(
            all("__all__ = [\"mcp\", 'create_server',]  # public\n"),
            names(&["create_server", "mcp"])
        );
        assert_eq!(
            all(
                "__all__: tuple[str, ...] = (\n    'mcp',  # the server\n    # 'hidden',\n    'AcmeServer',\n)\n__all__ += ['SERVER_NAME']\n"
            ),
            names(&["AcmeServer", "SERVER_NAME", "mcp"])
        );
        assert_eq!(
            all("__all__ = ['old']\n__all__ = ['mcp']\n"),
            names(&["mcp"])
        );
        assert_eq!(all("__all__ = []\n"), names(&[]));
        // None at all, or built at run time.
        for text in [
            "mcp = 1\n",
            "__all__ = base.__all__ + ['mcp']\n",
            "__all__ = ['mcp'] + extra\n",
            "__all__ = ['mcp']\n__all__.append('other')\n",
            "__all__ = ['mcp']\nif DEBUG:\n    __all__ = ['debug']\n",
            "__all__ = [name for name in dir() if name.islower()]\n",
            "__all__ = ['mc\\x70']\n",
            "__all__ = ['mcp'\n",
        ] {
            assert_eq!(all(text), None, "{text}");
        }
        // Only code binds it.
        assert_eq!(
            all("\"\"\"\n__all__.append('x')\n\"\"\"\n# __all__ = []\n__all__ = ['mcp']\n"),
            names(&["mcp"])
        );
        let long = format!("__all__ = [{}]\n", "'a', ".repeat(MAX_ALL_BYTES / 5));
        assert_eq!(all(&long), None);
    }

    #[test]
    fn names_bound_at_the_margin_are_read() {
        let text = "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('acme')\n\
                    SERVER_NAME: str = 'acme'\napp, config = create_server()\n\
                    def create_server():\n    inner = 1\n    return FastMCP('x')\n\
                    async def serve():\n    pass\nclass AcmeServer(FastMCP):\n    pass\n\
                    if mcp == other:\n    pass\ncount += 1\n\"\"\"\nin_docstring = 1\n\"\"\"\n";
        assert_eq!(
            exports(text).bound,
            [
                "AcmeServer",
                "SERVER_NAME",
                "app",
                "config",
                "create_server",
                "mcp",
                "serve"
            ]
        );
        assert!(read(&PythonSource::new(text), false).bound.is_empty());
        let many: String = (0..1000).map(|i| format!("n{i} = {i}\n")).collect();
        assert_eq!(exports(&many).bound.len(), MAX_BOUND_NAMES);
        // Windows line ends, and a last line with no line end.
        let crlf = "import os\r\nmcp = FastMCP('acme')\r\n    inner = 1\r\nlast = 2";
        assert_eq!(exports(crlf).bound, ["last", "mcp"]);
        assert_eq!(exports("").bound, Vec::<String>::new());
    }

    #[test]
    fn only_an_import_of_star_is_taken_for_one() {
        assert!(imports_star("from .server import *\n"));
        assert!(imports_star("from .server import\t *  # all of it\n"));
        assert!(!imports_star(
            "import os\ndef f(*args, **kwargs):\n    return 2 * 3\n"
        ));
        assert!(!imports_star("from .server import mcp\nx = a * b\n"));
    }
}
