//! Ansible playbooks and task files, read the way Ansible runs them: plays in
//! order with their roles (and the roles' dependencies, defaults, vars and
//! handlers), `import_playbook`, `import_tasks`/`include_tasks`,
//! `import_role`/`include_role`, blocks at any depth, keywords a block or
//! play passes down, loops over known lists expanded item by item, and
//! every templated value resolved from the variables Ansible would see (see
//! `vars.rs` and `jinja.rs`). Each task keeps the chain it was reached
//! through (playbook → role → file).
//!
//! Input shape (documented in `docs/input-ansible.md`): `{"plays": [...],
//! "tasks": [{"name", "module", "module_as_written", "args", "section",
//! "play", "chain", ...task keywords}]}`.

pub mod args;
pub mod jinja;
pub mod modules;
pub mod vars;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::document::{Document, Entry, Format, Node, NodeData, Resource, Seg};
use crate::parse::FileError;
use crate::parse::terraform::module::normalize;
use crate::parse::yaml::{self, Dialect, Limits, YamlDoc};
use crate::source::{SourceFile, Span};
pub use modules::fqcn;
use vars::{Rank, Scope, VarMap, from_mapping};

/// Keywords a task may carry besides its module (Ansible's task keywords).
const TASK_KEYWORDS: &[&str] = &[
    "action",
    "any_errors_fatal",
    "args",
    "async",
    "become",
    "become_exe",
    "become_flags",
    "become_method",
    "become_user",
    "changed_when",
    "check_mode",
    "collections",
    "connection",
    "debugger",
    "delay",
    "delegate_facts",
    "delegate_to",
    "diff",
    "environment",
    "failed_when",
    "ignore_errors",
    "ignore_unreachable",
    "listen",
    "local_action",
    "loop",
    "loop_control",
    "module_defaults",
    "name",
    "no_log",
    "notify",
    "poll",
    "port",
    "register",
    "remote_user",
    "retries",
    "run_once",
    "tags",
    "throttle",
    "timeout",
    "until",
    "vars",
    "when",
];

/// Keywords a block or play passes down to the tasks inside it.
const INHERITED: &[&str] = &[
    "become",
    "become_user",
    "become_method",
    "become_flags",
    "no_log",
    "remote_user",
    "environment",
    "delegate_to",
    "check_mode",
];

/// Keywords whose values are raw Jinja expressions (no `{{ }}`), or names,
/// never rendered as templates.
const UNRENDERED: &[&str] = &[
    "when",
    "changed_when",
    "failed_when",
    "until",
    "register",
    "notify",
    "listen",
    "tags",
    "vars",
    "loop",
    "loop_control",
];

const PLAY_SECTIONS: &[&str] = &["pre_tasks", "tasks", "post_tasks", "handlers"];

/// How deep includes and role dependencies may nest.
const MAX_INCLUDE_DEPTH: usize = 24;

/// How many items a loop may expand into before it stands for all of them.
const MAX_LOOP_ITEMS: usize = 256;

pub fn is_play(node: &Node) -> bool {
    [
        "hosts",
        "import_playbook",
        "ansible.builtin.import_playbook",
    ]
    .iter()
    .any(|k| node.get(k).is_some())
}

pub fn looks_like_task(node: &Node) -> bool {
    ["block", "include_tasks", "import_tasks"]
        .iter()
        .any(|k| node.get(k).is_some())
        || node
            .entries()
            .iter()
            .any(|e| modules::is_module_name(&e.key))
}

fn is_keyword(key: &str) -> bool {
    TASK_KEYWORDS.contains(&key) || key.starts_with("with_")
}

/// Counts for the note: how far clause could follow and resolve.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnsibleStats {
    pub tasks: usize,
    /// Tasks whose module was written by a short or legacy name and resolved
    /// to its fully qualified name.
    pub normalised: usize,
    pub templates_resolved: usize,
    pub templates_unknown: usize,
}

/// A playbook or task file, read with everything it reaches.
#[derive(Debug, Default)]
pub struct AnsibleOutcome {
    pub document: Option<Document>,
    pub errors: Vec<FileError>,
    pub notices: Vec<String>,
    pub stats: AnsibleStats,
}

/// A step of the chain a task was reached through.
#[derive(Debug, Clone)]
struct Chain(Vec<String>);

impl Chain {
    fn then(&self, step: String) -> Chain {
        let mut next = self.0.clone();
        next.push(step);
        Chain(next)
    }
}

/// Builds the document for a playbook or a task file. The entry file was
/// parsed already (with file id 0); everything it reaches is read here.
pub fn document(file: &Arc<SourceFile>, docs: Vec<YamlDoc>) -> AnsibleOutcome {
    let mut loader = Loader::new(file);
    let Some(root) = docs.into_iter().find_map(|d| d.root) else {
        return loader.outcome;
    };
    let items = match &root.data {
        NodeData::Seq(items) => items.clone(),
        NodeData::Null => return loader.outcome,
        _ => {
            loader.outcome.errors.push(FileError::at(
                file,
                root.span.start as usize,
                "an Ansible playbook or task file must be a list".into(),
            ));
            return loader.outcome;
        }
    };
    let dir = file
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let chain = Chain(vec![file.display.clone()]);
    loader.stack.push(normalize(&file.path));
    if items.iter().any(is_play) {
        loader.playbook(&items, &dir, &chain);
    } else {
        let section = if dir.file_name().is_some_and(|n| n == "handlers") {
            "handlers"
        } else {
            "tasks"
        };
        // A role's task file on its own: the role's defaults and vars apply.
        let scope = match role_of_task_dir(&dir) {
            Some(role_dir) => loader.role_scope(&role_dir, &Scope::default(), VarMap::new()),
            None => Scope::default(),
        };
        let ctx = TaskCtx {
            section,
            play: None,
            scope,
            inherited: Vec::new(),
            chain,
            dir: dir.clone(),
            role_dir: role_of_task_dir(&dir),
            playbook_dir: dir.parent().map(Path::to_path_buf).unwrap_or_default(),
        };
        loader.tasks_in(&items, &ctx);
    }
    loader.finish(file)
}

/// A folder with any of a role's parts (a role may hold only defaults).
fn is_role_dir(dir: &Path) -> bool {
    ["tasks", "meta", "handlers", "defaults", "vars"]
        .iter()
        .any(|part| dir.join(part).is_dir())
}

/// The `roles_path` entries of the nearest `ansible.cfg` above a folder,
/// relative to that file; entries naming environment variables are skipped.
fn roles_path(start: &Path) -> Vec<PathBuf> {
    let mut dir = Some(start.to_path_buf());
    for _ in 0..4 {
        let Some(current) = dir else { break };
        let cfg = current.join("ansible.cfg");
        if let Ok(text) = std::fs::read_to_string(&cfg) {
            let mut in_defaults = false;
            for line in text.lines() {
                let line = line.trim();
                if line.starts_with('[') {
                    in_defaults = line == "[defaults]";
                    continue;
                }
                if !in_defaults {
                    continue;
                }
                if let Some((key, value)) = line.split_once('=')
                    && key.trim() == "roles_path"
                {
                    return value
                        .split(':')
                        .map(str::trim)
                        .filter(|p| !p.is_empty() && !p.contains('$') && !p.starts_with('~'))
                        .map(|p| current.join(p))
                        .collect();
                }
            }
            return Vec::new();
        }
        dir = current
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty());
    }
    Vec::new()
}

/// `roles/<name>/tasks` → `roles/<name>`.
fn role_of_task_dir(dir: &Path) -> Option<PathBuf> {
    let name = dir.file_name()?;
    if name != "tasks" && name != "handlers" {
        return None;
    }
    let role = dir.parent()?;
    let looks_like_role = ["defaults", "vars", "meta", "handlers", "templates", "files"]
        .iter()
        .any(|d| role.join(d).is_dir());
    looks_like_role.then(|| role.to_path_buf())
}

/// Where a task list is being read: its section, play, variables, inherited
/// keywords, chain and folders for relative paths.
#[derive(Clone)]
struct TaskCtx {
    section: &'static str,
    play: Option<usize>,
    scope: Scope,
    inherited: Vec<Entry>,
    chain: Chain,
    /// The folder relative includes resolve from.
    dir: PathBuf,
    role_dir: Option<PathBuf>,
    playbook_dir: PathBuf,
}

struct Loader {
    files: Vec<Arc<SourceFile>>,
    ids: HashMap<PathBuf, u32>,
    tasks: Vec<Node>,
    resources: Vec<Resource>,
    plays: Vec<Node>,
    /// Files being read, to stop include cycles.
    stack: Vec<PathBuf>,
    /// `set_fact` values of the current play, in order.
    facts: VarMap,
    outcome: AnsibleOutcome,
}

impl Loader {
    fn new(entry: &Arc<SourceFile>) -> Self {
        let mut ids = HashMap::new();
        ids.insert(normalize(&entry.path), 0);
        Loader {
            files: vec![Arc::clone(entry)],
            ids,
            tasks: Vec::new(),
            resources: Vec::new(),
            plays: Vec::new(),
            stack: Vec::new(),
            facts: VarMap::new(),
            outcome: AnsibleOutcome::default(),
        }
    }

    /// Reads and parses a YAML file that the entry file reaches.
    fn load(&mut self, path: &Path) -> Option<Node> {
        let key = normalize(path);
        let id = match self.ids.get(&key) {
            Some(id) => *id,
            None => {
                let file =
                    match crate::check::read_source(&key, crate::check::DEFAULT_MAX_FILE_BYTES) {
                        Ok(f) => f,
                        Err(e) => {
                            self.outcome.errors.push(e);
                            return None;
                        }
                    };
                self.files.push(file);
                let id = u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX);
                self.ids.insert(key, id);
                id
            }
        };
        let file = Arc::clone(&self.files[id as usize]);
        match yaml::parse_stream(&file.text, id, Dialect::Yaml11, Limits::default()) {
            Ok(docs) => docs.into_iter().find_map(|d| d.root),
            Err(e) => {
                self.outcome.errors.push(FileError::at(
                    &file,
                    e.offset,
                    format!("YAML syntax error: {}", e.message),
                ));
                None
            }
        }
    }

    /// A vars file (`group_vars/all.yml`, `defaults/main.yml`, a folder of them).
    fn vars_from(&mut self, path: &Path) -> VarMap {
        let mut out = VarMap::new();
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort();
            for f in files {
                let name = f.to_string_lossy();
                if f.is_file()
                    && (name.ends_with(".yml")
                        || name.ends_with(".yaml")
                        || name.ends_with(".json"))
                {
                    out.extend(self.vars_from(&f));
                }
            }
            return out;
        }
        for candidate in [
            path.to_path_buf(),
            path.with_extension("yml"),
            path.with_extension("yaml"),
        ] {
            if candidate.is_file() {
                if let Some(root) = self.load(&candidate) {
                    out.extend(from_mapping(&root));
                }
                break;
            }
        }
        out
    }

    /// Inventory and playbook `group_vars`/`host_vars` for the groups and
    /// hosts a play targets. Several inventories that disagree on a value
    /// make it unknown: clause cannot tell which one a run uses.
    fn inventory_scope(&mut self, playbook_dir: &Path, hosts: &[String], base: &Scope) -> Scope {
        let mut scope = base.clone();
        let mut inventories: Vec<PathBuf> = Vec::new();
        for root in [playbook_dir.to_path_buf(), playbook_dir.join("..")] {
            if root.join("inventory").is_dir() {
                inventories.push(root.join("inventory"));
            }
            if let Ok(entries) = std::fs::read_dir(root.join("inventories")) {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect();
                found.sort();
                inventories.extend(found);
            }
        }
        let groups: Vec<&String> = hosts.iter().filter(|h| h.as_str() != "all").collect();
        let gather = |loader: &mut Loader,
                      dir: &Path,
                      group_rank: Rank,
                      all_rank: Rank|
         -> Vec<(Rank, VarMap)> {
            let mut layers = vec![(
                all_rank,
                loader.vars_from(&dir.join("group_vars").join("all")),
            )];
            for g in &groups {
                layers.push((
                    group_rank,
                    loader.vars_from(&dir.join("group_vars").join(g)),
                ));
                layers.push((
                    Rank::HostVars,
                    loader.vars_from(&dir.join("host_vars").join(g)),
                ));
            }
            layers
        };
        let mut per_inventory: Vec<Vec<(Rank, VarMap)>> = Vec::new();
        for inventory in &inventories {
            per_inventory.push(gather(
                self,
                inventory,
                Rank::InventoryGroup,
                Rank::InventoryGroupAll,
            ));
        }
        for rank in [
            Rank::InventoryGroupAll,
            Rank::InventoryGroup,
            Rank::HostVars,
        ] {
            let mut merged = VarMap::new();
            let mut conflicting: Vec<String> = Vec::new();
            for layers in &per_inventory {
                for (r, vars) in layers {
                    if *r != rank {
                        continue;
                    }
                    for (name, value) in vars {
                        match merged.get(name) {
                            Some(existing)
                                if existing.clone().into_parts().0
                                    != value.clone().into_parts().0 =>
                            {
                                conflicting.push(name.clone());
                            }
                            _ => {
                                merged.insert(name.clone(), value.clone());
                            }
                        }
                    }
                }
            }
            for name in conflicting {
                let span = merged
                    .get(&name)
                    .map(|n| n.span)
                    .unwrap_or(Span::new(0, 0, 0));
                merged.insert(
                    name.clone(),
                    Node::unknown(span, format!("{{{{ {name} }}}}"), vec![name.clone()]),
                );
            }
            scope = scope.with(rank, merged);
        }
        for (rank, vars) in gather(
            self,
            playbook_dir,
            Rank::PlaybookGroup,
            Rank::PlaybookGroupAll,
        ) {
            scope = scope.with(rank, vars);
        }
        scope
    }

    fn playbook(&mut self, items: &[Node], dir: &Path, chain: &Chain) {
        for play in items {
            if !play.is_map() {
                continue;
            }
            let import = play
                .get("import_playbook")
                .or_else(|| play.get("ansible.builtin.import_playbook"))
                .and_then(Node::as_str);
            if let Some(target) = import {
                self.import_playbook(target, dir, chain);
                continue;
            }
            self.play(play, dir, chain);
        }
    }

    fn import_playbook(&mut self, target: &str, dir: &Path, chain: &Chain) {
        if jinja::has_template(target) {
            self.outcome.notices.push(format!(
                "{}: import_playbook of {target} not followed (templated path)",
                chain.0.join(" > ")
            ));
            return;
        }
        let path = normalize(&dir.join(target));
        if self.stack.contains(&path) || self.stack.len() >= MAX_INCLUDE_DEPTH {
            return;
        }
        let Some(root) = self.load(&path) else { return };
        self.stack.push(path.clone());
        let next = chain.then(crate::source::display_path(&path));
        let inner_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        self.playbook(root.items(), &inner_dir, &next);
        self.stack.pop();
    }

    fn play(&mut self, play: &Node, dir: &Path, chain: &Chain) {
        let index = self.plays.len();
        self.plays.push(play_summary(play));
        self.facts.clear();
        let hosts: Vec<String> = play
            .get("hosts")
            .and_then(Node::as_str)
            .map(|h| {
                h.split([',', ':', '&', '!'])
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty() && !p.contains('*'))
                    .collect()
            })
            .unwrap_or_default();
        let mut scope = self.inventory_scope(dir, &hosts, &Scope::default());
        if let Some(vars) = play.get("vars") {
            scope = scope.with(Rank::PlayVars, from_mapping(vars));
        }
        for vars_file in play.get("vars_files").map(Node::items).unwrap_or(&[]) {
            if let Some(path) = vars_file.as_str().filter(|p| !jinja::has_template(p)) {
                let vars = self.vars_from(&dir.join(path));
                scope = scope.with(Rank::VarsFiles, vars);
            }
        }
        let name = play
            .get("name")
            .and_then(Node::as_str)
            .map(|n| format!("play \"{n}\""))
            .unwrap_or_else(|| format!("play #{}", index + 1));
        let chain = chain.then(name);
        let ctx = TaskCtx {
            section: "tasks",
            play: Some(index),
            scope,
            inherited: inherited_from(play, &[]),
            chain,
            dir: dir.to_path_buf(),
            role_dir: None,
            playbook_dir: dir.to_path_buf(),
        };
        if let Some(list) = play.get("pre_tasks") {
            self.tasks_in(
                list.items(),
                &TaskCtx {
                    section: "pre_tasks",
                    ..ctx.clone()
                },
            );
        }
        for role in play.get("roles").map(Node::items).unwrap_or(&[]) {
            self.role(role, None, &ctx);
        }
        for section in ["tasks", "post_tasks", "handlers"] {
            if let Some(list) = play.get(section) {
                let section = PLAY_SECTIONS
                    .iter()
                    .find(|s| **s == section)
                    .copied()
                    .unwrap_or("tasks");
                self.tasks_in(
                    list.items(),
                    &TaskCtx {
                        section,
                        ..ctx.clone()
                    },
                );
            }
        }
    }

    /// Finds a role folder the way Ansible searches: `roles/` beside the
    /// playbook, the playbook's folder, beside the role including it, and
    /// the `roles_path` of the nearest `ansible.cfg`.
    fn find_role(&self, name: &str, ctx: &TaskCtx) -> Option<PathBuf> {
        let mut candidates = vec![
            ctx.playbook_dir.join("roles").join(name),
            ctx.playbook_dir.join(name),
        ];
        if let Some(role_dir) = &ctx.role_dir
            && let Some(parent) = role_dir.parent()
        {
            candidates.push(parent.join(name));
        }
        candidates.extend(
            roles_path(&ctx.playbook_dir)
                .into_iter()
                .map(|dir| dir.join(name)),
        );
        candidates.push(ctx.playbook_dir.join("..").join("roles").join(name));
        candidates
            .into_iter()
            .map(|c| normalize(&c))
            .find(|c| is_role_dir(c))
    }

    /// A role's variables over a scope: defaults below, vars and
    /// parameters above.
    fn role_scope(&mut self, role_dir: &Path, base: &Scope, params: VarMap) -> Scope {
        let defaults = self.vars_from(&role_dir.join("defaults").join("main"));
        let defaults_dir =
            self.vars_from(&role_dir.join("defaults").join("main").with_extension(""));
        let vars = self.vars_from(&role_dir.join("vars").join("main"));
        let mut all_defaults = defaults_dir;
        all_defaults.extend(defaults);
        base.with(Rank::RoleDefaults, all_defaults)
            .with(Rank::RoleVars, vars)
            .with(Rank::RoleParams, params)
    }

    /// Runs a role: its dependencies first, then its tasks (or
    /// `tasks_from`), then its handlers.
    fn role(&mut self, spec: &Node, tasks_from: Option<&str>, ctx: &TaskCtx) {
        let name = match &spec.data {
            NodeData::Str(s) => Some(s.clone()),
            NodeData::Map(_) => spec
                .get("role")
                .or_else(|| spec.get("name"))
                .and_then(Node::as_str)
                .map(str::to_string),
            _ => None,
        };
        let Some(name) = name else { return };
        if jinja::has_template(&name) {
            self.outcome.notices.push(format!(
                "{}: role {name} not followed (templated name)",
                ctx.chain.0.join(" > ")
            ));
            return;
        }
        let Some(dir) = self.find_role(&name, ctx) else {
            let remote = name.split('.').count() >= 3;
            if !remote {
                self.outcome.notices.push(format!(
                    "{}: role {name} not found beside the playbook (looked in roles/{name})",
                    ctx.chain.0.join(" > ")
                ));
            }
            return;
        };
        if self.stack.contains(&dir) || self.stack.len() >= MAX_INCLUDE_DEPTH {
            return;
        }
        self.stack.push(dir.clone());
        let params: VarMap = spec
            .entries()
            .iter()
            .filter(|e| {
                ![
                    "role",
                    "name",
                    "tasks_from",
                    "vars_from",
                    "defaults_from",
                    "handlers_from",
                    "when",
                    "tags",
                    "become",
                    "become_user",
                    "delegate_to",
                    "public",
                    "apply",
                    "allow_duplicates",
                ]
                .contains(&e.key.as_str())
            })
            .map(|e| (e.key.clone(), e.value.clone()))
            .chain(spec.get("vars").map(from_mapping).unwrap_or_default())
            .collect();
        let scope = self.role_scope(&dir, &ctx.scope, params);
        let chain = ctx.chain.then(format!("role {name}"));
        let mut inherited = ctx.inherited.clone();
        inherited = inherited_from(spec, &inherited);
        // Dependencies run before the role, with their own variables.
        if let Some(meta) = self
            .vars_from(&dir.join("meta").join("main"))
            .get("dependencies")
            .cloned()
        {
            for dep in meta.items() {
                let dep_ctx = TaskCtx {
                    role_dir: Some(dir.clone()),
                    chain: chain.clone(),
                    inherited: inherited.clone(),
                    ..ctx.clone()
                };
                self.role(dep, None, &dep_ctx);
            }
        }
        let role_ctx = TaskCtx {
            scope,
            inherited,
            chain,
            dir: dir.join("tasks"),
            role_dir: Some(dir.clone()),
            ..ctx.clone()
        };
        let entry = tasks_from.unwrap_or("main");
        if let Some(tasks) = self.task_file(&dir.join("tasks"), entry) {
            let file_chain = role_ctx.chain.then(crate::source::display_path(&tasks.0));
            self.tasks_in(
                tasks.1.items(),
                &TaskCtx {
                    chain: file_chain,
                    ..role_ctx.clone()
                },
            );
        }
        if tasks_from.is_none()
            && let Some(handlers) = self.task_file(&dir.join("handlers"), "main")
        {
            let file_chain = role_ctx
                .chain
                .then(crate::source::display_path(&handlers.0));
            self.tasks_in(
                handlers.1.items(),
                &TaskCtx {
                    section: "handlers",
                    chain: file_chain,
                    dir: dir.join("handlers"),
                    ..role_ctx.clone()
                },
            );
        }
        self.stack.pop();
    }

    /// `dir/name`, `dir/name.yml` or `dir/name.yaml`.
    fn task_file(&mut self, dir: &Path, name: &str) -> Option<(PathBuf, Node)> {
        let candidates = [
            dir.join(name),
            dir.join(format!("{name}.yml")),
            dir.join(format!("{name}.yaml")),
        ];
        let path = candidates.into_iter().find(|p| p.is_file())?;
        let root = self.load(&path)?;
        Some((normalize(&path), root))
    }

    fn tasks_in(&mut self, items: &[Node], ctx: &TaskCtx) {
        for item in items {
            if !item.is_map() {
                continue;
            }
            let parts: Vec<&Node> = ["block", "rescue", "always"]
                .iter()
                .filter_map(|k| item.get(k))
                .collect();
            if !parts.is_empty() {
                let scope = match item.get("vars") {
                    Some(v) => ctx.scope.with(Rank::BlockVars, from_mapping(v)),
                    None => ctx.scope.clone(),
                };
                let inner = TaskCtx {
                    scope,
                    inherited: inherited_from(item, &ctx.inherited),
                    ..ctx.clone()
                };
                for part in parts {
                    self.tasks_in(part.items(), &inner);
                }
                continue;
            }
            if self.include(item, ctx) {
                continue;
            }
            self.task(item, ctx);
        }
    }

    /// `import_tasks`/`include_tasks`/`include` and
    /// `import_role`/`include_role`: true when the item was one.
    fn include(&mut self, item: &Node, ctx: &TaskCtx) -> bool {
        let Some(entry) = item.entries().iter().find(|e| {
            let full = modules::fqcn(&e.key);
            matches!(
                full.as_str(),
                "ansible.builtin.import_tasks"
                    | "ansible.builtin.include_tasks"
                    | "ansible.builtin.include"
                    | "ansible.builtin.import_role"
                    | "ansible.builtin.include_role"
            )
        }) else {
            return false;
        };
        let full = modules::fqcn(&entry.key);
        let scope = match item.get("vars") {
            Some(v) => ctx.scope.with(Rank::TaskVars, from_mapping(v)),
            None => ctx.scope.clone(),
        };
        let inner = TaskCtx {
            scope,
            inherited: inherited_from(item, &ctx.inherited),
            ..ctx.clone()
        };
        if full.ends_with("_role") {
            let role_spec = match &entry.value.data {
                NodeData::Map(_) => entry.value.clone(),
                _ => return true,
            };
            let tasks_from = role_spec
                .get("tasks_from")
                .and_then(Node::as_str)
                .map(str::to_string);
            self.role(&role_spec, tasks_from.as_deref(), &inner);
            return true;
        }
        let target = match &entry.value.data {
            NodeData::Str(s) => Some(s.clone()),
            NodeData::Map(_) => entry
                .value
                .get("file")
                .and_then(Node::as_str)
                .map(str::to_string),
            _ => None,
        };
        let Some(target) = target else { return true };
        let target = match inner
            .scope
            .resolve(Node::str(entry.value.span, target.as_str()))
            .data
        {
            NodeData::Str(s) if !jinja::has_template(&s) => s,
            _ => {
                self.outcome.notices.push(format!(
                    "{}: {} of {target} not followed (its path is templated)",
                    ctx.chain.0.join(" > "),
                    entry.key
                ));
                return true;
            }
        };
        // Ansible looks beside the including file, then in the role's tasks.
        let mut candidates = vec![ctx.dir.join(&target)];
        if let Some(role_dir) = &ctx.role_dir {
            candidates.push(role_dir.join("tasks").join(&target));
        }
        candidates.push(ctx.playbook_dir.join(&target));
        let Some(path) = candidates
            .into_iter()
            .map(|c| normalize(&c))
            .find(|c| c.is_file())
        else {
            self.outcome.notices.push(format!(
                "{}: {} of {target} not found",
                ctx.chain.0.join(" > "),
                entry.key
            ));
            return true;
        };
        if self.stack.contains(&path) || self.stack.len() >= MAX_INCLUDE_DEPTH {
            return true;
        }
        let Some(root) = self.load(&path) else {
            return true;
        };
        self.stack.push(path.clone());
        let file_ctx = TaskCtx {
            chain: inner.chain.then(crate::source::display_path(&path)),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            ..inner
        };
        self.tasks_in(root.items(), &file_ctx);
        self.stack.pop();
        true
    }

    /// One task, expanded over its loop items, with its values resolved.
    fn task(&mut self, item: &Node, ctx: &TaskCtx) {
        let scope = {
            let mut s = ctx.scope.with(Rank::Facts, self.facts.clone());
            if let Some(v) = item.get("vars") {
                s = s.with(Rank::TaskVars, from_mapping(v));
            }
            s
        };
        let loop_var = item
            .get("loop_control")
            .and_then(|c| c.get("loop_var"))
            .and_then(Node::as_str)
            .unwrap_or("item")
            .to_string();
        let items = loop_items(item, &scope);
        match items {
            None => self.task_instance(item, ctx, &scope, None),
            Some(LoopItems::Known(list)) => {
                for (index, value) in list.into_iter().enumerate() {
                    let scoped = scope.with_loop(&loop_var, value);
                    self.task_instance(item, ctx, &scoped, Some(index));
                }
            }
            Some(LoopItems::Unknown(node)) => {
                let scoped = scope.with_loop(&loop_var, node);
                self.task_instance(item, ctx, &scoped, None);
            }
        }
    }

    fn task_instance(
        &mut self,
        item: &Node,
        ctx: &TaskCtx,
        scope: &Scope,
        loop_index: Option<usize>,
    ) {
        let file = Arc::clone(&self.files[item.span.file as usize]);
        let index = self.tasks.len();
        let mut entries: Vec<Entry> = Vec::new();
        let mut module: Option<(String, Span, Node)> = None;
        let mut extra_args: Option<&Node> = None;
        let mut local = false;
        for entry in item.entries() {
            match entry.key.as_str() {
                "action" | "local_action" => {
                    local |= entry.key == "local_action";
                    if let Some(found) = args::action_module(&file, entry) {
                        module.get_or_insert(found);
                    }
                }
                "args" => extra_args = Some(&entry.value),
                key if is_keyword(key) => entries.push(entry.clone()),
                key => {
                    if module.is_none() {
                        module = Some((key.to_string(), entry.key_span, entry.value.clone()));
                    } else {
                        // Ansible rejects a task naming two modules; keep the
                        // extra key visible to rules as written.
                        entries.push(entry.clone());
                    }
                }
            }
        }
        let span = item.span;
        let (written, module_span, raw_args) =
            module.unwrap_or_else(|| (String::new(), span, Node::new(span, NodeData::Null)));
        let full = modules::fqcn(&written);
        let mut arguments = args::arguments(&file, &full, raw_args, module_span);
        if let Some(extra) = extra_args
            && let NodeData::Map(extra_entries) = &extra.data
            && let NodeData::Map(arg_entries) = &mut arguments.data
        {
            for e in extra_entries {
                arg_entries.retain(|a| a.key != e.key);
                arg_entries.push(e.clone());
            }
        }
        for entry in &ctx.inherited {
            if !entries.iter().any(|e| e.key == entry.key) {
                entries.push(entry.clone());
            }
        }
        if local && !entries.iter().any(|e| e.key == "delegate_to") {
            entries.push(Entry {
                key: "delegate_to".into(),
                key_span: module_span,
                value: Node::str(module_span, "localhost"),
            });
        }
        // Values as Ansible would pass them: templates rendered where the
        // variables are known.
        let arguments = self.resolve(arguments, scope);
        for entry in entries.iter_mut() {
            if !UNRENDERED.contains(&entry.key.as_str()) && !entry.key.starts_with("with_") {
                entry.value = self.resolve(entry.value.clone(), scope);
            }
        }
        if full == "ansible.builtin.set_fact" {
            for e in arguments.entries() {
                if e.key == "cacheable" {
                    continue;
                }
                // Only a fact clause could resolve is a fact; anything else
                // (`x: "{{ x }} more"`) is unknown from here on.
                let mut unresolved = 0;
                count_unresolved(&e.value, &mut unresolved);
                let value = if unresolved == 0 {
                    e.value.clone()
                } else {
                    Node::unknown(
                        e.value.span,
                        format!("{{{{ {} }}}}", e.key),
                        vec![e.key.clone()],
                    )
                };
                self.facts.insert(e.key.clone(), value);
            }
        }
        let fixed = |key: &str, value: Node| Entry {
            key: key.to_string(),
            key_span: module_span,
            value,
        };
        if !written.is_empty() && written != full {
            self.outcome.stats.normalised += 1;
        }
        self.outcome.stats.tasks += 1;
        entries.push(fixed("module", Node::str(module_span, full.as_str())));
        entries.push(fixed(
            "module_as_written",
            Node::str(module_span, written.as_str()),
        ));
        entries.push(fixed("args", arguments));
        entries.push(fixed("section", Node::str(module_span, ctx.section)));
        entries.push(fixed(
            "play",
            Node::new(
                module_span,
                ctx.play
                    .map(|p| NodeData::Int(p as i64))
                    .unwrap_or(NodeData::Null),
            ),
        ));
        let chain_nodes = ctx
            .chain
            .0
            .iter()
            .map(|c| Node::str(module_span, c.as_str()))
            .collect();
        entries.push(fixed(
            "chain",
            Node::new(module_span, NodeData::Seq(chain_nodes)),
        ));
        if let Some(i) = loop_index {
            entries.push(fixed(
                "loop_index",
                Node::new(module_span, NodeData::Int(i as i64)),
            ));
        }
        let name = entries
            .iter()
            .find(|e| e.key == "name")
            .and_then(|e| e.value.as_str())
            .map(str::to_string);
        let header = item
            .entry("name")
            .map(|e| e.value.span)
            .unwrap_or(module_span);
        let mut address = match &name {
            Some(n) => format!("task \"{n}\""),
            None if full.is_empty() => format!("task #{}", index + 1),
            None => format!("task #{} ({full})", index + 1),
        };
        if let Some(i) = loop_index {
            address.push_str(&format!(" (item {})", i + 1));
        }
        // Plays and roles say where a task runs; file paths are in `chain`.
        let steps: Vec<&str> = ctx
            .chain
            .0
            .iter()
            .skip(1)
            .map(String::as_str)
            .filter(|s| !s.ends_with(".yml") && !s.ends_with(".yaml"))
            .collect();
        if !steps.is_empty() {
            address = format!("{} > {address}", steps.join(" > "));
        }
        self.resources.push(Resource {
            path: vec![Seg::Key("tasks".into()), Seg::Index(index)],
            address,
            kind: full,
        });
        self.tasks
            .push(Node::new(span, NodeData::Map(entries)).with_header(header));
    }

    /// Renders templates in a value, counting what resolved.
    fn resolve(&mut self, node: Node, scope: &Scope) -> Node {
        let mut templated = 0;
        count_templates(&node, &mut templated);
        if templated == 0 {
            return node;
        }
        let resolved = scope.resolve(node);
        let mut still = 0;
        count_unresolved(&resolved, &mut still);
        self.outcome.stats.templates_unknown += still.min(templated);
        self.outcome.stats.templates_resolved += templated.saturating_sub(still);
        resolved
    }

    fn finish(mut self, file: &Arc<SourceFile>) -> AnsibleOutcome {
        let whole = Span::new(0, 0, file.text.len());
        let root = Node::new(
            whole,
            NodeData::Map(vec![
                Entry {
                    key: "plays".into(),
                    key_span: whole,
                    value: Node::new(whole, NodeData::Seq(std::mem::take(&mut self.plays))),
                },
                Entry {
                    key: "tasks".into(),
                    key_span: whole,
                    value: Node::new(whole, NodeData::Seq(std::mem::take(&mut self.tasks))),
                },
            ]),
        );
        let (input, spans) = root.into_parts();
        self.outcome.document = Some(Document {
            format: Format::Ansible,
            unit: file.display.clone(),
            files: self.files,
            input,
            spans,
            resources: self.resources,
        });
        self.outcome
    }
}

fn count_templates(node: &Node, n: &mut usize) {
    match &node.data {
        NodeData::Str(s) if jinja::has_template(s) => *n += 1,
        NodeData::Seq(items) => items.iter().for_each(|i| count_templates(i, n)),
        NodeData::Map(entries) => entries.iter().for_each(|e| count_templates(&e.value, n)),
        _ => {}
    }
}

fn count_unresolved(node: &Node, n: &mut usize) {
    match &node.data {
        NodeData::Unknown(_) => *n += 1,
        NodeData::Str(s) if jinja::has_template(s) => *n += 1,
        NodeData::Seq(items) => items.iter().for_each(|i| count_unresolved(i, n)),
        NodeData::Map(entries) => entries.iter().for_each(|e| count_unresolved(&e.value, n)),
        _ => {}
    }
}

enum LoopItems {
    Known(Vec<Node>),
    /// The loop's items are not known: one instance stands for them all.
    Unknown(Node),
}

/// The items of `loop:` / `with_items:` / `with_list:` / `with_dict:` when
/// they are known (a literal list, or a variable holding one).
fn loop_items(item: &Node, scope: &Scope) -> Option<LoopItems> {
    let (key, raw) = item
        .entries()
        .iter()
        .find(|e| e.key == "loop" || e.key.starts_with("with_"))
        .map(|e| (e.key.as_str(), e.value.clone()))?;
    let value = scope.resolve(raw);
    let unknown = |v: &Node| {
        LoopItems::Unknown(Node::unknown(
            v.span,
            format!("{key} item"),
            crate::parse::terraform::eval::refs_of([v]),
        ))
    };
    match (key, &value.data) {
        ("loop" | "with_list", NodeData::Seq(items)) if items.len() <= MAX_LOOP_ITEMS => {
            Some(LoopItems::Known(items.clone()))
        }
        ("with_items", NodeData::Seq(items)) if items.len() <= MAX_LOOP_ITEMS => {
            // with_items flattens one level.
            let mut flat = Vec::new();
            for i in items {
                match &i.data {
                    NodeData::Seq(inner) => flat.extend(inner.iter().cloned()),
                    _ => flat.push(i.clone()),
                }
            }
            Some(LoopItems::Known(flat))
        }
        ("with_dict", NodeData::Map(entries)) if entries.len() <= MAX_LOOP_ITEMS => {
            Some(LoopItems::Known(
                entries
                    .iter()
                    .map(|e| {
                        Node::new(
                            e.value.span,
                            NodeData::Map(vec![
                                Entry {
                                    key: "key".into(),
                                    key_span: e.key_span,
                                    value: Node::str(e.key_span, e.key.as_str()),
                                },
                                Entry {
                                    key: "value".into(),
                                    key_span: e.key_span,
                                    value: e.value.clone(),
                                },
                            ]),
                        )
                    })
                    .collect(),
            ))
        }
        _ => Some(unknown(&value)),
    }
}

/// A play without its task lists (those become `tasks`), keeping `roles`,
/// `hosts`, `vars` and the rest as written.
fn play_summary(play: &Node) -> Node {
    let entries = play
        .entries()
        .iter()
        .filter(|e| !PLAY_SECTIONS.contains(&e.key.as_str()))
        .cloned()
        .collect();
    let mut node = Node::new(play.span, NodeData::Map(entries));
    node.header = play
        .entry("name")
        .map(|e| e.value.span)
        .or_else(|| play.entry("hosts").map(|e| e.key_span.to(e.value.span)));
    node
}

fn inherited_from(node: &Node, outer: &[Entry]) -> Vec<Entry> {
    let mut result: Vec<Entry> = outer.to_vec();
    for key in INHERITED {
        if let Some(entry) = node.entry(key) {
            result.retain(|e| e.key != *key);
            result.push(entry.clone());
        }
    }
    result
}

#[cfg(test)]
mod tests;
