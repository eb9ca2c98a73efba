//! The playbooks a file names in `import_playbook`, read from its text
//! without parsing it. `clause check` uses this before reading anything, to
//! guess which playbooks no other playbook runs: those it evaluates as soon
//! as they are read, rather than reading them a second time once every
//! playbook's reach is known. A wrong guess costs time, never a finding:
//! whether a playbook is reported on its own is still decided from what the
//! playbooks actually reach.

use std::path::{Path, PathBuf};

use crate::parse::terraform::module::normalize;

/// The targets of the `import_playbook` lines in `text` (block or flow
/// style, with or without `ansible.builtin.`), resolved against `dir` the
/// way the loader resolves them. Templated targets are left out: the loader
/// does not follow them either.
pub fn playbook_imports(text: &str, dir: &Path) -> Vec<PathBuf> {
    const KEY: &str = "import_playbook:";
    if !text.contains(KEY) {
        return Vec::new();
    }
    text.lines()
        .filter_map(|line| {
            let line = line.split(" #").next().unwrap_or(line);
            let rest = &line[line.find(KEY)? + KEY.len()..];
            let value = rest
                .split([',', '}'])
                .next()
                .unwrap_or(rest)
                .trim()
                .trim_matches(['"', '\'']);
            (!value.is_empty() && !value.contains("{{")).then(|| normalize(&dir.join(value)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_resolved_against_the_naming_file() {
        let text = "\
- name: Common
  ansible.builtin.import_playbook: playbooks/cluster.yml  # the real one
- import_playbook: \"../site.yml\"
- { import_playbook: 'flow.yml', vars: {a: 1} }
- import_playbook: \"{{ playbook_dir }}/templated.yml\"
- hosts: all
";
        assert_eq!(
            playbook_imports(text, Path::new("repo/play")),
            [
                PathBuf::from("repo/play/playbooks/cluster.yml"),
                PathBuf::from("repo/site.yml"),
                PathBuf::from("repo/play/flow.yml"),
            ]
        );
        assert!(playbook_imports("- hosts: all\n", Path::new(".")).is_empty());
    }
}
