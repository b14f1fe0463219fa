//! Python tool classes followed from file to file: a class derived from a class imported from
//! another file (`class AcmeExecTool(AcmeSandboxBase)` after `from .base import
//! AcmeSandboxBase`) is a tool class when the class it comes down to is one in its own file
//! (`class AcmeSandboxBase(BaseTool)` in `base.py`), through re-exports and along chains of
//! files, as server classes are followed (`python`). It is named by the `name` it writes, else
//! the one of the classes it derives from, else its class name; its description likewise.
//!
//! A class that declares no name and that classes of other files derive from is a shared base
//! (`tool_code::python_classes`): the tool its own file read for it is dropped, unless that file
//! builds it or passes it as a value. Only the files of the scan are read, every lookup is
//! bounded, and a class met twice on one walk ends it.

use std::collections::{HashMap, HashSet};

use super::SourceLayout;
use super::python::{MAX_REEXPORTS, PythonModules};
use crate::artifact::tool_code::{PythonToolClass, SourceTools};
use crate::artifact::tool_json::{Dialect, ToolDecl};

/// Lookups (modules and classes, along every base) made to tell whether one class is a tool
/// class.
const MAX_CLASS_LOOKUPS: usize = 32;

/// What a tool class passes on to the classes derived from it.
struct Inherited {
    name: Option<String>,
    description: Option<String>,
    dialect: Dialect,
}

/// The tool classes of every Python file of the scan.
struct ToolClasses<'f> {
    modules: PythonModules<'f>,
    classes: HashMap<(usize, &'f str), &'f PythonToolClass>,
}

impl<'f> ToolClasses<'f> {
    /// The file that defines the class `class` of the module `file` (defined there, or imported
    /// there from the module that defines it, re-export after re-export), and the class.
    fn defining(&self, file: usize, class: &'f str) -> Option<(usize, &'f PythonToolClass)> {
        let (mut at, mut name) = (file, class);
        let mut passed = vec![file];
        for _ in 0..=MAX_REEXPORTS {
            if let Some(found) = self.classes.get(&(at, name)) {
                return Some((at, found));
            }
            let (next, next_name) = self.modules.origin(at, name, MAX_REEXPORTS, &passed)?;
            if passed.contains(&next) {
                return None;
            }
            passed.push(next);
            (at, name) = (next, next_name);
        }
        None
    }

    /// Whether `class`, of `file`, is a tool class, and what it has from itself and the first
    /// of its bases that is one: `None` when it is not or cannot be told.
    fn resolve(
        &self,
        file: usize,
        class: &'f PythonToolClass,
        lookups: &mut usize,
        visited: &mut HashSet<(usize, &'f str)>,
    ) -> Option<Inherited> {
        if class.bases.is_empty() {
            return Some(Inherited {
                name: class.name.clone(),
                description: class.description.clone(),
                dialect: class.dialect,
            });
        }
        for (module, name) in &class.bases {
            if *lookups == 0 {
                return None;
            }
            *lookups -= 1;
            let Some((at, base)) =
                (self.modules.module(file, module)).and_then(|next| self.defining(next, name))
            else {
                continue;
            };
            if !visited.insert((at, base.class.as_str())) {
                continue;
            }
            if let Some(found) = self.resolve(at, base, lookups, visited) {
                return Some(Inherited {
                    name: class.name.clone().or(found.name),
                    description: class.description.clone().or(found.description),
                    dialect: found.dialect,
                });
            }
        }
        None
    }
}

/// See `code_servers::resolve_python_tool_classes`.
pub(super) fn resolve_tool_classes(files: &mut [(&str, &mut SourceTools)], layout: &SourceLayout) {
    let view: Vec<(&str, &SourceTools)> = files.iter().map(|(path, s)| (*path, &**s)).collect();
    let of_file = |file: usize| {
        (view[file].1.python_links.as_deref()).map_or(&[][..], |links| &links.tool_classes[..])
    };
    let pending = |file: usize| of_file(file).iter().any(|class| !class.bases.is_empty());
    if !(0..view.len()).any(pending) {
        return;
    }
    let by_path: HashMap<&str, usize> = (view.iter().enumerate())
        .map(|(i, (path, _))| (*path, i))
        .collect();
    let classes = (0..view.len())
        .flat_map(|file| of_file(file).iter().map(move |class| (file, class)))
        .map(|(file, class)| ((file, class.class.as_str()), class))
        .collect();
    let tool_classes = ToolClasses {
        modules: PythonModules::new(&view, &by_path, layout),
        classes,
    };
    // The classes classes of other files derive from, by file and where they are named.
    let mut derived_elsewhere: HashSet<(usize, usize)> = HashSet::new();
    for file in 0..view.len() {
        for class in of_file(file) {
            for (module, name) in &class.bases {
                if let Some((at, base)) = (tool_classes.modules.module(file, module))
                    .and_then(|next| tool_classes.defining(next, name))
                {
                    derived_elsewhere.insert((at, base.span.offset));
                }
            }
        }
    }
    let mut made: Vec<(usize, ToolDecl)> = Vec::new();
    let mut bases: Vec<(usize, usize)> = Vec::new();
    for file in 0..view.len() {
        for class in of_file(file) {
            let offset = class.span.offset;
            let is_base = class.is_base(derived_elsewhere.contains(&(file, offset)));
            if class.bases.is_empty() {
                // The file read it as a tool unless a class of its own derives from it.
                if is_base && !class.derived {
                    bases.push((file, offset));
                }
                continue;
            }
            if is_base {
                continue;
            }
            let mut lookups = MAX_CLASS_LOOKUPS;
            let mut visited = HashSet::from([(file, class.class.as_str())]);
            if let Some(found) = tool_classes.resolve(file, class, &mut lookups, &mut visited) {
                let inherited = (found.name.as_deref(), found.description.as_deref());
                made.push((file, class.tool(inherited, found.dialect)));
            }
        }
    }
    drop(tool_classes);
    for (file, offset) in bases {
        let tools = &mut files[file].1.tools;
        tools.retain(|tool| {
            let class_tool = matches!(
                tool.dialect,
                Dialect::CrewaiTool | Dialect::LangchainBaseTool | Dialect::SmolagentsTool
            );
            !(class_tool && tool.span.is_some_and(|span| span.offset == offset))
        });
    }
    for (file, tool) in made {
        let tools = &mut files[file].1.tools;
        tools.push(tool);
        tools.sort_by_key(|t| t.span.map(|s| s.offset));
    }
}
