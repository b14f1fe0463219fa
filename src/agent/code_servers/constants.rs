//! The name of a server built with a constant the file imports (`FastMCP(SERVER_NAME)` after
//! `from .config import SERVER_NAME`, `new McpServer({ name: CONFIG.name })` after `import {
//! CONFIG } from "./config.js"`): the value the module it is imported from shares
//! (`SourceTools::constants`), found through the module's own imports when it re-exports the
//! constant (a Python package's `__init__.py` holding `from .config import SERVER_NAME` or
//! `from .config import *`; a TypeScript `export { SERVER_NAME } from "./names.js"` or `export
//! * from "./names.js"`). A Python constant may also be an attribute of a module the file
//! imports (`FastMCP(config.SERVER_NAME)` after `from . import config`), whose file is found as
//! Python finds it (`python::imported_module`).
//!
//! Only what the files of the scan say is read, through the imports `code_servers` resolves.
//! The walk from one import is bounded (re-exports one after another, `export *` modules of one
//! file) and reads no file twice, so cycles end at once; each module and constant asked is
//! answered once.

use std::collections::HashMap;

use super::{SourceLayout, python, resolve};
use crate::artifact::tool_code::{SourceTools, star_takes};

/// Re-exports followed from the module a constant is imported from.
const MAX_REEXPORTS: usize = 4;
/// `export * from` modules of one file looked into.
const MAX_EXPORTS_ALL: usize = 8;
/// Modules read for one constant past which a Python `from … import *` is followed no further.
const MAX_STAR_LOOKUPS: usize = 32;

/// For each file (by index), the name of the server it leaves unnamed when it builds it with
/// a constant whose value is found (`SourceTools::unnamed_by`).
pub(super) fn server_names(
    files: &[(&str, &SourceTools)],
    by_path: &HashMap<&str, usize>,
    layout: &SourceLayout,
) -> Vec<Option<String>> {
    let mut constants = Constants {
        files,
        by_path,
        layout,
        answered: HashMap::new(),
    };
    (0..files.len())
        .map(|index| constants.server_name(index))
        .collect()
}

struct Constants<'f> {
    files: &'f [(&'f str, &'f SourceTools)],
    by_path: &'f HashMap<&'f str, usize>,
    layout: &'f SourceLayout,
    /// The value of each constant asked, by module and key (`SERVER_NAME`, `CONFIG.name`).
    answered: HashMap<(usize, String), Option<String>>,
}

impl Constants<'_> {
    fn server_name(&mut self, index: usize) -> Option<String> {
        let source = self.files[index].1;
        source.unnamed_server.as_ref()?;
        let constant = source.unnamed_by.as_ref()?;
        let key = constant.key();
        let value = match &constant.module {
            None => source.constants.get(&key).cloned(),
            Some(module) => {
                let target = match &constant.module_name {
                    // An attribute of a module the file imports (`config.SERVER_NAME`).
                    Some(name) => python::imported_module(
                        self.files,
                        self.by_path,
                        self.layout,
                        index,
                        module,
                        Some(name),
                    )?,
                    None => self.module(index, module)?,
                };
                self.value(target, &key)
            }
        };
        value.filter(|name| !name.trim().is_empty())
    }

    /// The file an import of `file` names.
    fn module(&self, file: usize, module: &str) -> Option<usize> {
        resolve(self.files[file].0, module, self.by_path, self.layout)
    }

    /// The value the module `file` gives the constant `key`, its own or re-exported.
    fn value(&mut self, file: usize, key: &str) -> Option<String> {
        let asked = (file, key.to_owned());
        if let Some(answer) = self.answered.get(&asked) {
            return answer.clone();
        }
        let mut visited = Vec::new();
        let answer = self.find(file, key, 0, &mut visited);
        self.answered.insert(asked, answer.clone());
        answer
    }

    fn find(
        &self,
        file: usize,
        key: &str,
        depth: usize,
        visited: &mut Vec<usize>,
    ) -> Option<String> {
        if visited.contains(&file) {
            return None;
        }
        visited.push(file);
        let source = self.files[file].1;
        if let Some(value) = source.constants.get(key) {
            return Some(value.clone());
        }
        if depth == MAX_REEXPORTS {
            return None;
        }
        // The constant, or the object that holds the property, under another module's name.
        let (name, property) = match key.split_once('.') {
            Some((name, property)) => (name, Some(property)),
            None => (key, None),
        };
        let key_there = |name_there: &str| match property {
            Some(property) => format!("{name_there}.{property}"),
            None => name_there.to_owned(),
        };
        if let Some(links) = source.python_links.as_deref() {
            if let Some(import) = links.imported(name) {
                let next = self.module(file, &import.module)?;
                return self.find(next, &key_there(&import.name), depth + 1, visited);
            }
            if links.binds(name) {
                return None;
            }
            // The last of the modules it imports `*` from that gives it, as Python binds it.
            for module in links.star_imports.iter().rev() {
                if visited.len() >= MAX_STAR_LOOKUPS {
                    return None;
                }
                if let Some(next) = self.module(file, module)
                    && star_takes(self.files[next].1.python_links.as_deref(), key)
                    && let Some(value) = self.find(next, key, depth + 1, visited)
                {
                    return Some(value);
                }
            }
        }
        let links = &source.links.exported_links;
        for link in links.get(name).into_iter().flatten() {
            if let Some(next) = self.module(file, &link.module)
                && let Some(value) = self.find(next, &key_there(&link.name), depth + 1, visited)
            {
                return Some(value);
            }
        }
        for link in links.get("*").into_iter().flatten().take(MAX_EXPORTS_ALL) {
            if let Some(next) = self.module(file, &link.module)
                && let Some(value) = self.find(next, key, depth + 1, visited)
            {
                return Some(value);
            }
        }
        None
    }
}
