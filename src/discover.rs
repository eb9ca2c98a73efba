//! Finding the files to check: walks the given paths (honouring
//! `.gitignore`, skipping hidden folders such as `.git` and `.terraform`,
//! never following symlinked folders, so loops cannot trap the walk), and
//! groups them into units of evaluation: a Terraform module directory, or
//! one YAML file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::parse::FileError;
use crate::parse::terraform::module::normalize;
use crate::source::display_path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitKind {
    TerraformModule,
    /// A module folder that another scanned folder calls with a local
    /// `source`: Terraform only ever evaluates it with its caller's
    /// arguments, so clause does too, through the caller.
    TerraformCalledModule,
    /// A `.json` file that may be a plan (`terraform show -json`).
    JsonCandidate,
    Yaml,
}

/// A unit of evaluation: the files that are read together. A run holds
/// one per file of a repository until it ends (most units are one YAML
/// file), so it keeps only what cannot be worked out again.
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    /// One file, or the files of one Terraform module folder.
    pub paths: Box<[PathBuf]>,
    /// When only some files of a module were named (a pre-commit hook
    /// passing staged files), the module is still evaluated whole, so its
    /// variables and sibling files count, but only findings touching these
    /// files are reported.
    pub focus: Option<Box<BTreeSet<String>>>,
}

impl Unit {
    /// The module folder or the file, as the user would type it.
    pub fn display(&self) -> String {
        let first = self.paths.first().map_or(Path::new(""), PathBuf::as_path);
        match self.kind {
            UnitKind::TerraformModule | UnitKind::TerraformCalledModule => {
                display_path(first.parent().unwrap_or(first))
            }
            UnitKind::JsonCandidate | UnitKind::Yaml => display_path(first),
        }
    }
}

/// Which files to leave out: `--exclude` globs match the path as shown;
/// a config's `include` and `exclude` match paths relative to its folder.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub excludes: GlobSet,
    pub relative: Option<RelativeFilter>,
}

#[derive(Debug, Clone)]
pub struct RelativeFilter {
    pub base: PathBuf,
    /// Files must match one of these, when there are any.
    pub include: Option<GlobSet>,
    pub exclude: GlobSet,
}

impl Filter {
    pub fn new(
        cli_excludes: &[String],
        base: Option<&Path>,
        include: &[String],
        exclude: &[String],
    ) -> Result<Filter, String> {
        let relative = match base {
            Some(base) if !(include.is_empty() && exclude.is_empty()) => {
                let include = if include.is_empty() {
                    None
                } else {
                    Some(glob_set(include, false)?)
                };
                Some(RelativeFilter {
                    base: normalize(&std::path::absolute(base).map_err(|e| e.to_string())?),
                    include,
                    exclude: glob_set(exclude, true)?,
                })
            }
            _ => None,
        };
        Ok(Filter {
            excludes: exclude_set(cli_excludes)?,
            relative,
        })
    }

    /// Whether a path (file or folder) is left out.
    fn excluded(&self, path: &Path) -> bool {
        if self.excludes.is_match(display_path(path)) {
            return true;
        }
        match (&self.relative, relative_to(path, self.relative.as_ref())) {
            (Some(r), Some(rel)) => r.exclude.is_match(&rel),
            _ => false,
        }
    }

    /// Whether a file is outside the config's `include` globs.
    fn not_included(&self, path: &Path) -> bool {
        match (&self.relative, relative_to(path, self.relative.as_ref())) {
            (
                Some(RelativeFilter {
                    include: Some(include),
                    ..
                }),
                Some(rel),
            ) => !include.is_match(&rel),
            (
                Some(RelativeFilter {
                    include: Some(_), ..
                }),
                None,
            ) => true,
            _ => false,
        }
    }
}

fn relative_to(path: &Path, filter: Option<&RelativeFilter>) -> Option<String> {
    let filter = filter?;
    let absolute = normalize(&std::path::absolute(path).ok()?);
    let rel = absolute.strip_prefix(&filter.base).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// Globs as a set; folder globs also match everything under them.
fn glob_set(globs: &[String], with_children: bool) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob = glob.trim_end_matches('/');
        let mut patterns = vec![glob.to_string()];
        if with_children {
            patterns.push(format!("{glob}/**"));
        }
        for pattern in patterns {
            builder.add(Glob::new(&pattern).map_err(|e| format!("invalid glob `{glob}`: {e}"))?);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub units: Vec<Unit>,
    /// Files seen but not IaC clause reads, with the reason.
    pub skipped: Vec<(String, &'static str)>,
    pub errors: Vec<FileError>,
}

pub fn exclude_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob = glob.trim_end_matches('/');
        for pattern in [
            glob.to_string(),
            format!("{glob}/**"),
            format!("**/{glob}"),
            format!("**/{glob}/**"),
        ] {
            builder.add(
                Glob::new(&pattern).map_err(|e| format!("invalid --exclude glob `{glob}`: {e}"))?,
            );
        }
    }
    builder.build().map_err(|e| e.to_string())
}

fn is_terraform(name: &str) -> bool {
    name.ends_with(".tf")
        || name.ends_with(".tf.json")
        || name.ends_with(".tfvars")
        || name.ends_with(".tfvars.json")
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// A file inside a Helm chart's `templates/` folder is Go template text,
/// not YAML, until `helm template` renders it.
fn in_helm_templates(path: &Path) -> bool {
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir
                .parent()
                .is_some_and(|chart| chart.join("Chart.yaml").is_file())
    })
}

/// The module folders that other scanned folders call with a local
/// `source = "./..."`. Folders in a call cycle with no outside caller stay
/// roots, so nothing is left unevaluated.
fn called_modules(modules: &BTreeMap<PathBuf, Vec<PathBuf>>) -> BTreeSet<PathBuf> {
    let normalized: BTreeMap<PathBuf, &PathBuf> =
        modules.keys().map(|d| (normalize(d), d)).collect();
    let mut edges: BTreeMap<&PathBuf, Vec<&PathBuf>> = BTreeMap::new();
    for (dir, files) in modules {
        for file in files {
            let name = file.to_string_lossy();
            if !(name.ends_with(".tf") || name.ends_with(".tf.json")) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            for source in local_sources(&text) {
                if let Some(target) = normalized.get(&normalize(&dir.join(source)))
                    && *target != dir
                {
                    edges.entry(dir).or_default().push(*target);
                }
            }
        }
    }
    let called_by_any: BTreeSet<&PathBuf> = edges.values().flatten().copied().collect();
    let mut reached: BTreeSet<&PathBuf> = BTreeSet::new();
    let mut stack: Vec<&PathBuf> = modules
        .keys()
        .filter(|d| !called_by_any.contains(d))
        .collect();
    while let Some(dir) = stack.pop() {
        for target in edges.get(dir).map(Vec::as_slice).unwrap_or(&[]) {
            if reached.insert(*target) {
                stack.push(*target);
            }
        }
    }
    reached.into_iter().cloned().collect()
}

/// `source = "./modules/x"` (HCL) and `"source": "../y"` (JSON) values.
fn local_sources(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let rest = line
                .strip_prefix("source")
                .or_else(|| line.strip_prefix("\"source\""))?;
            let rest = rest.trim_start().strip_prefix(['=', ':'])?.trim_start();
            let value = rest.strip_prefix('"')?;
            let value = &value[..value.find('"')?];
            (value.starts_with("./") || value.starts_with("../")).then_some(value)
        })
        .collect()
}

/// The path a walk error is about, when it names one.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// A walk error without the path `error_path` already names.
fn error_cause(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_cause(err),
        other => other.to_string(),
    }
}

/// `whole_modules`: a Terraform file named on its own is read with the rest
/// of its folder (what a pre-commit hook needs); off, it is read alone (a
/// fixture file beside others).
pub fn discover(paths: &[PathBuf], filter: &Filter, whole_modules: bool) -> Discovery {
    let mut discovery = Discovery::default();
    let mut modules: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    // Modules reached only through files named on the command line, with
    // those files; a module also reached by walking a folder is whole.
    let mut named: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut walked: BTreeSet<PathBuf> = BTreeSet::new();
    let mut yaml_files: Vec<PathBuf> = Vec::new();
    let mut json_files: Vec<PathBuf> = Vec::new();
    for root in paths {
        if !root.exists() {
            // A link that leads nowhere (or around in a loop) says why.
            let message = match (std::fs::symlink_metadata(root), std::fs::metadata(root)) {
                (Ok(_), Err(e)) => format!("cannot read: {e}"),
                _ => "no such file or directory".into(),
            };
            discovery
                .errors
                .push(FileError::whole_file(&display_path(root), message));
            continue;
        }
        if root.is_file() && whole_modules {
            let name = root
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if is_terraform(&name) {
                let dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
                named
                    .entry(dir.clone())
                    .or_default()
                    .insert(display_path(root));
                let siblings = std::fs::read_dir(if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    &dir
                });
                for entry in siblings.into_iter().flatten().flatten() {
                    let sibling = entry.file_name().to_string_lossy().to_string();
                    if is_terraform(&sibling) && entry.path().is_file() {
                        modules
                            .entry(dir.clone())
                            .or_default()
                            .push(dir.join(&sibling));
                    }
                }
                continue;
            }
        }
        // Excluded folders are pruned, not walked and filtered.
        let pruned = filter.clone();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .parents(true)
            .follow_links(false)
            .sort_by_file_path(|a, b| a.cmp(b))
            .filter_entry(move |e| e.depth() == 0 || !pruned.excluded(e.path()))
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    // Name the folder that could not be read, not the root.
                    let at = error_path(&e).unwrap_or(root);
                    discovery.errors.push(FileError::whole_file(
                        &display_path(at),
                        format!("cannot walk: {}", error_cause(&e)),
                    ));
                    continue;
                }
            };
            let path = entry.path();
            if filter.excluded(path) {
                continue;
            }
            let is_file = entry.file_type().is_some_and(|t| t.is_file())
                || (entry.path_is_symlink() && path.is_file());
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if !is_file && entry.path_is_symlink() && entry.depth() > 0 {
                // Never silently: a link clause cannot follow is named.
                match std::fs::metadata(path) {
                    Err(e) if is_terraform(&name) || is_yaml(&name) || name.ends_with(".json") => {
                        discovery.errors.push(FileError::whole_file(
                            &display_path(path),
                            format!("cannot read: {e}"),
                        ));
                    }
                    Err(_) => discovery
                        .skipped
                        .push((display_path(path), "broken symbolic link")),
                    Ok(meta) if meta.is_dir() => discovery.skipped.push((
                        display_path(path),
                        "symbolic link to a folder (not followed)",
                    )),
                    Ok(_) => {}
                }
                continue;
            }
            if !is_file || filter.not_included(path) {
                continue;
            }
            if is_terraform(&name) {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                walked.insert(dir.clone());
                modules.entry(dir).or_default().push(path.to_path_buf());
            } else if name.ends_with(".json") {
                json_files.push(path.to_path_buf());
            } else if is_yaml(&name) {
                if in_helm_templates(path) {
                    discovery.skipped.push((
                        display_path(path),
                        "Helm chart template (pipe `helm template` output into `clause check -`)",
                    ));
                } else {
                    yaml_files.push(path.to_path_buf());
                }
            } else {
                discovery.skipped.push((
                    display_path(path),
                    "not a Terraform, Kubernetes or Ansible file",
                ));
            }
        }
    }
    let called = called_modules(&modules);
    for (dir, mut files) in modules {
        files.sort();
        files.dedup();
        let kind = if called.contains(&dir) {
            UnitKind::TerraformCalledModule
        } else {
            UnitKind::TerraformModule
        };
        let focus = named.remove(&dir).filter(|_| !walked.contains(&dir));
        discovery.units.push(Unit {
            kind,
            paths: files.into(),
            focus: focus.map(Box::new),
        });
    }
    json_files.sort();
    json_files.dedup();
    for path in json_files {
        discovery.units.push(Unit {
            kind: UnitKind::JsonCandidate,
            paths: Box::new([path]),
            focus: None,
        });
    }
    yaml_files.sort();
    yaml_files.dedup();
    for path in yaml_files {
        discovery.units.push(Unit {
            kind: UnitKind::Yaml,
            paths: Box::new([path]),
            focus: None,
        });
    }
    discovery
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_that_cannot_be_followed_are_named() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("main.tf"), "").unwrap();
        symlink("..", root.join("up")).unwrap();
        symlink("b.yaml", root.join("a.yaml")).unwrap();
        symlink("a.yaml", root.join("b.yaml")).unwrap();
        symlink("missing", root.join("notes.txt")).unwrap();
        let found = discover(&[root.to_path_buf()], &Filter::default(), true);
        let errors: Vec<String> = found
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.file, e.message))
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors.iter().all(|e| e.contains("cannot read")),
            "{errors:?}"
        );
        let skipped: Vec<&str> = found.skipped.iter().map(|(_, why)| *why).collect();
        assert!(skipped.contains(&"symbolic link to a folder (not followed)"));
        assert!(skipped.contains(&"broken symbolic link"));
        assert_eq!(found.units.len(), 1);
        // Named directly, a looping link says why it cannot be read.
        let found = discover(&[root.join("a.yaml")], &Filter::default(), true);
        assert!(found.errors[0].message.starts_with("cannot read:"));
    }
}
