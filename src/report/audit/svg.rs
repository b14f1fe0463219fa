//! The lineage diagram: a small layered layout drawn as inline SVG, with no renderer or script.
//!
//! Layers run top to bottom by depth: training data, then base models, then what derives from
//! them (fine-tunes, adapters, quantizations, merges), then what derives from those. A layer
//! wider than the page wraps onto more rows, so 40 components stay readable. Within a layer,
//! components are ordered by the mean position of their parents (fewer crossings), then by id,
//! so the same inventory always gives the same picture. Long names are cut; the full name is in
//! each box's `<title>` (a tooltip on screen, read by screen readers).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::truncate;
use crate::inventory::ComponentKind;

/// Personal-data marks on a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiiMark {
    None,
    /// A corpus or dataset that holds personal data (detected or declared).
    Contains,
    /// A model trained on such data, directly or through its bases.
    TrainedOn,
}

#[derive(Debug, Clone)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    pub kind: ComponentKind,
    /// The licence, shown under the name.
    pub detail: String,
    pub external: bool,
    pub pii: PiiMark,
}

/// An arrow from a parent (base model, training data) to what was made from it.
#[derive(Debug, Clone)]
pub struct GraphEdge {
    pub parent: String,
    pub child: String,
    pub label: String,
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// One placed box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub node: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Placed {
    pub fn overlaps(&self, other: &Placed) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<Placed>,
    /// Each layer's heading and its top.
    pub bands: Vec<(String, f64)>,
}

const WIDTH: f64 = 1000.0;
const MARGIN: f64 = 16.0;
const BOX_W: f64 = 178.0;
const BOX_H: f64 = 50.0;
const GAP_X: f64 = 18.0;
const GAP_Y: f64 = 26.0;
const BAND_HEAD: f64 = 24.0;
const BAND_GAP: f64 = 34.0;
const LABEL_CHARS: usize = 24;
const DETAIL_CHARS: usize = 28;

fn band_title(depth: usize) -> String {
    match depth {
        0 => "Training data (corpora and datasets)".to_owned(),
        1 => "Base models".to_owned(),
        2 => "Derived from a base (fine-tunes, adapters, quantizations, merges)".to_owned(),
        n => format!("Derived, generation {}", n - 1),
    }
}

/// Depth of every node: data 0; a model 1 + the deepest model it derives from (cycle-safe).
fn depths(graph: &Graph, index: &BTreeMap<&str, usize>) -> Vec<usize> {
    let mut depth: Vec<usize> = graph
        .nodes
        .iter()
        .map(|n| if n.kind.is_data() { 0 } else { 1 })
        .collect();
    for _ in 0..graph.nodes.len() {
        let mut changed = false;
        for e in &graph.edges {
            let (Some(&p), Some(&c)) = (index.get(e.parent.as_str()), index.get(e.child.as_str()))
            else {
                continue;
            };
            if graph.nodes[c].kind.is_data() || graph.nodes[p].kind.is_data() {
                continue;
            }
            if depth[c] < depth[p] + 1 {
                depth[c] = depth[p] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

/// Place every node.
pub fn layout(graph: &Graph) -> Layout {
    let index: BTreeMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut linked = vec![false; graph.nodes.len()];
    for e in &graph.edges {
        if let (Some(&p), Some(&c)) = (index.get(e.parent.as_str()), index.get(e.child.as_str())) {
            linked[p] = true;
            linked[c] = true;
        }
    }
    // Components with no recorded lineage get a layer of their own, last, so that they do not
    // push related components apart.
    let unlinked_layer = usize::MAX;
    let depth: Vec<usize> = depths(graph, &index)
        .into_iter()
        .zip(&linked)
        .map(|(d, &l)| if l { d } else { unlinked_layer })
        .collect();
    let mut layers: Vec<usize> = depth.clone();
    layers.sort_unstable();
    layers.dedup();
    let per_row = (((WIDTH - 2.0 * MARGIN + GAP_X) / (BOX_W + GAP_X)).floor() as usize).max(1);
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for e in &graph.edges {
        if let (Some(&p), Some(&c)) = (index.get(e.parent.as_str()), index.get(e.child.as_str())) {
            parents[c].push(p);
        }
    }
    let mut center_x: Vec<Option<f64>> = vec![None; graph.nodes.len()];
    let mut out = Layout {
        width: WIDTH,
        ..Layout::default()
    };
    let mut y = MARGIN;
    for d in layers {
        let mut members: Vec<usize> = (0..graph.nodes.len()).filter(|&i| depth[i] == d).collect();
        if members.is_empty() {
            continue;
        }
        let key = |i: usize| -> f64 {
            let xs: Vec<f64> = parents[i].iter().filter_map(|&p| center_x[p]).collect();
            if xs.is_empty() {
                f64::MAX
            } else {
                xs.iter().sum::<f64>() / xs.len() as f64
            }
        };
        members.sort_by(|&a, &b| {
            key(a)
                .total_cmp(&key(b))
                .then_with(|| graph.nodes[a].external.cmp(&graph.nodes[b].external))
                .then_with(|| graph.nodes[a].id.cmp(&graph.nodes[b].id))
        });
        let title = if d == unlinked_layer {
            "No recorded lineage".to_owned()
        } else {
            band_title(d)
        };
        out.bands.push((title, y));
        y += BAND_HEAD;
        for row in members.chunks(per_row) {
            let row_width = row.len() as f64 * BOX_W + (row.len() as f64 - 1.0) * GAP_X;
            let mut x = (WIDTH - row_width) / 2.0;
            for &i in row {
                out.boxes.push(Placed {
                    node: i,
                    x,
                    y,
                    w: BOX_W,
                    h: BOX_H,
                });
                center_x[i] = Some(x + BOX_W / 2.0);
                x += BOX_W + GAP_X;
            }
            y += BOX_H + GAP_Y;
        }
        y += BAND_GAP - GAP_Y;
    }
    out.height = y + MARGIN;
    out
}

/// XML text and attribute escaping.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::report::visible::is_hidden_control(c) && c != '\n' && c != '\t' => {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
    out
}

fn kind_class(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Dataset | ComponentKind::Corpus => "data",
        ComponentKind::Model => "model",
        _ => "derived",
    }
}

/// The diagram as an `<svg>` element, or `None` when there is nothing to draw.
pub fn render(graph: &Graph) -> Option<String> {
    if graph.nodes.is_empty() {
        return None;
    }
    let layout = layout(graph);
    let mut placed: BTreeMap<usize, Placed> = BTreeMap::new();
    for b in &layout.boxes {
        placed.insert(b.node, *b);
    }
    let index: BTreeMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"lineage-title lineage-desc\">\
         <title id=\"lineage-title\">Lineage of models and training data</title>\
         <desc id=\"lineage-desc\">{n} components and {e} relations; arrows point from a parent or training set to what was made from it.</desc>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrowhead\"/></marker></defs>",
        w = layout.width,
        h = layout.height,
        n = graph.nodes.len(),
        e = graph.edges.len(),
    );
    // Layer headings go over the edges (with a white halo), boxes over both.
    let mut headings = String::new();
    for (title, y) in &layout.bands {
        let _ = write!(
            headings,
            "<text class=\"band\" x=\"{MARGIN}\" y=\"{}\">{}</text><line class=\"band-rule\" x1=\"{MARGIN}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
            y + 14.0,
            escape(title),
            WIDTH - MARGIN,
            y + 19.0,
            y + 19.0
        );
    }
    s.push_str("<g class=\"edges\">");
    for e in &graph.edges {
        let (Some(p), Some(c)) = (
            index.get(e.parent.as_str()).and_then(|i| placed.get(i)),
            index.get(e.child.as_str()).and_then(|i| placed.get(i)),
        ) else {
            continue;
        };
        let (x1, y1) = (p.x + p.w / 2.0, p.y + p.h);
        let (x2, y2) = (c.x + c.w / 2.0, c.y - 2.0);
        let bend = ((y2 - y1) / 2.0).max(20.0);
        let class = if e.label == "trained on" {
            "edge trained"
        } else {
            "edge"
        };
        let _ = write!(
            s,
            "<path class=\"{class}\" d=\"M{x1},{y1} C{x1},{} {x2},{} {x2},{y2}\" marker-end=\"url(#arrow)\"><title>{} → {}: {}</title></path>",
            y1 + bend,
            y2 - bend,
            escape(&e.parent),
            escape(&e.child),
            escape(&e.label)
        );
    }
    s.push_str("</g>");
    s.push_str(&headings);
    for b in &layout.boxes {
        let n = &graph.nodes[b.node];
        let mut classes = format!("node {}", kind_class(n.kind));
        if n.external {
            classes.push_str(" external");
        }
        let pii = match n.pii {
            PiiMark::None => "",
            PiiMark::Contains => "; holds personal data",
            PiiMark::TrainedOn => "; trained on personal data",
        };
        let external = if n.external {
            " (external, not in the repository)"
        } else {
            ""
        };
        let _ = write!(
            s,
            "<g class=\"{classes}\"><title>{}{external}: {} · {}{pii}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
            escape(&n.id),
            escape(n.kind.as_str()),
            escape(&n.detail),
            b.x,
            b.y,
            b.w,
            b.h
        );
        let _ = write!(
            s,
            "<text class=\"name\" x=\"{}\" y=\"{}\">{}</text>",
            b.x + 9.0,
            b.y + 20.0,
            escape(&truncate(&n.label, LABEL_CHARS))
        );
        let detail = if n.external {
            format!("external {} · {}", n.kind.as_str(), n.detail)
        } else {
            format!("{} · {}", n.kind.as_str(), n.detail)
        };
        let _ = write!(
            s,
            "<text class=\"detail\" x=\"{}\" y=\"{}\">{}</text>",
            b.x + 9.0,
            b.y + 38.0,
            escape(&truncate(&detail, DETAIL_CHARS))
        );
        match n.pii {
            PiiMark::None => {}
            PiiMark::Contains => {
                let _ = write!(
                    s,
                    "<rect class=\"pii\" x=\"{}\" y=\"{}\" width=\"34\" height=\"16\" rx=\"3\"/><text class=\"pii-text\" x=\"{}\" y=\"{}\">PII</text>",
                    b.x + b.w - 40.0,
                    b.y + 6.0,
                    b.x + b.w - 23.0,
                    b.y + 18.0
                );
            }
            PiiMark::TrainedOn => {
                let _ = write!(
                    s,
                    "<rect class=\"pii-trained\" x=\"{}\" y=\"{}\" width=\"34\" height=\"16\" rx=\"3\"/><text class=\"pii-trained-text\" x=\"{}\" y=\"{}\">PII</text>",
                    b.x + b.w - 40.0,
                    b.y + 6.0,
                    b.x + b.w - 23.0,
                    b.y + 18.0
                );
            }
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, kind: ComponentKind) -> GraphNode {
        GraphNode {
            id: id.to_owned(),
            label: id.to_owned(),
            kind,
            detail: String::new(),
            external: false,
            pii: PiiMark::None,
        }
    }

    #[test]
    fn depth_follows_derivation_and_survives_cycles() {
        let graph = Graph {
            nodes: vec![
                node("d", ComponentKind::Dataset),
                node("base", ComponentKind::Model),
                node("lora", ComponentKind::Adapter),
                node("q", ComponentKind::Quantization),
            ],
            edges: vec![
                GraphEdge {
                    parent: "d".into(),
                    child: "lora".into(),
                    label: "trained on".into(),
                },
                GraphEdge {
                    parent: "base".into(),
                    child: "lora".into(),
                    label: "adapter".into(),
                },
                GraphEdge {
                    parent: "lora".into(),
                    child: "q".into(),
                    label: "quantized".into(),
                },
                GraphEdge {
                    parent: "q".into(),
                    child: "lora".into(),
                    label: "cycle".into(),
                },
            ],
        };
        let index: BTreeMap<&str, usize> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let d = depths(&graph, &index);
        assert_eq!(d[0], 0);
        assert_eq!(d[1], 1);
        assert!(d[2] >= 2 && d[3] >= 2, "{d:?}");
    }

    #[test]
    fn labels_are_escaped_and_cut() {
        let mut n = node("model:<x>", ComponentKind::Model);
        n.label = "<script>alert(1)</script>-a-very-long-model-name".to_owned();
        let svg = render(&Graph {
            nodes: vec![n],
            edges: vec![],
        })
        .unwrap();
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("model:&lt;x&gt;"));
    }
}
