//! Checks the fuzz targets share: whatever the input, every span a parser
//! hands on lies inside its file, on character boundaries, so findings
//! point at real text.

use std::sync::Arc;

use clause::document::{Children, Document, Node, NodeData, SpanTree};
use clause::source::{SourceFile, Span};

pub fn check_span(span: Span, files: &[Arc<SourceFile>]) {
    let file = files
        .get(span.file as usize)
        .unwrap_or_else(|| panic!("span {span:?} names file {} of {}", span.file, files.len()));
    let text = &file.text;
    assert!(span.start <= span.end, "span {span:?} ends before it starts");
    assert!(
        span.end as usize <= text.len(),
        "span {span:?} ends past the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
        "span {span:?} splits a character"
    );
    let _ = file.line_col(span.start as usize);
    let _ = file.slice(span);
}

pub fn check_tree(tree: &SpanTree, files: &[Arc<SourceFile>]) {
    check_span(tree.span, files);
    for span in tree.key.iter().chain(tree.header.iter()) {
        check_span(*span, files);
    }
    for origin in &tree.origins {
        check_span(origin.span, files);
    }
    match &tree.children {
        Children::None => {}
        Children::Seq(items) => items.iter().for_each(|t| check_tree(t, files)),
        Children::Map(entries) => entries.values().for_each(|t| check_tree(t, files)),
    }
}

pub fn check_document(doc: &Document) {
    check_tree(&doc.spans, &doc.files);
    for resource in &doc.resources {
        let located = doc.spans.locate(&resource.path, &doc.files);
        check_span(located.primary, &doc.files);
    }
}

/// Spans of a parsed YAML node, against the one text it came from.
pub fn check_node(node: &Node, file: &Arc<SourceFile>) {
    let files = std::slice::from_ref(file);
    check_span(node.span, files);
    match &node.data {
        NodeData::Seq(items) => items.iter().for_each(|n| check_node(n, file)),
        NodeData::Map(entries) => {
            for e in entries {
                check_span(e.key_span, files);
                check_node(&e.value, file);
            }
        }
        _ => {}
    }
}
