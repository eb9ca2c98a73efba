//! Module names as Ansible resolves them: short names and `ansible.legacy.*`
//! to their fully qualified collection name, from a table kept as data
//! (`data/ansible-modules.tsv`) so it can grow without code changes.

use std::collections::HashMap;
use std::sync::OnceLock;

const MODULE_TABLE: &str = include_str!("../../../data/ansible-modules.tsv");

fn module_table() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        MODULE_TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("short\t"))
            .filter_map(|l| l.split_once('\t'))
            .collect()
    })
}

/// The fully qualified name Ansible would run for a module as written.
pub fn fqcn(written: &str) -> String {
    let table = module_table();
    if let Some(full) = table.get(written) {
        return (*full).to_string();
    }
    if let Some(short) = written.strip_prefix("ansible.legacy.")
        && let Some(full) = table.get(short)
    {
        return (*full).to_string();
    }
    written.to_string()
}

/// Whether a name could be a module: a known short name or a dotted
/// collection name.
pub fn is_module_name(name: &str) -> bool {
    module_table().contains_key(name) || name.split('.').count() >= 3
}
