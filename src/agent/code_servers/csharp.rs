//! C# tool classes and the servers that register them by type: `WithTools<AcmeTools>()`,
//! `WithTools([typeof(AcmeTools)])` and `WithToolsFromAssembly()` in the file that builds the
//! server (`AddMcpServer(…)`), or in an extension method on `IMcpServerBuilder` that the
//! server's builder calls by name (`.WithAcmeTools()`), and the extension methods that one
//! calls on its builder in turn. Such a method is found as a class is, below, from the file
//! that calls it; the classes it registers are found from its own file.
//!
//! A registered class is found by its name, as the compiler would find it from the server's
//! file: declared in that file, else in the server's project (the nearest directory holding a
//! `.csproj`, else its package), else in a project that one references (`<ProjectReference>`,
//! followed through the references of those). When the server's file or the classes of that
//! name are in no `.csproj` project, so that references are unknown, a class anywhere in the
//! tree is taken when all classes of that name are in one directory's project; several of one
//! name in different projects are ambiguous and give the server no tool. A class in a
//! `.csproj` project that the server's project does not reference is not taken. `WithToolsFromAssembly()` registers
//! the `[McpServerToolType]` classes of the server's project; `WithToolsFromAssembly(typeof(T)
//! .Assembly)` those of the project declaring `T`, when `T` is a tool class found as above.
//!
//! A server whose file and extension methods register tools only in ways read here serves
//! only those classes: it is no candidate for the tools of other classes of its project, unless
//! another file of the project calls `WithTools…` too outside the extension methods servers
//! call (a test's `ConfigureServices` given the builder, a method no server is seen calling).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::LazyLock;

use crate::pattern::Pattern;

use super::{SourceLayout, XML_COMMENT, ancestors, is_csharp, join, package_of, parent};
use crate::artifact::tool_code::{SourceTools, ToolRegistrations};

/// `<ProjectReference Include="..\Acme.Tools\Acme.Tools.csproj" />`: group 1 the path.
static PROJECT_REFERENCE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"<ProjectReference\s[^>]*?\bInclude\s*=\s*"([^"]*)""#).expect("valid regex")
});

/// The directories of the projects a `.csproj` in `dir` references, as written relative to it
/// (an MSBuild property in the path is not expanded, and that reference is skipped).
pub fn project_references(dir: &str, project: &str) -> Vec<String> {
    let project = XML_COMMENT.replace_all(project, "");
    PROJECT_REFERENCE
        .captures_iter(&project)
        .filter_map(|c| {
            let path = c.get(1)?.as_str().trim().replace('\\', "/");
            if path.contains("$(") {
                return None;
            }
            Some(parent(&join(dir, &path)?).to_owned())
        })
        .collect()
}

/// A C# class that declares MCP tools: the file's index and the class's index in it.
type ClassAt = (usize, usize);
/// An extension method on `IMcpServerBuilder`: the file's index and the method's index in its
/// `ToolRegistrations::extensions`.
type ExtensionAt = (usize, usize);

/// What discovery knows of the C# tool classes and registrations of a scan.
pub struct Registrations<'f> {
    files: &'f [(&'f str, &'f SourceTools)],
    layout: &'f SourceLayout,
    /// The tool classes of the tree by name.
    classes: BTreeMap<&'f str, Vec<ClassAt>>,
    /// The extension methods on `IMcpServerBuilder` of the tree by name.
    extensions: BTreeMap<&'f str, Vec<ExtensionAt>>,
    /// What each file that builds a server registers with it.
    registered: BTreeMap<usize, Registered>,
}

/// What a server's file registers with it, in the file and through the extension methods its
/// builder calls.
#[derive(Default)]
struct Registered {
    classes: BTreeSet<ClassAt>,
    /// The extension methods reached from the server's builder.
    extensions: BTreeSet<ExtensionAt>,
    /// The `WithTools…` calls read, in the file and in those extension methods.
    calls: usize,
    /// Some of those calls register what is not shown.
    unread: bool,
}

impl<'f> Registrations<'f> {
    pub fn of(files: &'f [(&'f str, &'f SourceTools)], layout: &'f SourceLayout) -> Self {
        let mut classes: BTreeMap<&str, Vec<ClassAt>> = BTreeMap::new();
        let mut extensions: BTreeMap<&str, Vec<ExtensionAt>> = BTreeMap::new();
        for (file, (path, source)) in files.iter().enumerate() {
            if is_csharp(path) {
                for (index, class) in source.tool_classes.iter().enumerate() {
                    classes
                        .entry(class.name.as_str())
                        .or_default()
                        .push((file, index));
                }
                for (index, extension) in source.registrations.extensions.iter().enumerate() {
                    extensions
                        .entry(extension.name.as_str())
                        .or_default()
                        .push((file, index));
                }
            }
        }
        let mut out = Registrations {
            files,
            layout,
            classes,
            extensions,
            registered: BTreeMap::new(),
        };
        out.registered = files
            .iter()
            .enumerate()
            .filter(|(_, (path, source))| is_csharp(path) && !source.servers.is_empty())
            .map(|(from, _)| (from, out.registered_by(from)))
            .collect();
        out
    }

    /// The project of a file: the directory of the nearest `.csproj` above it, else its
    /// package's.
    fn project(&self, file: usize) -> &'f str {
        let path = self.files[file].0;
        self.csproj(file)
            .unwrap_or_else(|| package_of(path, &self.layout.package_dirs))
    }

    /// The directory of the nearest `.csproj` above a file.
    fn csproj(&self, file: usize) -> Option<&'f str> {
        ancestors(parent(self.files[file].0))
            .find_map(|dir| self.layout.projects.get_key_value(dir))
            .map(|(dir, _)| dir.as_str())
    }

    /// The projects `project` references, directly or through others.
    fn referenced(&self, project: &str) -> BTreeSet<&'f str> {
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<&str> = VecDeque::new();
        if let Some((dir, _)) = self.layout.project_references.get_key_value(project) {
            queue.push_back(dir);
        }
        while let Some(dir) = queue.pop_front() {
            for target in self
                .layout
                .project_references
                .get(dir)
                .into_iter()
                .flatten()
            {
                if target != project && seen.insert(target.as_str()) {
                    queue.push_back(target);
                }
            }
        }
        seen
    }

    /// The tool classes named `name` that the file `from` means.
    fn resolve(&self, name: &str, from: usize) -> Vec<ClassAt> {
        self.lookup(self.classes.get(name), from)
    }

    /// Those of `all` (classes or extension methods of one name) that the file `from` means:
    /// the file's, else its project's, else those of the projects it references.
    fn lookup(&self, all: Option<&Vec<(usize, usize)>>, from: usize) -> Vec<(usize, usize)> {
        let Some(all) = all else {
            return Vec::new();
        };
        let project = self.project(from);
        let referenced = self.referenced(project);
        let levels: [&dyn Fn(&ClassAt) -> bool; 3] = [
            &|&(file, _)| file == from,
            &|&(file, _)| self.project(file) == project,
            &|&(file, _)| referenced.contains(self.project(file)),
        ];
        for level in levels {
            let found: Vec<ClassAt> = all.iter().copied().filter(|c| level(c)).collect();
            if !found.is_empty() {
                return found;
            }
        }
        // Elsewhere in the tree, when the server's file or the classes are in no `.csproj`
        // project (a project's references are known) and all of them are in one project.
        let unknown_references =
            self.csproj(from).is_none() || all.iter().all(|&(file, _)| self.csproj(file).is_none());
        let projects: BTreeSet<&str> = all.iter().map(|&(file, _)| self.project(file)).collect();
        if unknown_references && projects.len() == 1 {
            all.clone()
        } else {
            Vec::new()
        }
    }

    /// What the file at `from` registers with the servers it builds: its own `WithTools…`
    /// calls, and those of the extension methods its builders call (and they call in turn),
    /// each looked up from the file that calls it.
    fn registered_by(&self, from: usize) -> Registered {
        let mut out = Registered::default();
        let mut queue: VecDeque<(&ToolRegistrations, usize)> =
            VecDeque::from([(&self.files[from].1.registrations, from)]);
        while let Some((registrations, from)) = queue.pop_front() {
            out.calls += registrations.calls;
            out.unread |= registrations.unread;
            out.classes.extend(self.registered_in(registrations, from));
            for name in &registrations.chained {
                for (file, index) in self.lookup(self.extensions.get(name.as_str()), from) {
                    if out.extensions.insert((file, index)) {
                        let extension = &self.files[file].1.registrations.extensions[index];
                        queue.push_back((&extension.registrations, file));
                    }
                }
            }
        }
        out
    }

    /// The classes the `WithTools…` calls of `registrations`, in the file at `from`, name.
    fn registered_in(&self, registrations: &ToolRegistrations, from: usize) -> BTreeSet<ClassAt> {
        let mut out: BTreeSet<ClassAt> = BTreeSet::new();
        for name in &registrations.types {
            out.extend(self.resolve(name, from));
        }
        for assembly in &registrations.assemblies {
            let project = match assembly {
                None => Some(self.project(from)),
                Some(name) => {
                    let projects: BTreeSet<&str> = self
                        .resolve(name, from)
                        .into_iter()
                        .map(|(file, _)| self.project(file))
                        .collect();
                    match projects.into_iter().collect::<Vec<_>>().as_slice() {
                        [one] => Some(*one),
                        _ => None,
                    }
                }
            };
            let Some(project) = project else {
                continue;
            };
            for classes in self.classes.values() {
                out.extend(classes.iter().copied().filter(|&(file, class)| {
                    self.files[file].1.tool_classes[class].tool_type
                        && self.project(file) == project
                }));
            }
        }
        out
    }

    /// For each file that builds no server, the servers of the tools of its classes that a
    /// server registers (by tool index); `servers_of` names the servers a file builds.
    pub fn servers_by_tool(
        &self,
        servers_of: impl Fn(usize) -> Vec<String>,
    ) -> BTreeMap<usize, BTreeMap<usize, Vec<String>>> {
        let mut by_class: BTreeMap<ClassAt, BTreeSet<String>> = BTreeMap::new();
        for (&from, registered) in &self.registered {
            if registered.classes.is_empty() {
                continue;
            }
            let servers = servers_of(from);
            for &class in &registered.classes {
                by_class
                    .entry(class)
                    .or_default()
                    .extend(servers.iter().cloned());
            }
        }
        let mut out: BTreeMap<usize, BTreeMap<usize, Vec<String>>> = BTreeMap::new();
        for ((file, class), servers) in by_class {
            let source = self.files[file].1;
            if !source.servers.is_empty() {
                continue;
            }
            let servers: Vec<String> = servers.into_iter().collect();
            for &tool in &source.tool_classes[class].tools {
                out.entry(file).or_default().insert(tool, servers.clone());
            }
        }
        out
    }

    /// The files whose servers serve only the classes they register: every `WithTools…`
    /// call of the file and of the extension methods its builders call is read, and no file
    /// of their project that builds no server calls one outside those extension methods.
    pub fn closed(&self) -> BTreeSet<usize> {
        let reached: BTreeSet<ExtensionAt> = self
            .registered
            .values()
            .flat_map(|r| r.extensions.iter().copied())
            .collect();
        let registering_elsewhere: BTreeSet<&str> = self
            .files
            .iter()
            .enumerate()
            .filter(|&(file, (path, source))| {
                let registrations = &source.registrations;
                let in_reached: usize = (registrations.extensions.iter().enumerate())
                    .filter(|&(index, _)| reached.contains(&(file, index)))
                    .map(|(_, extension)| extension.registrations.calls)
                    .sum();
                is_csharp(path) && source.servers.is_empty() && registrations.calls > in_reached
            })
            .map(|(file, _)| self.project(file))
            .collect();
        self.registered
            .iter()
            .filter(|&(&file, registered)| {
                registered.calls > 0
                    && !registered.unread
                    && !registering_elsewhere.contains(self.project(file))
            })
            .map(|(&file, _)| file)
            .collect()
    }
}
