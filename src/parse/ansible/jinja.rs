//! The part of Jinja that decides policy questions: a value that is exactly
//! a variable reference (`"{{ verify }}"`, `"{{ item.mode }}"`,
//! `"{{ cfg['port'] }}"`), with the filters that keep it a plain value
//! (`default`, `bool`, `int`, `string`, `lower`, `upper`, `trim`), and text
//! with such references in it. Anything else (tests, arithmetic, lookups,
//! `{% %}` statements) is an explicit unknown: clause never guesses what a
//! template renders to.

use crate::document::{Node, NodeData, Origin, OriginRole};
use crate::source::Span;

/// Where template variables come from.
pub trait Vars {
    /// The raw value of a variable (possibly itself templated), if defined.
    fn raw(&self, name: &str) -> Option<Node>;
    /// Whether a name is bound by a loop, so values drawn from it stay where
    /// they were written (the list item) rather than moving to the task.
    fn is_loop_var(&self, name: &str) -> bool;
    /// Where the characters of `text`, the value written at `span`, start in
    /// its file, when it was written verbatim (plain, or quoted without
    /// escapes), so a part of a template can be pointed at.
    fn text_start(&self, _text: &str, _span: Span) -> Option<usize> {
        None
    }
}

/// How deep a variable may refer to other variables before clause stops.
const MAX_DEPTH: usize = 16;

pub fn has_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Resolves a templated string found at `span`. A string without template
/// markers is returned as it is.
pub fn render(text: &str, span: Span, vars: &dyn Vars) -> Node {
    render_at(text, span, vars, 0)
}

fn unknown(text: &str, span: Span, refs: Vec<String>) -> Node {
    Node::unknown(span, text.trim(), refs)
}

/// Where the parts of one template text are in its file: a part of the
/// text gets its own span when the text was written verbatim, else the
/// span of the whole value.
#[derive(Clone, Copy)]
struct Loc<'a> {
    text: &'a str,
    span: Span,
    start: Option<usize>,
}

impl Loc<'_> {
    /// The span of `part`, a slice of this text.
    fn of(&self, part: &str) -> Span {
        let base = self.text.as_ptr() as usize;
        let at = part.as_ptr() as usize;
        match self.start {
            Some(start) if at >= base && at + part.len() <= base + self.text.len() => {
                let offset = start + (at - base);
                Span::new(self.span.file, offset, offset + part.len())
            }
            _ => self.span,
        }
    }
}

fn render_at(text: &str, span: Span, vars: &dyn Vars, depth: usize) -> Node {
    if !has_template(text) {
        return Node::str(span, text);
    }
    if text.contains("{%") || depth > MAX_DEPTH {
        return unknown(text, span, referenced_names(text));
    }
    let loc = Loc {
        text,
        span,
        start: vars.text_start(text, span),
    };
    let pieces = split(text);
    // A value that is one expression keeps its type (`"{{ port }}"` is a number).
    if let [Piece::Expr(expr, _)] = pieces.as_slice() {
        return match expression(expr, &loc, vars, depth) {
            Ok(Some(value)) => place(value, span, vars, expr),
            Ok(None) => unknown(text, span, referenced_names(text)),
            Err(refs) => unknown(text, span, refs),
        };
    }
    // Text with expressions in it: the known ones are rendered, the others
    // stay as written, so the literal text (`curl ... | sh`) still reads.
    // Every reference's origin is kept, in the order they are written.
    let mut out = String::new();
    let mut origins: Vec<Origin> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Expr(expr, raw) => match expression(expr, &loc, vars, depth)
                .ok()
                .flatten()
                .and_then(|v| scalar_text(&v).map(|t| (t, v)))
            {
                Some((t, value)) => {
                    out.push_str(&t);
                    if value.span != span {
                        for origin in value.origins.iter().copied().chain([Origin {
                            span: value.span,
                            role: OriginRole::Set,
                        }]) {
                            if !origins.contains(&origin) {
                                origins.push(origin);
                            }
                        }
                    }
                }
                None => out.push_str(raw),
            },
        }
    }
    let mut node = Node::str(span, out);
    node.origins = origins;
    node
}

/// A resolved value placed where it is used: moved to the task attribute
/// with its origin remembered, except a loop item's value, which stays on
/// the list item (where a fix goes) with the attribute as `used here`.
fn place(value: Node, span: Span, vars: &dyn Vars, expr: &str) -> Node {
    let root = expr.trim().split(['.', '[', '|', ' ']).next().unwrap_or("");
    if vars.is_loop_var(root) && value.span != span && !value.is_unknown() {
        let mut kept = value;
        kept.origins.insert(
            0,
            Origin {
                span,
                role: OriginRole::Used,
            },
        );
        return kept;
    }
    value.relocate(span)
}

enum Piece<'a> {
    Text(&'a str),
    /// The expression inside `{{ }}`, and the whole `{{ ... }}` as written.
    Expr(&'a str, &'a str),
}

fn split(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let inner = after[..end].trim_start_matches('-').trim_end_matches('-');
                pieces.push(Piece::Expr(inner, &rest[start..start + 2 + end + 2]));
                rest = &after[end + 2..];
            }
            None => {
                pieces.push(Piece::Text(&rest[start..]));
                rest = "";
            }
        }
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// The names a template mentions, for an unknown's `__refs__`.
pub fn referenced_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for piece in split(text) {
        if let Piece::Expr(expr, _) = piece {
            names_in(expr, &mut names);
        }
    }
    names
}

/// The variable names an expression mentions.
fn names_in(expr: &str, names: &mut Vec<String>) {
    let mut chars = expr.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let word = &expr[start..end];
            let before = expr[..start].trim_end();
            let is_attribute = before.ends_with('.') || before.ends_with('|');
            let keyword = matches!(
                word,
                "true"
                    | "false"
                    | "True"
                    | "False"
                    | "none"
                    | "None"
                    | "and"
                    | "or"
                    | "not"
                    | "in"
                    | "is"
                    | "if"
                    | "else"
            );
            if !is_attribute && !keyword && !names.iter().any(|n| n == word) {
                names.push(word.to_string());
            }
        } else if c == '\'' || c == '"' {
            for (_, d) in chars.by_ref() {
                if d == c {
                    break;
                }
            }
        }
    }
}

fn expr_refs(expr: &str) -> Vec<String> {
    let mut names = Vec::new();
    names_in(expr, &mut names);
    names
}

fn scalar_text(value: &Node) -> Option<String> {
    match &value.data {
        NodeData::Str(s) => Some(s.clone()),
        NodeData::Int(i) => Some(i.to_string()),
        NodeData::Float(f) => Some(f.to_string()),
        // Python renders booleans capitalised.
        NodeData::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        _ => None,
    }
}

/// Evaluates `name.attr['key'] | filter(args) | ...`, or `a if cond else
/// b` whose condition clause can decide: `Ok(Some(value))`, `Ok(None)` when
/// it is undefined, `Err(refs)` when the value is not known (or the
/// expression is more than clause reads).
fn expression(
    expr: &str,
    loc: &Loc,
    vars: &dyn Vars,
    depth: usize,
) -> Result<Option<Node>, Vec<String>> {
    let all_refs = || expr_refs(expr);
    // `a if cond else b`: the filters bind tighter than the condition.
    if let Some((then, rest)) = split_keyword_once(expr, "if") {
        let (cond, otherwise) = match split_keyword_once(rest, "else") {
            Some((c, o)) => (c, Some(o)),
            None => (rest, None),
        };
        return match condition_text(cond, vars, depth) {
            Some(true) => expression(then, loc, vars, depth),
            Some(false) => match otherwise {
                Some(o) => expression(o, loc, vars, depth),
                // Jinja's `a if c` without `else` is undefined when false.
                None => Ok(None),
            },
            None => Err(all_refs()),
        };
    }
    let mut parts = split_filters(expr);
    let head = parts.remove(0);
    let mut value: Option<Node> = match reference(head.trim(), loc, vars, depth) {
        Ok(v) => v,
        Err(()) => return Err(all_refs()),
    };
    for filter in parts {
        let filter = filter.trim();
        let (name, args) = filter_call(filter).ok_or_else(all_refs)?;
        value = match (name, value) {
            ("default" | "d", current) => {
                // The fallback is located at `default(...)` in the template.
                let fallback = args
                    .first()
                    .and_then(|a| literal(a, loc))
                    .map(|mut n| {
                        n.span = loc.of(filter);
                        n
                    })
                    .ok_or_else(all_refs)?;
                let when_falsy = args
                    .get(1)
                    .is_some_and(|a| matches!(a.trim(), "true" | "True"));
                match current {
                    None => Some(fallback),
                    Some(v) if when_falsy && falsy(&v) => Some(fallback),
                    Some(v) => Some(v),
                }
            }
            (_, None) => return Err(all_refs()),
            ("bool", Some(v)) => {
                let b = to_bool(&v).ok_or_else(all_refs)?;
                Some(Node {
                    data: NodeData::Bool(b),
                    ..v
                })
            }
            ("int", Some(v)) => {
                let n = to_int(&v).ok_or_else(all_refs)?;
                Some(Node {
                    data: NodeData::Int(n),
                    ..v
                })
            }
            ("string", Some(v)) => {
                let t = scalar_text(&v).ok_or_else(all_refs)?;
                Some(Node {
                    data: NodeData::Str(t),
                    ..v
                })
            }
            ("lower" | "upper" | "trim", Some(v)) => {
                let t = scalar_text(&v).ok_or_else(all_refs)?;
                let t = match name {
                    "lower" => t.to_lowercase(),
                    "upper" => t.to_uppercase(),
                    _ => t.trim().to_string(),
                };
                Some(Node {
                    data: NodeData::Str(t),
                    ..v
                })
            }
            _ => return Err(all_refs()),
        };
    }
    match value {
        Some(v) if v.is_unknown() => Err(crate::parse::terraform::eval::refs_of([&v])),
        other => Ok(other),
    }
}

/// Whether a Jinja condition (a `when:` value, the test of `a if c else
/// b`) holds: `None` when clause cannot decide it. Ansible requires a
/// condition to be a boolean, so only booleans decide (`x | bool`, `not
/// x`, `x and y`, `x == 'a'` of known values).
pub fn condition(node: &Node, vars: &dyn Vars) -> Option<bool> {
    match &node.data {
        NodeData::Bool(b) => Some(*b),
        NodeData::Seq(items) => {
            // A list of conditions must all hold.
            let mut all = Some(true);
            for item in items {
                match condition(item, vars) {
                    Some(false) => return Some(false),
                    Some(true) => {}
                    None => all = None,
                }
            }
            all
        }
        NodeData::Str(text) if has_template(text) => {
            match render_at(text, node.span, vars, 0).data {
                NodeData::Bool(b) => Some(b),
                _ => None,
            }
        }
        NodeData::Str(text) => condition_text(text, vars, 0),
        _ => None,
    }
}

fn condition_text(text: &str, vars: &dyn Vars, depth: usize) -> Option<bool> {
    let text = strip_parens(text.trim());
    if depth > MAX_DEPTH || text.is_empty() {
        return None;
    }
    for (word, decisive) in [("or", true), ("and", false)] {
        let parts = split_keyword(text, word);
        if parts.len() > 1 {
            let mut result = Some(!decisive);
            for part in parts {
                match condition_text(part, vars, depth + 1) {
                    Some(b) if b == decisive => return Some(decisive),
                    Some(_) => {}
                    None => result = None,
                }
            }
            return result;
        }
    }
    if let Some(rest) = text.strip_prefix("not ") {
        return condition_text(rest, vars, depth + 1).map(|b| !b);
    }
    for (op, equal) in [("==", true), ("!=", false)] {
        if let Some((left, right)) = split_operator(text, op) {
            let value = |side: &str| -> Option<serde_json::Value> {
                let loc = Loc {
                    text: side,
                    span: Span::new(0, 0, 0),
                    start: None,
                };
                let node = expression(side.trim(), &loc, vars, depth + 1).ok()??;
                let json = node.into_parts().0;
                (!json.is_object() && !json.is_array()).then_some(json)
            };
            return Some((value(left)? == value(right)?) == equal);
        }
    }
    let loc = Loc {
        text,
        span: Span::new(0, 0, 0),
        start: None,
    };
    match expression(text, &loc, vars, depth + 1) {
        Ok(Some(Node {
            data: NodeData::Bool(b),
            ..
        })) => Some(b),
        _ => None,
    }
}

/// `(x)` → `x` when the parentheses enclose the whole text.
fn strip_parens(text: &str) -> &str {
    let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return text;
    };
    let mut depth = 0i32;
    for (_, c, top) in scan(inner) {
        if !top {
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return text;
                }
            }
            _ => {}
        }
    }
    inner.trim()
}

/// Characters with their index, and whether each is outside quotes.
fn scan(text: &str) -> Vec<(usize, char, bool)> {
    let mut out = Vec::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                out.push((i, c, false));
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                    out.push((i, c, false));
                } else {
                    out.push((i, c, true));
                }
            }
        }
    }
    out
}

/// Splits on a keyword (`and`, `or`) standing alone, outside quotes and
/// brackets.
fn split_keyword<'a>(text: &'a str, word: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c, top) in scan(text) {
        if !top {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ if depth == 0 && i >= start && text[i..].starts_with(word) => {
                let before = i.checked_sub(1).map(|b| bytes[b]);
                let after = bytes.get(i + word.len()).copied();
                let standalone = before.is_some_and(|b| b.is_ascii_whitespace() || b == b')')
                    && after.is_some_and(|a| a.is_ascii_whitespace() || a == b'(');
                if standalone {
                    parts.push(&text[start..i]);
                    start = i + word.len();
                }
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn split_keyword_once<'a>(text: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
    let parts = split_keyword(text, word);
    if parts.len() < 2 {
        return None;
    }
    let first = *parts.first()?;
    let rest_start = first.len() + word.len();
    Some((first, &text[rest_start..]))
}

/// `a == b` outside quotes and brackets.
fn split_operator<'a>(text: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let mut depth = 0i32;
    for (i, c, top) in scan(text) {
        if !top {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ if depth == 0 && text[i..].starts_with(op) => {
                return Some((&text[..i], &text[i + op.len()..]));
            }
            _ => {}
        }
    }
    None
}

/// Splits on `|` outside quotes and brackets.
fn split_filters(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c, top) in scan(expr) {
        if !top {
            continue;
        }
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '|' if depth == 0 => {
                parts.push(&expr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expr[start..]);
    parts
}

fn filter_call(text: &str) -> Option<(&str, Vec<&str>)> {
    match text.find('(') {
        None => Some((text, Vec::new())),
        Some(open) => {
            let inner = text[open + 1..].strip_suffix(')')?;
            let args = if inner.trim().is_empty() {
                Vec::new()
            } else {
                split_args(inner)
            };
            Some((text[..open].trim(), args))
        }
    }
}

fn split_args(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c, top) in scan(text) {
        if !top {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// A quoted string literal: one quote at each end and none unescaped
/// between them (`'0775' if x else '0755'` is not one).
fn string_literal(t: &str) -> Option<String> {
    let quote = t.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    if t.len() < 2 || !t.ends_with(quote) {
        return None;
    }
    let inner = &t[1..t.len() - 1];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return None;
        }
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                // The closing quote was escaped: not a whole literal.
                None => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// A literal: `false`, `0`, `'text'` (`omit` is not one), located where it
/// is written in the template.
fn literal(text: &str, loc: &Loc) -> Option<Node> {
    let t = text.trim();
    let data = match t {
        "true" | "True" => NodeData::Bool(true),
        "false" | "False" => NodeData::Bool(false),
        "none" | "None" => NodeData::Null,
        _ => match string_literal(t) {
            Some(s) => NodeData::Str(s),
            None => match t.parse::<i64>() {
                Ok(i) => NodeData::Int(i),
                Err(_) => match t.parse::<f64>() {
                    // `inf` and `nan` are names in Jinja, not numbers.
                    Ok(f) if t.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                        NodeData::Float(f)
                    }
                    _ => return None,
                },
            },
        },
    };
    Some(Node::new(loc.of(t), data))
}

/// `name`, `name.attr`, `name['key']`, `name[0]`: the value, `Ok(None)` if
/// the variable is not defined, `Err` if it is more than a reference.
fn reference(text: &str, loc: &Loc, vars: &dyn Vars, depth: usize) -> Result<Option<Node>, ()> {
    if let Some(value) = literal(text, loc) {
        return Ok(Some(value));
    }
    let name_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let name = &text[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(());
    }
    let Some(raw) = vars.raw(name) else {
        return Ok(None);
    };
    let mut value = resolve_node(raw, vars, depth + 1);
    let mut rest = text[name_len..].trim();
    while !rest.is_empty() {
        let (key, next) = if let Some(after) = rest.strip_prefix('.') {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (after[..len].to_string(), &after[len..])
        } else if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']').ok_or(())?;
            let inner = after[..close].trim();
            let key = match literal(inner, loc).map(|n| n.data) {
                Some(NodeData::Str(s)) => s,
                Some(NodeData::Int(i)) => i.to_string(),
                _ => return Err(()),
            };
            (key, &after[close + 1..])
        } else {
            return Err(());
        };
        if key.is_empty() {
            return Err(());
        }
        if value.is_unknown() {
            return Ok(Some(value));
        }
        let next_value = match &value.data {
            NodeData::Map(_) => value.get(&key).cloned(),
            NodeData::Seq(items) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned()),
            _ => None,
        };
        match next_value {
            Some(v) => value = resolve_node(v, vars, depth + 1),
            // A missing attribute is undefined, which `default` can catch.
            None => return Ok(None),
        }
        rest = next.trim();
    }
    Ok(Some(value))
}

/// Resolves templated strings inside a variable's value (variables refer to
/// other variables), keeping spans.
pub fn resolve_node(node: Node, vars: &dyn Vars, depth: usize) -> Node {
    if depth > MAX_DEPTH {
        return match &node.data {
            NodeData::Str(s) if has_template(s) => unknown(s, node.span, referenced_names(s)),
            _ => node,
        };
    }
    match node.data {
        NodeData::Str(ref s) if has_template(s) => {
            let mut rendered = render_at(s, node.span, vars, depth);
            if rendered.origins.is_empty() {
                rendered.origins = node.origins;
            } else {
                rendered.origins.extend(node.origins);
            }
            rendered
        }
        NodeData::Seq(items) => Node {
            data: NodeData::Seq(
                items
                    .into_iter()
                    .map(|i| resolve_node(i, vars, depth))
                    .collect(),
            ),
            ..node
        },
        NodeData::Map(entries) => Node {
            data: NodeData::Map(
                entries
                    .into_iter()
                    .map(|mut e| {
                        e.value = resolve_node(e.value, vars, depth);
                        e
                    })
                    .collect(),
            ),
            ..node
        },
        _ => node,
    }
}

/// Ansible's boolean conversion.
pub fn to_bool(value: &Node) -> Option<bool> {
    match &value.data {
        NodeData::Bool(b) => Some(*b),
        NodeData::Int(i) => Some(*i != 0),
        NodeData::Str(s) => match s.trim().to_lowercase().as_str() {
            "yes" | "on" | "1" | "true" | "y" | "t" => Some(true),
            "no" | "off" | "0" | "false" | "n" | "f" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn to_int(value: &Node) -> Option<i64> {
    match &value.data {
        NodeData::Int(i) => Some(*i),
        NodeData::Float(f) => Some(*f as i64),
        NodeData::Str(s) => s.trim().parse().ok(),
        NodeData::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn falsy(value: &Node) -> bool {
    match &value.data {
        NodeData::Null => true,
        NodeData::Bool(b) => !b,
        NodeData::Int(i) => *i == 0,
        NodeData::Str(s) => s.is_empty(),
        NodeData::Seq(items) => items.is_empty(),
        NodeData::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Entry;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, Node>);
    impl Vars for Map {
        fn raw(&self, name: &str) -> Option<Node> {
            self.0.get(name).cloned()
        }
        fn is_loop_var(&self, name: &str) -> bool {
            name == "item"
        }
    }

    fn sp(a: usize) -> Span {
        Span::new(0, a, a + 1)
    }

    fn vars() -> Map {
        let mut m = HashMap::new();
        m.insert("verify", Node::new(sp(1), NodeData::Bool(false)));
        m.insert("port", Node::new(sp(2), NodeData::Int(8080)));
        m.insert("host", Node::str(sp(3), "example.org"));
        m.insert("alias", Node::str(sp(4), "{{ verify }}"));
        m.insert(
            "cfg",
            Node::new(
                sp(5),
                NodeData::Map(vec![Entry {
                    key: "mode".into(),
                    key_span: sp(5),
                    value: Node::str(sp(6), "0777"),
                }]),
            ),
        );
        m.insert(
            "item",
            Node::new(
                sp(7),
                NodeData::Map(vec![Entry {
                    key: "mode".into(),
                    key_span: sp(7),
                    value: Node::str(sp(8), "0666"),
                }]),
            ),
        );
        Map(m)
    }

    fn json(node: Node) -> serde_json::Value {
        node.into_parts().0
    }

    #[test]
    fn references_and_simple_filters_resolve() {
        let v = vars();
        let at = Span::new(0, 100, 110);
        assert_eq!(
            json(render("{{ verify }}", at, &v)),
            serde_json::json!(false)
        );
        assert_eq!(
            json(render("{{ alias }}", at, &v)),
            serde_json::json!(false)
        );
        assert_eq!(json(render("{{ port }}", at, &v)), serde_json::json!(8080));
        assert_eq!(
            json(render("{{ cfg.mode }}", at, &v)),
            serde_json::json!("0777")
        );
        assert_eq!(
            json(render("{{ cfg['mode'] }}", at, &v)),
            serde_json::json!("0777")
        );
        assert_eq!(
            json(render("{{ missing | default(false) }}", at, &v)),
            serde_json::json!(false)
        );
        assert_eq!(
            json(render("{{ 'no' | bool }}", at, &v)),
            serde_json::json!(false)
        );
        assert_eq!(
            json(render("https://{{ host }}:{{ port }}/", at, &v)),
            serde_json::json!("https://example.org:8080/")
        );
        // Unknown parts of a text stay as written.
        assert_eq!(
            json(render("curl {{ url }} | sh", at, &v)),
            serde_json::json!("curl {{ url }} | sh")
        );
    }

    #[test]
    fn anything_else_is_unknown() {
        let v = vars();
        let at = Span::new(0, 100, 110);
        for text in [
            "{{ missing }}",
            "{{ port + 1 }}",
            "{{ lookup('env', 'X') }}",
            "{% if x %}a{% endif %}",
            "{{ verify | ternary('a', 'b') }}",
            "{% if x %}yes{% endif %} tail",
        ] {
            let node = render(text, at, &v);
            assert!(
                node.is_unknown(),
                "{text} should be unknown, got {:?}",
                node.data
            );
        }
        assert_eq!(
            json(render("{{ missing }}", at, &v))["__refs__"],
            serde_json::json!(["missing"])
        );
    }

    #[test]
    fn resolved_values_remember_where_they_were_set() {
        let v = vars();
        let at = Span::new(0, 100, 110);
        let node = render("{{ verify }}", at, &v);
        assert_eq!(node.span, at);
        assert_eq!(node.origins[0].span, sp(1));
        // A loop item's value stays on the item, used by the task.
        let item = render("{{ item.mode }}", at, &v);
        assert_eq!(item.span, sp(8));
        assert_eq!(item.origins[0].span, at);
        assert_eq!(item.origins[0].role, OriginRole::Used);
    }
}
