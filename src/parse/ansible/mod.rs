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
//! "play", "chain", ...task keywords}], "tasks_by_module": {module: [i]},
//! "looped_tasks": [i]}`.

pub mod args;
pub mod imports;
pub mod jinja;
pub mod modules;
pub mod vars;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::document::{Document, Entry, Format, Node, NodeData, Resource, Seg};
use crate::parse::FileError;
use crate::parse::terraform::module::normalize;
use crate::parse::yaml::{self, Dialect, YamlDoc};
use crate::source::{SourceFile, Span};
pub use modules::fqcn;
use vars::{Rank, RoleInfo, Scope, SharedFiles, VarMap, from_mapping, role_layers};

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

/// Keys of a `roles:` entry or role dependency that are keywords (or
/// `include_role` options), not role parameters.
const ROLE_KEYWORDS: &[&str] = &[
    "role",
    "name",
    "tasks_from",
    "vars_from",
    "defaults_from",
    "handlers_from",
    "public",
    "apply",
    "allow_duplicates",
    "rolespec_validate",
    "vars",
    "when",
    "tags",
    "become",
    "become_exe",
    "become_flags",
    "become_method",
    "become_user",
    "check_mode",
    "collections",
    "connection",
    "debugger",
    "delegate_facts",
    "delegate_to",
    "diff",
    "environment",
    "ignore_errors",
    "ignore_unreachable",
    "module_defaults",
    "no_log",
    "port",
    "remote_user",
    "run_once",
    "throttle",
    "timeout",
    "any_errors_fatal",
];

/// The hosts a play targets, as far as clause can tell without an
/// inventory's host list: every host, or the groups and hosts its pattern
/// names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Hosts {
    All,
    Named(Vec<String>),
}

impl Hosts {
    /// `hosts: web:db`, `hosts: [web, db]`; `all`, a wildcard, a regex or a
    /// templated pattern may reach any host.
    fn of(play: &Node) -> Hosts {
        let pattern = match play.get("hosts").map(|h| &h.data) {
            Some(NodeData::Str(s)) => s.clone(),
            Some(NodeData::Seq(items)) => items
                .iter()
                .filter_map(Node::as_str)
                .collect::<Vec<_>>()
                .join(","),
            _ => return Hosts::All,
        };
        if jinja::has_template(&pattern) {
            return Hosts::All;
        }
        let mut names: Vec<String> = Vec::new();
        for part in pattern.split([',', ':']) {
            let part = part.trim();
            if part.is_empty() || part.starts_with('!') {
                continue;
            }
            let part = part.trim_start_matches('&');
            if part == "all" || part.contains(['*', '~', '[', '?']) {
                return Hosts::All;
            }
            names.push(part.to_string());
        }
        if names.is_empty() {
            return Hosts::All;
        }
        names.sort();
        names.dedup();
        Hosts::Named(names)
    }
}

/// A variable set at run time (`set_fact`, `include_vars`): its value and
/// the hosts of the play that set it.
#[derive(Debug, Clone)]
struct RunVar {
    value: Node,
    hosts: Hosts,
}

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

/// The steps a task was reached through, from the checked file on: for
/// messages and notices.
#[derive(Debug, Clone)]
struct Chain {
    steps: Vec<String>,
    /// Where the steps rules see begin: at the play, or after the checked
    /// task file. A play runs the same whichever playbook imports it, so
    /// its tasks' input must not depend on that: documents that are equal
    /// are evaluated once (see `engine`).
    shown_from: usize,
}

impl Chain {
    fn start(file: String) -> Chain {
        Chain {
            steps: vec![file],
            shown_from: 1,
        }
    }

    fn then(&self, step: String) -> Chain {
        let mut steps = self.steps.clone();
        steps.push(step);
        Chain {
            steps,
            shown_from: self.shown_from,
        }
    }

    /// A play's step, where what rules see of the chain begins.
    fn play(&self, name: String) -> Chain {
        let mut chain = self.then(name);
        chain.shown_from = chain.steps.len() - 1;
        chain
    }

    fn shown(&self) -> &[String] {
        self.steps.get(self.shown_from..).unwrap_or_default()
    }

    fn text(&self) -> String {
        self.steps.join(" > ")
    }
}

/// Builds the document for a playbook or a task file. The entry file was
/// parsed already (with file id 0); everything it reaches is read here.
pub fn document(file: &Arc<SourceFile>, docs: Vec<YamlDoc>) -> AnsibleOutcome {
    document_with(file, docs, crate::parse::ParseLimits::default())
}

/// [`document`], reading the files it reaches within the given limits.
pub fn document_with(
    file: &Arc<SourceFile>,
    docs: Vec<YamlDoc>,
    limits: crate::parse::ParseLimits,
) -> AnsibleOutcome {
    let mut loader = Loader::new(file);
    loader.limits = limits;
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
    let chain = Chain::start(file.display.clone());
    loader.stack.push(normalize(&file.path));
    if items.iter().any(is_play) {
        loader.playbook(&items, &dir, &chain);
    } else {
        let section = if dir.file_name().is_some_and(|n| n == "handlers") {
            "handlers"
        } else {
            "tasks"
        };
        let playbook_dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut ctx = TaskCtx {
            section,
            play: None,
            scope: Scope::new(Rc::clone(&loader.files)),
            inherited: Vec::new(),
            chain,
            dir: dir.clone(),
            role_dir: role_of_task_dir(&dir),
            playbook_dir,
            roles: Vec::new(),
            conditions: Vec::new(),
        };
        // A role's task file on its own: the role's defaults and vars apply.
        if let Some(role_dir) = role_of_task_dir(&dir) {
            let name = role_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let spec = Node::str(Span::new(0, 0, 0), name.as_str());
            let mut visiting = Vec::new();
            let info = loader.role_info(&name, role_dir, &spec, &ctx, &mut visiting);
            ctx.scope = ctx
                .scope
                .with_layers(role_layers(std::slice::from_ref(&info)));
            ctx.roles.push(info);
        }
        if section == "handlers" {
            ctx.conditions
                .push(run_time_condition(Span::new(0, 0, 0), "notified"));
        }
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
    /// The role a task runs in, after the roles that pulled it in
    /// (Ansible's dependency chain).
    roles: Vec<Rc<RoleInfo>>,
    /// The `when:` of the blocks, includes and roles around a task, and
    /// conditions only known at run time (a handler runs when notified, a
    /// `rescue` when something failed).
    conditions: Vec<Node>,
}

/// A condition clause cannot decide: it depends on what happens at run time.
fn run_time_condition(span: Span, what: &str) -> Node {
    Node::unknown(span, what, Vec::new())
}

struct Loader {
    files: SharedFiles,
    ids: HashMap<PathBuf, u32>,
    tasks: Vec<Node>,
    resources: Vec<Resource>,
    plays: Vec<Node>,
    /// Files being read, to stop include cycles.
    stack: Vec<PathBuf>,
    /// Files whose read or syntax error was reported.
    reported: HashSet<PathBuf>,
    /// Notices given, so a role looked for twice is named once.
    noticed: HashSet<String>,
    /// `set_fact` values, kept for the rest of the run as Ansible keeps
    /// them for each host.
    facts: HashMap<String, RunVar>,
    /// `include_vars` values, kept the same way.
    included: HashMap<String, RunVar>,
    /// The hosts the current play targets.
    hosts: Hosts,
    /// The current play's public roles (`roles:`, `import_role`, an
    /// `include_role` with `public: true`): every task of the play sees
    /// their defaults and vars.
    public: Vec<Rc<RoleInfo>>,
    /// The play's public roles' defaults and vars, as layers lowest first.
    public_defaults: Vec<Rc<VarMap>>,
    public_vars: Vec<Rc<VarMap>>,
    outcome: AnsibleOutcome,
    limits: crate::parse::ParseLimits,
    /// Each file's first document, by file id, as parsed the first time:
    /// a playbook reads its roles' defaults and vars once per play and per
    /// role that depends on them (kubespray's 160 KB of defaults about
    /// fifteen times a playbook), and copying the tree costs a fraction of
    /// parsing it again.
    parsed: HashMap<u32, Option<Node>>,
    /// See `vars_from`.
    vars_read: HashMap<PathBuf, Rc<VarMap>>,
}

impl Loader {
    fn new(entry: &Arc<SourceFile>) -> Self {
        let mut ids = HashMap::new();
        ids.insert(normalize(&entry.path), 0);
        Loader {
            files: Rc::new(RefCell::new(vec![Arc::clone(entry)])),
            ids,
            tasks: Vec::new(),
            resources: Vec::new(),
            plays: Vec::new(),
            stack: Vec::new(),
            reported: HashSet::new(),
            noticed: HashSet::new(),
            facts: HashMap::new(),
            included: HashMap::new(),
            hosts: Hosts::All,
            public: Vec::new(),
            public_defaults: Vec::new(),
            public_vars: Vec::new(),
            outcome: AnsibleOutcome::default(),
            limits: crate::parse::ParseLimits::default(),
            parsed: HashMap::new(),
            vars_read: HashMap::new(),
        }
    }

    /// Reads and parses a YAML file that the entry file reaches.
    fn load(&mut self, path: &Path) -> Option<Node> {
        let key = normalize(path);
        let id = match self.ids.get(&key) {
            Some(id) => *id,
            None => {
                let file = match crate::check::read_source(&key, self.limits.max_file_bytes) {
                    Ok(f) => f,
                    Err(e) => {
                        if self.reported.insert(key) {
                            self.outcome.errors.push(e);
                        }
                        return None;
                    }
                };
                let mut files = self.files.borrow_mut();
                files.push(file);
                let id = u32::try_from(files.len() - 1).unwrap_or(u32::MAX);
                self.ids.insert(key.clone(), id);
                id
            }
        };
        if let Some(root) = self.parsed.get(&id) {
            return root.clone();
        }
        let file = self.file(id)?;
        let root = match yaml::parse_stream(&file.text, id, Dialect::Yaml11, self.limits.yaml()) {
            Ok(docs) => docs.into_iter().find_map(|d| d.root),
            Err(e) => {
                // A file read again (by another play, or when looking for
                // imported roles) is reported once.
                if self.reported.insert(key) {
                    self.outcome.errors.push(FileError::at(
                        &file,
                        e.offset,
                        format!("YAML syntax error: {}", e.message),
                    ));
                }
                None
            }
        };
        self.parsed.insert(id, root.clone());
        root
    }

    /// A notice, given once.
    fn notice(&mut self, text: String) {
        if self.noticed.insert(text.clone()) {
            self.outcome.notices.push(text);
        }
    }

    fn file(&self, id: u32) -> Option<Arc<SourceFile>> {
        self.files.borrow().get(id as usize).map(Arc::clone)
    }

    /// The variables a vars file (`group_vars/all.yml`, `defaults/main.yml`,
    /// a folder of them) defines, read once per document: a role's defaults
    /// and vars are looked up each time a play or another role names it.
    fn vars_from(&mut self, path: &Path) -> Rc<VarMap> {
        if let Some(found) = self.vars_read.get(path) {
            return Rc::clone(found);
        }
        let vars = Rc::new(self.read_vars(path));
        self.vars_read.insert(path.to_path_buf(), Rc::clone(&vars));
        vars
    }

    fn read_vars(&mut self, path: &Path) -> VarMap {
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
                    out.extend(self.read_vars(&f));
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

    /// Inventory and playbook `group_vars`/`host_vars` for the hosts a play
    /// targets, merged in Ansible's order: inventory `group_vars/all` <
    /// playbook `group_vars/all` < inventory `group_vars/<group>` < playbook
    /// `group_vars/<group>` < inventory `host_vars` < playbook `host_vars`.
    /// Each host, group and inventory a play may run with is worked out on
    /// its own; where they disagree on a variable (one inventory against
    /// another, or with `hosts: all` a group's or host's file against
    /// `all`), its value is unknown: clause cannot tell which one a host
    /// gets.
    fn inventory_scope(&mut self, playbook_dir: &Path, hosts: &Hosts, base: &Scope) -> Scope {
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
        // What each host may be: a group and a host named by the pattern,
        // or, for every host, any group or host with a file, or none.
        enum Member {
            /// A host in no group with a file of its own.
            Plain,
            Group(String),
            Host(String),
            /// A name in the pattern: a group or a host.
            Named(String),
        }
        let members: Vec<Member> = match hosts {
            Hosts::Named(names) => names.iter().cloned().map(Member::Named).collect(),
            Hosts::All => {
                let mut members = vec![Member::Plain];
                let mut seen: Vec<(bool, String)> = Vec::new();
                let roots: Vec<&Path> = inventories
                    .iter()
                    .map(PathBuf::as_path)
                    .chain([playbook_dir])
                    .collect();
                for root in roots {
                    for (is_group, folder) in [(true, "group_vars"), (false, "host_vars")] {
                        for name in vars_names(&root.join(folder)) {
                            if (is_group && name == "all")
                                || seen.contains(&(is_group, name.clone()))
                            {
                                continue;
                            }
                            seen.push((is_group, name.clone()));
                            members.push(if is_group {
                                Member::Group(name)
                            } else {
                                Member::Host(name)
                            });
                        }
                    }
                }
                members
            }
        };
        let sources: Vec<Option<&PathBuf>> = if inventories.is_empty() {
            vec![None]
        } else {
            inventories.iter().map(Some).collect()
        };
        let mut cases: Vec<Scope> = Vec::new();
        for inventory in &sources {
            for member in &members {
                let mut layers: Vec<(Rank, PathBuf)> = Vec::new();
                if let Some(inv) = inventory {
                    layers.push((Rank::InventoryGroupAll, inv.join("group_vars").join("all")));
                }
                layers.push((
                    Rank::PlaybookGroupAll,
                    playbook_dir.join("group_vars").join("all"),
                ));
                let (group, host) = match member {
                    Member::Plain => (None, None),
                    Member::Group(g) => (Some(g), None),
                    Member::Host(h) => (None, Some(h)),
                    Member::Named(n) => (Some(n), Some(n)),
                };
                if let Some(g) = group {
                    if let Some(inv) = inventory {
                        layers.push((Rank::InventoryGroup, inv.join("group_vars").join(g)));
                    }
                    layers.push((Rank::PlaybookGroup, playbook_dir.join("group_vars").join(g)));
                }
                if let Some(h) = host {
                    if let Some(inv) = inventory {
                        layers.push((Rank::InventoryHostVars, inv.join("host_vars").join(h)));
                    }
                    layers.push((
                        Rank::PlaybookHostVars,
                        playbook_dir.join("host_vars").join(h),
                    ));
                }
                let mut case = Scope::default();
                for (rank, path) in layers {
                    case = case.with_shared(rank, self.vars_from(&path));
                }
                cases.push(case);
            }
        }
        let mut names: Vec<String> = cases.iter().flat_map(Scope::names).collect();
        names.sort();
        names.dedup();
        let mut merged = VarMap::new();
        for name in names {
            let values: Vec<Option<Node>> = cases
                .iter()
                .map(|case| jinja::Vars::raw(case, &name))
                .collect();
            let first = values.iter().flatten().next().cloned();
            let Some(first) = first else { continue };
            let json = |v: &Option<Node>| v.clone().map(|n| n.into_parts().0);
            let agreed = values.iter().all(|v| json(v) == json(&Some(first.clone())));
            let value = if agreed {
                first
            } else {
                Node::unknown(first.span, format!("{{{{ {name} }}}}"), vec![name.clone()])
            };
            merged.insert(name, value);
        }
        base.with(Rank::Inventory, merged)
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
                chain.text()
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
        // Facts and included vars stay for the rest of the run; a play for
        // other hosts sees them as unknown (see `run_vars`).
        self.hosts = Hosts::of(play);
        let hosts = self.hosts.clone();
        let mut scope = self.inventory_scope(dir, &hosts, &Scope::new(Rc::clone(&self.files)));
        if let Some(vars) = play.get("vars") {
            scope = scope.with(Rank::PlayVars, from_mapping(vars));
        }
        for vars_file in play.get("vars_files").map(Node::items).unwrap_or(&[]) {
            if let Some(path) = vars_file.as_str().filter(|p| !jinja::has_template(p)) {
                let vars = self.vars_from(&dir.join(path));
                scope = scope.with_shared(Rank::VarsFiles, vars);
            }
        }
        let name = play
            .get("name")
            .and_then(Node::as_str)
            .map(|n| format!("play \"{n}\""))
            .unwrap_or_else(|| format!("play #{}", index + 1));
        let chain = chain.play(name);
        let ctx = TaskCtx {
            section: "tasks",
            play: Some(index),
            scope,
            inherited: inherited_from(play, &[]),
            chain,
            dir: dir.to_path_buf(),
            role_dir: None,
            playbook_dir: dir.to_path_buf(),
            roles: Vec::new(),
            conditions: Vec::new(),
        };
        // The play's roles and imported roles are loaded before it runs, so
        // every task of the play sees their defaults and vars (Ansible's
        // default, `private_role_vars = false`).
        self.public.clear();
        let mut play_roles: Vec<Option<Rc<RoleInfo>>> = Vec::new();
        for spec in play.get("roles").map(Node::items).unwrap_or(&[]) {
            let info = self.load_role(spec, &ctx);
            if let Some(info) = &info {
                self.public.push(Rc::clone(info));
            }
            play_roles.push(info);
        }
        let mut imported = Vec::new();
        for section in PLAY_SECTIONS {
            if let Some(list) = play.get(section) {
                self.imported_roles(list.items(), &ctx, 0, &mut imported);
            }
        }
        for info in play_roles.iter().flatten() {
            if let Some((_, tasks)) = self.task_file(&info.dir.join("tasks"), "main") {
                let role_ctx = TaskCtx {
                    dir: info.dir.join("tasks"),
                    role_dir: Some(info.dir.clone()),
                    ..ctx.clone()
                };
                self.imported_roles(tasks.items(), &role_ctx, 1, &mut imported);
            }
        }
        self.public.extend(imported);
        self.refresh_public();
        if let Some(list) = play.get("pre_tasks") {
            self.tasks_in(
                list.items(),
                &TaskCtx {
                    section: "pre_tasks",
                    ..ctx.clone()
                },
            );
        }
        for (spec, info) in play
            .get("roles")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .zip(play_roles)
        {
            if let Some(info) = info {
                self.run_role(&info, spec, None, &ctx);
            }
        }
        for section in ["tasks", "post_tasks", "handlers"] {
            if let Some(list) = play.get(section) {
                let section = PLAY_SECTIONS
                    .iter()
                    .find(|s| **s == section)
                    .copied()
                    .unwrap_or("tasks");
                let mut section_ctx = TaskCtx {
                    section,
                    ..ctx.clone()
                };
                if section == "handlers" {
                    section_ctx
                        .conditions
                        .push(run_time_condition(list.span, "notified"));
                }
                self.tasks_in(list.items(), &section_ctx);
            }
        }
    }

    /// The defaults and vars of the play's public roles, later roles over
    /// earlier ones.
    fn refresh_public(&mut self) {
        self.public_defaults.clear();
        self.public_vars.clear();
        for role in &self.public {
            role.exported_defaults(&mut self.public_defaults);
            role.exported_vars(&mut self.public_vars);
        }
    }

    /// The roles `import_role` brings in, found before the play runs
    /// (through blocks and `import_tasks`, as Ansible reads them when it
    /// loads the playbook).
    fn imported_roles(
        &mut self,
        items: &[Node],
        ctx: &TaskCtx,
        depth: usize,
        out: &mut Vec<Rc<RoleInfo>>,
    ) {
        if depth >= MAX_INCLUDE_DEPTH {
            return;
        }
        for item in items {
            for part in ["block", "rescue", "always"] {
                if let Some(list) = item.get(part) {
                    self.imported_roles(list.items(), ctx, depth + 1, out);
                }
            }
            for entry in item.entries() {
                match modules::fqcn(&entry.key).as_str() {
                    "ansible.builtin.import_role" => {
                        if entry.value.is_map()
                            && let Some(info) = self.load_role(&entry.value, ctx)
                        {
                            let from = entry.value.get("tasks_from").and_then(Node::as_str);
                            if let Some((_, tasks)) =
                                self.task_file(&info.dir.join("tasks"), from.unwrap_or("main"))
                            {
                                let role_ctx = TaskCtx {
                                    dir: info.dir.join("tasks"),
                                    role_dir: Some(info.dir.clone()),
                                    ..ctx.clone()
                                };
                                self.imported_roles(tasks.items(), &role_ctx, depth + 1, out);
                            }
                            out.push(info);
                        }
                    }
                    "ansible.builtin.import_tasks" => {
                        let target = match &entry.value.data {
                            NodeData::Str(s) => Some(s.as_str()),
                            NodeData::Map(_) => entry.value.get("file").and_then(Node::as_str),
                            _ => None,
                        };
                        let Some(target) = target.filter(|t| !jinja::has_template(t)) else {
                            continue;
                        };
                        let Some(path) = include_candidates(ctx, target)
                            .into_iter()
                            .find(|c| c.is_file())
                        else {
                            continue;
                        };
                        if let Some(root) = self.load(&path) {
                            let file_ctx = TaskCtx {
                                dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
                                ..ctx.clone()
                            };
                            self.imported_roles(root.items(), &file_ctx, depth + 1, out);
                        }
                    }
                    _ => {}
                }
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

    /// Finds and reads the role a `roles:` entry, dependency or
    /// `include_role`/`import_role` names, with its dependencies; a notice
    /// when it is templated or not found.
    fn load_role(&mut self, spec: &Node, ctx: &TaskCtx) -> Option<Rc<RoleInfo>> {
        let mut visiting = Vec::new();
        self.load_role_at(spec, ctx, &mut visiting)
    }

    fn load_role_at(
        &mut self,
        spec: &Node,
        ctx: &TaskCtx,
        visiting: &mut Vec<PathBuf>,
    ) -> Option<Rc<RoleInfo>> {
        let name = match &spec.data {
            NodeData::Str(s) => Some(s.clone()),
            NodeData::Map(_) => spec
                .get("role")
                .or_else(|| spec.get("name"))
                .and_then(Node::as_str)
                .map(str::to_string),
            _ => None,
        }?;
        if jinja::has_template(&name) {
            self.notice(format!(
                "{}: role {name} not followed (templated name)",
                ctx.chain.text()
            ));
            return None;
        }
        let Some(dir) = self.find_role(&name, ctx) else {
            let remote = name.split('.').count() >= 3;
            if !remote {
                self.notice(format!(
                    "{}: role {name} not found beside the playbook (looked in roles/{name})",
                    ctx.chain.text()
                ));
            }
            return None;
        };
        if visiting.contains(&dir) || visiting.len() >= MAX_INCLUDE_DEPTH {
            return None;
        }
        Some(self.role_info(&name, dir, spec, ctx, visiting))
    }

    /// A role's defaults, vars and dependencies, and what was given where it
    /// was named.
    fn role_info(
        &mut self,
        name: &str,
        dir: PathBuf,
        spec: &Node,
        ctx: &TaskCtx,
        visiting: &mut Vec<PathBuf>,
    ) -> Rc<RoleInfo> {
        let from = |key: &str| {
            spec.get(key)
                .and_then(Node::as_str)
                .filter(|f| !jinja::has_template(f))
                .unwrap_or("main")
                .to_string()
        };
        let defaults_from = from("defaults_from");
        let vars_from = from("vars_from");
        // `defaults/main.yml` or a folder `defaults/main/` of files.
        let defaults = self.vars_from(&dir.join("defaults").join(&defaults_from));
        let vars = self.vars_from(&dir.join("vars").join(&vars_from));
        let params: VarMap = spec
            .entries()
            .iter()
            .filter(|e| !ROLE_KEYWORDS.contains(&e.key.as_str()))
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        let params = Rc::new(params);
        let keyword_vars = Rc::new(spec.get("vars").map(from_mapping).unwrap_or_default());
        visiting.push(dir.clone());
        let mut deps = Vec::new();
        if let Some(meta) = self
            .vars_from(&dir.join("meta").join("main"))
            .get("dependencies")
            .cloned()
        {
            let dep_ctx = TaskCtx {
                role_dir: Some(dir.clone()),
                ..ctx.clone()
            };
            for dep in meta.items() {
                if let Some(info) = self.load_role_at(dep, &dep_ctx, visiting) {
                    deps.push(info);
                }
            }
        }
        visiting.pop();
        Rc::new(RoleInfo {
            name: name.to_string(),
            dir,
            spec: spec.clone(),
            defaults,
            vars,
            keyword_vars,
            params,
            deps,
        })
    }

    /// Runs a role: its dependencies first (each with this role in its
    /// chain, so it sees this role's defaults, vars and parameters), then
    /// its tasks (or `tasks_from`), then its handlers.
    fn run_role(
        &mut self,
        info: &Rc<RoleInfo>,
        spec: &Node,
        tasks_from: Option<&str>,
        ctx: &TaskCtx,
    ) {
        let dir = info.dir.clone();
        if self.stack.contains(&dir) || self.stack.len() >= MAX_INCLUDE_DEPTH {
            return;
        }
        self.stack.push(dir.clone());
        let mut roles = ctx.roles.clone();
        roles.push(Rc::clone(info));
        let scope = ctx.scope.with_layers(role_layers(&roles));
        let chain = ctx.chain.then(format!("role {}", info.name));
        let inherited = inherited_from(spec, &ctx.inherited);
        let mut conditions = ctx.conditions.clone();
        if let Some(when) = spec.get("when") {
            conditions.push(when.clone());
        }
        // Dependencies run before the role.
        for dep in &info.deps {
            let dep_ctx = TaskCtx {
                role_dir: Some(dir.clone()),
                chain: chain.clone(),
                inherited: inherited.clone(),
                roles: roles.clone(),
                conditions: conditions.clone(),
                ..ctx.clone()
            };
            let dep_spec = dep.spec.clone();
            self.run_role(dep, &dep_spec, None, &dep_ctx);
        }
        let role_ctx = TaskCtx {
            scope,
            inherited,
            chain,
            dir: dir.join("tasks"),
            role_dir: Some(dir.clone()),
            roles,
            conditions,
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
            let mut conditions = role_ctx.conditions.clone();
            conditions.push(run_time_condition(handlers.1.span, "notified"));
            self.tasks_in(
                handlers.1.items(),
                &TaskCtx {
                    section: "handlers",
                    chain: file_chain,
                    dir: dir.join("handlers"),
                    conditions,
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
            let parts: Vec<(&str, &Node)> = ["block", "rescue", "always"]
                .iter()
                .filter_map(|k| item.get(k).map(|v| (*k, v)))
                .collect();
            if !parts.is_empty() {
                let scope = match item.get("vars") {
                    Some(v) => ctx.scope.with(Rank::BlockVars, from_mapping(v)),
                    None => ctx.scope.clone(),
                };
                let mut conditions = ctx.conditions.clone();
                if let Some(when) = item.get("when") {
                    conditions.push(when.clone());
                }
                let inner = TaskCtx {
                    scope,
                    inherited: inherited_from(item, &ctx.inherited),
                    conditions,
                    ..ctx.clone()
                };
                for (key, part) in parts {
                    if key == "rescue" {
                        // Runs only when something in the block failed.
                        let mut rescue = inner.clone();
                        rescue
                            .conditions
                            .push(run_time_condition(part.span, "a task failed"));
                        self.tasks_in(part.items(), &rescue);
                    } else {
                        self.tasks_in(part.items(), &inner);
                    }
                }
                continue;
            }
            if self.include(item, ctx) {
                continue;
            }
            self.task(item, ctx);
        }
    }

    /// Facts and included vars as the current play sees them: a value set
    /// by a play for other hosts may or may not be there (unknown), unless
    /// that play ran on every host.
    fn run_vars(&self, vars: &HashMap<String, RunVar>) -> VarMap {
        vars.iter()
            .map(|(name, var)| {
                let value = if var.hosts == self.hosts || var.hosts == Hosts::All {
                    var.value.clone()
                } else {
                    Node::unknown(
                        var.value.span,
                        format!("{{{{ {name} }}}}"),
                        vec![name.clone()],
                    )
                };
                (name.clone(), value)
            })
            .collect()
    }

    /// A scope with what is only known once the play runs: the play's
    /// public roles, `include_vars` and `set_fact` so far.
    fn run_scope(&self, scope: &Scope) -> Scope {
        let defaults =
            (self.public_defaults.iter()).map(|layer| (Rank::RoleDefaultsPublic, Rc::clone(layer)));
        let vars = (self.public_vars.iter()).map(|layer| (Rank::RoleVarsPublic, Rc::clone(layer)));
        scope
            .with_layers(defaults.chain(vars))
            .with(Rank::IncludeVars, self.run_vars(&self.included))
            .with(Rank::Facts, self.run_vars(&self.facts))
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
        // `vars:` of an import are the imported tasks' vars; those of a
        // dynamic include are include parameters, above `set_fact`.
        let dynamic = !full.starts_with("ansible.builtin.import_");
        let rank = if dynamic {
            Rank::IncludeParams
        } else {
            Rank::TaskVars
        };
        let scope = match item.get("vars") {
            Some(v) => ctx.scope.with(rank, from_mapping(v)),
            None => ctx.scope.clone(),
        };
        let mut conditions = ctx.conditions.clone();
        if let Some(when) = item.get("when") {
            conditions.push(when.clone());
        }
        let inner = TaskCtx {
            scope,
            inherited: inherited_from(item, &ctx.inherited),
            conditions,
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
            let Some(info) = self.load_role(&role_spec, &inner) else {
                return true;
            };
            self.run_role(&info, &role_spec, tasks_from.as_deref(), &inner);
            // An included role with `public: true` shows its defaults and
            // vars to the rest of the play.
            let public = role_spec
                .get("public")
                .and_then(jinja::to_bool)
                .unwrap_or(false);
            if dynamic && public {
                self.public.push(info);
                self.refresh_public();
            }
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
        let target = match self
            .run_scope(&inner.scope)
            .resolve(Node::str(entry.value.span, target.as_str()))
            .data
        {
            NodeData::Str(s) if !jinja::has_template(&s) => s,
            _ => {
                self.outcome.notices.push(format!(
                    "{}: {} of {target} not followed (its path is templated)",
                    ctx.chain.text(),
                    entry.key
                ));
                return true;
            }
        };
        // Ansible looks beside the including file, then in the role's tasks.
        let Some(path) = include_candidates(ctx, &target)
            .into_iter()
            .find(|c| c.is_file())
        else {
            self.outcome.notices.push(format!(
                "{}: {} of {target} not found",
                ctx.chain.text(),
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
            let mut s = self.run_scope(&ctx.scope);
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
        let Some(file) = self.file(item.span.file) else {
            return;
        };
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
        // The templates as written, before rendering: rules about how a
        // value is used (a secret variable printed by debug, put on a
        // command line) need the variable's name, which rendering replaces
        // with its value.
        let mut as_written = Vec::new();
        templates_as_written(&arguments, &mut String::new(), &mut as_written);
        // Values as Ansible would pass them: templates rendered where the
        // variables are known.
        let arguments = self.resolve(arguments, scope);
        for entry in entries.iter_mut() {
            if !UNRENDERED.contains(&entry.key.as_str()) && !entry.key.starts_with("with_") {
                entry.value = self.resolve(entry.value.clone(), scope);
            }
        }
        if full == "ansible.builtin.set_fact" || full == "ansible.builtin.include_vars" {
            // Whether the task runs: its own `when:` and those around it.
            let mut conditions = ctx.conditions.clone();
            if let Some(when) = item.get("when") {
                conditions.push(when.clone());
            }
            let runs = jinja::condition(&Node::new(span, NodeData::Seq(conditions)), scope);
            if runs != Some(false) {
                let vars = if full == "ansible.builtin.set_fact" {
                    facts_set(&arguments)
                } else {
                    self.include_vars(&arguments, ctx, &chain_text(ctx))
                };
                let target = if full == "ansible.builtin.set_fact" {
                    &mut self.facts
                } else {
                    &mut self.included
                };
                for (name, value) in vars {
                    // A task that may or may not run leaves the variable
                    // unknown.
                    let value = if runs == Some(true) {
                        value
                    } else {
                        Node::unknown(value.span, format!("{{{{ {name} }}}}"), vec![name.clone()])
                    };
                    target.insert(
                        name,
                        RunVar {
                            value,
                            hosts: self.hosts.clone(),
                        },
                    );
                }
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
        entries.push(fixed(
            "args_as_written",
            Node::new(module_span, NodeData::Map(as_written)),
        ));
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
            .shown()
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
            .steps
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

    /// The variables an `include_vars` task reads (`include_vars: file.yml`,
    /// `file:`, `dir:`, `name:`), found where Ansible looks: the role's
    /// `vars/` and folder (and those of the roles that pulled it in), the
    /// task file's folder and its `vars/`, the playbook's folder and its
    /// `vars/`.
    fn include_vars(&mut self, args: &Node, ctx: &TaskCtx, at: &str) -> Vec<(String, Node)> {
        let source = args
            .get("file")
            .or_else(|| args.get("_raw_params"))
            .map(|f| (f, false))
            .or_else(|| args.get("dir").map(|d| (d, true)));
        let Some((source, is_dir)) = source else {
            return Vec::new();
        };
        let Some(source_text) = source.as_str().filter(|s| !jinja::has_template(s)) else {
            self.outcome.notices.push(format!(
                "{at}: include_vars of a templated path not followed"
            ));
            return Vec::new();
        };
        let source_text = source_text.trim().to_string();
        let mut stack: Vec<PathBuf> = ctx.roles.iter().rev().map(|r| r.dir.clone()).collect();
        if !stack.contains(&ctx.dir) {
            stack.push(ctx.dir.clone());
        }
        let uses_vars = source_text.split('/').next() == Some("vars");
        let mut search: Vec<PathBuf> = Vec::new();
        if Path::new(&source_text).is_absolute() {
            search.push(PathBuf::from(&source_text));
        } else {
            for path in &stack {
                if let Some(parent) = path.parent()
                    && parent.ends_with("tasks")
                    && let Some(role) = parent.parent()
                {
                    search.push(role.join("vars").join(&source_text));
                    search.push(parent.join(&source_text));
                }
                if !uses_vars {
                    search.push(path.join("vars").join(&source_text));
                }
                search.push(path.join(&source_text));
            }
            if !uses_vars {
                search.push(ctx.playbook_dir.join("vars").join(&source_text));
            }
            search.push(ctx.playbook_dir.join(&source_text));
        }
        let Some(found) = search
            .into_iter()
            .map(|p| normalize(&p))
            .find(|p| if is_dir { p.is_dir() } else { p.is_file() })
        else {
            self.outcome
                .notices
                .push(format!("{at}: include_vars of {source_text} not found"));
            return Vec::new();
        };
        let mut vars: Vec<(String, Node)> = Vec::new();
        if is_dir {
            let filtered = ["files_matching", "ignore_files", "extensions", "depth"]
                .iter()
                .any(|k| args.get(k).is_some());
            if filtered {
                self.outcome.notices.push(format!(
                    "{at}: include_vars of {source_text} not followed (files_matching, ignore_files, extensions and depth are not read)"
                ));
                return Vec::new();
            }
            let own_main = ctx
                .roles
                .last()
                .map(|r| r.dir.join("vars").join("main.yml"));
            for file in files_under(&found) {
                if Some(&file) == own_main.as_ref() {
                    continue;
                }
                if let Some(root) = self.load(&file) {
                    vars.extend(
                        root.entries()
                            .iter()
                            .map(|e| (e.key.clone(), e.value.clone())),
                    );
                }
            }
        } else if let Some(root) = self.load(&found) {
            vars.extend(
                root.entries()
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone())),
            );
        }
        match args.get("name").and_then(Node::as_str) {
            Some(name) => {
                let span = args.get("name").map(|n| n.span).unwrap_or(source.span);
                let entries = vars
                    .into_iter()
                    .map(|(key, value)| Entry {
                        key,
                        key_span: value.span,
                        value,
                    })
                    .collect();
                vec![(name.to_string(), Node::new(span, NodeData::Map(entries)))]
            }
            None => vars,
        }
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
        let (mut input, spans) = root.into_parts();
        index_tasks(&mut input);
        let files = std::mem::take(&mut *self.files.borrow_mut());
        self.outcome.document = Some(Document {
            format: Format::Ansible,
            unit: file.display.clone(),
            files,
            input,
            spans,
            resources: self.resources,
        });
        self.outcome
    }
}

/// Adds `tasks_by_module`, each module's task indices in order, and
/// `looped_tasks`, the indices of the tasks with a loop (`loop`, or a
/// `with_<lookup>` keyword) that is not null. A rule about one module, or
/// about what a loop prints, then visits those tasks alone (`ans.tasks_in`,
/// `ans.looped_tasks`), where looking at every task of a playbook thousands
/// of tasks long, once per rule body, was most of the time Ansible rules
/// took.
fn index_tasks(input: &mut serde_json::Value) {
    let mut by_module = serde_json::Map::new();
    let mut looped = Vec::new();
    if let Some(tasks) = input.get("tasks").and_then(serde_json::Value::as_array) {
        for (i, task) in tasks.iter().enumerate() {
            if let Some(module) = task.get("module").and_then(serde_json::Value::as_str) {
                let entry = by_module
                    .entry(module)
                    .or_insert_with(|| serde_json::Value::Array(Vec::new()));
                if let serde_json::Value::Array(list) = entry {
                    list.push(i.into());
                }
            }
            let has_loop = task.as_object().is_some_and(|keywords| {
                keywords
                    .iter()
                    .any(|(k, v)| (k == "loop" || k.starts_with("with_")) && !v.is_null())
            });
            if has_loop {
                looped.push(serde_json::Value::from(i));
            }
        }
    }
    if let Some(object) = input.as_object_mut() {
        object.insert(
            "tasks_by_module".into(),
            serde_json::Value::Object(by_module),
        );
        object.insert("looped_tasks".into(), serde_json::Value::Array(looped));
    }
}

/// Every templated string in a task's arguments, keyed by its path below
/// `args` joined with dots (`msg`, `argv.2`, `body.password`).
fn templates_as_written(node: &Node, path: &mut String, out: &mut Vec<Entry>) {
    let mut descend = |key: &str, child: &Node, path: &mut String| {
        let before = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        templates_as_written(child, path, out);
        path.truncate(before);
    };
    match &node.data {
        NodeData::Str(s) if jinja::has_template(s) && !path.is_empty() => out.push(Entry {
            key: path.clone(),
            key_span: node.span,
            value: Node::str(node.span, s.as_str()),
        }),
        NodeData::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                descend(&i.to_string(), item, path);
            }
        }
        NodeData::Map(entries) => {
            for e in entries {
                descend(&e.key, &e.value, path);
            }
        }
        _ => {}
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

/// The facts a `set_fact` task sets. Only a value clause could resolve is
/// a fact; anything else (`x: "{{ x }} more"`) is unknown from here on.
fn facts_set(args: &Node) -> Vec<(String, Node)> {
    args.entries()
        .iter()
        .filter(|e| e.key != "cacheable")
        .map(|e| {
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
            (e.key.clone(), value)
        })
        .collect()
}

fn chain_text(ctx: &TaskCtx) -> String {
    ctx.chain.text()
}

/// The vars files in a folder and its subfolders, as `include_vars: {dir:}`
/// reads them: folders in name order, files in name order within each.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut folders = vec![dir.to_path_buf()];
    let mut out = Vec::new();
    let mut index = 0;
    while index < folders.len() && folders.len() < 1024 {
        let current = folders[index].clone();
        index += 1;
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&current)
            .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                folders.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "yml" || e == "yaml" || e == "json")
            {
                out.push(path);
            }
        }
    }
    // Ansible walks the folders sorted by path, each folder's files sorted.
    let mut grouped: Vec<(PathBuf, PathBuf)> = out
        .into_iter()
        .map(|f| (f.parent().map(Path::to_path_buf).unwrap_or_default(), f))
        .collect();
    grouped.sort();
    grouped.into_iter().map(|(_, f)| f).collect()
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

/// Where `import_tasks`/`include_tasks` look for a file: beside the
/// including file, in the role's `tasks/`, beside the playbook.
fn include_candidates(ctx: &TaskCtx, target: &str) -> Vec<PathBuf> {
    let mut candidates = vec![ctx.dir.join(target)];
    if let Some(role_dir) = &ctx.role_dir {
        candidates.push(role_dir.join("tasks").join(target));
    }
    candidates.push(ctx.playbook_dir.join(target));
    candidates.into_iter().map(|c| normalize(&c)).collect()
}

/// The names of the vars files or folders in a `group_vars` or
/// `host_vars` folder (`web.yml`, `web/` → `web`).
fn vars_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let path = e.path();
                    let name = path.file_name()?.to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        return None;
                    }
                    if path.is_dir() {
                        return Some(name);
                    }
                    [".yml", ".yaml", ".json"]
                        .iter()
                        .find_map(|ext| name.strip_suffix(ext))
                        .map(str::to_string)
                        .or_else(|| (!name.contains('.')).then_some(name.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests;
