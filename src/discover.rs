//! Finding the files to check: walks the given paths (honouring
//! `.gitignore`, skipping hidden folders such as `.git` and `.terraform`,
//! never following symlinked folders, so loops cannot trap the walk), and
//! groups them into units of evaluation: a Terraform module directory, or
//! one YAML file.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

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
    pub units: Units,
    /// Files seen but not IaC clause reads, with the reason.
    pub skipped: Vec<(String, &'static str)>,
    pub errors: Vec<FileError>,
}

/// The units of a run, in the order they are planned. A run holds its plan
/// until it ends, and with one `PathBuf` per file, each spelling out its
/// folder, the plan was the largest thing a run over a big repository held:
/// here a folder is stored once and a file as the folder's number and its
/// name. A `Unit` is built when asked for.
#[derive(Debug, Default)]
pub struct Units {
    folders: Vec<PathBuf>,
    files: Vec<PlannedFile>,
    units: Vec<PlannedUnit>,
    /// `Unit::focus`, by unit number: only modules named file by file.
    focus: BTreeMap<usize, BTreeSet<String>>,
}

#[derive(Debug, Clone)]
struct PlannedFile {
    folder: usize,
    /// Empty when the path names no file (`Path::file_name` is `None`) and
    /// `folder` is the whole path.
    name: Box<OsStr>,
}

#[derive(Debug)]
struct PlannedUnit {
    kind: UnitKind,
    /// Its files are `files[first..first + len]`.
    first: usize,
    len: usize,
}

impl Units {
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The unit planned `index`th.
    pub fn get(&self, index: usize) -> Option<Unit> {
        let unit = self.units.get(index)?;
        let files = self.files.get(unit.first..unit.first + unit.len)?;
        Some(Unit {
            kind: unit.kind.clone(),
            paths: files.iter().map(|f| self.path(f)).collect(),
            focus: self.focus.get(&index).cloned().map(Box::new),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Unit> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    pub fn kind(&self, index: usize) -> Option<&UnitKind> {
        self.units.get(index).map(|u| &u.kind)
    }

    fn path(&self, file: &PlannedFile) -> PathBuf {
        let folder = self.folder_path(file.folder);
        if file.name.is_empty() {
            folder.to_path_buf()
        } else {
            folder.join(&*file.name)
        }
    }

    fn folder_path(&self, number: usize) -> &Path {
        self.folders
            .get(number)
            .map_or(Path::new(""), PathBuf::as_path)
    }

    /// Stores a folder, giving its number.
    fn add_folder(&mut self, folder: &Path) -> usize {
        self.folders.push(folder.to_path_buf());
        self.folders.len() - 1
    }

    /// A file whose folder is not stored yet.
    fn file(&mut self, path: &Path) -> PlannedFile {
        match (path.parent(), path.file_name()) {
            (Some(folder), Some(name)) => PlannedFile {
                folder: self.add_folder(folder),
                name: name.into(),
            },
            _ => PlannedFile {
                folder: self.add_folder(path),
                name: OsStr::new("").into(),
            },
        }
    }

    /// Orders files as their paths would be (`Path`'s order, component by
    /// component), without building the paths.
    fn compare(&self, a: &PlannedFile, b: &PlannedFile) -> Ordering {
        self.components(a).cmp(self.components(b))
    }

    fn components<'a>(&'a self, file: &'a PlannedFile) -> impl Iterator<Item = Component<'a>> {
        self.folder_path(file.folder)
            .components()
            .chain(Path::new(&*file.name).components())
    }

    fn push(&mut self, kind: UnitKind, files: Vec<PlannedFile>) {
        let first = self.files.len();
        self.files.extend(files);
        self.units.push(PlannedUnit {
            kind,
            first,
            len: self.files.len() - first,
        });
    }

    /// Sorts and dedups files by path, as `Vec<PathBuf>` would be.
    fn sorted(&self, mut files: Vec<PlannedFile>) -> Vec<PlannedFile> {
        files.sort_by(|a, b| self.compare(a, b));
        files.dedup_by(|a, b| self.compare(a, b) == Ordering::Equal);
        files
    }
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
fn called_modules(units: &Units, modules: &[(usize, Vec<PlannedFile>)]) -> BTreeSet<usize> {
    let folder = |number: &usize| units.folder_path(*number);
    let normalized: BTreeMap<PathBuf, usize> = modules
        .iter()
        .map(|(d, _)| (normalize(folder(d)), *d))
        .collect();
    let mut edges: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (dir, files) in modules {
        for file in files {
            let name = file.name.to_string_lossy();
            if !(name.ends_with(".tf") || name.ends_with(".tf.json")) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(units.path(file)) else {
                continue;
            };
            for source in local_sources(&text) {
                if let Some(target) = normalized.get(&normalize(&folder(dir).join(source)))
                    && target != dir
                {
                    edges.entry(*dir).or_default().push(*target);
                }
            }
        }
    }
    let called_by_any: BTreeSet<usize> = edges.values().flatten().copied().collect();
    let mut reached: BTreeSet<usize> = BTreeSet::new();
    let mut stack: Vec<usize> = modules
        .iter()
        .map(|(d, _)| *d)
        .filter(|d| !called_by_any.contains(d))
        .collect();
    while let Some(dir) = stack.pop() {
        for target in edges.get(&dir).map(Vec::as_slice).unwrap_or(&[]) {
            if reached.insert(*target) {
                stack.push(*target);
            }
        }
    }
    reached
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

/// A walked file, its folder stored once for all of its files.
fn walked_file(
    units: &mut Units,
    open: &mut [(PathBuf, Option<usize>)],
    path: &Path,
    depth: usize,
) -> PlannedFile {
    if let Some((folder, number)) = depth.checked_sub(1).and_then(|d| open.get_mut(d))
        && path.parent() == Some(folder.as_path())
        && let Some(name) = path.file_name()
    {
        return PlannedFile {
            folder: *number.get_or_insert_with(|| units.add_folder(folder)),
            name: name.into(),
        };
    }
    units.file(path)
}

/// `whole_modules`: a Terraform file named on its own is read with the rest
/// of its folder (what a pre-commit hook needs); off, it is read alone (a
/// fixture file beside others).
pub fn discover(paths: &[PathBuf], filter: &Filter, whole_modules: bool) -> Discovery {
    let mut discovery = Discovery::default();
    let units = &mut discovery.units;
    // Module folders by number, each with its files.
    let mut modules: BTreeMap<usize, Vec<PlannedFile>> = BTreeMap::new();
    // Modules reached only through files named on the command line, with
    // those files; a module also reached by walking a folder is whole.
    let mut named: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut walked: BTreeSet<usize> = BTreeSet::new();
    let mut yaml_files: Vec<PlannedFile> = Vec::new();
    let mut json_files: Vec<PlannedFile> = Vec::new();
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
                let number = units.add_folder(&dir);
                named.entry(number).or_default().insert(display_path(root));
                let siblings = std::fs::read_dir(if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    &dir
                });
                for entry in siblings.into_iter().flatten().flatten() {
                    let sibling = entry.file_name().to_string_lossy().to_string();
                    if is_terraform(&sibling) && entry.path().is_file() {
                        modules.entry(number).or_default().push(PlannedFile {
                            folder: number,
                            name: entry.file_name().into(),
                        });
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
        // The folders from the root down to the current entry, by depth,
        // each with its number once one of its files is planned: the walk
        // gives a folder before what it holds.
        let mut open: Vec<(PathBuf, Option<usize>)> = Vec::new();
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
            if entry.file_type().is_some_and(|t| t.is_dir()) {
                open.truncate(entry.depth());
                open.push((path.to_path_buf(), None));
            }
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
                let file = walked_file(units, &mut open, path, entry.depth());
                walked.insert(file.folder);
                modules.entry(file.folder).or_default().push(file);
            } else if name.ends_with(".json") {
                json_files.push(walked_file(units, &mut open, path, entry.depth()));
            } else if is_yaml(&name) {
                if in_helm_templates(path) {
                    discovery.skipped.push((
                        display_path(path),
                        "Helm chart template (pipe `helm template` output into `clause check -`)",
                    ));
                } else {
                    yaml_files.push(walked_file(units, &mut open, path, entry.depth()));
                }
            } else {
                discovery.skipped.push((
                    display_path(path),
                    "not a Terraform, Kubernetes or Ansible file",
                ));
            }
        }
    }
    // A folder reached twice (from two roots, or by naming its files one by
    // one) is one module, as when modules were kept by path; equal paths
    // stay in the order they were found.
    let mut module_folders: Vec<usize> = modules.keys().copied().collect();
    module_folders.sort_by(|a, b| units.folder_path(*a).cmp(units.folder_path(*b)));
    let mut grouped: Vec<(usize, Vec<PlannedFile>)> = Vec::new();
    for number in module_folders {
        let files = modules.remove(&number).unwrap_or_default();
        match grouped.last_mut() {
            Some((first, held)) if units.folder_path(*first) == units.folder_path(number) => {
                held.extend(files);
                if let Some(more) = named.remove(&number) {
                    named.entry(*first).or_default().extend(more);
                }
                if walked.contains(&number) {
                    walked.insert(*first);
                }
            }
            _ => grouped.push((number, files)),
        }
    }
    let called = called_modules(units, &grouped);
    for (dir, files) in grouped {
        let files = units.sorted(files);
        let kind = if called.contains(&dir) {
            UnitKind::TerraformCalledModule
        } else {
            UnitKind::TerraformModule
        };
        if let Some(focus) = named.remove(&dir).filter(|_| !walked.contains(&dir)) {
            units.focus.insert(units.len(), focus);
        }
        units.push(kind, files);
    }
    for path in units.sorted(json_files) {
        units.push(UnitKind::JsonCandidate, vec![path]);
    }
    for path in units.sorted(yaml_files) {
        units.push(UnitKind::Yaml, vec![path]);
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

    #[test]
    fn the_plan_keeps_the_order_and_dedup_of_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a/main.tf",
            "a/z.yml",
            "a/b/y.yml",
            "a/b/main.tf",
            "a-b/x.yml",
            "a.yml",
            "c.json",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "").unwrap();
        }
        // The folder `a` is reached from two roots and through a file named
        // on its own: still one module, its files once each.
        let roots = [root.join("a"), root.to_path_buf(), root.join("a/main.tf")];
        let found = discover(&roots, &Filter::default(), true);
        let planned: Vec<(UnitKind, Vec<PathBuf>)> = found
            .units
            .iter()
            .map(|u| (u.kind, u.paths.to_vec()))
            .collect();
        let mut yaml: Vec<PathBuf> = ["a/z.yml", "a/b/y.yml", "a-b/x.yml", "a.yml"]
            .iter()
            .map(|f| root.join(f))
            .collect();
        // `Path` order, component by component: `a/b/y.yml` before `a/z.yml`,
        // and both before `a-b`, unlike the order of the strings.
        yaml.sort();
        // Modules in the order of their folders.
        let mut expected = vec![
            (UnitKind::TerraformModule, vec![root.join("a/main.tf")]),
            (UnitKind::TerraformModule, vec![root.join("a/b/main.tf")]),
            (UnitKind::JsonCandidate, vec![root.join("c.json")]),
        ];
        expected.extend(yaml.into_iter().map(|p| (UnitKind::Yaml, vec![p])));
        assert_eq!(planned, expected);
        assert!(found.units.iter().all(|u| u.focus.is_none()));
    }
}
