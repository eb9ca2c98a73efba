//! Finding the files to check: walks the given paths (honouring
//! `.gitignore`, skipping hidden folders such as `.git` and `.terraform`,
//! never following symlinked folders, so loops cannot trap the walk), and
//! groups them into units of evaluation: a Terraform module directory, or
//! one YAML file.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::name_key::NameKey;
use crate::parse::FileError;
use crate::parse::terraform::module::normalize;
use crate::plan::{self, PathText};
pub use crate::plan::{UnitAt, Units};
use crate::sorted::Sorter;
use crate::source::display_path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Files seen but not IaC clause reads, with the reason: only when
    /// asked for (`--debug`), as a large repository has hundreds of
    /// thousands of them.
    pub skipped: Vec<(String, &'static str)>,
    /// How many files were skipped, listed or not.
    pub skipped_count: usize,
    pub errors: Vec<FileError>,
}

impl Discovery {
    fn skip(&mut self, path: &Path, why: &'static str, list: bool) {
        self.skipped_count += 1;
        if list {
            self.skipped.push((display_path(path), why));
        }
    }
}

/// The kinds of file a plan groups, in the order it lists them.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Module,
    Json,
    Yaml,
}

/// A file the walk found, waiting to be sorted into the plan with the
/// others. Modules are ordered by folder, then file name; other files by
/// path, as `Path` orders them (component by component).
#[derive(Serialize, Deserialize, Clone, Debug)]
struct Found {
    group: Group,
    /// A module's folder, or the file's whole path.
    place: PathText,
    /// The file's name in a module folder; empty otherwise.
    name: PathText,
    /// Reached by walking a folder, rather than only named on its own.
    walked: bool,
}

impl Found {
    fn module_file(folder: &Path, name: &OsStr, walked: bool) -> Found {
        Found {
            group: Group::Module,
            place: PathText::of(folder.as_os_str()),
            name: PathText::of(name),
            walked,
        }
    }

    fn file(group: Group, path: &Path) -> Found {
        Found {
            group,
            place: PathText::of(path.as_os_str()),
            name: PathText::Text(String::new()),
            walked: true,
        }
    }

    fn path(&self) -> PathBuf {
        let name = self.name.as_path();
        match name.as_os_str().is_empty() {
            true => self.place.as_path().to_path_buf(),
            false => self.place.as_path().join(name),
        }
    }

    /// Whether two records are the same file, found twice (from two
    /// roots, or walked and named on its own).
    fn same_file(&self, other: &Found) -> bool {
        self.group == other.group
            && self.place.as_path() == other.place.as_path()
            && self.name.as_path() == other.name.as_path()
    }
}

impl Ord for Found {
    fn cmp(&self, other: &Self) -> Ordering {
        self.group
            .cmp(&other.group)
            .then_with(|| self.place.as_path().cmp(other.place.as_path()))
            .then_with(|| self.name.as_path().cmp(other.name.as_path()))
            .then_with(|| self.walked.cmp(&other.walked))
    }
}

impl PartialOrd for Found {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Found {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Found {}

/// About how many bytes of found files discovery holds before it sorts
/// them to disk.
const FOUND_IN_MEMORY: usize = 8 << 20;

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

/// Which module folders call which with a local `source = "./..."`, each
/// folder kept as the key of its normalised path: the plan is written only
/// once every folder is seen, and this is what it must know of them all.
#[derive(Default)]
struct ModuleCalls {
    edges: Vec<(NameKey, NameKey)>,
}

impl ModuleCalls {
    /// Reads one file of a module folder for the folders it calls.
    fn read(&mut self, folder: &Path, file: &Path) {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        if !(name.ends_with(".tf") || name.ends_with(".tf.json")) {
            // Variable files call nothing.
            return;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            return;
        };
        let caller = normalize(folder);
        for source in local_sources(&text) {
            let target = normalize(&folder.join(source));
            if target != caller {
                self.edges
                    .push((NameKey::of_path(&caller), NameKey::of_path(&target)));
            }
        }
    }

    /// The folders some other folder calls. Folders in a call cycle with no
    /// outside caller stay roots, so nothing is left unevaluated.
    fn called(self) -> HashSet<NameKey> {
        let called_by_any: HashSet<NameKey> = self.edges.iter().map(|(_, to)| *to).collect();
        let mut calls: HashMap<NameKey, Vec<NameKey>> = HashMap::new();
        for (from, to) in self.edges {
            calls.entry(from).or_default().push(to);
        }
        let mut stack: Vec<NameKey> = calls
            .keys()
            .filter(|folder| !called_by_any.contains(folder))
            .copied()
            .collect();
        let mut reached = HashSet::new();
        while let Some(folder) = stack.pop() {
            for target in calls.get(&folder).map(Vec::as_slice).unwrap_or(&[]) {
                if reached.insert(*target) {
                    stack.push(*target);
                }
            }
        }
        reached
    }
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
/// fixture file beside others). `list_skipped`: name each skipped file,
/// rather than only count them.
pub fn discover(
    paths: &[PathBuf],
    filter: &Filter,
    whole_modules: bool,
    list_skipped: bool,
) -> Discovery {
    discover_within(
        paths,
        filter,
        (whole_modules, list_skipped),
        (FOUND_IN_MEMORY, plan::IN_MEMORY),
    )
}

/// `discover`, holding about `memory` bytes of found files and of the plan
/// before each goes to disk.
fn discover_within(
    paths: &[PathBuf],
    filter: &Filter,
    (whole_modules, list_skipped): (bool, bool),
    memory: (usize, usize),
) -> Discovery {
    let mut discovery = Discovery::default();
    let mut found = Sorter::<Found>::new(memory.0);
    let mut calls = ModuleCalls::default();
    // Modules reached only through files named on the command line, with
    // those files; a module also reached by walking a folder is whole.
    let mut named: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut keep = |discovery: &mut Discovery, record: Found| {
        let size =
            record.place.as_path().as_os_str().len() + record.name.as_path().as_os_str().len() + 96;
        if let Err(e) = found.push(record, size) {
            discovery.errors.push(FileError::whole_file(
                "(temporary file)",
                format!("cannot keep the list of files to check: {e}; some may not be checked"),
            ));
        }
    };
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
                        let file = Found::module_file(&dir, &entry.file_name(), false);
                        calls.read(&dir, &file.path());
                        keep(&mut discovery, file);
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
                    Err(_) => discovery.skip(path, "broken symbolic link", list_skipped),
                    Ok(meta) if meta.is_dir() => discovery.skip(
                        path,
                        "symbolic link to a folder (not followed)",
                        list_skipped,
                    ),
                    Ok(_) => {}
                }
                continue;
            }
            if !is_file || filter.not_included(path) {
                continue;
            }
            if is_terraform(&name) {
                let record = match (path.parent(), path.file_name()) {
                    (Some(folder), Some(name)) => {
                        calls.read(folder, path);
                        Found::module_file(folder, name, true)
                    }
                    _ => Found::module_file(path, OsStr::new(""), true),
                };
                keep(&mut discovery, record);
            } else if name.ends_with(".json") {
                keep(&mut discovery, Found::file(Group::Json, path));
            } else if is_yaml(&name) {
                if in_helm_templates(path) {
                    discovery.skip(
                        path,
                        "Helm chart template (pipe `helm template` output into `clause check -`)",
                        list_skipped,
                    );
                } else {
                    keep(&mut discovery, Found::file(Group::Yaml, path));
                }
            } else {
                discovery.skip(
                    path,
                    "not a Terraform, Kubernetes or Ansible file",
                    list_skipped,
                );
            }
        }
    }
    let called = calls.called();
    let sorted = found.finish().and_then(|sorted| {
        let mut plan = PlanBuilder {
            writer: plan::Writer::within(memory.1),
            module: None,
            named,
            called,
        };
        let mut last: Option<Found> = None;
        for record in sorted.iter()? {
            let record = record?;
            match &mut last {
                Some(previous) if previous.same_file(&record) => {
                    previous.walked |= record.walked;
                }
                _ => {
                    if let Some(previous) = last.replace(record) {
                        plan.add(previous);
                    }
                }
            }
        }
        if let Some(previous) = last {
            plan.add(previous);
        }
        Ok(plan.finish())
    });
    match sorted {
        Ok(units) => discovery.units = units,
        Err(e) => discovery.errors.push(FileError::whole_file(
            "(temporary file)",
            format!("cannot read back the list of files to check: {e}; none was checked"),
        )),
    }
    discovery
}

/// Turns the sorted files into units: a module folder's files into one.
struct PlanBuilder {
    writer: plan::Writer,
    /// The module folder being gathered, with its files and whether it was
    /// walked.
    module: Option<(PathBuf, Vec<PathBuf>, bool)>,
    named: BTreeMap<PathBuf, BTreeSet<String>>,
    called: HashSet<NameKey>,
}

impl PlanBuilder {
    /// Adds a file, each once, in the plan's order.
    fn add(&mut self, record: Found) {
        let path = record.path();
        match record.group {
            Group::Module => match &mut self.module {
                Some((folder, files, walked)) if folder.as_path() == record.place.as_path() => {
                    files.push(path);
                    *walked |= record.walked;
                }
                _ => {
                    self.finish_module();
                    let folder = record.place.as_path().to_path_buf();
                    self.module = Some((folder, vec![path], record.walked));
                }
            },
            Group::Json | Group::Yaml => {
                self.finish_module();
                let kind = match record.group {
                    Group::Json => UnitKind::JsonCandidate,
                    _ => UnitKind::Yaml,
                };
                self.writer.push(Unit {
                    kind,
                    paths: Box::new([path]),
                    focus: None,
                });
            }
        }
    }

    fn finish_module(&mut self) {
        let Some((folder, files, walked)) = self.module.take() else {
            return;
        };
        let kind = if self.called.contains(&NameKey::of_path(&normalize(&folder))) {
            UnitKind::TerraformCalledModule
        } else {
            UnitKind::TerraformModule
        };
        let focus = self.named.remove(&folder).filter(|_| !walked);
        self.writer.push(Unit {
            kind,
            paths: files.into(),
            focus: focus.map(Box::new),
        });
    }

    fn finish(mut self) -> Units {
        self.finish_module();
        self.writer.finish()
    }
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
        let found = discover(&[root.to_path_buf()], &Filter::default(), true, true);
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
        let found = discover(&[root.join("a.yaml")], &Filter::default(), true, true);
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
        let found = discover(&roots, &Filter::default(), true, true);
        let planned: Vec<(UnitKind, Vec<PathBuf>)> = found
            .units
            .iter()
            .map(|u| {
                let (_, _, u) = u.unwrap();
                (u.kind, u.paths.to_vec())
            })
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
        assert!(found.units.iter().all(|u| u.unwrap().2.focus.is_none()));
    }

    fn planned(found: &Discovery) -> Vec<String> {
        found
            .units
            .iter()
            .map(|u| {
                let (_, _, u) = u.unwrap();
                format!("{:?} {:?} {:?}", u.kind, u.paths, u.focus)
            })
            .collect()
    }

    /// Modules a scanned module calls are planned as called, except a
    /// cycle no outside module calls; a module reached only through a file
    /// named on its own keeps that file as its focus. The plan is the same
    /// when the files found and the plan itself go to disk.
    #[test]
    fn module_calls_and_focus_survive_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            (
                "app/main.tf",
                "module \"net\" {\n  source = \"../net\"\n}\n",
            ),
            ("app/variables.tf", ""),
            (
                "net/main.tf.json",
                "{\"module\": {\"x\": {\n  \"source\": \"./inner\"\n}}}",
            ),
            ("net/inner/main.tf", ""),
            ("loop/a/main.tf", "module \"b\" { source = \"../b\" }\n"),
            ("loop/b/main.tf", "module \"a\" { source = \"../a\" }\n"),
            ("solo/main.tf", "module \"self\" { source = \"./\" }\n"),
            ("named/main.tf", ""),
            ("named/outputs.tf", ""),
        ];
        let mut extra = Vec::new();
        for n in 0..300 {
            extra.push((format!("k8s/{n:03}/deploy.yaml"), ""));
        }
        for (file, text) in files.iter().map(|(f, t)| (f.to_string(), *t)).chain(extra) {
            std::fs::create_dir_all(root.join(&file).parent().unwrap()).unwrap();
            std::fs::write(root.join(&file), text).unwrap();
        }
        let roots = [
            root.join("app"),
            root.join("net"),
            root.join("loop"),
            root.join("solo"),
            root.join("k8s"),
            root.join("named/outputs.tf"),
        ];
        let options = (true, false);
        let in_memory = discover_within(
            &roots,
            &Filter::default(),
            options,
            (usize::MAX, usize::MAX),
        );
        let on_disk = discover_within(&roots, &Filter::default(), options, (1, 1));
        assert!(on_disk.units.on_disk() > 0);
        assert_eq!(in_memory.units.on_disk(), 0);
        let plan = planned(&in_memory);
        assert_eq!(plan, planned(&on_disk));
        let kind_of = |folder: &str| {
            plan.iter()
                .find(|u| u.contains(&format!("{folder}/main.tf")))
                .map(|u| u.split(' ').next().unwrap().to_string())
                .unwrap()
        };
        assert_eq!(kind_of("app"), "TerraformModule");
        assert_eq!(kind_of("net"), "TerraformCalledModule");
        assert_eq!(kind_of("inner"), "TerraformCalledModule");
        assert_eq!(kind_of("loop/a"), "TerraformModule");
        assert_eq!(kind_of("loop/b"), "TerraformModule");
        assert_eq!(kind_of("solo"), "TerraformModule");
        let named = plan.iter().find(|u| u.contains("named/main.tf")).unwrap();
        assert!(named.contains("outputs.tf\"}"), "{named}");
        assert_eq!(plan.len(), 7 + 300);
    }
}
