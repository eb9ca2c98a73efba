//! Kubernetes manifests: one document per `---` section, with `List` kinds
//! expanded so each item is checked as the API server would store it. The
//! input is the manifest itself, so rule paths read like the API
//! (`spec.template.spec.containers[0].securityContext.privileged`).

use std::sync::Arc;

use crate::document::{Document, Format, Node, NodeData, Resource};
use crate::parse::yaml::YamlDoc;
use crate::source::SourceFile;

/// A mapping with string `apiVersion` and `kind`.
pub fn is_manifest(node: &Node) -> bool {
    let is_text = |key| {
        node.get(key)
            .and_then(Node::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    node.is_map() && is_text("apiVersion") && is_text("kind")
}

pub fn documents(file: &Arc<SourceFile>, docs: Vec<YamlDoc>) -> Vec<Document> {
    let mut out = Vec::new();
    for (index, doc) in docs.into_iter().enumerate() {
        let Some(root) = doc.root else { continue };
        if !is_manifest(&root) {
            continue;
        }
        let unit = format!("{}#{index}", file.display);
        let kind = root.get("kind").and_then(Node::as_str).unwrap_or_default();
        if kind.ends_with("List")
            && let Some(NodeData::Seq(items)) = root.get("items").map(|n| &n.data)
        {
            for (item_index, item) in items.iter().enumerate() {
                if is_manifest(item) {
                    out.push(manifest(
                        file,
                        format!("{unit}.items[{item_index}]"),
                        item.clone(),
                    ));
                }
            }
            continue;
        }
        out.push(manifest(file, unit, root));
    }
    out
}

fn manifest(file: &Arc<SourceFile>, unit: String, mut root: Node) -> Document {
    let kind = root
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_string();
    let metadata = root.get("metadata");
    let text = |key| {
        metadata
            .and_then(|m| m.get(key))
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    let name = text("name")
        .or_else(|| text("generateName"))
        .unwrap_or_else(|| "<unnamed>".into());
    let address = match text("namespace") {
        Some(ns) => format!("{kind}/{ns}/{name}"),
        None => format!("{kind}/{name}"),
    };
    if let Some(entry) = root.entry("kind") {
        root.header = Some(entry.key_span.to(entry.value.span));
    }
    let (input, spans) = root.into_parts();
    Document {
        format: Format::Kubernetes,
        unit,
        files: vec![Arc::clone(file)],
        input,
        spans,
        resources: vec![Resource {
            path: Vec::new(),
            address,
            kind,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml::{Dialect, Limits, parse_stream};

    fn docs(text: &str) -> Vec<Document> {
        let file = SourceFile::shared("k.yaml".into(), "k.yaml".into(), text.into());
        let parsed = parse_stream(text, 0, Dialect::Yaml11, Limits::default()).unwrap();
        documents(&file, parsed)
    }

    #[test]
    fn lists_expand_into_their_items() {
        let found = docs(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a, namespace: x}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        );
        let addresses: Vec<&str> = found
            .iter()
            .map(|d| d.resources[0].address.as_str())
            .collect();
        assert_eq!(addresses, ["Pod/x/a", "Service/b", "ConfigMap/c"]);
        assert_eq!(found[1].unit, "k.yaml#0.items[1]");
    }

    #[test]
    fn the_manifest_itself_points_at_its_kind_line() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n";
        let found = docs(text);
        let located = found[0].spans.locate(&[], &found[0].files);
        assert_eq!(&text[located.primary.range()], "kind: Pod");
    }
}
