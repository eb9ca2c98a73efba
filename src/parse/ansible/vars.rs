//! Variables where Ansible finds them, in its precedence order (lowest
//! first) for the sources clause can see: role defaults, inventory and
//! playbook `group_vars`/`host_vars`, play `vars` and `vars_files`, role
//! `vars`, block and task `vars`, `include_vars`, `set_fact`, role
//! parameters, include parameters, loop variables. The order is the one
//! ansible-core's `VariableManager.get_vars` merges them in.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use super::jinja;
use crate::document::Node;
use crate::source::{SourceFile, Span};

/// Precedence of a source: a higher rank wins; within a rank, the later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// Defaults of the play's public roles (`roles:`, `import_role`, an
    /// `include_role` with `public: true`), later roles over earlier ones.
    RoleDefaultsPublic,
    /// Defaults of the role a task runs in (its dependencies', its parents',
    /// its own).
    RoleDefaults,
    InventoryGroupAll,
    PlaybookGroupAll,
    InventoryGroup,
    PlaybookGroup,
    InventoryHostVars,
    PlaybookHostVars,
    /// The inventory sources above merged for the hosts a play targets
    /// (unknown where hosts or inventories disagree).
    Inventory,
    PlayVars,
    VarsFiles,
    /// `vars/` of the play's public roles.
    RoleVarsPublic,
    /// `vars/` of the role a task runs in (and its parents'), and the
    /// `vars:` given where the role was named.
    RoleVars,
    BlockVars,
    TaskVars,
    IncludeVars,
    Facts,
    RoleParams,
    /// `vars:` of `include_tasks` / `include_role`.
    IncludeParams,
    Loop,
}

pub type VarMap = HashMap<String, Node>;

/// The files a document reads, shared with the scopes so a template's
/// position inside its file can be found.
pub type SharedFiles = Rc<RefCell<Vec<Arc<SourceFile>>>>;

/// The variables visible at one point of a play.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    layers: Vec<(Rank, Rc<VarMap>)>,
    loop_vars: Vec<String>,
    files: SharedFiles,
}

impl Scope {
    pub fn new(files: SharedFiles) -> Scope {
        Scope {
            files,
            ..Scope::default()
        }
    }

    pub fn with(&self, rank: Rank, vars: VarMap) -> Scope {
        self.with_shared(rank, Rc::new(vars))
    }

    pub fn with_shared(&self, rank: Rank, vars: Rc<VarMap>) -> Scope {
        self.with_layers([(rank, vars)])
    }

    /// The scope with each of `layers` added in turn: a name resolves as
    /// if the layers of one rank were merged into one map, later over
    /// earlier, without copying them.
    pub fn with_layers(&self, layers: impl IntoIterator<Item = (Rank, Rc<VarMap>)>) -> Scope {
        let mut next = self.clone();
        next.layers
            .extend(layers.into_iter().filter(|(_, vars)| !vars.is_empty()));
        next
    }

    pub fn with_loop(&self, name: &str, item: Node) -> Scope {
        let mut vars = VarMap::new();
        vars.insert(name.to_string(), item);
        let mut next = self.with(Rank::Loop, vars);
        next.loop_vars.push(name.to_string());
        next
    }

    /// Resolves templates in a value with these variables.
    pub fn resolve(&self, node: Node) -> Node {
        jinja::resolve_node(node, self, 0)
    }

    /// Every name some layer defines.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .layers
            .iter()
            .flat_map(|(_, layer)| layer.keys().cloned())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

impl jinja::Vars for Scope {
    fn raw(&self, name: &str) -> Option<Node> {
        let mut best: Option<(Rank, &Node)> = None;
        for (rank, layer) in &self.layers {
            if let Some(value) = layer.get(name)
                && best.is_none_or(|(r, _)| *rank >= r)
            {
                best = Some((*rank, value));
            }
        }
        best.map(|(_, v)| v.clone())
    }

    fn is_loop_var(&self, name: &str) -> bool {
        self.loop_vars.iter().any(|n| n == name)
    }

    fn text_start(&self, text: &str, span: Span) -> Option<usize> {
        let files = self.files.try_borrow().ok()?;
        let file = files.get(span.file as usize)?;
        super::args::text_offset_in_source(file, text, span)
    }
}

/// The variables a mapping defines (`vars:`, a vars file), in order.
pub fn from_mapping(node: &Node) -> VarMap {
    node.entries()
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect()
}

/// A role as Ansible loads it: its own variables, the variables given where
/// it was named, and its dependencies (from `meta/main.yml`).
#[derive(Debug)]
pub struct RoleInfo {
    pub name: String,
    pub dir: PathBuf,
    /// How the role was named (a `roles:` entry, a dependency, the
    /// `include_role` / `import_role` arguments).
    pub spec: Node,
    /// `defaults/`.
    pub defaults: Rc<VarMap>,
    /// `vars/`.
    pub vars: Rc<VarMap>,
    /// `vars:` where the role was named: role vars of this role only.
    pub keyword_vars: Rc<VarMap>,
    /// Other keys where the role was named (`- {role: x, port: 1}`).
    pub params: Rc<VarMap>,
    pub deps: Vec<Rc<RoleInfo>>,
}

impl RoleInfo {
    /// The defaults the role shows the play (`get_default_vars()`: its
    /// dependencies', nested ones first, then its own), as layers lowest
    /// first. Each direct dependency's whole set in turn gives the same as
    /// Ansible's walk over every nested dependency.
    pub fn exported_defaults(&self, layers: &mut Vec<Rc<VarMap>>) {
        for dep in &self.deps {
            dep.exported_defaults(layers);
        }
        layers.push(Rc::clone(&self.defaults));
    }

    /// The vars the role shows the play (`get_vars(only_exports=True)`):
    /// its dependencies' and its own `vars/`, not what was given where it
    /// was named.
    pub fn exported_vars(&self, layers: &mut Vec<Rc<VarMap>>) {
        for dep in &self.deps {
            dep.exported_vars(layers);
        }
        layers.push(Rc::clone(&self.vars));
    }
}

/// The defaults, vars and parameters a task of the last role in `chain`
/// sees from its role, `chain` being Ansible's dependency chain (the roles
/// that pulled it in, then the role itself), as layers for
/// `Scope::with_layers`. Layers share the roles' maps: kubespray's
/// defaults role alone holds hundreds of variables, and its roles copied
/// them on every run of a role that depends on it.
pub fn role_layers(chain: &[Rc<RoleInfo>]) -> Vec<(Rank, Rc<VarMap>)> {
    let Some(role) = chain.last() else {
        return Vec::new();
    };
    // get_default_vars(dep_chain)
    let mut defaults = Vec::new();
    for dep in &role.deps {
        dep.exported_defaults(&mut defaults);
    }
    defaults.extend(chain.iter().map(|parent| Rc::clone(&parent.defaults)));
    // get_vars(dep_chain, include_params=False, only_exports=False)
    let mut vars = Vec::new();
    for parent in chain {
        vars.push(Rc::clone(&parent.keyword_vars));
        vars.push(Rc::clone(&parent.vars));
    }
    for dep in &role.deps {
        dep.exported_vars(&mut vars);
    }
    vars.push(Rc::clone(&role.vars));
    vars.push(Rc::clone(&role.keyword_vars));
    // get_role_params(dep_chain)
    let params = chain.iter().map(|parent| Rc::clone(&parent.params));
    let ranked = |rank: Rank| move |layer| (rank, layer);
    defaults
        .into_iter()
        .map(ranked(Rank::RoleDefaults))
        .chain(vars.into_iter().map(ranked(Rank::RoleVars)))
        .chain(params.map(ranked(Rank::RoleParams)))
        .collect()
}
