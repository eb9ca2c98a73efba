//! Terraform's built-in functions, the pure ones policy questions depend on.
//! Each works on spanned values so that an element that passes through
//! `concat`, `merge`, `lookup` or `coalesce` keeps where it was written, and
//! each is careful with unknowns: a list with one unknown element is still a
//! list, but a string built from an unknown is unknown. A function clause
//! does not implement yields an unknown, never a guess.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hcl::edit::expr::FuncCall;

use super::eval::{
    Eval, Scope, SpanMode, as_bool, as_number, as_text, format_float, has_failed, has_unknown,
    number, refs_of, same,
};
use crate::document::{Entry, Node, NodeData};
use crate::source::Span;

enum FnError {
    /// An argument is unknown, so the result is.
    Unknown,
    /// Terraform would reject the call.
    Failed,
}

type FnResult = Result<Node, FnError>;

/// The longest text a string function may build (`indent`, `replace`):
/// past it the call fails rather than exhausting memory.
const MAX_TEXT: usize = 16 * 1024 * 1024;

/// The widest `format` verb (`%10000000d` would otherwise pad that far).
const MAX_FORMAT_WIDTH: usize = 4096;

pub fn call(ev: &Eval<'_>, call: &FuncCall, file: u32, scope: &Scope, span: Span) -> Node {
    let name = call.name.name.as_str();
    if !call.name.namespace.is_empty() {
        // Provider-defined functions (`provider::aws::arn_parse`) run in
        // the provider; their results are not known here.
        let args: Vec<Node> = call.args.iter().map(|a| ev.hcl(a, file, scope)).collect();
        return Node::unknown(span, ev.env.text(span), refs_of(args.iter()));
    }
    match name {
        // try() and can() look at their arguments' failures, not their values.
        "try" => {
            let mut pending: Vec<Node> = Vec::new();
            for arg in call.args.iter() {
                let value = ev.hcl(arg, file, scope);
                if has_failed(&value) {
                    continue;
                }
                if has_unknown(&value) || !pending.is_empty() {
                    pending.push(value);
                    continue;
                }
                return value;
            }
            return match pending.len() {
                0 => Node::failed(span, ev.env.text(span)),
                _ => Node::unknown(span, ev.env.text(span), refs_of(pending.iter())),
            };
        }
        "can" => {
            let value = call
                .args
                .iter()
                .next()
                .map(|a| ev.hcl(a, file, scope))
                .unwrap_or_else(|| Node::failed(span, ""));
            return if has_failed(&value) {
                Node::new(span, NodeData::Bool(false))
            } else if has_unknown(&value) {
                Node::unknown(span, ev.env.text(span), refs_of([&value]))
            } else {
                Node::new(span, NodeData::Bool(true))
            };
        }
        _ => {}
    }
    let mut args: Vec<Node> = call.args.iter().map(|a| ev.hcl(a, file, scope)).collect();
    if call.args.expand_final()
        && let Some(last) = args.pop()
    {
        match last.data {
            NodeData::Seq(items) => args.extend(items),
            _ => args.push(last),
        }
    }
    match apply(ev, name, &args, span, scope) {
        Ok(node) => node,
        Err(FnError::Failed) => Node::failed(span, ev.env.text(span)),
        Err(FnError::Unknown) => {
            if args.iter().any(has_failed) {
                Node::failed(span, ev.env.text(span))
            } else {
                Node::unknown(span, ev.env.text(span), refs_of(args.iter()))
            }
        }
    }
}

/// Fails the call with "unknown" when any argument holds an unknown.
fn known(args: &[Node]) -> Result<(), FnError> {
    if args.iter().any(has_unknown) {
        Err(FnError::Unknown)
    } else {
        Ok(())
    }
}

fn arg(args: &[Node], i: usize) -> Result<&Node, FnError> {
    args.get(i).ok_or(FnError::Failed)
}

fn text(args: &[Node], i: usize) -> Result<String, FnError> {
    let node = arg(args, i)?;
    if node.is_unknown() {
        return Err(FnError::Unknown);
    }
    as_text(node).ok_or(FnError::Failed)
}

fn num(args: &[Node], i: usize) -> Result<f64, FnError> {
    let node = arg(args, i)?;
    if node.is_unknown() {
        return Err(FnError::Unknown);
    }
    as_number(node).ok_or(FnError::Failed)
}

fn list(args: &[Node], i: usize) -> Result<&[Node], FnError> {
    let node = arg(args, i)?;
    match &node.data {
        NodeData::Seq(items) => Ok(items),
        NodeData::Unknown(_) => Err(FnError::Unknown),
        _ => Err(FnError::Failed),
    }
}

fn entries(args: &[Node], i: usize) -> Result<&[Entry], FnError> {
    let node = arg(args, i)?;
    match &node.data {
        NodeData::Map(entries) => Ok(entries),
        NodeData::Unknown(_) => Err(FnError::Unknown),
        NodeData::Null => Ok(&[]),
        _ => Err(FnError::Failed),
    }
}

fn string(span: Span, s: impl Into<String>) -> FnResult {
    Ok(Node::str(span, s))
}

fn boolean(span: Span, b: bool) -> FnResult {
    Ok(Node::new(span, NodeData::Bool(b)))
}

fn seq(span: Span, items: Vec<Node>) -> FnResult {
    Ok(Node::new(span, NodeData::Seq(items)))
}

/// A set as Terraform orders it: duplicates dropped, known strings and
/// numbers sorted (a set with unknowns keeps its order).
pub fn set_of(items: Vec<Node>) -> Vec<Node> {
    let mut items = dedup(items);
    if items.iter().all(|i| matches!(i.data, NodeData::Str(_))) {
        items.sort_by_key(as_text);
    } else if items
        .iter()
        .all(|i| matches!(i.data, NodeData::Int(_) | NodeData::Float(_)))
    {
        items.sort_by(|a, b| {
            as_number(a)
                .partial_cmp(&as_number(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    items
}

fn dedup(items: Vec<Node>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    for item in items {
        if item.is_unknown() || !out.iter().any(|o| same(o, &item)) {
            out.push(item);
        }
    }
    out
}

fn apply(ev: &Eval<'_>, name: &str, args: &[Node], span: Span, scope: &Scope) -> FnResult {
    match name {
        // Collections keep their elements' spans and tolerate unknown elements.
        "concat" => {
            let mut out = Vec::new();
            for i in 0..args.len() {
                out.extend(list(args, i)?.iter().cloned());
            }
            seq(span, out)
        }
        "merge" => {
            let mut out: Vec<Entry> = Vec::new();
            for i in 0..args.len() {
                for e in entries(args, i)? {
                    out.retain(|o| o.key != e.key);
                    out.push(e.clone());
                }
            }
            Ok(Node::new(span, NodeData::Map(out)))
        }
        "flatten" => {
            fn flat(node: &Node, out: &mut Vec<Node>) -> Result<(), FnError> {
                match &node.data {
                    NodeData::Seq(items) => {
                        for item in items {
                            flat(item, out)?;
                        }
                        Ok(())
                    }
                    NodeData::Unknown(_) => Err(FnError::Unknown),
                    _ => {
                        out.push(node.clone());
                        Ok(())
                    }
                }
            }
            let mut out = Vec::new();
            for item in list(args, 0)? {
                flat(item, &mut out)?;
            }
            seq(span, out)
        }
        "tolist" => match &arg(args, 0)?.data {
            NodeData::Seq(items) => seq(span, items.clone()),
            NodeData::Unknown(_) => Err(FnError::Unknown),
            _ => Err(FnError::Failed),
        },
        "toset" => seq(span, set_of(list(args, 0)?.to_vec())),
        // Sensitivity changes how Terraform shows a value, not the value.
        "sensitive" | "nonsensitive" => arg(args, 0).cloned(),
        "distinct" => seq(span, dedup(list(args, 0)?.to_vec())),
        "tomap" => match &arg(args, 0)?.data {
            NodeData::Map(_) => Ok(arg(args, 0)?.clone()),
            NodeData::Unknown(_) => Err(FnError::Unknown),
            _ => Err(FnError::Failed),
        },
        "length" => {
            let node = arg(args, 0)?;
            let n = match &node.data {
                NodeData::Seq(items) => items.len(),
                NodeData::Map(entries) => entries.len(),
                NodeData::Str(s) => s.chars().count(),
                NodeData::Unknown(_) => return Err(FnError::Unknown),
                _ => return Err(FnError::Failed),
            };
            Ok(number(span, n as f64))
        }
        "element" => {
            let items = list(args, 0)?;
            let i = num(args, 1)?;
            if items.is_empty() || i < 0.0 {
                return Err(FnError::Failed);
            }
            Ok(items[(i as usize) % items.len()].clone())
        }
        "index" => {
            let items = list(args, 0)?;
            known(&args[1..])?;
            let wanted = arg(args, 1)?;
            if items.iter().any(Node::is_unknown) {
                return Err(FnError::Unknown);
            }
            match items.iter().position(|i| same(i, wanted)) {
                Some(p) => Ok(number(span, p as f64)),
                None => Err(FnError::Failed),
            }
        }
        "lookup" => {
            let map = entries(args, 0)?;
            let key = text(args, 1)?;
            match map.iter().rev().find(|e| e.key == key) {
                Some(e) => Ok(e.value.clone()),
                None => args.get(2).cloned().ok_or(FnError::Failed),
            }
        }
        "keys" => {
            let map = entries(args, 0)?;
            let mut keys: Vec<&Entry> = map.iter().collect();
            keys.sort_by(|a, b| a.key.cmp(&b.key));
            seq(
                span,
                keys.into_iter()
                    .map(|e| Node::str(e.key_span, e.key.as_str()))
                    .collect(),
            )
        }
        "values" => {
            let map = entries(args, 0)?;
            let mut sorted: Vec<&Entry> = map.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            seq(span, sorted.into_iter().map(|e| e.value.clone()).collect())
        }
        "contains" => {
            let items = list(args, 0)?;
            let wanted = arg(args, 1)?;
            if wanted.is_unknown() {
                return Err(FnError::Unknown);
            }
            if items.iter().any(|i| same(i, wanted)) {
                return boolean(span, true);
            }
            if items.iter().any(Node::is_unknown) {
                return Err(FnError::Unknown);
            }
            boolean(span, false)
        }
        "compact" => {
            let items = list(args, 0)?;
            known(args)?;
            seq(
                span,
                items
                    .iter()
                    .filter(|i| {
                        !matches!(&i.data, NodeData::Null)
                            && as_text(i).is_some_and(|t| !t.is_empty())
                    })
                    .cloned()
                    .collect(),
            )
        }
        "coalesce" => {
            for a in args {
                match &a.data {
                    NodeData::Unknown(_) => return Err(FnError::Unknown),
                    NodeData::Null => continue,
                    NodeData::Str(s) if s.is_empty() => continue,
                    _ => return Ok(a.clone()),
                }
            }
            Err(FnError::Failed)
        }
        "coalescelist" => {
            for a in args {
                match &a.data {
                    NodeData::Unknown(_) => return Err(FnError::Unknown),
                    NodeData::Seq(items) if items.is_empty() => continue,
                    NodeData::Seq(_) => return Ok(a.clone()),
                    _ => return Err(FnError::Failed),
                }
            }
            Err(FnError::Failed)
        }
        "one" => {
            let items = list(args, 0)?;
            match items.len() {
                0 => Ok(Node::new(span, NodeData::Null)),
                1 => Ok(items[0].clone()),
                _ => Err(FnError::Failed),
            }
        }
        "slice" => {
            let items = list(args, 0)?;
            let (from, to) = (num(args, 1)? as usize, num(args, 2)? as usize);
            if from > to || to > items.len() {
                return Err(FnError::Failed);
            }
            seq(span, items[from..to].to_vec())
        }
        "reverse" => {
            let mut items = list(args, 0)?.to_vec();
            items.reverse();
            seq(span, items)
        }
        "sort" => {
            known(args)?;
            let mut items = list(args, 0)?.to_vec();
            items.sort_by_key(|i| as_text(i).unwrap_or_default());
            seq(span, items)
        }
        "range" => {
            let (start, end, step) = match args.len() {
                1 => (0.0, num(args, 0)?, 1.0),
                2 => (num(args, 0)?, num(args, 1)?, 1.0),
                _ => (num(args, 0)?, num(args, 1)?, num(args, 2)?),
            };
            if step == 0.0 || ((end - start) / step) > 1024.0 {
                return Err(FnError::Failed);
            }
            let mut out = Vec::new();
            let mut v = start;
            while (step > 0.0 && v < end) || (step < 0.0 && v > end) {
                out.push(number(span, v));
                v += step;
            }
            seq(span, out)
        }
        "zipmap" => {
            let (keys, values) = (list(args, 0)?, list(args, 1)?);
            if keys.len() != values.len() {
                return Err(FnError::Failed);
            }
            let mut out: Vec<Entry> = Vec::new();
            for (k, v) in keys.iter().zip(values) {
                let key = as_text(k).ok_or(if k.is_unknown() {
                    FnError::Unknown
                } else {
                    FnError::Failed
                })?;
                out.retain(|e| e.key != key);
                out.push(Entry {
                    key,
                    key_span: k.span,
                    value: v.clone(),
                });
            }
            Ok(Node::new(span, NodeData::Map(out)))
        }
        "sum" => {
            known(args)?;
            let total = list(args, 0)?
                .iter()
                .map(|i| as_number(i).ok_or(FnError::Failed))
                .sum::<Result<f64, FnError>>()?;
            Ok(number(span, total))
        }
        "setunion" => {
            let mut out = Vec::new();
            for i in 0..args.len() {
                out.extend(list(args, i)?.iter().cloned());
            }
            seq(span, set_of(out))
        }
        "setintersection" => {
            known(args)?;
            let first = list(args, 0)?;
            let mut out: Vec<Node> = first.to_vec();
            for i in 1..args.len() {
                let other = list(args, i)?;
                out.retain(|x| other.iter().any(|y| same(x, y)));
            }
            seq(span, dedup(out))
        }
        "setsubtract" => {
            known(args)?;
            let (a, b) = (list(args, 0)?, list(args, 1)?);
            seq(
                span,
                dedup(
                    a.iter()
                        .filter(|x| !b.iter().any(|y| same(x, y)))
                        .cloned()
                        .collect(),
                ),
            )
        }
        "alltrue" | "anytrue" => {
            let items = list(args, 0)?;
            let values: Vec<Option<bool>> = items.iter().map(as_bool).collect();
            let all = name == "alltrue";
            if all && values.contains(&Some(false)) {
                return boolean(span, false);
            }
            if !all && values.contains(&Some(true)) {
                return boolean(span, true);
            }
            if items.iter().any(Node::is_unknown) {
                return Err(FnError::Unknown);
            }
            if values.iter().any(Option::is_none) {
                return Err(FnError::Failed);
            }
            boolean(span, all)
        }
        "chunklist" => {
            let items = list(args, 0)?;
            let size = num(args, 1)? as usize;
            if size == 0 {
                return seq(span, vec![Node::new(span, NodeData::Seq(items.to_vec()))]);
            }
            seq(
                span,
                items
                    .chunks(size)
                    .map(|c| Node::new(span, NodeData::Seq(c.to_vec())))
                    .collect(),
            )
        }
        // Strings: the result is new text, so any unknown input makes it unknown.
        "format" => {
            known(args)?;
            format(&text(args, 0)?, &args[1..]).map(|s| Node::str(span, s))
        }
        "formatlist" => {
            known(args)?;
            let spec = text(args, 0)?;
            let rest = &args[1..];
            let len = rest
                .iter()
                .filter_map(|a| a.items().len().checked_sub(0).filter(|_| a.is_seq()))
                .max()
                .unwrap_or(1);
            let mut out = Vec::new();
            for i in 0..len {
                let row: Vec<Node> = rest
                    .iter()
                    .map(|a| {
                        if a.is_seq() {
                            a.items()
                                .get(i)
                                .cloned()
                                .unwrap_or_else(|| Node::new(span, NodeData::Null))
                        } else {
                            a.clone()
                        }
                    })
                    .collect();
                out.push(Node::str(span, format(&spec, &row)?));
            }
            seq(span, out)
        }
        "join" => {
            known(args)?;
            let sep = text(args, 0)?;
            let mut parts = Vec::new();
            for i in 1..args.len() {
                for item in list(args, i)? {
                    parts.push(as_text(item).ok_or(FnError::Failed)?);
                }
            }
            string(span, parts.join(&sep))
        }
        "split" => {
            let (sep, s) = (text(args, 0)?, text(args, 1)?);
            seq(
                span,
                s.split(sep.as_str()).map(|p| Node::str(span, p)).collect(),
            )
        }
        "lower" => string(span, text(args, 0)?.to_lowercase()),
        "upper" => string(span, text(args, 0)?.to_uppercase()),
        "title" => string(
            span,
            text(args, 0)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "trimspace" => string(span, text(args, 0)?.trim()),
        "chomp" => string(span, text(args, 0)?.trim_end_matches(['\n', '\r'])),
        "trim" => {
            let (s, cut) = (text(args, 0)?, text(args, 1)?);
            string(span, s.trim_matches(|c| cut.contains(c)))
        }
        "trimprefix" => {
            let (s, p) = (text(args, 0)?, text(args, 1)?);
            string(span, s.strip_prefix(p.as_str()).unwrap_or(&s))
        }
        "trimsuffix" => {
            let (s, p) = (text(args, 0)?, text(args, 1)?);
            string(span, s.strip_suffix(p.as_str()).unwrap_or(&s))
        }
        "replace" => {
            let (s, from, to) = (text(args, 0)?, text(args, 1)?, text(args, 2)?);
            // Every match (at most one per character, and one more for an
            // empty pattern) becomes `to`, which may itself repeat captures.
            let matches = s.len().saturating_add(1);
            if matches.saturating_mul(to.len()).saturating_add(s.len()) > MAX_TEXT {
                return Err(FnError::Failed);
            }
            if from.len() > 2 && from.starts_with('/') && from.ends_with('/') {
                let pattern = &from[1..from.len() - 1];
                let re = regex::Regex::new(pattern).map_err(|_| FnError::Failed)?;
                // Terraform writes capture references as $1 like Go does.
                return string(span, re.replace_all(&s, to.as_str()).into_owned());
            }
            string(span, s.replace(from.as_str(), &to))
        }
        "substr" => {
            let s = text(args, 0)?;
            let (offset, length) = (num(args, 1)?, num(args, 2)?);
            let chars: Vec<char> = s.chars().collect();
            let start = if offset < 0.0 {
                chars.len().saturating_sub((-offset) as usize)
            } else {
                (offset as usize).min(chars.len())
            };
            let end = if length < 0.0 {
                chars.len()
            } else {
                start.saturating_add(length as usize).min(chars.len())
            };
            string(span, chars[start..end].iter().collect::<String>())
        }
        "startswith" => boolean(span, text(args, 0)?.starts_with(&text(args, 1)?)),
        "endswith" => boolean(span, text(args, 0)?.ends_with(&text(args, 1)?)),
        "strcontains" => boolean(span, text(args, 0)?.contains(&text(args, 1)?)),
        "strrev" => string(span, text(args, 0)?.chars().rev().collect::<String>()),
        "indent" => {
            let (n, s) = (num(args, 0)? as usize, text(args, 1)?);
            if n.saturating_mul(s.matches('\n').count()) > MAX_TEXT {
                return Err(FnError::Failed);
            }
            let pad = " ".repeat(n);
            string(span, s.replace('\n', &format!("\n{pad}")))
        }
        "regex" | "regexall" => {
            let (pattern, s) = (text(args, 0)?, text(args, 1)?);
            let re = regex::Regex::new(&pattern).map_err(|_| FnError::Failed)?;
            let one = |caps: regex::Captures<'_>| -> Node {
                let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
                if names.is_empty() {
                    Node::str(span, caps.get(0).map(|m| m.as_str()).unwrap_or(""))
                } else if names.iter().all(Option::is_some) {
                    Node::new(
                        span,
                        NodeData::Map(
                            names
                                .iter()
                                .flatten()
                                .map(|n| Entry {
                                    key: n.to_string(),
                                    key_span: span,
                                    value: Node::str(
                                        span,
                                        caps.name(n).map(|m| m.as_str()).unwrap_or(""),
                                    ),
                                })
                                .collect(),
                        ),
                    )
                } else {
                    Node::new(
                        span,
                        NodeData::Seq(
                            (1..caps.len())
                                .map(|i| {
                                    Node::str(span, caps.get(i).map(|m| m.as_str()).unwrap_or(""))
                                })
                                .collect(),
                        ),
                    )
                }
            };
            if name == "regex" {
                re.captures(&s).map(one).ok_or(FnError::Failed)
            } else {
                seq(span, re.captures_iter(&s).map(one).collect())
            }
        }
        "tostring" => {
            let node = arg(args, 0)?;
            if node.is_unknown() {
                return Err(FnError::Unknown);
            }
            if matches!(node.data, NodeData::Null) {
                return Ok(node.clone());
            }
            string(span, as_text(node).ok_or(FnError::Failed)?)
        }
        "tonumber" => {
            let node = arg(args, 0)?;
            if matches!(node.data, NodeData::Null) {
                return Ok(node.clone());
            }
            Ok(number(span, num(args, 0)?))
        }
        "tobool" => {
            let node = arg(args, 0)?;
            if node.is_unknown() {
                return Err(FnError::Unknown);
            }
            if matches!(node.data, NodeData::Null) {
                return Ok(node.clone());
            }
            boolean(span, as_bool(node).ok_or(FnError::Failed)?)
        }
        "parseint" => {
            let (s, base) = (text(args, 0)?, num(args, 1)? as u32);
            // Terraform accepts bases 2 to 62; `from_str_radix` panics
            // outside 2 to 36.
            if !(2..=36).contains(&base) {
                return Err(FnError::Failed);
            }
            let v = i64::from_str_radix(&s, base).map_err(|_| FnError::Failed)?;
            Ok(number(span, v as f64))
        }
        // Numbers.
        "max" | "min" => {
            let mut values = Vec::new();
            for i in 0..args.len() {
                values.push(num(args, i)?);
            }
            let pick = if name == "max" {
                values.into_iter().fold(f64::NEG_INFINITY, f64::max)
            } else {
                values.into_iter().fold(f64::INFINITY, f64::min)
            };
            if pick.is_finite() {
                Ok(number(span, pick))
            } else {
                Err(FnError::Failed)
            }
        }
        "abs" => Ok(number(span, num(args, 0)?.abs())),
        "ceil" => Ok(number(span, num(args, 0)?.ceil())),
        "floor" => Ok(number(span, num(args, 0)?.floor())),
        "signum" => Ok(number(span, num(args, 0)?.signum())),
        "pow" => Ok(number(span, num(args, 0)?.powf(num(args, 1)?))),
        "log" => Ok(number(span, num(args, 0)?.log(num(args, 1)?))),
        // Encodings.
        "jsonencode" => {
            known(args)?;
            let value = to_json(arg(args, 0)?);
            string(
                span,
                serde_json::to_string(&value).map_err(|_| FnError::Failed)?,
            )
        }
        "jsondecode" => {
            let s = text(args, 0)?;
            let value: serde_json::Value = serde_json::from_str(&s).map_err(|_| FnError::Failed)?;
            Ok(from_json(&value, span))
        }
        "yamldecode" => {
            let s = text(args, 0)?;
            let docs = crate::parse::yaml::parse_stream(
                &s,
                span.file,
                crate::parse::yaml::Dialect::Core,
                crate::parse::yaml::Limits::default(),
            )
            .map_err(|_| FnError::Failed)?;
            let root = docs
                .into_iter()
                .find_map(|d| d.root)
                .ok_or(FnError::Failed)?;
            // Positions inside the decoded text do not map to the file.
            Ok(root.relocate(span))
        }
        "base64encode" => {
            use base64::Engine as _;
            string(
                span,
                base64::engine::general_purpose::STANDARD.encode(text(args, 0)?),
            )
        }
        "base64decode" => {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text(args, 0)?)
                .map_err(|_| FnError::Failed)?;
            string(span, String::from_utf8(bytes).map_err(|_| FnError::Failed)?)
        }
        // Networks.
        "cidrsubnet" => {
            let (prefix, newbits, netnum) = (text(args, 0)?, num(args, 1)?, num(args, 2)?);
            cidr_subnet(&prefix, newbits as u32, netnum as u128).map(|s| Node::str(span, s))
        }
        "cidrsubnets" => {
            let prefix = text(args, 0)?;
            // Consecutive subnets, each aligned to its own size, as
            // Terraform allocates them.
            let mut out = Vec::new();
            let (addr, base_len) = parse_cidr(&prefix).ok_or(FnError::Failed)?;
            let width = if addr.is_ipv4() { 32 } else { 128 };
            let mut next_address: u128 = 0;
            for i in 1..args.len() {
                let new_len = base_len.saturating_add(num(args, i)? as u32);
                if new_len > width {
                    return Err(FnError::Failed);
                }
                let size = 1u128.checked_shl(width - new_len).ok_or(FnError::Failed)?;
                next_address = next_address
                    .div_ceil(size)
                    .checked_mul(size)
                    .ok_or(FnError::Failed)?;
                out.push(Node::str(
                    span,
                    cidr_from(addr, base_len, next_address / size, new_len)?,
                ));
                next_address = next_address.checked_add(size).ok_or(FnError::Failed)?;
            }
            seq(span, out)
        }
        "cidrhost" => {
            let (prefix, host) = (text(args, 0)?, num(args, 1)?);
            let (addr, len) = parse_cidr(&prefix).ok_or(FnError::Failed)?;
            let width = if addr.is_ipv4() { 32 } else { 128 };
            // A /0 IPv6 prefix holds 2^128 hosts, one more than u128 counts.
            let size = 1u128.checked_shl(width - len).ok_or(FnError::Failed)?;
            let offset = if host < 0.0 {
                size.checked_sub((-host) as u128).ok_or(FnError::Failed)?
            } else {
                host as u128
            };
            if offset >= size {
                return Err(FnError::Failed);
            }
            let base = to_bits(addr) & !(size - 1);
            string(span, from_bits(addr, base + offset).to_string())
        }
        "cidrnetmask" => {
            let prefix = text(args, 0)?;
            let (addr, len) = parse_cidr(&prefix).ok_or(FnError::Failed)?;
            if !addr.is_ipv4() {
                return Err(FnError::Failed);
            }
            let mask: u32 = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            string(span, Ipv4Addr::from(mask).to_string())
        }
        // Files are read from the module's own folder only.
        "file" => {
            let path = text(args, 0)?;
            ev.env
                .read_file(&path)
                .map(|s| Node::str(span, s))
                .ok_or(FnError::Failed)
        }
        "fileexists" => boolean(span, ev.env.read_file(&text(args, 0)?).is_some()),
        "templatefile" => {
            let path = text(args, 0)?;
            let body = ev.env.read_file(&path).ok_or(FnError::Failed)?;
            let template = hcl::edit::parser::parse_template(&body).map_err(|_| FnError::Failed)?;
            let mut inner = Scope {
                names: Vec::new(),
                spans: SpanMode::Collapsed(span),
            };
            for e in entries(args, 1)? {
                inner = inner.with(&e.key, e.value.clone());
            }
            let _ = scope;
            Ok(ev.template(&template, span.file, &inner, span))
        }
        _ => Err(FnError::Unknown),
    }
}

/// Terraform's `format` verbs that configuration uses in practice.
fn format(spec: &str, args: &[Node]) -> Result<String, FnError> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if f.is_ascii_digit() || f == '.' || f == '-' || f == '+' || f == '#' || f == ' ' {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let verb = chars.next().ok_or(FnError::Failed)?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let value = args.get(next).ok_or(FnError::Failed)?;
        next += 1;
        let width: usize = flags
            .trim_start_matches(['-', '+', '#', ' ', '0'])
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        let precision: Option<usize> = flags.split('.').nth(1).and_then(|p| p.parse().ok());
        if width > MAX_FORMAT_WIDTH || precision.is_some_and(|p| p > MAX_FORMAT_WIDTH) {
            return Err(FnError::Failed);
        }
        let rendered = match verb {
            's' | 'v' => match &value.data {
                NodeData::Seq(_) | NodeData::Map(_) => {
                    serde_json::to_string(&to_json(value)).map_err(|_| FnError::Failed)?
                }
                _ => as_text(value).ok_or(FnError::Failed)?,
            },
            'q' => serde_json::to_string(&as_text(value).ok_or(FnError::Failed)?)
                .map_err(|_| FnError::Failed)?,
            'd' => format!("{}", as_number(value).ok_or(FnError::Failed)? as i64),
            'f' => {
                let n = as_number(value).ok_or(FnError::Failed)?;
                format!("{:.*}", precision.unwrap_or(6), n)
            }
            'g' | 'e' => format_float(as_number(value).ok_or(FnError::Failed)?),
            't' => as_bool(value).ok_or(FnError::Failed)?.to_string(),
            'x' => format!("{:x}", as_number(value).ok_or(FnError::Failed)? as i64),
            'X' => format!("{:X}", as_number(value).ok_or(FnError::Failed)? as i64),
            'o' => format!("{:o}", as_number(value).ok_or(FnError::Failed)? as i64),
            'b' => format!("{:b}", as_number(value).ok_or(FnError::Failed)? as i64),
            _ => return Err(FnError::Failed),
        };
        let pad = width.saturating_sub(rendered.chars().count());
        if flags.starts_with('-') {
            out.push_str(&rendered);
            out.push_str(&" ".repeat(pad));
        } else if flags.starts_with('0') && matches!(verb, 'd' | 'f' | 'x' | 'X' | 'o' | 'b') {
            out.push_str(&"0".repeat(pad));
            out.push_str(&rendered);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&rendered);
        }
    }
    Ok(out)
}

/// A value as JSON; object keys sorted, as Terraform's `jsonencode` does.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.data {
        NodeData::Null | NodeData::Unknown(_) => Value::Null,
        NodeData::Bool(b) => Value::Bool(*b),
        NodeData::Int(i) => Value::from(*i),
        NodeData::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        NodeData::Str(s) => Value::String(s.clone()),
        NodeData::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeData::Map(entries) => {
            let sorted: std::collections::BTreeMap<&str, Value> = entries
                .iter()
                .filter(|e| !e.key.starts_with(crate::document::HIDDEN_KEY_PREFIX))
                .map(|e| (e.key.as_str(), to_json(&e.value)))
                .collect();
            Value::Object(
                sorted
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            )
        }
    }
}

pub fn from_json(value: &serde_json::Value, span: Span) -> Node {
    use serde_json::Value;
    let data = match value {
        Value::Null => NodeData::Null,
        Value::Bool(b) => NodeData::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => NodeData::Int(i),
            None => NodeData::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => NodeData::Str(s.clone()),
        Value::Array(items) => NodeData::Seq(items.iter().map(|v| from_json(v, span)).collect()),
        Value::Object(map) => NodeData::Map(
            map.iter()
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_span: span,
                    value: from_json(v, span),
                })
                .collect(),
        ),
    };
    Node::new(span, data)
}

fn parse_cidr(prefix: &str) -> Option<(IpAddr, u32)> {
    let (addr, len) = prefix.split_once('/')?;
    let addr: IpAddr = addr.parse().ok()?;
    let len: u32 = len.parse().ok()?;
    let width = if addr.is_ipv4() { 32 } else { 128 };
    (len <= width).then_some((addr, len))
}

fn to_bits(addr: IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

fn from_bits(like: IpAddr, bits: u128) -> IpAddr {
    match like {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(bits as u32)),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(bits)),
    }
}

fn cidr_from(addr: IpAddr, base_len: u32, netnum: u128, new_len: u32) -> Result<String, FnError> {
    let width = if addr.is_ipv4() { 32 } else { 128 };
    if new_len > width || new_len < base_len {
        return Err(FnError::Failed);
    }
    let host_bits = width - new_len;
    if new_len - base_len < 128 && netnum >= (1u128 << (new_len - base_len)) {
        return Err(FnError::Failed);
    }
    let base_mask = if base_len == 0 {
        0
    } else {
        (!0u128) << (width - base_len)
    } & if width == 32 {
        u32::MAX as u128
    } else {
        u128::MAX
    };
    let base = to_bits(addr) & base_mask;
    let bits = base | netnum.checked_shl(host_bits).unwrap_or(0);
    Ok(format!("{}/{new_len}", from_bits(addr, bits)))
}

fn cidr_subnet(prefix: &str, newbits: u32, netnum: u128) -> Result<String, FnError> {
    let (addr, len) = parse_cidr(prefix).ok_or(FnError::Failed)?;
    let width = if addr.is_ipv4() { 32 } else { 128 };
    let new_len = len.saturating_add(newbits);
    if new_len > width {
        return Err(FnError::Failed);
    }
    cidr_from(addr, len, netnum, new_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_functions_match_terraform() {
        assert_eq!(
            cidr_subnet("10.0.0.0/16", 8, 2).ok(),
            Some("10.0.2.0/24".to_string())
        );
        assert_eq!(
            cidr_subnet("172.16.0.0/12", 4, 15).ok(),
            Some("172.31.0.0/16".to_string())
        );
        assert_eq!(
            cidr_subnet("fd00:fd12:3456:7890::/56", 16, 162).ok(),
            Some("fd00:fd12:3456:7800:a200::/72".to_string())
        );
        assert!(cidr_subnet("10.0.0.0/16", 8, 256).is_err());
    }

    #[test]
    fn cidrsubnets_allocates_consecutive_aligned_ranges() {
        let span = Span::new(0, 0, 0);
        let eval_args = [
            Node::str(span, "10.1.0.0/16"),
            Node::new(span, NodeData::Int(4)),
            Node::new(span, NodeData::Int(4)),
            Node::new(span, NodeData::Int(8)),
            Node::new(span, NodeData::Int(4)),
        ];
        struct NoEnv;
        impl super::super::eval::Env for NoEnv {
            fn text(&self, _: Span) -> String {
                String::new()
            }
            fn var(&self, _: &str) -> Option<Node> {
                None
            }
            fn local(&self, _: &str) -> Option<Node> {
                None
            }
            fn resource(
                &self,
                _: super::super::config::Mode,
                _: &str,
                _: &str,
            ) -> Option<super::super::eval::ResourceRef> {
                None
            }
            fn module(&self, _: &str) -> Option<Node> {
                None
            }
            fn path_module(&self) -> String {
                ".".into()
            }
            fn path_root(&self) -> String {
                ".".into()
            }
            fn renamed(&self, _: u32, _: &str) -> Option<String> {
                None
            }
            fn read_file(&self, _: &str) -> Option<String> {
                None
            }
            fn address_prefix(&self) -> String {
                String::new()
            }
        }
        let ev = Eval { env: &NoEnv };
        let result = apply(&ev, "cidrsubnets", &eval_args, span, &Scope::root())
            .ok()
            .unwrap();
        let got: Vec<String> = result.items().iter().filter_map(as_text).collect();
        assert_eq!(
            got,
            [
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]
        );
    }

    #[test]
    fn format_handles_common_verbs() {
        let span = Span::new(0, 0, 0);
        let args = vec![
            Node::str(span, "web"),
            Node::new(span, NodeData::Int(7)),
            Node::new(span, NodeData::Float(1.5)),
        ];
        assert_eq!(
            format("%s-%03d-%.1f %%", &args).ok(),
            Some("web-007-1.5 %".to_string())
        );
    }
}
