//! MCP client configurations: Claude Desktop `claude_desktop_config.json`, Claude Code `.mcp.json`,
//! VS Code `.vscode/mcp.json` (`servers` and `inputs`), Cursor `.cursor/mcp.json`, and plain
//! `mcp.json`.
//!
//! Each server becomes a typed value: how it is launched (command, arguments, the package it
//! runs and whether that package is pinned), where it is reached (url), which environment keys and
//! headers it is given, and which tools the client approves without asking. `${VAR}`,
//! `${VAR:-default}` and `${input:x}` references are kept as written.
//!
//! Literal secrets are classified here but their values are never kept: an env value, header or
//! argument that looks like a credential is stored as `<redacted>` with a flag, so no later stage
//! (inventory, JSON output, terminal) can print it.

use serde::Serialize;

use super::text::{TextSpan, find_from, parse_json};
use super::{ParseError, ParseResult};

/// What stands in for a literal secret everywhere after parsing.
pub const REDACTED: &str = "<redacted>";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McpConfig {
    /// `mcpServers` (Claude, Cursor), `servers` (VS Code), or empty when the servers are the
    /// top-level keys (a Claude Code plugin's `.mcp.json`).
    pub servers_key: &'static str,
    pub servers: Vec<McpServer>,
    /// VS Code `inputs` ids (prompted values, e.g. passwords).
    pub inputs: Vec<String>,
    /// Entries of the server map that are not objects (a string, an array …): no client can
    /// launch them, so they are not servers; reported as a partly parsed file (BOM001).
    pub malformed: Vec<MalformedServer>,
}

/// A server map entry that is not an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MalformedServer {
    pub name: String,
    /// `a string`, `an array`, `a number`, `a boolean` or `null`.
    pub found: &'static str,
    pub span: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McpServer {
    pub name: String,
    pub span: Option<TextSpan>,
    /// `stdio`, `http`, `sse` … as written, or inferred `stdio` / `http` from command / url.
    pub transport: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    pub args: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub env: Vec<KeyValue>,
    pub headers: Vec<KeyValue>,
    /// Tool names the client runs without asking (`alwaysAllow`, `autoApprove`); `*` for all.
    pub auto_approve: Vec<String>,
    /// `alwaysAllow` or `autoApprove`, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_approve_key: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_approve_span: Option<TextSpan>,
    pub disabled: bool,
    /// The package a launcher (`npx`, `uvx`, `bunx`, `pnpm dlx`, `pipx run`, `docker run`) runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Literal secrets: where (`env`, `headers`, `args`) and under which key, never the value.
    pub secrets: Vec<SecretLocation>,
    /// Absolute or home-relative paths among the arguments (filesystem roots, mounts).
    pub paths: Vec<String>,
    /// `docker run` flags that widen what the container can reach.
    pub docker_flags: Vec<String>,
}

/// An `env` or `headers` entry. `value` is the text as written for references and harmless
/// literals, and `REDACTED` for anything that looks like a credential.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
    pub is_reference: bool,
    pub span: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretLocation {
    /// `env`, `headers` or `args`.
    pub field: &'static str,
    /// The key name, or `args[N]` for an argument.
    pub key: String,
    pub span: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// `npx`, `uvx`, `bunx`, `pnpm dlx`, `pipx run`, `docker run`.
    pub launcher: String,
    /// The package or image as written, version included.
    pub spec: String,
    /// The name without version.
    pub name: String,
    pub version: Option<String>,
    /// True when the version is exact (npm `@1.2.3`, PyPI `==1.2.3`, a docker digest or tag
    /// other than `latest`).
    pub pinned: bool,
    pub span: Option<TextSpan>,
}

/// True when the text looks like an MCP client config (decides `mcp.json`-named files).
pub fn parse(text: &str) -> ParseResult<McpConfig> {
    let value = parse_json(text)?;
    let (servers_key, servers) = match (value.get("mcpServers"), value.get("servers")) {
        (Some(s), _) => ("mcpServers", s),
        (None, Some(s)) => ("servers", s),
        // A Claude Code plugin's `.mcp.json` names its servers at the top level.
        (None, None) if is_server_map(&value) => ("", &value),
        (None, None) => {
            return Err(ParseError::new(
                "not an MCP client config: no `mcpServers` or `servers` object, and the top level is not a map of servers",
            ));
        }
    };
    let Some(servers) = servers.as_object() else {
        return Err(ParseError::new(format!("`{servers_key}` is not an object")));
    };
    let key_start = if servers_key.is_empty() {
        0
    } else {
        find_from(text, &format!("\"{servers_key}\""), 0).map_or(0, |s| s.offset)
    };
    let mut cursor = key_start;
    let mut out = Vec::new();
    let mut malformed = Vec::new();
    for (name, server) in servers {
        let span = find_from(text, &format!("\"{}\"", json_escape(name)), cursor);
        if let Some(s) = span {
            cursor = s.offset + s.len;
        }
        match json_type(server) {
            None => out.push(parse_server(text, name, server, span, cursor)),
            Some(found) => malformed.push(MalformedServer {
                name: name.clone(),
                found,
                span,
            }),
        }
    }
    let inputs = value
        .get("inputs")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|i| i.get("id").and_then(|v| v.as_str()).map(str::to_owned))
        .collect();
    Ok(McpConfig {
        servers_key,
        servers: out,
        inputs,
        malformed,
    })
}

/// What a JSON value is, for a value that should be an object; `None` for an object.
fn json_type(value: &serde_json::Value) -> Option<&'static str> {
    match value {
        serde_json::Value::Object(_) => None,
        serde_json::Value::String(_) => Some("a string"),
        serde_json::Value::Array(_) => Some("an array"),
        serde_json::Value::Number(_) => Some("a number"),
        serde_json::Value::Bool(_) => Some("a boolean"),
        serde_json::Value::Null => Some("null"),
    }
}

/// Whether a JSON value is a non-empty object whose every value is a server: an object with a
/// `command` or a `url`.
fn is_server_map(value: &serde_json::Value) -> bool {
    value.as_object().is_some_and(|map| {
        !map.is_empty()
            && map.values().all(|server| {
                server
                    .as_object()
                    .is_some_and(|s| s.contains_key("command") || s.contains_key("url"))
            })
    })
}

fn json_escape(s: &str) -> String {
    serde_json::to_string(s)
        .map(|q| q[1..q.len() - 1].to_owned())
        .unwrap_or_else(|_| s.to_owned())
}

fn parse_server(
    text: &str,
    name: &str,
    server: &serde_json::Value,
    span: Option<TextSpan>,
    from: usize,
) -> McpServer {
    let str_field = |k: &str| server.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let command = str_field("command");
    let url = str_field("url").or_else(|| str_field("serverUrl"));
    let transport = str_field("type")
        .or_else(|| str_field("transport"))
        .or_else(|| command.as_ref().map(|_| "stdio".to_owned()))
        .or_else(|| url.as_ref().map(|_| "http".to_owned()));
    let mut secrets = Vec::new();
    let locate = |needle: &str| find_from(text, &format!("\"{}\"", json_escape(needle)), from);

    let raw_args: Vec<String> = server
        .get("args")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    let mut args = Vec::with_capacity(raw_args.len());
    let mut secret_flag: Option<&str> = None;
    for (i, arg) in raw_args.iter().enumerate() {
        let secret = secret_flag.is_some_and(|flag| looks_like_literal_secret(flag, arg))
            || arg_has_secret(arg);
        secret_flag = is_secret_flag(arg).then(|| arg.trim_start_matches('-'));
        if secret {
            secrets.push(SecretLocation {
                field: "args",
                key: format!("args[{i}]"),
                span: locate("args"),
            });
            args.push(REDACTED.to_owned());
        } else {
            args.push(arg.clone());
        }
    }

    let mut key_values = |field: &'static str| -> Vec<KeyValue> {
        let Some(map) = server.get(field).and_then(|v| v.as_object()) else {
            return Vec::new();
        };
        map.iter()
            .map(|(key, value)| {
                let value = match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let span = locate(key);
                let is_reference = is_reference(&value);
                let secret = !is_reference && looks_like_literal_secret(key, &value);
                if secret {
                    secrets.push(SecretLocation {
                        field,
                        key: key.clone(),
                        span,
                    });
                }
                KeyValue {
                    key: key.clone(),
                    value: if secret { REDACTED.to_owned() } else { value },
                    is_reference,
                    span,
                }
            })
            .collect()
    };
    let env = key_values("env");
    let headers = key_values("headers");

    let (auto_approve, auto_approve_key, auto_approve_span) = ["alwaysAllow", "autoApprove"]
        .iter()
        .find_map(|k| {
            let v = server.get(*k)?;
            let names = match v {
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                serde_json::Value::Bool(true) => vec!["*".to_owned()],
                _ => Vec::new(),
            };
            Some((names, Some(*k), locate(k)))
        })
        .unwrap_or_default();
    let disabled = server
        .get("disabled")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let package = command
        .as_deref()
        .and_then(|c| package_of(c, &args))
        .map(|mut p| {
            p.span = locate(&p.spec).or_else(|| locate("args"));
            p
        });
    let docker_flags = docker_flags(command.as_deref(), &args);
    let paths = args
        .iter()
        .filter(|a| *a != REDACTED)
        .flat_map(|a| {
            // `-v /host:/container` and `--mount src=/x` carry host paths too.
            a.split([':', '=', ','])
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|a| {
            a.starts_with('/') || a.starts_with('~') || a.starts_with("${HOME}") || is_win_root(a)
        })
        .collect();
    McpServer {
        name: name.to_owned(),
        span,
        transport,
        command,
        args,
        url,
        env,
        headers,
        auto_approve,
        auto_approve_key,
        auto_approve_span,
        disabled,
        package,
        secrets,
        paths,
        docker_flags,
    }
}

fn is_win_root(a: &str) -> bool {
    let b = a.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// `${VAR}`, `${VAR:-default}`, `${input:x}`, `${env:X}`, `$VAR`, `%VAR%`: a value filled in
/// by the client at launch, not a literal.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.contains("${")
        || (v.starts_with('$') && v.len() > 1)
        || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
}

/// Prefixes of well-known credential formats.
static TOKEN_PREFIXES: &[&str] = &[
    "AIza",
    "AKIA",
    "ASIA",
    "eyJ",
    "gho_",
    "ghp_",
    "ghs_",
    "github_pat_",
    "glpat-",
    "hf_",
    "rk_live_",
    "sk-",
    "sk_live_",
    "sk_test_",
    "xoxa-",
    "xoxb-",
    "xoxp-",
];

static SECRET_KEY_WORDS: &[&str] = &[
    "api_key",
    "apikey",
    "auth",
    "credential",
    "key",
    "passwd",
    "password",
    "pat",
    "private",
    "secret",
    "token",
];

fn key_is_secretish(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| SECRET_KEY_WORDS.contains(&word))
        || lower.contains("apikey")
        || lower.contains("api_key")
        || lower.contains("token")
        || lower.contains("secret")
        || lower.contains("password")
}

fn is_placeholder(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    lower.is_empty()
        || lower.starts_with('<')
        || lower.starts_with("your")
        || lower.contains("todo")
        || lower.contains("changeme")
        || lower.contains("placeholder")
        || lower.contains("example")
        || lower.chars().all(|c| c == 'x' || c == '*' || c == '.')
}

fn has_token_prefix(value: &str) -> bool {
    let v = value.trim();
    TOKEN_PREFIXES
        .iter()
        .any(|p| v.starts_with(p) && v.len() >= p.len() + 12)
}

/// A literal value (not a reference) that looks like a credential: a known token format, a
/// `Bearer`/`Basic` header with a literal token, or a long opaque value under a secret-sounding
/// key.
pub fn looks_like_literal_secret(key: &str, value: &str) -> bool {
    let v = value.trim();
    if is_reference(v) || is_placeholder(v) {
        return false;
    }
    if has_token_prefix(v) {
        return true;
    }
    for scheme in ["Bearer ", "Basic ", "token "] {
        if let Some(token) = v.strip_prefix(scheme) {
            return !is_reference(token) && !is_placeholder(token) && token.trim().len() >= 8;
        }
    }
    key_is_secretish(key) && v.len() >= 8 && !v.contains(' ') && !v.contains('/')
}

fn is_secret_flag(arg: &str) -> bool {
    let flag = arg.trim_start_matches('-');
    arg.starts_with('-') && !arg.contains('=') && key_is_secretish(flag)
}

fn arg_has_secret(arg: &str) -> bool {
    if let Some((flag, value)) = arg.split_once('=')
        && flag.starts_with('-')
    {
        return looks_like_literal_secret(flag.trim_start_matches('-'), value);
    }
    has_token_prefix(arg) && !is_reference(arg)
}

/// The package a launcher command runs, from the command and its arguments.
pub fn package_of(command: &str, args: &[String]) -> Option<Package> {
    let program = command
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(command)
        .trim_end_matches(".cmd")
        .trim_end_matches(".exe");
    let mut words: Vec<&str> = command.split_whitespace().skip(1).collect();
    words.extend(args.iter().map(String::as_str));
    let (launcher, rest): (&str, &[&str]) = match program.split_whitespace().next()? {
        "npx" => ("npx", &words[..]),
        "bunx" => ("bunx", &words[..]),
        "uvx" => ("uvx", &words[..]),
        "pnpm" if words.first() == Some(&"dlx") => ("pnpm dlx", &words[1..]),
        "bun" if words.first() == Some(&"x") => ("bunx", &words[1..]),
        "uv" if words.first() == Some(&"tool") && words.get(1) == Some(&"run") => {
            ("uvx", &words[2..])
        }
        "pipx" if words.first() == Some(&"run") => ("pipx run", &words[1..]),
        "docker" | "podman" if words.first() == Some(&"run") => {
            return docker_image(&words[1..]);
        }
        _ => return None,
    };
    let python = matches!(launcher, "uvx" | "pipx run");
    // `uvx --from pkg==1.0 tool`: the package is the `--from` value.
    let mut from = None;
    let mut positional = None;
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i];
        if w == "--from" || w == "--spec" || w == "-p" || w == "--package" {
            from = rest.get(i + 1).copied();
            i += 2;
            continue;
        }
        if let Some(v) = w
            .strip_prefix("--from=")
            .or_else(|| w.strip_prefix("--package="))
        {
            from = Some(v);
        } else if !w.starts_with('-') && positional.is_none() {
            positional = Some(w);
        }
        if positional.is_some() {
            break;
        }
        i += 1;
    }
    let spec = from.or(positional)?;
    if spec == REDACTED {
        return None;
    }
    let (name, version) = if python {
        split_python_spec(spec)
    } else {
        split_npm_spec(spec)
    };
    let pinned = version.as_deref().is_some_and(is_exact_version);
    Some(Package {
        launcher: launcher.to_owned(),
        spec: spec.to_owned(),
        name,
        version,
        pinned,
        span: None,
    })
}

fn split_npm_spec(spec: &str) -> (String, Option<String>) {
    let search_from = usize::from(spec.starts_with('@'));
    match spec[search_from..].find('@') {
        Some(i) => (
            spec[..search_from + i].to_owned(),
            Some(spec[search_from + i + 1..].to_owned()),
        ),
        None => (spec.to_owned(), None),
    }
}

fn split_python_spec(spec: &str) -> (String, Option<String>) {
    if let Some((name, version)) = spec.split_once("==") {
        return (name.to_owned(), Some(version.to_owned()));
    }
    if let Some((name, version)) = spec.split_once('@') {
        return (name.trim().to_owned(), Some(version.trim().to_owned()));
    }
    for op in [">=", "<=", "~=", ">", "<", "!="] {
        if let Some((name, version)) = spec.split_once(op) {
            return (name.to_owned(), Some(format!("{op}{version}")));
        }
    }
    (spec.to_owned(), None)
}

/// `1.2.3`, `0.6.2`, `2025.1.14`: digits and dots (and a pre-release suffix), not `latest`,
/// a range or a tag.
fn is_exact_version(v: &str) -> bool {
    let v = v.trim().trim_start_matches('v');
    v.starts_with(|c: char| c.is_ascii_digit())
        && v.contains('.')
        && !v.contains(['^', '~', '>', '<', '*', ' ', '|'])
        && !v.ends_with(".x")
}

fn docker_image(words: &[&str]) -> Option<Package> {
    // Flags that take a value: skip the value too.
    const WITH_VALUE: &[&str] = &[
        "-e",
        "--env",
        "--env-file",
        "-v",
        "--volume",
        "--mount",
        "--name",
        "-p",
        "--publish",
        "--network",
        "-w",
        "--workdir",
        "-u",
        "--user",
        "--entrypoint",
        "--platform",
        "-l",
        "--label",
        "--cap-add",
        "--memory",
        "--cpus",
    ];
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if WITH_VALUE.contains(&w) {
            i += 2;
            continue;
        }
        if w.starts_with('-') {
            i += 1;
            continue;
        }
        let (name, version, pinned) = if let Some((name, digest)) = w.split_once('@') {
            (
                name.to_owned(),
                Some(digest.to_owned()),
                digest.starts_with("sha256:"),
            )
        } else {
            let last = w.rsplit('/').next().unwrap_or(w);
            match last.split_once(':') {
                Some((_, tag)) => {
                    let name = w[..w.len() - tag.len() - 1].to_owned();
                    (name, Some(tag.to_owned()), tag != "latest")
                }
                None => (w.to_owned(), None, false),
            }
        };
        return Some(Package {
            launcher: "docker run".to_owned(),
            spec: w.to_owned(),
            name,
            version,
            pinned,
            span: None,
        });
    }
    None
}

fn docker_flags(command: Option<&str>, args: &[String]) -> Vec<String> {
    let is_docker = command.is_some_and(|c| {
        let p = c.rsplit(['/', '\\']).next().unwrap_or(c);
        p.starts_with("docker") || p.starts_with("podman")
    });
    if !is_docker {
        return Vec::new();
    }
    let mut flags: Vec<String> = args
        .iter()
        .filter(|a| {
            matches!(
                a.as_str(),
                "--privileged" | "--network=host" | "--pid=host" | "--ipc=host"
            ) || a.starts_with("--cap-add")
                || a.contains("/var/run/docker.sock")
        })
        .cloned()
        .collect();
    for pair in args.windows(2) {
        if pair[0] == "--network" && pair[1] == "host" {
            flags.push("--network host".to_owned());
        }
    }
    flags.sort();
    flags.dedup();
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_prefixes_are_sorted() {
        let mut sorted = TOKEN_PREFIXES.to_vec();
        sorted.sort();
        assert_eq!(sorted, TOKEN_PREFIXES);
        let mut words = SECRET_KEY_WORDS.to_vec();
        words.sort();
        assert_eq!(words, SECRET_KEY_WORDS);
    }

    #[test]
    fn a_plugin_config_names_its_servers_at_the_top_level() {
        let text = r#"{"docs": {"type": "http", "url": "https://mcp.example.com/docs"},
            "ops": {"command": "uvx", "args": ["acme-ops-mcp==1.2.0"]}}"#;
        let cfg = parse(text).unwrap();
        assert_eq!(cfg.servers_key, "");
        let names: Vec<&str> = cfg.servers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["docs", "ops"]);
        assert_eq!(cfg.servers[0].transport.as_deref(), Some("http"));
        assert_eq!(cfg.servers[1].span.unwrap().line, 2);
        // A top level that is not all servers is no config.
        assert!(parse(r#"{"docs": {"url": "https://x"}, "version": 2}"#).is_err());
        assert!(parse("{}").is_err());
    }

    #[test]
    fn claude_and_vscode_shapes() {
        let text = r#"{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.7.1", "/"],
            "env": {"GITHUB_TOKEN": "ghp_abcdefghijklmnopqrstuvwxyz0123", "HOME_DIR": "${HOME}"}, "alwaysAllow": ["read_file"]}}}"#;
        let cfg = parse(text).unwrap();
        let fs = &cfg.servers[0];
        assert_eq!(fs.name, "fs");
        let pkg = fs.package.as_ref().unwrap();
        assert_eq!(pkg.name, "@modelcontextprotocol/server-filesystem");
        assert!(pkg.pinned);
        assert_eq!(fs.paths, vec!["/"]);
        assert_eq!(fs.auto_approve, vec!["read_file"]);
        assert_eq!(fs.secrets.len(), 1);
        assert_eq!(fs.secrets[0].key, "GITHUB_TOKEN");
        assert!(!format!("{cfg:?}").contains("ghp_abc"));
        assert!(fs.env[1].is_reference);

        let vs = parse(r#"{"inputs":[{"type":"promptString","id":"pat","password":true}],
            "servers":{"gh":{"type":"http","url":"https://api.example.com/mcp","headers":{"Authorization":"Bearer ${input:pat}"}}}}"#).unwrap();
        assert_eq!(vs.servers_key, "servers");
        assert_eq!(vs.inputs, vec!["pat"]);
        assert!(vs.servers[0].secrets.is_empty());
        assert_eq!(vs.servers[0].transport.as_deref(), Some("http"));
    }

    #[test]
    fn packages_and_pins() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let p = package_of("npx", &args(&["-y", "@acme/mcp"])).unwrap();
        assert!(!p.pinned && p.name == "@acme/mcp");
        assert!(
            !package_of("npx", &args(&["-y", "pkg@latest"]))
                .unwrap()
                .pinned
        );
        assert!(!package_of("npx", &args(&["pkg@^1.2.0"])).unwrap().pinned);
        assert!(package_of("bunx", &args(&["pkg@1.2.0"])).unwrap().pinned);
        assert!(
            !package_of("uvx", &args(&["mcp-server-git"]))
                .unwrap()
                .pinned
        );
        assert!(
            package_of("uvx", &args(&["mcp-server-git==0.6.2"]))
                .unwrap()
                .pinned
        );
        let p = package_of("uvx", &args(&["--from", "acme-tools==1.0.0", "acme"])).unwrap();
        assert!(p.pinned && p.name == "acme-tools");
        let d = package_of(
            "docker",
            &args(&["run", "-i", "--rm", "-e", "X", "ghcr.io/acme/mcp"]),
        )
        .unwrap();
        assert!(!d.pinned && d.name == "ghcr.io/acme/mcp");
        assert!(
            package_of("docker", &args(&["run", "acme/mcp@sha256:abc"]))
                .unwrap()
                .pinned
        );
        assert!(package_of("node", &args(&["server.js"])).is_none());
    }

    #[test]
    fn secrets_are_classified_not_kept() {
        assert!(looks_like_literal_secret("API_KEY", "a8f3kq92mz01"));
        assert!(!looks_like_literal_secret("API_KEY", "${API_KEY}"));
        assert!(!looks_like_literal_secret("API_KEY", "your-api-key"));
        assert!(!looks_like_literal_secret("LOG_LEVEL", "debug-verbose"));
        assert!(looks_like_literal_secret(
            "Authorization",
            "Bearer abcdefgh12345"
        ));
        assert!(!looks_like_literal_secret(
            "Authorization",
            "Bearer ${TOKEN}"
        ));
        let cfg = parse(
            r#"{"mcpServers":{"x":{"command":"acme","args":["--api-key","q8w7e6r5t4y3u2"]}}}"#,
        )
        .unwrap();
        assert_eq!(cfg.servers[0].args, vec!["--api-key", REDACTED]);
        assert_eq!(cfg.servers[0].secrets[0].key, "args[1]");
    }

    #[test]
    fn an_entry_that_is_not_an_object_is_no_server() {
        let text = r#"{"mcpServers": {
  "files": "npx -y @acme/files-mcp",
  "search": ["npx", "acme-search"],
  "count": 3,
  "off": null,
  "ok": {"command": "uvx", "args": ["acme-ok==1.0.0"]}
}}"#;
        let cfg = parse(text).unwrap();
        let names: Vec<&str> = cfg.servers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["ok"]);
        let malformed: Vec<(&str, &str, u32)> = cfg
            .malformed
            .iter()
            .map(|m| (m.name.as_str(), m.found, m.span.map_or(0, |s| s.line)))
            .collect();
        assert_eq!(
            malformed,
            [
                ("files", "a string", 2),
                ("search", "an array", 3),
                ("count", "a number", 4),
                ("off", "null", 5)
            ]
        );
        // Nothing but malformed entries still parses, with no server.
        let cfg = parse(r#"{"servers": {"x": "acme"}}"#).unwrap();
        assert!(cfg.servers.is_empty());
        assert_eq!(cfg.malformed[0].found, "a string");
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        assert!(parse("[]").is_err());
        assert!(parse(r#"{"mcpServers": 3}"#).is_err());
        assert!(parse(&"[".repeat(10_000)).is_err());
        let cfg =
            parse(r#"{"mcpServers":{"x":{"command":"npx","args":[1, null, "-y"]}}}"#).unwrap();
        assert!(cfg.servers[0].package.is_none());
    }
}
