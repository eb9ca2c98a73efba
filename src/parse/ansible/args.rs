//! Every way a task can pass arguments to its module: `module: {args}`,
//! free-form `module: k=v k2="v 2"` strings read the way Ansible's `parse_kv`
//! reads them, command modules' free-form command lines, and
//! `action:`/`local_action:`. Each argument keeps the span of its own text
//! when the string was written verbatim, so a diagnostic underlines
//! `mode=0777` inside a line.

use crate::document::{Entry, Node, NodeData};
use crate::source::{SourceFile, Span};

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

/// `action: copy src=a dest=b` or `action: {module: copy, src: a}`.
pub fn action_module(file: &SourceFile, entry: &Entry) -> Option<(String, Span, Node)> {
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
pub fn free_form(
    file: &SourceFile,
    module: &str,
    text: &str,
    span: Span,
    module_span: Span,
) -> Node {
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
pub fn text_offset_in_source(file: &SourceFile, text: &str, span: Span) -> Option<usize> {
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
pub fn split_args(text: &str) -> Vec<(usize, usize)> {
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

/// The module's arguments as an object, whatever form they were written in.
pub fn arguments(file: &SourceFile, module: &str, raw: Node, module_span: Span) -> Node {
    match &raw.data {
        NodeData::Map(_) => raw,
        NodeData::Null => Node::new(raw.span, NodeData::Map(Vec::new())),
        NodeData::Str(text) => {
            let text = text.clone();
            free_form(file, module, &text, raw.span, module_span)
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
