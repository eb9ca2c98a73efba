//! YAML streams into spanned [`Node`] trees, read the way the consuming tool
//! reads them: Kubernetes and Ansible load YAML 1.1 (`0777` is the octal 511,
//! `no` is false), Terraform JSON and rule metadata load the JSON-compatible
//! core schema. Built on saphyr's event parser so every key and value keeps a
//! span, anchors and `<<` merge keys are applied, and hostile input (alias
//! bombs, runaway nesting) ends in an error rather than exhausted memory.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use crate::document::{Entry, Node, NodeData};
use crate::source::{CharToByte, Span};

/// Which scalar rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// YAML 1.1 as PyYAML (Ansible) and go-yaml (Kubernetes) read it.
    Yaml11,
    /// The YAML 1.2 core schema, which agrees with JSON.
    Core,
}

/// Bounds that keep hostile input from exhausting memory or the stack.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    /// Total nodes that alias expansion may copy in one file.
    pub alias_budget: usize,
    /// Total bytes of text (keys and scalars) that alias expansion may copy
    /// in one file: a few aliases of one huge string cost few nodes.
    pub alias_bytes: usize,
}

/// The default nesting limit for YAML and JSON documents.
pub const DEFAULT_MAX_DEPTH: usize = 200;

/// How deep `[` and `{` may nest in YAML (and JSON) whatever the limit:
/// the YAML scanner counts flow levels in a byte.
pub const FLOW_DEPTH_CAP: usize = 255;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: DEFAULT_MAX_DEPTH,
            alias_budget: 100_000,
            alias_bytes: 16 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The default limits with another nesting depth.
    pub fn with_depth(max_depth: usize) -> Self {
        Limits {
            max_depth,
            ..Limits::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    /// Byte offset of the problem.
    pub offset: usize,
}

/// One document of a stream; `None` root for an empty document.
#[derive(Debug)]
pub struct YamlDoc {
    pub root: Option<Node>,
}

/// Parses every document of a YAML stream.
pub fn parse_stream(
    text: &str,
    file: u32,
    dialect: Dialect,
    limits: Limits,
) -> Result<Vec<YamlDoc>, YamlError> {
    let positions = CharToByte::new(text);
    let mut relaxed = Relaxed::default();
    loop {
        let read = relaxed.text.as_deref().unwrap_or(text);
        match parse_once(read, &relaxed.values, file, dialect, limits, &positions) {
            Ok(docs) => return Ok(docs),
            Err(failure) => match failure.quoted_scalar {
                Some(start) if relaxed.relax(text, start) => continue,
                _ => return Err(failure.error),
            },
        }
    }
}

/// How many quoted scalars of one file `Relaxed` reads past their
/// indentation before the error stands, and how many bytes it may parse
/// again in all: each costs a parse of the file, so a 20 MB file gets three.
const MAX_RELAXED_SCALARS: usize = 64;
const MAX_RELAXED_BYTES: usize = 64 << 20;

/// Quoted scalars whose continuation lines sit at their mapping's own
/// indentation. YAML 1.2, and saphyr with it, asks for one more space, but
/// go-yaml (Kubernetes) and PyYAML (Ansible) read them, and published
/// manifests have them (a description in gatekeeper-library's
/// `httpsonly` template): refusing the file would lose its findings. Each
/// such scalar is read again with its line breaks turned to spaces, which
/// keeps every byte offset, and its value is folded as YAML folds it.
#[derive(Default)]
struct Relaxed {
    /// The file with the line breaks of those scalars turned to spaces.
    text: Option<String>,
    /// Each such scalar's value, by the byte offset of its opening quote.
    values: HashMap<usize, String>,
}

impl Relaxed {
    /// Reads the quoted scalar opening at byte `start` again; false when it
    /// cannot (no closing quote, already relaxed, past the bounds above).
    fn relax(&mut self, original: &str, start: usize) -> bool {
        let parsed_again = (self.values.len() + 1).saturating_mul(original.len());
        if self.values.contains_key(&start)
            || self.values.len() >= MAX_RELAXED_SCALARS
            || parsed_again > MAX_RELAXED_BYTES
        {
            return false;
        }
        let quote = match original.as_bytes().get(start) {
            Some(q @ (b'"' | b'\'')) => *q as char,
            _ => return false,
        };
        let end = quoted_span(original, Span::new(0, start, original.len())).end as usize;
        let scalar = &original[start..end];
        if scalar.len() < 2 || !scalar.ends_with(quote) {
            return false;
        }
        let Some(value) = folded_value(scalar) else {
            return false;
        };
        let mut bytes = self
            .text
            .take()
            .unwrap_or_else(|| original.to_string())
            .into_bytes();
        for byte in &mut bytes[start..end] {
            if *byte == b'\n' || *byte == b'\r' {
                *byte = b' ';
            }
        }
        // Only ASCII bytes changed, to ASCII.
        let Ok(text) = String::from_utf8(bytes) else {
            return false;
        };
        self.text = Some(text);
        self.values.insert(start, value);
        true
    }
}

/// A quoted scalar's value as YAML folds its lines, read as the value of a
/// document of its own with every continuation line one space deeper
/// (leading white space of a continuation line is never part of the value).
fn folded_value(scalar: &str) -> Option<String> {
    let document = format!("x: {}", scalar.replace('\n', "\n "));
    let mut parser = Parser::new_from_str(&document);
    let mut scalars = 0;
    while let Some(event) = parser.next_event() {
        if let (Event::Scalar(value, ..), _) = event.ok()? {
            scalars += 1;
            if scalars == 2 {
                return Some(value.into_owned());
            }
        }
    }
    None
}

/// Why a parse stopped, and the quoted scalar it stopped in when that
/// scalar was only indented less than YAML 1.2 allows.
struct Failure {
    error: YamlError,
    quoted_scalar: Option<usize>,
}

fn parse_once(
    text: &str,
    relaxed: &HashMap<usize, String>,
    file: u32,
    dialect: Dialect,
    limits: Limits,
    positions: &CharToByte,
) -> Result<Vec<YamlDoc>, Failure> {
    let mut builder = Builder {
        text,
        relaxed,
        dialect,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: limits.alias_budget,
        alias_bytes: limits.alias_bytes,
        docs: Vec::new(),
        current: None,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| Failure {
            error: scan_error(&e, positions),
            quoted_scalar: (e.info() == "invalid indentation in quoted scalar")
                .then(|| positions.byte(e.marker().index())),
        })?;
        let span = Span::new(
            file,
            positions.byte(span.start.index()),
            positions.byte(span.end.index()),
        );
        builder.on_event(event, span).map_err(|error| Failure {
            error,
            quoted_scalar: None,
        })?;
    }
    Ok(builder.docs)
}

fn scan_error(e: &ScanError, positions: &CharToByte) -> YamlError {
    let message = if e.info() == "recursion limit exceeded" {
        // The scanner's own bound on `[` and `{`, reached before the
        // builder sees the collections.
        format!(
            "nesting deeper than {FLOW_DEPTH_CAP} levels of `[` and `{{` (the most YAML allows); refusing to read further"
        )
    } else {
        e.info().to_string()
    };
    YamlError {
        message,
        offset: positions.byte(e.marker().index()),
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<(String, Span)>,
    },
}

struct Builder<'t> {
    text: &'t str,
    /// Values of quoted scalars read past their indentation (`Relaxed`).
    relaxed: &'t HashMap<usize, String>,
    dialect: Dialect,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, Size)>,
    alias_budget: usize,
    alias_bytes: usize,
    docs: Vec<YamlDoc>,
    current: Option<Node>,
}

impl Builder<'_> {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(_) => self.current = None,
            Event::DocumentEnd => {
                let root = self.current.take();
                self.docs.push(YamlDoc { root });
                self.anchors.clear();
            }
            Event::SequenceStart(anchor, _) => {
                self.check_depth(span)?;
                self.stack.push(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, _) => {
                self.check_depth(span)?;
                self.stack.push(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop().ok_or_else(|| YamlError {
                    message: "unbalanced collection end".into(),
                    offset: span.start as usize,
                })?;
                let (node, anchor) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        items,
                    } => {
                        let end = items.last().map(|n| n.span).unwrap_or(span);
                        let whole = collection_span(start, end, span);
                        (Node::new(whole, NodeData::Seq(items)), anchor)
                    }
                    Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    } => {
                        let end = entries.last().map(|e| e.value.span).unwrap_or(span);
                        let whole = collection_span(start, end, span);
                        let entries = apply_merge_keys(entries);
                        (Node::new(whole, NodeData::Map(entries)), anchor)
                    }
                };
                self.insert(node, anchor, span)?;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let value = match self.relaxed.get(&(span.start as usize)) {
                    Some(folded) => std::borrow::Cow::Owned(folded.clone()),
                    None => value,
                };
                let data = resolve_scalar(&value, style, tag.as_deref(), self.dialect);
                let span = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        quoted_span(self.text, span)
                    }
                    _ => span,
                };
                let node = Node::new(span, data);
                if matches!(
                    self.stack.last(),
                    Some(Frame::Map {
                        pending_key: None,
                        ..
                    })
                ) {
                    // A scalar in key position: keep the text as written, since
                    // JSON keys are strings whatever YAML would make of them.
                    if anchor > 0 {
                        let size = Size {
                            nodes: 1,
                            bytes: value.len(),
                        };
                        self.anchors.insert(anchor, (node.clone(), size));
                    }
                    if let Some(Frame::Map { pending_key, .. }) = self.stack.last_mut() {
                        *pending_key = Some((value.into_owned(), span));
                    }
                    return Ok(());
                }
                self.insert(node, anchor, span)?;
            }
            Event::Alias(id) => {
                let (node, size) = self.anchors.get(&id).cloned().ok_or_else(|| YamlError {
                    message: "alias to an unknown anchor".into(),
                    offset: span.start as usize,
                })?;
                if size.nodes > self.alias_budget || size.bytes > self.alias_bytes {
                    return Err(YamlError {
                        message: format!(
                            "aliases expand to more than {} nodes or {} bytes of text; refusing to expand (a YAML alias bomb?)",
                            self.limits.alias_budget, self.limits.alias_bytes
                        ),
                        offset: span.start as usize,
                    });
                }
                self.alias_budget -= size.nodes;
                self.alias_bytes -= size.bytes;
                let mut node = node;
                node.span = span;
                self.insert(node, 0, span)?;
            }
        }
        Ok(())
    }

    fn check_depth(&self, span: Span) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(YamlError {
                message: format!(
                    "nesting deeper than {} levels; refusing to read further",
                    self.limits.max_depth
                ),
                offset: span.start as usize,
            });
        }
        Ok(())
    }

    fn insert(&mut self, node: Node, anchor: usize, span: Span) -> Result<(), YamlError> {
        if anchor > 0 {
            let size = count_nodes(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.current = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                }),
                None => {
                    // A collection used as a key: rare, and never meaningful
                    // to the formats clause reads, so name it by its JSON text.
                    let (value, _) = node.into_parts();
                    *pending_key = Some((value.to_string(), span));
                }
            },
        }
        Ok(())
    }
}

/// The scanner's end marker for a quoted scalar can lie past trailing
/// comments; the scalar really ends at its closing quote.
fn quoted_span(text: &str, span: Span) -> Span {
    let start = span.start as usize;
    let Some(rest) = text.get(start..) else {
        return span;
    };
    let mut chars = rest.char_indices();
    let Some((_, quote)) = chars.next() else {
        return span;
    };
    if quote != '"' && quote != '\'' {
        return span;
    }
    let mut escaped = false;
    while let Some((i, c)) = chars.next() {
        if quote == '"' {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                return Span::new(span.file, start, start + i + 1);
            }
        } else if c == '\'' {
            // `''` inside single quotes is an escaped quote.
            if rest[i + 1..].starts_with('\'') {
                chars.next();
            } else {
                return Span::new(span.file, start, start + i + 1);
            }
        }
    }
    span
}

fn collection_span(start: Span, last_child: Span, end_event: Span) -> Span {
    // Block collections end where the next token starts, often lines later,
    // so a collection ends with its last child; flow collections end at
    // their closing bracket.
    let end = if end_event.end > end_event.start {
        end_event.end
    } else {
        last_child.end.max(start.end)
    };
    Span {
        file: start.file,
        start: start.start,
        end: end.max(start.start),
    }
}

/// What copying a node for an alias costs.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    nodes: usize,
    bytes: usize,
}

fn count_nodes(node: &Node) -> Size {
    let mut size = Size { nodes: 1, bytes: 0 };
    let mut add = |s: Size| {
        size.nodes = size.nodes.saturating_add(s.nodes);
        size.bytes = size.bytes.saturating_add(s.bytes);
    };
    match &node.data {
        NodeData::Str(s) => add(Size {
            nodes: 0,
            bytes: s.len(),
        }),
        NodeData::Seq(items) => items.iter().for_each(|n| add(count_nodes(n))),
        NodeData::Map(entries) => {
            for e in entries {
                add(Size {
                    nodes: 0,
                    bytes: e.key.len(),
                });
                add(count_nodes(&e.value));
            }
        }
        _ => {}
    }
    size
}

/// Applies YAML merge keys (`<<: *base`, `<<: [*a, *b]`): explicit keys win,
/// then earlier merged mappings win over later ones.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(|e| e.key == "<<") {
        return entries;
    }
    let mut explicit = Vec::with_capacity(entries.len());
    let mut sources = Vec::new();
    for entry in entries {
        if entry.key == "<<" {
            match entry.value.data {
                NodeData::Map(_) => sources.push(entry.value),
                NodeData::Seq(items) => sources.extend(items.into_iter().filter(Node::is_map)),
                _ => explicit.push(entry),
            }
        } else {
            explicit.push(entry);
        }
    }
    let mut merged: Vec<Entry> = Vec::new();
    for source in sources {
        if let NodeData::Map(source_entries) = source.data {
            for entry in source_entries {
                let shadowed = explicit.iter().any(|e| e.key == entry.key)
                    || merged.iter().any(|e| e.key == entry.key);
                if !shadowed {
                    merged.push(entry);
                }
            }
        }
    }
    merged.extend(explicit);
    merged
}

fn resolve_scalar(
    value: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    dialect: Dialect,
) -> NodeData {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() {
            let plain = resolve_plain(value, dialect);
            return match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => NodeData::Str(value.to_string()),
                "null" => NodeData::Null,
                "bool" if matches!(plain, NodeData::Bool(_)) => plain,
                "int" if matches!(plain, NodeData::Int(_)) => plain,
                "float" => match plain {
                    NodeData::Int(i) => NodeData::Float(i as f64),
                    NodeData::Float(_) => plain,
                    _ => NodeData::Str(value.to_string()),
                },
                _ => NodeData::Str(value.to_string()),
            };
        }
        // Application tags (`!vault`, `!Ref`, `!unsafe`) carry text the
        // consuming tool interprets; rules see that text.
        return NodeData::Str(value.to_string());
    }
    match style {
        ScalarStyle::Plain => resolve_plain(value, dialect),
        _ => NodeData::Str(value.to_string()),
    }
}

/// Types a plain scalar by the dialect's implicit resolution rules.
pub fn resolve_plain(value: &str, dialect: Dialect) -> NodeData {
    match dialect {
        Dialect::Yaml11 => resolve_yaml11(value),
        Dialect::Core => resolve_core(value),
    }
}

fn resolve_yaml11(s: &str) -> NodeData {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return NodeData::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return NodeData::Bool(true);
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return NodeData::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeData::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeData::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeData::Float(f64::NAN),
        _ => {}
    }
    let (negative, digits) = split_sign(s);
    if let Some(n) = yaml11_int(digits) {
        return match n.checked_mul(if negative { -1 } else { 1 }) {
            Some(v) => NodeData::Int(v),
            None => NodeData::Str(s.to_string()),
        };
    }
    if let Some(f) = yaml11_float(digits) {
        return NodeData::Float(if negative { -f } else { f });
    }
    NodeData::Str(s.to_string())
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else {
        (false, s)
    }
}

fn radix_int(digits: &str, radix: u32) -> Option<i64> {
    let cleaned: String = digits.chars().filter(|&c| c != '_').collect();
    if cleaned.is_empty() || !digits.chars().all(|c| c == '_' || c.is_digit(radix)) {
        return None;
    }
    i64::from_str_radix(&cleaned, radix).ok()
}

fn yaml11_int(d: &str) -> Option<i64> {
    if d.is_empty() {
        return None;
    }
    if let Some(bin) = d.strip_prefix("0b") {
        return radix_int(bin, 2);
    }
    if let Some(hex) = d.strip_prefix("0x") {
        return radix_int(hex, 16);
    }
    if d == "0" {
        return Some(0);
    }
    if let Some(oct) = d.strip_prefix('0') {
        return radix_int(oct, 8);
    }
    if d.contains(':') {
        return sexagesimal(d).and_then(|f| (f.fract() == 0.0).then_some(f as i64));
    }
    if !d.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    radix_int(d, 10)
}

fn sexagesimal(d: &str) -> Option<f64> {
    let mut parts = d.split(':');
    let first = parts.next()?;
    if !first.starts_with(|c: char| ('1'..='9').contains(&c)) {
        return None;
    }
    let mut total: f64 = first.replace('_', "").parse::<u64>().ok()? as f64;
    let rest: Vec<&str> = parts.collect();
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let whole = part.split('.').next().unwrap_or(part);
        if whole.is_empty() || whole.len() > 2 || !whole.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let v: f64 = if last {
            part.parse().ok()?
        } else {
            whole.parse().ok()?
        };
        if v >= 60.0 {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total)
}

fn yaml11_float(d: &str) -> Option<f64> {
    if d.contains(':') {
        return d.contains('.').then(|| sexagesimal(d)).flatten();
    }
    // PyYAML requires a dot and a signed exponent: `1e3` stays a string.
    let (mantissa, exponent) = match d.find(['e', 'E']) {
        Some(i) => (&d[..i], Some(&d[i + 1..])),
        None => (d, None),
    };
    let dot = mantissa.find('.')?;
    let (int_part, frac_part) = (&mantissa[..dot], &mantissa[dot + 1..]);
    let int_ok = int_part.is_empty()
        || (int_part.starts_with(|c: char| c.is_ascii_digit())
            && int_part.chars().all(|c| c.is_ascii_digit() || c == '_'));
    let frac_ok = frac_part.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !int_ok || !frac_ok || (int_part.is_empty() && frac_part.is_empty()) {
        return None;
    }
    if let Some(exp) = exponent {
        let digits = exp.strip_prefix(['+', '-'])?;
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    d.replace('_', "").parse().ok()
}

fn resolve_core(s: &str) -> NodeData {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return NodeData::Null,
        "true" | "True" | "TRUE" => return NodeData::Bool(true),
        "false" | "False" | "FALSE" => return NodeData::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeData::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeData::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeData::Float(f64::NAN),
        _ => {}
    }
    if let Some(v) = s
        .strip_prefix("0o")
        .and_then(|oct| radix_int_strict(oct, 8))
    {
        return NodeData::Int(v);
    }
    if let Some(v) = s
        .strip_prefix("0x")
        .and_then(|hex| radix_int_strict(hex, 16))
    {
        return NodeData::Int(v);
    }
    let (_, digits) = split_sign(s);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        if let Ok(v) = s.parse::<i64>() {
            return NodeData::Int(v);
        }
        if let Ok(f) = s.parse::<f64>() {
            return NodeData::Float(f);
        }
    }
    if is_core_float(digits)
        && let Ok(f) = s.parse::<f64>()
    {
        return NodeData::Float(f);
    }
    NodeData::Str(s.to_string())
}

fn radix_int_strict(digits: &str, radix: u32) -> Option<i64> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    i64::from_str_radix(digits, radix).ok()
}

fn is_core_float(d: &str) -> bool {
    let (mantissa, exponent) = match d.find(['e', 'E']) {
        Some(i) => (&d[..i], Some(&d[i + 1..])),
        None => (d, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int_part = parts.next().unwrap_or("");
    let frac_part = parts.next();
    let digits_only = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match frac_part {
        Some(frac) => {
            digits_only(int_part) && digits_only(frac) && !(int_part.is_empty() && frac.is_empty())
        }
        None => !int_part.is_empty() && digits_only(int_part),
    };
    let exponent_ok = match exponent {
        None => frac_part.is_some(),
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits_only(e)
        }
    };
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn load(text: &str, dialect: Dialect) -> Vec<serde_json::Value> {
        parse_stream(text, 0, dialect, Limits::default())
            .unwrap()
            .into_iter()
            .filter_map(|d| d.root.map(|n| n.into_parts().0))
            .collect()
    }

    #[test]
    fn yaml11_scalars_follow_pyyaml() {
        let docs = load(
            "a: 0777\nb: yes\nc: off\nd: '0777'\ne: 0o777\nf: 1_000\ng: 0x1F\nh: 0644\ni: 1e3\nj: 1.5\nk: ~\nl: 190:20:30\nm: 08\n",
            Dialect::Yaml11,
        );
        assert_eq!(
            docs[0],
            json!({"a": 511, "b": true, "c": false, "d": "0777", "e": "0o777", "f": 1000,
                   "g": 31, "h": 420, "i": "1e3", "j": 1.5, "k": null, "l": 685230, "m": "08"})
        );
    }

    #[test]
    fn core_scalars_follow_json() {
        let docs = load(
            "{\"a\": 0777, \"b\": yes, \"c\": 1e3, \"d\": -2}",
            Dialect::Core,
        );
        assert_eq!(docs[0], json!({"a": 777, "b": "yes", "c": 1000.0, "d": -2}));
    }

    #[test]
    fn spans_are_bytes_even_after_multibyte_text() {
        let text = "# café ☕\nkey: value\n";
        let docs = parse_stream(text, 0, Dialect::Yaml11, Limits::default()).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        let entry = root.entry("key").unwrap();
        assert_eq!(&text[entry.key_span.range()], "key");
        assert_eq!(&text[entry.value.span.range()], "value");
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        let text = "a: \"0666\" # comment\nb: 'it''s' # more\n";
        let docs = parse_stream(text, 0, Dialect::Yaml11, Limits::default()).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(&text[root.get("a").unwrap().span.range()], "\"0666\"");
        assert_eq!(&text[root.get("b").unwrap().span.range()], "'it''s'");
    }

    #[test]
    fn merge_keys_apply_and_explicit_keys_win() {
        let docs = load(
            "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n",
            Dialect::Yaml11,
        );
        assert_eq!(docs[0]["d"], json!({"x": 1, "y": 3}));
    }

    #[test]
    fn multi_document_streams_yield_each_document() {
        let docs = load("a: 1\n---\nb: 2\n---\n", Dialect::Yaml11);
        assert_eq!(docs, vec![json!({"a": 1}), json!({"b": 2}), json!(null)]);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse_stream(&text, 0, Dialect::Yaml11, Limits::default()).unwrap_err();
        assert!(err.message.contains("alias"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_stream(&text, 0, Dialect::Yaml11, Limits::default()).unwrap_err();
        assert!(
            err.message.contains("nesting") || err.message.contains("recursion"),
            "{}",
            err.message
        );
    }

    #[test]
    fn quoted_scalars_indented_as_go_yaml_and_pyyaml_allow_are_read() {
        // Continuation lines at the mapping's own indentation, one space
        // short of YAML 1.2: values as PyYAML folds them, spans exact.
        let text = "data:\n  a: \"optional, defaults\n  to false.\"\n  b: 'it''s\n\n  two'\n  c: \"esc\\\n  aped\\tx\"\n  d: 3\n";
        let docs = parse_stream(text, 0, Dialect::Yaml11, Limits::default()).unwrap();
        let data = docs[0].root.as_ref().unwrap().get("data").unwrap();
        let value = |key: &str| data.get(key).unwrap().clone().into_parts().0;
        assert_eq!(value("a"), "optional, defaults to false.");
        assert_eq!(value("b"), "it's\ntwo");
        assert_eq!(value("c"), "escaped\tx");
        assert_eq!(value("d"), 3);
        assert_eq!(
            &text[data.get("a").unwrap().span.range()],
            "\"optional, defaults\n  to false.\""
        );
        assert_eq!(&text[data.get("d").unwrap().span.range()], "3");
        // Less indented still, as PyYAML reads it too; a document marker
        // inside the quotes still ends the scalar in error.
        assert_eq!(
            load("data:\n  a: \"x\ny\"\n", Dialect::Yaml11)[0]["data"]["a"],
            "x y"
        );
        let text = "data:\n  a: \"x\n---\ny\"\n";
        assert!(parse_stream(text, 0, Dialect::Yaml11, Limits::default()).is_err());
    }

    /// Each such string costs a parse of the file: past 64, the next one is
    /// the error it always was.
    #[test]
    fn strings_read_past_their_indentation_are_bounded() {
        let entry = |n: usize| format!("  k{n}: \"a\n  b\"\n");
        let text: String = std::iter::once("data:\n".to_string())
            .chain((0..MAX_RELAXED_SCALARS).map(entry))
            .collect();
        assert_eq!(load(&text, Dialect::Yaml11)[0]["data"]["k63"], "a b");
        let over = format!("{text}{}", entry(MAX_RELAXED_SCALARS));
        let err = parse_stream(&over, 0, Dialect::Yaml11, Limits::default()).unwrap_err();
        assert_eq!(err.message, "invalid indentation in quoted scalar");
        assert_eq!(err.offset, text.len() + "  k64: ".len());
    }

    #[test]
    fn syntax_errors_carry_an_offset() {
        let text = "a: [1, 2\nb: 3\n";
        let err = parse_stream(text, 0, Dialect::Yaml11, Limits::default()).unwrap_err();
        assert!(err.offset > 0);
    }

    #[test]
    fn alias_bombs_of_text_are_refused() {
        // Two nodes per alias, but a megabyte each: 10 000 aliases would be
        // ten gigabytes.
        let text = format!(
            "big: &big {}\ncopies: [{}]\n",
            "x".repeat(1024 * 1024),
            vec!["*big"; 10_000].join(", ")
        );
        let err = parse_stream(&text, 0, Dialect::Yaml11, Limits::default()).unwrap_err();
        assert!(err.message.contains("bytes of text"), "{}", err.message);
        // A few copies of a large value are fine.
        let text = format!(
            "big: &big {}\ncopies: [*big, *big]\n",
            "x".repeat(1024 * 1024)
        );
        assert!(parse_stream(&text, 0, Dialect::Yaml11, Limits::default()).is_ok());
    }

    #[test]
    fn flow_nesting_past_the_scanner_limit_is_named_as_nesting() {
        let text = format!("a: {}{}", "[".repeat(300), "]".repeat(300));
        let err = parse_stream(&text, 0, Dialect::Yaml11, Limits::default()).unwrap_err();
        assert!(
            err.message.contains("deeper than 255 levels"),
            "{}",
            err.message
        );
        assert_eq!(err.offset, 3 + 255);
        // Block nesting has no scanner limit: the configured one applies.
        let text = format!("{}x\n", "- ".repeat(50));
        let err = parse_stream(&text, 0, Dialect::Yaml11, Limits::with_depth(10)).unwrap_err();
        assert!(
            err.message.contains("deeper than 10 levels"),
            "{}",
            err.message
        );
        assert!(parse_stream(&text, 0, Dialect::Yaml11, Limits::with_depth(50)).is_ok());
    }
}
