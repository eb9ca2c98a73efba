//! Which loaded modules a rule reads, so each rule's engine holds only those.
//!
//! regorus walks every module of an engine whenever a rule body reads a
//! `data.` path it has not computed yet, building each module's package path
//! as new strings each time: with every rule in one engine, most of the
//! evaluation time went there. A module is needed by a rule when the rule
//! (or a module it needs) names its package, or a package above or below it,
//! or shares its package. Anything the scan cannot follow (`data` read as a
//! whole or indexed by a value) makes the module need every other one, so
//! the narrowing can cost speed but never a rule's meaning.

/// What one module's text refers to under `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum References {
    /// These dotted paths, each starting with `data.`.
    Paths(Vec<String>),
    /// `data` itself, or indexed by a value: any module may be read.
    Everything,
}

/// The `package` a module declares, as `data.a.b` (`None` when it is not a
/// plain dotted name: the module is then needed by every rule), and the
/// `data` paths its code (comments and strings left out) reads.
pub fn scan(text: &str) -> (Option<String>, References) {
    let code = code_only(text);
    (package_in(&code), references_in(&code))
}

fn package_in(code: &str) -> Option<String> {
    let line = code
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("package "))?;
    let name = line["package ".len()..].trim();
    let plain = !name.is_empty()
        && name
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(is_ident_char));
    plain.then(|| format!("data.{name}"))
}

fn references_in(code: &str) -> References {
    let bytes = code.as_bytes();
    let mut paths = Vec::new();
    let mut at = 0;
    while let Some(found) = code[at..].find("data") {
        let start = at + found;
        let end = start + "data".len();
        at = end;
        let before = start.checked_sub(1).map(|i| bytes[i] as char);
        if before.is_some_and(|c| is_ident_char(c) || c == '.') {
            continue;
        }
        if code[end..].starts_with(|c: char| is_ident_char(c)) {
            continue;
        }
        let path_end = end
            + code[end..]
                .find(|c: char| !(is_ident_char(c) || c == '.'))
                .unwrap_or(code.len() - end);
        let path = code[start..path_end].trim_end_matches('.');
        if path == "data" {
            return References::Everything;
        }
        paths.push(path.to_string());
    }
    paths.sort();
    paths.dedup();
    References::Paths(paths)
}

/// Whether reading `path` may read something `package` defines: the path
/// names the package, something inside it, or a package containing it.
pub fn reaches(path: &str, package: &str) -> bool {
    let within = |outer: &str, inner: &str| {
        inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('.'))
    };
    within(package, path) || within(path, package)
}

/// The modules rule `rule` needs, itself included: indexes into `packages`
/// and `references`, which describe every loaded module alike.
pub fn needed_by(
    rule: usize,
    packages: &[Option<String>],
    references: &[References],
) -> Vec<usize> {
    let mut needed = vec![false; packages.len()];
    needed[rule] = true;
    let mut pending = vec![rule];
    while let Some(reader) = pending.pop() {
        for (other, package) in packages.iter().enumerate() {
            if needed[other] {
                continue;
            }
            let read = match (package, &packages[reader], &references[reader]) {
                (None, _, _) | (_, _, References::Everything) => true,
                (Some(package), own, References::Paths(paths)) => {
                    own.as_ref() == Some(package) || paths.iter().any(|p| reaches(p, package))
                }
            };
            if read {
                needed[other] = true;
                pending.push(other);
            }
        }
    }
    (0..packages.len()).filter(|i| needed[*i]).collect()
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The text with comments and string literals blanked out (same length, so
/// nothing inside them is taken for a reference). Works on bytes: what it
/// blanks becomes ASCII spaces, what it keeps is copied whole, so the result
/// stays UTF-8.
fn code_only(text: &str) -> String {
    #[derive(PartialEq)]
    enum In {
        Code,
        Comment,
        Quoted,
        Raw,
    }
    let mut state = In::Code;
    let mut out = Vec::with_capacity(text.len());
    let mut escaped = false;
    for &b in text.as_bytes() {
        let kept = match state {
            In::Code => {
                state = match b {
                    b'#' => In::Comment,
                    b'"' => In::Quoted,
                    b'`' => In::Raw,
                    _ => In::Code,
                };
                state == In::Code
            }
            In::Comment => {
                if b == b'\n' {
                    state = In::Code;
                }
                false
            }
            In::Quoted => {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' || b == b'\n' {
                    state = In::Code;
                }
                false
            }
            In::Raw => {
                if b == b'`' {
                    state = In::Code;
                }
                false
            }
        };
        out.push(if kept || b == b'\n' { b } else { b' ' });
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package_of(text: &str) -> Option<String> {
        scan(text).0
    }

    fn references(text: &str) -> References {
        scan(text).1
    }

    fn paths(text: &str) -> Vec<String> {
        match references(text) {
            References::Paths(p) => p,
            References::Everything => panic!("expected paths"),
        }
    }

    #[test]
    fn references_leave_out_comments_strings_and_other_names() {
        let text = r#"package a.b
# data.in.a.comment
import data.clause.lib.kubernetes as k8s
msg := "data.in.a.string"
x := input.data.y
y := metadata.name
z := data.other.pkg.rule[_]
"#;
        assert_eq!(
            paths(text),
            ["data.clause.lib.kubernetes", "data.other.pkg.rule"]
        );
    }

    #[test]
    fn data_read_whole_or_by_value_needs_everything() {
        assert_eq!(
            references("package a\nx := data[k]\n"),
            References::Everything
        );
        assert_eq!(references("package a\nx := data\n"), References::Everything);
        assert_eq!(
            references("package a\nx := \"data\"\n"),
            References::Paths(vec![])
        );
    }

    #[test]
    fn a_path_reaches_its_package_the_packages_inside_and_the_one_around() {
        assert!(reaches(
            "data.clause.lib.kubernetes",
            "data.clause.lib.kubernetes"
        ));
        assert!(reaches(
            "data.clause.lib.kubernetes.containers",
            "data.clause.lib.kubernetes"
        ));
        assert!(reaches("data.clause.lib", "data.clause.lib.kubernetes"));
        assert!(!reaches(
            "data.clause.lib.kubernetes",
            "data.clause.lib.kubernetes_components"
        ));
        assert!(!reaches(
            "data.clause.lib.kube",
            "data.clause.lib.kubernetes"
        ));
    }

    #[test]
    fn packages_are_read_from_code() {
        assert_eq!(
            package_of("# package no\npackage a.b_c\n"),
            Some("data.a.b_c".into())
        );
        assert_eq!(package_of("package a[\"b\"]\n"), None);
    }

    #[test]
    fn a_rule_needs_what_it_reads_through_other_modules_and_its_own_package() {
        let texts = [
            "package r\nimport data.lib.a\nx := a.y\n",
            "package lib.a\nimport data.lib.b\ny := b.z\n",
            "package lib.b\nz := 1\n",
            "package lib.c\nw := 1\n",
            "package r\nhelper := 2\n",
            "package other\nv := data[k]\n",
        ];
        let packages: Vec<_> = texts.iter().map(|t| package_of(t)).collect();
        let refs: Vec<_> = texts.iter().map(|t| references(t)).collect();
        assert_eq!(needed_by(0, &packages, &refs), [0, 1, 2, 4]);
        assert_eq!(needed_by(3, &packages, &refs), [3]);
        assert_eq!(needed_by(5, &packages, &refs), [0, 1, 2, 3, 4, 5]);
    }
}
