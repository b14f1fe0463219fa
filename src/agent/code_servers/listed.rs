//! Tools a low-level TypeScript/JavaScript MCP server lists from another file: the handler
//! passed to `setRequestHandler(ListToolsRequestSchema, …)`, the array it returns, a tool
//! constant in it or the function returning the array, imported
//! (`tool_code::ListedImport`). The import is resolved as any other (relative paths, path
//! aliases, workspace packages), and the name looked up among what the imported file exports
//! (`tool_code::ScriptLinks`), through `export { … } from` and `export * from` a few modules
//! deep; an object of tools imported (`Object.values(TOOLS)`) is looked up among the exported
//! objects' properties, named as the handler names them. The tools found are the handler's
//! server's, located where their names are written.

use std::collections::{BTreeMap, HashMap};

use crate::artifact::tool_code::{ImportedName, SourceTools};
use crate::artifact::tool_json::ToolDecl;

use super::{SourceLayout, by_path, resolve};

/// Modules followed from an import to the file that writes the tools out: `export … from`
/// steps, and functions that return an imported array.
const MAX_LINK_DEPTH: usize = 4;

/// For each file (by path) whose tools a server of another file lists, those tools, one per
/// server and tool. `servers_elsewhere` names the servers of a handler whose file does not
/// construct its server (`super::servers_elsewhere`).
pub fn listed_elsewhere(
    files: &[(&str, &SourceTools)],
    layout: &SourceLayout,
    servers_elsewhere: &BTreeMap<String, super::Answer>,
) -> BTreeMap<String, Vec<ToolDecl>> {
    let mut out: BTreeMap<String, Vec<ToolDecl>> = BTreeMap::new();
    if files.iter().all(|(_, f)| f.links.listed.is_empty()) {
        return out;
    }
    let links = Links {
        files,
        layout,
        by_path: by_path(files),
    };
    for (path, source) in files {
        for listed in &source.links.listed {
            let own = std::slice::from_ref(&listed.server);
            let servers = match servers_elsewhere.get(*path) {
                Some(found) if listed.server_elsewhere && !found.servers.is_empty() => {
                    found.servers.as_slice()
                }
                _ => own,
            };
            let mut found = Vec::new();
            links.tools(path, &listed.from, 0, &mut found);
            for (at, tool) in found {
                let declared = out.entry(files[at].0.to_owned()).or_default();
                declared.extend(servers.iter().map(|server| ToolDecl {
                    id: format!("mcp:{server}/{}", tool.name),
                    provider: Some(format!("mcp:{server}")),
                    server_elsewhere: false,
                    ..tool.clone()
                }));
            }
        }
    }
    for declared in out.values_mut() {
        declared.sort_by(|a, b| (&a.id, a.span).cmp(&(&b.id, b.span)));
        declared.dedup_by(|a, b| a.id == b.id && a.span == b.span);
    }
    out
}

struct Links<'f> {
    files: &'f [(&'f str, &'f SourceTools)],
    layout: &'f SourceLayout,
    by_path: HashMap<&'f str, usize>,
}

impl<'f> Links<'f> {
    /// The tools the binding `import` of the file at `from` stands for, each with the index of
    /// the file that writes it out, added to `found`.
    fn tools(
        &self,
        from: &str,
        import: &ImportedName,
        depth: usize,
        found: &mut Vec<(usize, &'f ToolDecl)>,
    ) {
        if depth >= MAX_LINK_DEPTH {
            return;
        }
        let Some(at) = resolve(from, &import.module, &self.by_path, self.layout) else {
            return;
        };
        let (path, source) = self.files[at];
        let links = &source.links;
        let name = import.name.as_str();
        let defined = match import.entries {
            None => links.exported_tools.get(name).map(|tools| {
                found.extend(tools.iter().map(|tool| (at, tool)));
            }),
            // The properties of an object of tools, each named as the list names it.
            Some(how) => links.exported_entries.get(name).map(|entries| {
                for entry in entries {
                    let (tool, from) = entry.select(how);
                    found.extend(tool.map(|tool| (at, tool)));
                    if let Some(from) = from {
                        self.tools(path, from, depth + 1, found);
                    }
                }
            }),
        };
        // A name passed on stands for the same object, listed the same way.
        let passed_on = links.exported_links.get(name);
        for next in passed_on.into_iter().flatten() {
            let next = ImportedName {
                entries: next.entries.or(import.entries),
                ..next.clone()
            };
            self.tools(path, &next, depth + 1, found);
        }
        // `export * from` passes on every name but the default export.
        if passed_on.is_none() && defined.is_none() && name != "default" {
            for all in links.exported_links.get("*").into_iter().flatten() {
                let next = ImportedName {
                    entries: import.entries,
                    ..ImportedName::new(&all.module, name)
                };
                self.tools(path, &next, depth + 1, found);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::tool_code::{Language, scan};

    /// What `listed_elsewhere` finds in a tree of `(path, text)` TypeScript/JavaScript files:
    /// each tool's id, file and line.
    fn listed(tree: &[(&str, &str)]) -> Vec<(String, String, u32)> {
        let sources: Vec<(String, SourceTools)> = tree
            .iter()
            .filter(|(path, _)| !path.ends_with(".json"))
            .map(|(path, text)| {
                let stem = path.rsplit('/').next().unwrap().split('.').next().unwrap();
                (
                    (*path).to_owned(),
                    scan(text, Language::Script, stem).unwrap(),
                )
            })
            .collect();
        let files: Vec<(&str, &SourceTools)> =
            sources.iter().map(|(p, s)| (p.as_str(), s)).collect();
        let layout = SourceLayout::read(tree.iter().map(|(path, _)| *path), |path| {
            let (_, text) = tree.iter().find(|(p, _)| *p == path)?;
            Some((*text).to_owned())
        });
        let elsewhere = super::super::servers_elsewhere(&files, &layout);
        listed_elsewhere(&files, &layout, &elsewhere)
            .into_iter()
            .flat_map(|(path, tools)| {
                tools
                    .into_iter()
                    .map(move |t| (t.id, path.clone(), t.span.unwrap().line))
            })
            .collect()
    }

    /// The tools of `DEFINITIONS` at `path`, listed by `server`.
    fn definitions_of(server: &str, path: &str) -> Vec<(String, String, u32)> {
        ["lookup", "refund"]
            .iter()
            .zip(2..)
            .map(|(tool, line)| (format!("mcp:{server}/{tool}"), path.to_owned(), line))
            .collect()
    }

    const DEFINITIONS: &str = "export const TOOLS = [\n  { name: \"lookup\", inputSchema: {} },\n  { name: \"refund\", inputSchema: {} },\n];\n";

    #[test]
    fn a_handler_imported_lists_the_tools_of_its_module() {
        let server = "import { Server } from \"@modelcontextprotocol/sdk/server/index.js\";\n\
            import { listTools } from \"./handlers/list.js\";\n\
            const server = new Server({ name: \"acme-billing\", version: \"1\" }, {});\n\
            server.setRequestHandler(ListToolsRequestSchema, listTools);\n";
        let tree = [
            ("src/index.ts", server),
            (
                "src/handlers/list.ts",
                "import { TOOLS } from \"../tools\";\nexport const listTools = async () => ({ tools: TOOLS });\n",
            ),
            // Two modules passing the name on: `export { … } from`, then `export * from`.
            (
                "src/tools/index.ts",
                "export { TOOLS } from \"./all.js\";\n",
            ),
            ("src/tools/all.ts", "export * from \"./definitions.js\";\n"),
            ("src/tools/definitions.ts", DEFINITIONS),
            // A module that imports the list and lists nothing.
            (
                "src/tools/check.ts",
                "import { TOOLS } from \"./definitions.js\";\nconsole.log(TOOLS.length);\n",
            ),
        ];
        assert_eq!(
            listed(&tree),
            definitions_of("acme-billing", "src/tools/definitions.ts")
        );
        // An import that leads nowhere in the tree, or to a module without the name, lists
        // nothing.
        let mut broken = tree;
        broken[2].1 = "export { OTHER } from \"./all.js\";\n";
        assert!(listed(&broken).is_empty());
    }

    #[test]
    fn objects_of_tools_imported_are_listed_as_the_handler_lists_them() {
        let server = "import { Server } from \"@modelcontextprotocol/sdk/server/index.js\";\n\
            import { TOOLS } from \"./tools/index.js\";\n\
            const server = new Server({ name: \"acme-desk\", version: \"1\" }, {});\n\
            server.setRequestHandler(ListToolsRequestSchema, async () => ({\n  tools: LIST,\n}));\n";
        let definitions = "export const TOOLS = {\n  lookup: { name: \"lookup_ticket\", inputSchema: {} },\n  close_ticket: { description: \"Close a ticket\", inputSchema: {} },\n};\n";
        let lists = [
            ("Object.values(TOOLS)", vec![("lookup_ticket", 2)]),
            (
                "Object.entries(TOOLS).map(([name, t]) => ({ name, ...t }))",
                vec![("close_ticket", 3), ("lookup_ticket", 2)],
            ),
            (
                "Object.keys(TOOLS).map((name) => ({ name, inputSchema: TOOLS[name].inputSchema }))",
                vec![("close_ticket", 3), ("lookup", 2)],
            ),
        ];
        for (list, want) in lists {
            let index = server.replace("LIST", list);
            // Passed on by `export { … } from` on the way.
            let tree = [
                ("src/index.ts", index.as_str()),
                (
                    "src/tools/index.ts",
                    "export { TOOLS } from \"./definitions.js\";\n",
                ),
                ("src/tools/definitions.ts", definitions),
            ];
            let want: Vec<(String, String, u32)> = want
                .into_iter()
                .map(|(name, line)| {
                    (
                        format!("mcp:acme-desk/{name}"),
                        "src/tools/definitions.ts".to_owned(),
                        line,
                    )
                })
                .collect();
            assert_eq!(listed(&tree), want, "{list}");
        }
    }

    #[test]
    fn commonjs_modules_export_their_tools() {
        let tree = [
            (
                "src/index.js",
                "const { Server } = require(\"@modelcontextprotocol/sdk/server/index.js\");\n\
                 const { listTools } = require(\"./handlers\");\n\
                 const server = new Server({ name: \"acme-cjs\", version: \"1\" }, {});\n\
                 server.setRequestHandler(ListToolsRequestSchema, listTools);\n",
            ),
            (
                "src/handlers.js",
                "const TOOLS = require(\"./tools\");\nconst defs = require(\"./defs\");\n\
                 module.exports.listTools = async () => ({ tools: [...TOOLS, ...defs.MORE] });\n",
            ),
            (
                "src/tools.js",
                "module.exports = [\n  { name: \"ping\", inputSchema: {} },\n];\n",
            ),
            (
                "src/defs.js",
                "exports.MORE = [\n  { name: \"pong\", inputSchema: {} },\n];\n",
            ),
        ];
        assert_eq!(
            listed(&tree),
            [
                ("mcp:acme-cjs/pong".to_owned(), "src/defs.js".to_owned(), 2),
                ("mcp:acme-cjs/ping".to_owned(), "src/tools.js".to_owned(), 2),
            ]
        );
    }

    #[test]
    fn the_server_of_a_handler_elsewhere_is_found_as_for_its_tools() {
        // The handler's file does not construct its server: the file that imports it does.
        let tree = [
            (
                "package.json",
                "{ \"name\": \"@acme/ledger\", \"main\": \"dist/index.js\" }",
            ),
            (
                "src/index.ts",
                "import { Server } from \"@modelcontextprotocol/sdk/server/index.js\";\n\
                 import { setup } from \"./setup.js\";\n\
                 const server = new Server({ name: \"acme-ledger\", version: \"1\" }, {});\n\
                 setup(server);\n",
            ),
            (
                "src/setup.ts",
                "import type { Server } from \"@modelcontextprotocol/sdk/server/index.js\";\n\
                 import * as tools from \"./definitions.js\";\n\
                 export function setup(server: Server) {\n  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.TOOLS }));\n}\n",
            ),
            ("src/definitions.ts", DEFINITIONS),
        ];
        assert_eq!(
            listed(&tree),
            definitions_of("acme-ledger", "src/definitions.ts")
        );
    }
}
