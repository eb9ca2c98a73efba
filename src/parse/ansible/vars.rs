//! Variables where Ansible finds them, in its precedence order for the
//! sources clause can see: role defaults, inventory and playbook
//! `group_vars`/`host_vars`, play `vars` and `vars_files`, role `vars`,
//! block and task `vars`, `set_fact`, role parameters, loop variables.

use std::collections::HashMap;
use std::rc::Rc;

use super::jinja;
use crate::document::Node;

/// Precedence of a source: a higher rank wins; within a rank, the later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    RoleDefaults,
    InventoryGroupAll,
    InventoryGroup,
    PlaybookGroupAll,
    PlaybookGroup,
    HostVars,
    PlayVars,
    VarsFiles,
    RoleVars,
    BlockVars,
    TaskVars,
    Facts,
    RoleParams,
    Loop,
}

pub type VarMap = HashMap<String, Node>;

/// The variables visible at one point of a play.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    layers: Vec<(Rank, Rc<VarMap>)>,
    loop_vars: Vec<String>,
}

impl Scope {
    pub fn with(&self, rank: Rank, vars: VarMap) -> Scope {
        if vars.is_empty() {
            return self.clone();
        }
        let mut next = self.clone();
        next.layers.push((rank, Rc::new(vars)));
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
}

/// The variables a mapping defines (`vars:`, a vars file), in order.
pub fn from_mapping(node: &Node) -> VarMap {
    node.entries()
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect()
}
