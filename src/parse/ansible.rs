//! Ansible playbooks and task files, flattened into the tasks Ansible would
//! run: blocks (`block`/`rescue`/`always`) at any depth, play sections in
//! run order, keywords a block passes down (`become`, `no_log`, …) applied to
//! its tasks, module names resolved to their fully qualified form, and every
//! argument form (`module: {args}`, free-form `k=v` strings, `args:`,
//! `action:`/`local_action:`) read into one `args` object.
//!
//! Input shape (documented in `docs/input-ansible.md`): `{"plays": [...],
//! "tasks": [{"name", "module", "module_as_written", "args", "section",
//! "play", ...task keywords as written}]}`. Paths such as
//! `["tasks", 3, "args", "mode"]` lead back to the value as written, even
//! when it sat inside a free-form string.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::document::{Document, Entry, Format, Node, NodeData, Resource, Seg};
use crate::parse::FileError;
use crate::parse::yaml::YamlDoc;
use crate::source::{SourceFile, Span};

const MODULE_TABLE: &str = include_str!("../../data/ansible-modules.tsv");

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

/// Modules whose free-form string is a command line, not `k=v` pairs; only
/// these keys are lifted out of it.
const COMMAND_MODULES: &[(&str, &[&str])] = &[
    (
        "ansible.builtin.command",
        &[
            "chdir",
            "creates",
            "removes",
            "argv",
            "stdin",
            "stdin_add_newline",
            "strip_empty_ends",
            "expand_argument_vars",
        ],
    ),
    (
        "ansible.builtin.shell",
        &[
            "chdir",
            "creates",
            "removes",
            "executable",
            "stdin",
            "stdin_add_newline",
            "warn",
        ],
    ),
    ("ansible.builtin.raw", &["executable"]),
    (
        "ansible.builtin.script",
        &["chdir", "creates", "removes", "executable"],
    ),
    (
        "ansible.windows.win_shell",
        &["chdir", "creates", "removes", "executable"],
    ),
    (
        "ansible.windows.win_command",
        &["chdir", "creates", "removes"],
    ),
];

const PLAY_SECTIONS: &[&str] = &["pre_tasks", "tasks", "post_tasks", "handlers"];

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
fn is_module_name(name: &str) -> bool {
    module_table().contains_key(name) || name.split('.').count() >= 3
}

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
        || node.entries().iter().any(|e| is_module_name(&e.key))
}

fn is_keyword(key: &str) -> bool {
    TASK_KEYWORDS.contains(&key) || key.starts_with("with_")
}

/// Builds the document for a playbook or task file.
pub fn document(file: &Arc<SourceFile>, docs: Vec<YamlDoc>) -> Result<Option<Document>, FileError> {
    let Some(root) = docs.into_iter().find_map(|d| d.root) else {
        return Ok(None);
    };
    let items = match &root.data {
        NodeData::Seq(items) => items,
        NodeData::Null => return Ok(None),
        _ => {
            return Err(FileError::at(
                file,
                root.span.start as usize,
                "an Ansible playbook or task file must be a list".into(),
            ));
        }
    };
    let mut flattener = Flattener {
        file,
        tasks: Vec::new(),
        resources: Vec::new(),
    };
    let mut plays = Vec::new();
    if items.iter().any(is_play) {
        for (play_index, play) in items.iter().enumerate() {
            plays.push(play_summary(play));
            let inherited = inherited_from(play, &[]);
            for section in PLAY_SECTIONS {
                if let Some(list) = play.get(section) {
                    flattener.tasks_in(list, section, Some(play_index), &inherited);
                }
            }
        }
    } else {
        let section = if file
            .path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|n| n == "handlers")
        {
            "handlers"
        } else {
            "tasks"
        };
        flattener.tasks_in(&root, section, None, &[]);
    }
    let whole = Span::new(0, 0, file.text.len());
    let root = Node::new(
        whole,
        NodeData::Map(vec![
            Entry {
                key: "plays".into(),
                key_span: whole,
                value: Node::new(whole, NodeData::Seq(plays)),
            },
            Entry {
                key: "tasks".into(),
                key_span: whole,
                value: Node::new(whole, NodeData::Seq(flattener.tasks)),
            },
        ]),
    );
    let (input, spans) = root.into_parts();
    Ok(Some(Document {
        format: Format::Ansible,
        unit: file.display.clone(),
        files: vec![Arc::clone(file)],
        input,
        spans,
        resources: flattener.resources,
    }))
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

struct Flattener<'a> {
    file: &'a Arc<SourceFile>,
    tasks: Vec<Node>,
    resources: Vec<Resource>,
}

impl Flattener<'_> {
    fn tasks_in(&mut self, list: &Node, section: &str, play: Option<usize>, inherited: &[Entry]) {
        for item in list.items() {
            if !item.is_map() {
                continue;
            }
            let nested: Vec<&Node> = ["block", "rescue", "always"]
                .iter()
                .filter_map(|k| item.get(k))
                .collect();
            if !nested.is_empty() {
                let inner = inherited_from(item, inherited);
                for part in nested {
                    self.tasks_in(part, section, play, &inner);
                }
                continue;
            }
            self.task(item, section, play, inherited);
        }
    }

    fn task(&mut self, item: &Node, section: &str, play: Option<usize>, inherited: &[Entry]) {
        let index = self.tasks.len();
        let mut entries: Vec<Entry> = Vec::new();
        let mut module: Option<(String, Span, Node)> = None;
        let mut extra_args: Option<&Node> = None;
        let mut local = false;
        for entry in item.entries() {
            match entry.key.as_str() {
                "action" | "local_action" => {
                    local |= entry.key == "local_action";
                    if let Some(found) = action_module(self.file, entry) {
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
        let full = fqcn(&written);
        let mut args = self.arguments(&full, raw_args, module_span);
        if let Some(extra) = extra_args
            && let NodeData::Map(extra_entries) = &extra.data
            && let NodeData::Map(arg_entries) = &mut args.data
        {
            for e in extra_entries {
                arg_entries.retain(|a| a.key != e.key);
                arg_entries.push(e.clone());
            }
        }
        for entry in inherited {
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
        let fixed = |key: &str, value: Node| Entry {
            key: key.to_string(),
            key_span: module_span,
            value,
        };
        entries.push(fixed("module", Node::str(module_span, full.as_str())));
        entries.push(fixed(
            "module_as_written",
            Node::str(module_span, written.as_str()),
        ));
        entries.push(fixed("args", args));
        entries.push(fixed("section", Node::str(module_span, section)));
        entries.push(fixed(
            "play",
            Node::new(
                module_span,
                play.map(|p| NodeData::Int(p as i64))
                    .unwrap_or(NodeData::Null),
            ),
        ));
        let name = item.get("name").and_then(Node::as_str).map(str::to_string);
        let header = item
            .entry("name")
            .map(|e| e.value.span)
            .unwrap_or(module_span);
        let address = match &name {
            Some(n) => format!("task \"{n}\""),
            None if full.is_empty() => format!("task #{}", index + 1),
            None => format!("task #{} ({full})", index + 1),
        };
        self.resources.push(Resource {
            path: vec![Seg::Key("tasks".into()), Seg::Index(index)],
            address,
            kind: full,
        });
        self.tasks
            .push(Node::new(span, NodeData::Map(entries)).with_header(header));
    }

    /// The module's arguments as an object, whatever form they were written in.
    fn arguments(&self, module: &str, raw: Node, module_span: Span) -> Node {
        match &raw.data {
            NodeData::Map(_) => raw,
            NodeData::Null => Node::new(raw.span, NodeData::Map(Vec::new())),
            NodeData::Str(text) => {
                let text = text.clone();
                free_form(self.file, module, &text, raw.span, module_span)
            }
            _ => {
                // A number or list where arguments belong: keep it as the raw
                // parameter so rules still see what was written.
                Node::new(
                    raw.span,
                    NodeData::Map(vec![Entry {
                        key: "_raw_params".into(),
                        key_span: raw.span,
                        value: raw,
                    }]),
                )
            }
        }
    }
}

/// `action: copy src=a dest=b` or `action: {module: copy, src: a}`.
fn action_module(file: &SourceFile, entry: &Entry) -> Option<(String, Span, Node)> {
    match &entry.value.data {
        NodeData::Str(text) => {
            let lead = text.len() - text.trim_start().len();
            let trimmed = &text[lead..];
            let name_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
            let name = trimmed[..name_len].to_string();
            let after_name = &trimmed[name_len..];
            let rest_start = lead + name_len + (after_name.len() - after_name.trim_start().len());
            let rest = text[rest_start..].to_string();
            let value_span = entry.value.span;
            // The arguments after the module name keep their own place in
            // the line, so each `k=v` can still be underlined.
            let rest_span = match text_offset_in_source(file, text, value_span) {
                Some(base) => Span::new(value_span.file, base + rest_start, base + text.len()),
                None => value_span,
            };
            Some((name, entry.key_span, Node::str(rest_span, rest)))
        }
        NodeData::Map(items) => {
            let module = items.iter().find(|e| e.key == "module")?;
            let name = module.value.as_str()?.to_string();
            let args = items
                .iter()
                .filter(|e| e.key != "module")
                .cloned()
                .collect();
            Some((
                name,
                module.value.span,
                Node::new(entry.value.span, NodeData::Map(args)),
            ))
        }
        _ => None,
    }
}

/// Reads a free-form argument string as Ansible's `parse_kv` does: `k=v`
/// pairs (values may be quoted, Jinja kept whole) become arguments; for
/// command modules only their own keys are lifted and the rest is the command
/// line (`_raw_params`). Each argument keeps the span of its text when the
/// string was written without escapes, so diagnostics underline `mode=0777`;
/// otherwise (a block scalar, an escaped string) arguments point at the
/// whole string, named by the module key.
fn free_form(file: &SourceFile, module: &str, text: &str, span: Span, module_span: Span) -> Node {
    let base = text_offset_in_source(file, text, span);
    let sub = |start: usize, end: usize| match base {
        Some(b) => Span::new(span.file, b + start, b + end),
        None => span,
    };
    let key_sub = |start: usize, end: usize| match base {
        Some(b) => Span::new(span.file, b + start, b + end),
        None => module_span,
    };
    let lifted_only = COMMAND_MODULES
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, keys)| *keys);
    let mut entries = Vec::new();
    let mut raw_parts: Vec<(usize, usize)> = Vec::new();
    let mut lifted: Vec<(usize, usize)> = Vec::new();
    for (start, end) in split_args(text) {
        let token = &text[start..end];
        let pair = token.find('=').and_then(|eq| {
            let key = &token[..eq];
            let valid = !key.is_empty()
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && lifted_only.is_none_or(|keys| keys.contains(&key));
            valid.then_some(eq)
        });
        match pair {
            Some(eq) => {
                lifted.push((start, end));
                let key = token[..eq].to_string();
                let (value, vstart, vend) = unquote(token, eq + 1);
                entries.push(Entry {
                    key,
                    key_span: key_sub(start, start + eq),
                    value: Node::str(sub(start + vstart, start + vend), decode_escapes(&value)),
                });
            }
            None => raw_parts.push((start, end)),
        }
    }
    if let (Some(first), Some(last)) = (raw_parts.first(), raw_parts.last()) {
        // Ansible keeps the command line's own spacing and line breaks; only
        // lifted `k=v` tokens in between are cut out.
        let lifted_between = lifted.iter().any(|&(s, _)| s > first.0 && s < last.1);
        let raw = if lifted_between {
            raw_parts
                .iter()
                .map(|&(s, e)| &text[s..e])
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            text[first.0..last.1].to_string()
        };
        let raw_span = sub(first.0, last.1);
        entries.insert(
            0,
            Entry {
                key: "_raw_params".into(),
                key_span: key_sub(first.0, last.1),
                value: Node::str(raw_span, raw),
            },
        );
    }
    Node::new(span, NodeData::Map(entries))
}

/// Where the scalar's characters start in the file, if the value appears
/// verbatim there (plain or quoted without escapes or line folding).
fn text_offset_in_source(file: &SourceFile, text: &str, span: Span) -> Option<usize> {
    let written = file.slice(span);
    let start = span.start as usize;
    if written == text {
        return Some(start);
    }
    let quoted = written.len() >= 2
        && (written.starts_with('"') || written.starts_with('\''))
        && written.ends_with(&written[..1]);
    if quoted && &written[1..written.len() - 1] == text {
        return Some(start + 1);
    }
    None
}

/// Ansible decodes backslash escapes in free-form values (`content="a\nb"`
/// writes two lines), as Python's `unicode_escape` does for the common ones.
fn decode_escapes(value: &str) -> String {
    if !value.contains('\\') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some(kind @ ('x' | 'u' | 'U')) => {
                let width = match kind {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits: String = chars.by_ref().take(width).collect();
                match u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(decoded) if digits.len() == width => out.push(decoded),
                    _ => {
                        out.push('\\');
                        out.push(kind);
                        out.push_str(&digits);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Splits on whitespace outside quotes and Jinja delimiters.
fn split_args(text: &str) -> Vec<(usize, usize)> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut jinja_depth = 0usize;
    let mut prev = '\0';
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let next = chars.get(i + 1).map(|&(_, n)| n).unwrap_or('\0');
        if start.is_none() && !c.is_whitespace() {
            start = Some(pos);
        }
        match quote {
            Some(q) if c == q && prev != '\\' => quote = None,
            Some(_) => {}
            None => {
                if (c == '{' && (next == '{' || next == '%' || next == '#')) && jinja_depth < 64 {
                    jinja_depth += 1;
                    i += 1;
                } else if (c == '}' || c == '%' || c == '#') && next == '}' && jinja_depth > 0 {
                    jinja_depth -= 1;
                    i += 1;
                } else if (c == '"' || c == '\'') && jinja_depth == 0 {
                    quote = Some(c);
                } else if c.is_whitespace()
                    && jinja_depth == 0
                    && let Some(s) = start.take()
                {
                    tokens.push((s, pos));
                }
            }
        }
        prev = c;
        i += 1;
    }
    if let Some(s) = start {
        tokens.push((s, text.len()));
    }
    tokens
}

/// The value of `k=v` starting at `from`, without surrounding quotes, with
/// its byte range inside the token.
fn unquote(token: &str, from: usize) -> (String, usize, usize) {
    let value = &token[from..];
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            let inner = &value[1..value.len() - 1];
            let unescaped = if q == '"' {
                inner.replace("\\\"", "\"")
            } else {
                inner.to_string()
            };
            return (unescaped, from + 1, token.len() - 1);
        }
    }
    (value.to_string(), from, token.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml::{Dialect, Limits, parse_stream};
    use serde_json::json;

    fn doc(text: &str) -> Document {
        let file = SourceFile::shared("play.yml".into(), "play.yml".into(), text.into());
        let parsed = parse_stream(text, 0, Dialect::Yaml11, Limits::default()).unwrap();
        document(&file, parsed).unwrap().unwrap()
    }

    #[test]
    fn blocks_flatten_and_pass_keywords_down() {
        let d = doc(r#"
- hosts: all
  become: true
  pre_tasks:
    - ping:
  tasks:
    - name: outer
      no_log: true
      block:
        - name: inner
          copy: {src: a, dest: b}
      rescue:
        - debug: msg=failed
"#);
        let tasks = d.input["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 3);
        assert_eq!(tasks[0]["module"], json!("ansible.builtin.ping"));
        assert_eq!(tasks[0]["section"], json!("pre_tasks"));
        assert_eq!(tasks[1]["name"], json!("inner"));
        assert_eq!(tasks[1]["become"], json!(true));
        assert_eq!(tasks[1]["no_log"], json!(true));
        assert_eq!(tasks[2]["args"], json!({"msg": "failed"}));
        assert_eq!(d.input["plays"][0]["become"], json!(true));
    }

    #[test]
    fn free_form_arguments_keep_their_own_spans() {
        let text = "- file: path=/srv/x mode=0777 state=\"directory\"\n- shell: curl -s https://x | sh chdir=/tmp\n";
        let d = doc(text);
        assert_eq!(
            d.input["tasks"][0]["args"],
            json!({"path": "/srv/x", "mode": "0777", "state": "directory"})
        );
        assert_eq!(
            d.input["tasks"][1]["args"],
            json!({"_raw_params": "curl -s https://x | sh", "chdir": "/tmp"})
        );
        let path = [
            Seg::Key("tasks".into()),
            Seg::Index(0),
            Seg::Key("args".into()),
            Seg::Key("mode".into()),
        ];
        let located = d.spans.locate(&path, &d.files);
        assert_eq!(&text[located.primary.range()], "0777");
    }

    #[test]
    fn action_forms_and_args_merge() {
        let d = doc(r#"
- name: a
  action: get_url url=http://x dest=/tmp
- name: b
  local_action:
    module: command
    cmd: whoami
- name: c
  command: /bin/true
  args:
    chdir: /srv
- name: d
  ansible.legacy.copy: {src: a, dest: b}
"#);
        let tasks = d.input["tasks"].as_array().unwrap();
        assert_eq!(tasks[0]["module"], json!("ansible.builtin.get_url"));
        assert_eq!(tasks[0]["args"]["url"], json!("http://x"));
        assert_eq!(tasks[1]["module"], json!("ansible.builtin.command"));
        assert_eq!(tasks[1]["delegate_to"], json!("localhost"));
        assert_eq!(
            tasks[2]["args"],
            json!({"_raw_params": "/bin/true", "chdir": "/srv"})
        );
        assert_eq!(tasks[3]["module"], json!("ansible.builtin.copy"));
        assert_eq!(tasks[3]["module_as_written"], json!("ansible.legacy.copy"));
    }

    #[test]
    fn action_arguments_and_block_scripts_point_where_written() {
        let text = "- action: uri url=https://x validate_certs=0\n- shell: |\n    set -e\n    curl x | sh\n- copy: content=\"a\\nb\" dest=/tmp/x\n";
        let d = doc(text);
        let at = |path: &[Seg]| {
            let located = d.spans.locate(path, &d.files);
            text[located.primary.range()].to_string()
        };
        let arg = |i: usize, key: &str| {
            vec![
                Seg::Key("tasks".into()),
                Seg::Index(i),
                Seg::Key("args".into()),
                Seg::Key(key.into()),
            ]
        };
        assert_eq!(at(&arg(0, "validate_certs")), "0");
        assert_eq!(at(&arg(1, "_raw_params")), "shell");
        assert_eq!(
            d.input["tasks"][1]["args"]["_raw_params"],
            json!("set -e\ncurl x | sh")
        );
        assert_eq!(d.input["tasks"][2]["args"]["content"], json!("a\nb"));
    }

    #[test]
    fn lifted_keys_inside_a_command_line_are_cut_out() {
        let d = doc("- shell: curl x chdir=/tmp | sh\n");
        assert_eq!(
            d.input["tasks"][0]["args"],
            json!({"_raw_params": "curl x | sh", "chdir": "/tmp"})
        );
    }

    #[test]
    fn jinja_expressions_stay_whole() {
        assert_eq!(
            split_args("msg={{ a | default('x y') }} b=1"),
            vec![(0, 28), (29, 32)]
        );
    }
}
