//! Tools a low-level TypeScript/JavaScript MCP server (the SDK's `Server` class) lists from its
//! `setRequestHandler(ListToolsRequestSchema, …)` handler (written in the call, or a function of
//! the same file passed by name): the `{ tools: [...] }` it returns, where the array may be
//! written in the handler, held in a constant of the same file
//! (`const TOOLS: Tool[] = [...]`, `{ tools: TOOLS }`, `{ tools }`, spread `...TOOLS`), and each
//! tool an object literal or a constant of the same file (`const FOO_TOOL: Tool = { … }`). A
//! tool's `name` is a string literal (a template literal without `${…}`), a string constant, or
//! an enum member or constant object property of the same file (`ToolName.ECHO`); a name that
//! is computed is not statically known and the tool is skipped, as the Python side does.
//!
//! The file is read as lexed once (`script_lex`: strings, template literals and comments told
//! from code, brackets paired), so that a handler in a comment or a string lists nothing and a
//! `{` in a description does not end an object early. Nothing is followed into other files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;

use super::{annotations_in, literal_body};
use crate::artifact::escapes::decode_script;
use crate::artifact::script_lex::Lexed;
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Annotations, Dialect, ToolDecl, short_description};

/// Constants followed from a handler to its tools: an array constant of object constants, an
/// array spread into another.
const MAX_INDIRECTION: usize = 4;

/// `server.setRequestHandler(ListToolsRequestSchema` (also `types.ListToolsRequestSchema`):
/// group 1 the server object, group 2 the call's opening parenthesis.
static LIST_TOOLS_HANDLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*setRequestHandler\s*(\()\s*(?:[A-Za-z_$][A-Za-z0-9_$]*\s*\.\s*)?ListToolsRequestSchema\b")
        .expect("valid regex")
});
/// `const TOOLS: Tool[] = [` or `const FOO_TOOL: Tool = {` (also `let`/`var`): group 1 the
/// name, group 2 the opening bracket.
static COLLECTION_CONST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$.<>\[\]| ]*)?=\s*([\[{])")
        .expect("valid regex")
});
/// `const shown = TOOLS.filter(` (also `let`/`var`, `slice`, `sort`, `toSorted`): group 1 the
/// name, group 2 the array it keeps some or all tools of.
static SUBSET_CONST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$.<>\[\]| ]*)?=\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*(?:filter|slice|sort|toSorted)\s*\(")
        .expect("valid regex")
});
/// `TOOLS.filter(…)` as a value: group 1 the array.
static SUBSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*(?:filter|slice|sort|toSorted)\s*\(")
        .expect("valid regex")
});
/// `enum ToolName {`: group 1 the name, group 2 the opening brace.
static ENUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\benum\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(\{)").expect("valid regex")
});
/// The key of an object property (`name:`, `"name":`) or of an enum member (`ECHO =`): group 1
/// to 3 the key, group 4 the separator.
static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^(?:([A-Za-z_$][A-Za-z0-9_$]*)|"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')\s*([:=])"#,
    )
    .expect("valid regex")
});
static IDENTIFIER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_$][A-Za-z0-9_$]*$").expect("valid regex"));
/// `ToolName.ECHO`: group 1 the enum or object, group 2 the member.
static MEMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*([A-Za-z_$][A-Za-z0-9_$]*)$")
        .expect("valid regex")
});
static INPUT_SCHEMA_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\binputSchema\b").expect("valid regex"));
static TOOLS_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\btools\b").expect("valid regex"));

/// Tools listed by one file at most: a generated file of millions is not read to its end.
const MAX_LISTED_TOOLS: usize = 10_000;

/// The tools the file's `setRequestHandler(ListToolsRequestSchema, …)` handlers list
/// ([`listed_tools`]) and, in a file that names the MCP SDK (`sdk`), the tool objects no
/// handler lists ([`defined_tools`]); the file's constants are read once for both. `servers`
/// names the server objects constructed with a name, `objects` the server objects constructed
/// at all, `strings` the string constants of the file (bodies as written), `declared` the tools
/// the file declared otherwise.
pub(super) fn object_tools(
    lexed: &Lexed,
    servers: &BTreeMap<&str, String>,
    objects: &BTreeMap<&str, &str>,
    strings: &BTreeMap<&str, &str>,
    stem: &str,
    declared: &[ToolDecl],
    sdk: bool,
) -> Vec<ToolDecl> {
    let text = lexed.text;
    let lists = text.contains("ListToolsRequestSchema");
    let defines = sdk && text.contains("inputSchema");
    if !lists && !defines {
        return Vec::new();
    }
    let source = Source::new(lexed, strings);
    let mut memo = Memo::default();
    let mut out = Vec::new();
    if lists {
        out = listed_tools(&source, &mut memo, servers, objects, stem);
    }
    if defines {
        let known: BTreeSet<usize> = declared
            .iter()
            .chain(&out)
            .filter_map(|t| t.span.map(|s| s.offset))
            .collect();
        out.extend(defined_tools(&source, &mut memo, stem, &known));
    }
    out
}

/// The tools every `setRequestHandler(ListToolsRequestSchema, …)` handler of the file lists; a
/// tool of an object not constructed here belongs to a server named after `stem` until
/// discovery finds it (`ToolDecl::server_elsewhere`).
fn listed_tools<'t>(
    source: &Source<'t>,
    memo: &mut Memo<'t>,
    servers: &BTreeMap<&str, String>,
    objects: &BTreeMap<&str, &str>,
    stem: &str,
) -> Vec<ToolDecl> {
    let text = source.text;
    let mut listed = BTreeSet::new();
    let mut out = Vec::new();
    let mut handled_until = 0;
    'handlers: for c in LIST_TOOLS_HANDLER.captures_iter(text) {
        let (Some(object), Some(paren)) = (c.get(1), c.get(2)) else {
            continue;
        };
        if object.start() < handled_until {
            continue;
        }
        // A parenthesis in a comment or a string is never paired: such a handler lists nothing.
        let Some(close) = source.lexed.close_of(paren.start()) else {
            continue;
        };
        handled_until = close;
        let server = servers.get(object.as_str()).map_or(stem, String::as_str);
        let mut arrays = source.handler_arrays(paren.start()..close);
        if arrays.is_empty()
            && let Some(body) = source.named_handler(paren.start()..close)
        {
            arrays = source.handler_arrays(body);
        }
        for array in arrays {
            if !listed.insert((server, array)) {
                continue;
            }
            for tool in source.array_tools(array, 0, memo).iter() {
                if out.len() == MAX_LISTED_TOOLS {
                    break 'handlers;
                }
                let elsewhere = !objects.contains_key(object.as_str());
                out.push(tool.clone().declared(text, server, elsewhere));
            }
        }
    }
    // A tool object held in a constant may be listed twice by one server (`[...A, X]`).
    out.sort_by(|a, b| (&a.id, a.span).cmp(&(&b.id, b.span)));
    out.dedup_by(|a, b| a.id == b.id && a.span == b.span);
    out
}

/// MCP tool definitions that no handler of this file lists: object literals in code with a
/// `name` and an `inputSchema` (the shape of the protocol's `Tool`), as a file of tool
/// definitions exports them for a server elsewhere (`export const TOOLS: Tool[] = [{ name: …,
/// inputSchema: … }]`, a function returning such an array). Each is a tool of a server named
/// after `stem` until discovery finds the server through the files that import this one. A
/// tool whose name starts at an offset in `known` (a handler of this file lists it) is left out.
fn defined_tools<'t>(
    source: &Source<'t>,
    memo: &mut Memo<'t>,
    stem: &str,
    known: &BTreeSet<usize>,
) -> Vec<ToolDecl> {
    let (text, lexed) = (source.text, source.lexed);
    let mut out: Vec<ToolDecl> = Vec::new();
    for key in INPUT_SCHEMA_KEY.find_iter(text) {
        if out.len() == MAX_LISTED_TOOLS {
            break;
        }
        if !lexed.is_code(key.start()) {
            continue;
        }
        let after = lexed.skip_trivia(key.end(), text.len());
        if !matches!(text.as_bytes().get(after), Some(b':' | b',' | b'}')) {
            continue;
        }
        let Some(open) = lexed.enclosing(key.start()) else {
            continue;
        };
        if text.as_bytes()[open] != b'{' {
            continue;
        }
        let Some(tool) = source.tool(open, memo) else {
            continue;
        };
        if known.contains(&tool.name_at.start) {
            continue;
        }
        out.push(tool.declared(text, stem, true));
    }
    out.sort_by(|a, b| (&a.id, a.span).cmp(&(&b.id, b.span)));
    out.dedup_by(|a, b| a.id == b.id && a.span == b.span);
    out
}

/// One tool object of a list.
#[derive(Debug, Clone)]
struct Listed {
    name: String,
    /// The name's literal body or expression.
    name_at: Range<usize>,
    description: Option<String>,
    annotations: Option<Annotations>,
}

impl Listed {
    /// The tool of `server` (in the source `text`); `elsewhere` when the file does not
    /// construct that server.
    fn declared(self, text: &str, server: &str, elsewhere: bool) -> ToolDecl {
        ToolDecl {
            id: format!("mcp:{server}/{}", self.name),
            name: self.name,
            provider: Some(format!("mcp:{server}")),
            dialect: Dialect::McpListTools,
            description: self.description.as_deref().map(short_description),
            annotations: self.annotations,
            auto_approved: None,
            url: None,
            span: Some(TextSpan::at(text, self.name_at.start, self.name_at.len())),
            server_elsewhere: elsewhere,
        }
    }
}

/// What has been read already, by opening bracket: each array, object, enum or constant object
/// is read once however often it is named.
#[derive(Default)]
struct Memo<'t> {
    arrays: HashMap<usize, Rc<[Listed]>>,
    tools: HashMap<usize, Option<Listed>>,
    members: HashMap<usize, Rc<BTreeMap<&'t str, String>>>,
}

/// A lexed source file and its constants.
struct Source<'t> {
    text: &'t str,
    lexed: &'t Lexed<'t>,
    /// `const` arrays and objects by name: the offsets of their opening brackets, in order.
    collections: HashMap<&'t str, Vec<usize>>,
    /// Constants that keep some of another array's tools (`TOOLS.filter(…)`), by name: that
    /// array's name. A tool the file lists may be filtered out at run time; it is still listed.
    subsets: HashMap<&'t str, &'t str>,
    enums: HashMap<&'t str, usize>,
    strings: &'t BTreeMap<&'t str, &'t str>,
}

impl<'t> Source<'t> {
    fn new(lexed: &'t Lexed<'t>, strings: &'t BTreeMap<&'t str, &'t str>) -> Source<'t> {
        let text = lexed.text;
        let mut source = Source {
            text,
            lexed,
            collections: HashMap::new(),
            subsets: HashMap::new(),
            enums: HashMap::new(),
            strings,
        };
        for c in COLLECTION_CONST.captures_iter(text) {
            if let (Some(name), Some(open)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
            {
                source
                    .collections
                    .entry(name.as_str())
                    .or_default()
                    .push(open.start());
            }
        }
        for c in SUBSET_CONST.captures_iter(text) {
            if let (Some(name), Some(of)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
            {
                source.subsets.entry(name.as_str()).or_insert(of.as_str());
            }
        }
        for c in ENUM.captures_iter(text) {
            if let (Some(name), Some(open)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
            {
                source.enums.entry(name.as_str()).or_insert(open.start());
            }
        }
        source
    }

    /// The arrays the `tools` properties of a handler's objects hold: written there
    /// (`tools: [`), or constants (`tools: TOOLS`, `{ tools }`), by opening bracket.
    fn handler_arrays(&self, handler: Range<usize>) -> Vec<usize> {
        let mut out = Vec::new();
        for word in TOOLS_WORD.find_iter(&self.text[handler.clone()]) {
            let at = handler.start + word.start();
            if !self.lexed.is_code(at) {
                continue;
            }
            let before = self.text[handler.start..at].trim_end();
            let after = &self.text[self
                .lexed
                .skip_trivia(handler.start + word.end(), handler.end)
                ..handler.end];
            let declared = ["const", "let", "var"].iter().any(|k| before.ends_with(k));
            if declared || before.ends_with('.') {
                continue;
            }
            let array = if let Some(value) = after.strip_prefix(':') {
                let value = self
                    .lexed
                    .skip_trivia(handler.end - value.len(), handler.end);
                let item = self.item_at(value, handler.end);
                if self.text[value..].starts_with('[') {
                    Some(value)
                } else if let Some(of) = SUBSET.captures(&self.text[item.clone()]) {
                    self.collection(of.get(1).map_or("", |m| m.as_str()), '[', at)
                } else {
                    self.identifier(item)
                        .and_then(|name| self.collection(name, '[', at))
                }
            } else if (before.ends_with('{') || before.ends_with(','))
                && (after.starts_with(',') || after.starts_with('}'))
            {
                self.collection("tools", '[', at)
            } else {
                None
            };
            out.extend(array);
        }
        out
    }

    /// The body of the function a handler call passes by name (`setRequestHandler(Schema,
    /// listTools)`, `this.listTools`, `this.listTools.bind(this)`): a function declaration, an
    /// arrow function or function expression held in a constant, or a class method, of this
    /// file, or a class field holding a function (`private handleList = async () => …`).
    /// `call` is the range of the call's parentheses.
    fn named_handler(&self, call: Range<usize>) -> Option<Range<usize>> {
        let items = self.items(call.start, call.end);
        let handler = &self.text[items.get(1)?.clone()];
        let handler = handler
            .strip_suffix(".bind(this)")
            .unwrap_or(handler)
            .trim_end();
        let handler = handler
            .strip_prefix("this.")
            .unwrap_or(handler)
            .trim_start();
        if !IDENTIFIER.is_match(handler) {
            return None;
        }
        let name = regex::escape(handler);
        // A declaration of the name, then the function's parameters or, for a constant, its
        // value.
        let declaration = Regex::new(&format!(
            r"(?m)\bfunction\s*\*?\s+{name}\s*(?:<[^>(]*>\s*)?\(|\b(?:const|let|var)\s+{name}\b[^=;]*=|^\s*(?:(?:public|private|protected|static|readonly|async|override)\s+)*{name}\s*(?:(?:<[^>(]*>\s*)?\(|(?::[^=;]*)?=[^>=])"
        ))
        .ok()?;
        declaration
            .find_iter(self.text)
            .filter(|m| {
                self.lexed
                    .is_code(self.lexed.skip_trivia(m.start(), m.end()))
            })
            .find_map(|m| self.function_body(m))
    }

    /// The body of the function whose declaration `found` matched: up to its parameters'
    /// opening parenthesis, or up to the `=` of a constant. `None` for a call (`listTools();`
    /// at the start of a line) or a constant that holds no function.
    fn function_body(&self, found: regex::Match) -> Option<Range<usize>> {
        // The body: the first brace at this level that does not open a type (`Promise<{ … }>`,
        // `: { tools: Tool[] }`), or the bracket right after `=>` (`async () => ({ tools })`).
        let bytes = self.text.as_bytes();
        let (mut at, mut previous) = if found.as_str().ends_with('(') {
            // Past a function's parameters, which may destructure (`({ params }) => …`).
            (self.lexed.close_of(found.end() - 1)? + 1, b')')
        } else {
            (found.end(), b'=')
        };
        // A return type is never this long: past it, the declaration was a call.
        let limit = bytes.len().min(at + 1024);
        while at < limit {
            if !self.lexed.is_code(at) || bytes[at].is_ascii_whitespace() {
                at += 1;
                continue;
            }
            let c = bytes[at];
            let arrow = previous == b'>' && self.text[..at].trim_end().ends_with("=>");
            match c {
                b'{' | b'(' if arrow || c == b'{' && !b"<:|&,=".contains(&previous) => {
                    return Some(at..self.lexed.close_of(at)?);
                }
                b'(' | b'[' | b'{' => at = self.lexed.close_of(at)?,
                b';' => return None,
                _ => {}
            }
            previous = bytes[at];
            at += 1;
        }
        None
    }

    /// The tools of the array literal opening at `open`, with those of the arrays spread into
    /// it.
    fn array_tools(&self, open: usize, depth: usize, memo: &mut Memo<'t>) -> Rc<[Listed]> {
        if let Some(known) = memo.arrays.get(&open) {
            return Rc::clone(known);
        }
        // An array spread into itself, directly or not, adds nothing.
        memo.arrays.insert(open, Rc::from(Vec::new()));
        let mut out = Vec::new();
        let close = self.lexed.close_of(open).unwrap_or(open);
        for item in self.items(open, close) {
            let text = &self.text[item.clone()];
            let object = if text.starts_with('{') {
                Some(item.start)
            } else if let Some(spread) = text.strip_prefix("...") {
                let inner = self
                    .identifier(item.end - spread.len()..item.end)
                    .and_then(|name| self.collection(name, '[', open));
                if let Some(inner) = inner
                    && depth < MAX_INDIRECTION
                {
                    out.extend(self.array_tools(inner, depth + 1, memo).iter().cloned());
                }
                None
            } else {
                self.identifier(item)
                    .and_then(|name| self.collection(name, '{', open))
            };
            if let Some(object) = object {
                let tool = match memo.tools.get(&object) {
                    Some(known) => known.clone(),
                    None => {
                        let tool = self.tool(object, memo);
                        memo.tools.insert(object, tool.clone());
                        tool
                    }
                };
                out.extend(tool);
            }
        }
        let out: Rc<[Listed]> = Rc::from(out);
        memo.arrays.insert(open, Rc::clone(&out));
        out
    }

    /// The tool the object literal opening at `open` describes, when its name is known.
    fn tool(&self, open: usize, memo: &mut Memo<'t>) -> Option<Listed> {
        let close = self.lexed.close_of(open)?;
        let mut name = None;
        let mut description = None;
        let mut annotations = None;
        for (key, value) in self.properties(open, close, ':') {
            match key {
                "name" => name = self.name_value(value, memo),
                "description" => description = self.text_value(value),
                "annotations" => annotations = annotations_in(&self.text[value]),
                _ => {}
            }
        }
        let (name, name_at) = name?;
        Some(Listed {
            name,
            name_at,
            description,
            annotations,
        })
    }

    /// A tool name: a string literal, a string constant, or an enum member or constant object
    /// property of this file.
    fn name_value(
        &self,
        value: Range<usize>,
        memo: &mut Memo<'t>,
    ) -> Option<(String, Range<usize>)> {
        if let Some(body) = self.literal(value.clone()) {
            return Some((decode_script(&self.text[body.clone()]), body));
        }
        let expression = &self.text[value.clone()];
        if IDENTIFIER.is_match(expression) {
            let constant = self.strings.get(expression)?;
            return Some((decode_script(constant), value));
        }
        let member = MEMBER.captures(expression)?;
        let members = self.members(member.get(1)?.as_str(), value.start, memo)?;
        Some((members.get(&member[2])?.clone(), value))
    }

    /// A description: string literals joined with `+` (template literals as written), or a
    /// string constant.
    fn text_value(&self, value: Range<usize>) -> Option<String> {
        let expression = &self.text[value.clone()];
        if IDENTIFIER.is_match(expression) {
            return self.strings.get(expression).map(|s| decode_script(s));
        }
        let mut joined = String::new();
        let mut at = value.start;
        loop {
            let body = literal_body(&self.text[at..value.end])?;
            joined.push_str(&decode_script(body));
            at = self.lexed.skip_trivia(at + body.len() + 2, value.end);
            match self.text[at..value.end].strip_prefix('+') {
                Some(rest) => at = self.lexed.skip_trivia(value.end - rest.len(), value.end),
                None if at == value.end => return Some(joined),
                None => return None,
            }
        }
    }

    /// The string members of `owner`, an `enum` or a constant object (`MEMBER = "value"`,
    /// `MEMBER: "value"`).
    fn members(
        &self,
        owner: &str,
        used_at: usize,
        memo: &mut Memo<'t>,
    ) -> Option<Rc<BTreeMap<&'t str, String>>> {
        let (open, separator) = match self.enums.get(owner) {
            Some(&open) => (open, '='),
            None => (self.collection(owner, '{', used_at)?, ':'),
        };
        if let Some(known) = memo.members.get(&open) {
            return Some(Rc::clone(known));
        }
        let close = self.lexed.close_of(open)?;
        let members: BTreeMap<&'t str, String> = self
            .properties(open, close, separator)
            .into_iter()
            .filter_map(|(key, value)| {
                let body = self.literal(value)?;
                Some((key, decode_script(&self.text[body])))
            })
            .collect();
        let members = Rc::new(members);
        memo.members.insert(open, Rc::clone(&members));
        Some(members)
    }

    /// The literal body when `value` is exactly one string or template literal without `${`.
    fn literal(&self, value: Range<usize>) -> Option<Range<usize>> {
        let text = &self.text[value.clone()];
        let body = literal_body(text)?;
        let whole = body.len() + 2 == text.len();
        (whole && !(text.starts_with('`') && body.contains("${")))
            .then(|| value.start + 1..value.end - 1)
    }

    fn identifier(&self, item: Range<usize>) -> Option<&'t str> {
        let text = &self.text[item];
        IDENTIFIER.is_match(text).then_some(text)
    }

    /// The opening bracket (`[` or `{`) of the constant `name` as seen from `used_at`: the
    /// last declared before it, else the file's first.
    /// A constant that keeps some of another array's tools stands for that array.
    fn collection(&self, name: &str, bracket: char, used_at: usize) -> Option<usize> {
        let mut name = name;
        for _ in 0..MAX_INDIRECTION {
            match (self.collections.contains_key(name), self.subsets.get(name)) {
                (false, Some(of)) => name = of,
                _ => break,
            }
        }
        let opens = self.collections.get(name)?;
        let open = opens
            .iter()
            .rev()
            .find(|&&open| open < used_at)
            .or_else(|| opens.first())?;
        self.text[*open..].starts_with(bracket).then_some(*open)
    }

    /// The `key: value` properties (or, with `=`, the enum members) between `open` and `close`,
    /// shorthand and spread properties left out: each key and its value's range.
    fn properties(
        &self,
        open: usize,
        close: usize,
        separator: char,
    ) -> Vec<(&'t str, Range<usize>)> {
        let mut out = Vec::new();
        for item in self.items(open, close) {
            let Some(key) = KEY.captures(&self.text[item.clone()]) else {
                continue;
            };
            let (Some(name), Some(sep)) = ((1..=3).find_map(|g| key.get(g)), key.get(4)) else {
                continue;
            };
            if !sep.as_str().starts_with(separator) {
                continue;
            }
            let name = &self.text[item.start + name.start()..item.start + name.end()];
            let value = self.lexed.skip_trivia(item.start + sep.end(), item.end)..item.end;
            out.push((name, value));
        }
        out
    }

    /// The comma-separated items between the brackets at `open` and `close`, without the
    /// white space and comments around them.
    fn items(&self, open: usize, close: usize) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = open + 1;
        while start < close {
            let end = self.expression_end(start, close);
            out.push(self.lexed.trimmed(start..end));
            start = end + 1;
        }
        out.retain(|item| !item.is_empty());
        out
    }

    /// The expression that starts at `start`, without the white space and comments around it.
    fn item_at(&self, start: usize, limit: usize) -> Range<usize> {
        self.lexed.trimmed(start..self.expression_end(start, limit))
    }

    /// Where the expression that starts at `start` ends: at the first comma, closing bracket or
    /// semicolon of its own level, or at `limit`.
    fn expression_end(&self, start: usize, limit: usize) -> usize {
        let mut at = start;
        while at < limit {
            if self.lexed.is_code(at) {
                match self.text.as_bytes()[at] {
                    b'(' | b'[' | b'{' => {
                        at = self.lexed.close_of(at).map_or(at + 1, |c| c + 1);
                        continue;
                    }
                    b',' | b')' | b']' | b'}' | b';' => return at,
                    _ => {}
                }
            }
            at += 1;
        }
        limit.min(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::tool_code::{Language, scan};

    fn listed(src: &str) -> Vec<ToolDecl> {
        scan(src, Language::Script, "index").unwrap().tools
    }

    fn ids(tools: &[ToolDecl]) -> Vec<&str> {
        tools.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn tools_written_in_the_handler() {
        let src = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const server = new Server(
  { name: "acme-files", version: "1.0.0" },
  { capabilities: { tools: {} } },
);

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: "read_file",
      description: "Read a file {as text}. " +
        'Never writes.',
      inputSchema: { type: "object", properties: { name: { type: "string", description: "delete me" } } },
      annotations: { readOnlyHint: true },
    },
    // { name: "old_tool", description: "commented out" },
    { name: `write_file`, description: `Write a file`, inputSchema: {} },
    { name: `make_${kind}`, description: "computed", inputSchema: {} },
    { name: prefix + "_x", inputSchema: {} },
  ],
}));
"#;
        let tools = listed(src);
        assert_eq!(
            ids(&tools),
            ["mcp:acme-files/read_file", "mcp:acme-files/write_file"]
        );
        assert!(tools.iter().all(|t| t.dialect == Dialect::McpListTools));
        assert_eq!(tools[0].provider.as_deref(), Some("mcp:acme-files"));
        assert_eq!(
            tools[0].description.as_deref(),
            Some("Read a file {as text}. Never writes.")
        );
        assert_eq!(tools[0].annotations.unwrap().read_only, Some(true));
        assert_eq!(tools[1].description.as_deref(), Some("Write a file"));
        assert!(tools[1].annotations.is_none());
        let span = tools[0].span.unwrap();
        assert_eq!(
            (span.line, &src[span.offset..span.offset + span.len]),
            (12, "read_file")
        );
        assert!(!tools[0].server_elsewhere);
    }

    #[test]
    fn handlers_passed_by_name() {
        let head = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
const server = new Server({ name: "acme-named", version: "1.0.0" }, {});
const TOOLS: Tool[] = [{ name: "from_const", inputSchema: {} }];
"#;
        let cases = [
            (
                "async function listTools(): Promise<{ tools: Tool[] }> {\n  return { tools: [{ name: \"declared\", inputSchema: {} }] };\n}\nserver.setRequestHandler(ListToolsRequestSchema, listTools);",
                "mcp:acme-named/declared",
            ),
            (
                "const listTools = async ({ params }: Req): Promise<{ tools: Tool[] }> => ({ tools: TOOLS });\nserver.setRequestHandler(ListToolsRequestSchema, listTools);",
                "mcp:acme-named/from_const",
            ),
            (
                "class Acme {\n  init() {\n    handleList(null);\n  }\n  private async handleList(_r: Req) {\n    return { tools: [{ name: \"method\", inputSchema: {} }] };\n  }\n  setup() { server.setRequestHandler(ListToolsRequestSchema, this.handleList.bind(this)); }\n}",
                "mcp:acme-named/method",
            ),
            (
                "class Acme {\n  register() { server.setRequestHandler(ListToolsRequestSchema, this.handleList); }\n  private handleList = async () => ({\n    tools: TOOLS,\n  });\n}",
                "mcp:acme-named/from_const",
            ),
        ];
        // `TOOLS`, where no handler lists it, is a tool defined for a server elsewhere.
        let by_handlers = |tools: &[ToolDecl]| -> Vec<String> {
            tools
                .iter()
                .filter(|t| !t.server_elsewhere)
                .map(|t| t.id.clone())
                .collect()
        };
        for (body, want) in cases {
            let tools = listed(&format!("{head}{body}\n"));
            assert_eq!(by_handlers(&tools), [want], "{body}");
        }
        // A name this file does not define, or a call in a comment, lists nothing.
        let src = format!(
            "{head}// function listTools() {{ return {{ tools: TOOLS }}; }}\nserver.setRequestHandler(ListToolsRequestSchema, listTools);\n"
        );
        assert!(by_handlers(&listed(&src)).is_empty());
    }

    #[test]
    fn tool_definitions_for_a_server_elsewhere() {
        let src = r#"import type { Tool } from "@modelcontextprotocol/sdk/types.js";

export function createToolDefinitions(): Tool[] {
  return [
    {
      name: "browser_navigate",
      description: "Open a URL",
      inputSchema: { type: "object", properties: { url: { type: "string" } } },
    },
    // { name: "browser_old", inputSchema: {} },
    { name: `browser_${kind}`, inputSchema: {} },
  ];
}

const description = "Delete a page";
export const DELETE_TOOL: Tool = {
  name: "browser_delete",
  description,
  inputSchema,
  annotations: { destructiveHint: true },
};
const request = { name: "not_a_tool", arguments: {} };
const doc = '{ name: "in_string", inputSchema: {} }';
"#;
        let tools = listed(src);
        assert_eq!(
            ids(&tools),
            ["mcp:index/browser_navigate", "mcp:index/browser_delete"]
        );
        assert!(tools.iter().all(|t| t.server_elsewhere));
        assert_eq!(tools[0].description.as_deref(), Some("Open a URL"));
        assert_eq!(tools[1].annotations.unwrap().destructive, Some(true));
        // Without the protocol's SDK in sight, the shape alone is no tool.
        let plain = src.replace("@modelcontextprotocol/sdk/types.js", "./types.js");
        assert!(listed(&plain).is_empty());
    }

    #[test]
    fn tools_held_in_constants() {
        let src = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema, Tool } from "@modelcontextprotocol/sdk/types.js";

enum ToolName {
  PURGE = "purge_cache",
  STATS = 'cache_stats',
}
const Names = { SEND: "send_report" } as const;
const PING = "ping";
const PURGE_DESCRIPTION = "Purge the edge cache";

const PURGE_TOOL: Tool = {
  name: ToolName.PURGE,
  description: PURGE_DESCRIPTION,
  inputSchema: { type: "object" },
  annotations: { destructiveHint: true, readOnlyHint: false },
};
const STATS_TOOL: Tool = { name: ToolName.STATS, inputSchema: {} };
const BASE_TOOLS: Tool[] = [STATS_TOOL, { name: PING, inputSchema: {} }];
const TOOLS: Tool[] = [PURGE_TOOL, ...BASE_TOOLS, { name: Names.SEND, inputSchema: {} }, UNKNOWN_TOOL];

class AcmeCache {
  private server = new Server({ name: "acme-cache", version: "0.1.0" }, { capabilities: {} });
  constructor() {
    this.server.setRequestHandler(types.ListToolsRequestSchema, async () => {
      return { tools: TOOLS };
    });
  }
}
"#;
        let tools = listed(src);
        assert_eq!(
            ids(&tools),
            [
                "mcp:acme-cache/purge_cache",
                "mcp:acme-cache/cache_stats",
                "mcp:acme-cache/ping",
                "mcp:acme-cache/send_report"
            ]
        );
        assert_eq!(
            tools[0].description.as_deref(),
            Some("Purge the edge cache")
        );
        assert_eq!(tools[0].annotations.unwrap().destructive, Some(true));
        // The span is where the tool object names itself.
        let span = tools[0].span.unwrap();
        assert_eq!(
            (span.line, &src[span.offset..span.offset + span.len]),
            (13, "ToolName.PURGE")
        );

        // `{ tools }` returns a constant of the handler, which may list object constants.
        let src = r#"
const ECHO_TOOL = { name: "echo", description: "Echo the input" };
server.setRequestHandler(ListToolsRequestSchema, async () => {
  const tools: Tool[] = [ECHO_TOOL, { name: "add", description: "Add two numbers" }];
  return { tools };
});
"#;
        let tools = listed(src);
        assert_eq!(ids(&tools), ["mcp:index/echo", "mcp:index/add"]);
        // The server object is not constructed here: discovery looks for it.
        assert!(tools.iter().all(|t| t.server_elsewhere));
    }

    #[test]
    fn other_handlers_comments_and_strings_list_no_tools() {
        let src = r#"
const server = new Server({ name: "acme-prompts", version: "1.0.0" }, {});
// server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "in_comment" }] }));
/* server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "in_block" }] })); */
const doc = "server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 'in_string' }] }))";
server.setRequestHandler(ListPromptsRequestSchema, async () => ({
  prompts: [{ name: "summarise", description: "Summarise a ticket" }],
}));
server.setRequestHandler(ListResourcesRequestSchema, async () => ({
  resources: [{ name: "tools", uri: "acme://tools" }],
}));
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: registry.list().map((t) => ({ name: t.id })),
}));
"#;
        assert!(listed(src).is_empty(), "{:?}", ids(&listed(src)));
    }

    #[test]
    fn filtered_lists_keep_the_tools_of_their_array() {
        // A list filtered at run time (per client, per feature flag) lists every tool it may
        // keep: the array's.
        let src = r#"
server.setRequestHandler(ListToolsRequestSchema, async () => {
  const allTools = [{ name: "read_file" }, { name: "write_file" }];
  const shown = allTools.filter((tool) => allowed(tool.name));
  return { tools: shown };
});
server2.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: BASE.slice(0, 1),
}));
const BASE = [{ name: "ping" }];
"#;
        assert_eq!(
            ids(&listed(src)),
            [
                "mcp:index/read_file",
                "mcp:index/write_file",
                "mcp:index/ping"
            ]
        );
    }

    #[test]
    fn arrays_spread_into_themselves_end() {
        let src = "const A = [...B, { name: \"a\" }];\nconst B = [...A, { name: \"b\" }];\n\
                   s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...A] }));\n";
        assert_eq!(ids(&listed(src)), ["mcp:index/a", "mcp:index/b"]);
    }
}
