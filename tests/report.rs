//! The audit report (`aibom report --format html|md`): content, self-containment, escaping of
//! hostile repository strings, the lineage layout at scale, and — with Debian's `chromium` and
//! `pdftotext` — the real rendering to PNG and PDF. Under `CI` missing browser tools fail the
//! test; elsewhere it is skipped loudly. `AIBOM_UPDATE_SCREENSHOTS=1` refreshes `docs/report-*.png`
//! and the example reports in `docs/`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aibom::inventory::ComponentKind;
use aibom::report::audit::svg::{self, Graph, GraphEdge, GraphNode, PiiMark};
use aibom::report::audit::{self, SECTIONS, model::Clock};
use aibom::{ScanOptions, ScanResult, scan};
use assert_cmd::cargo::CommandCargoExt;

mod common;

/// 2026-01-01 00:00:00 UTC: reports in tests are reproducible.
const EPOCH: &str = "1767225600";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scan_demo(config: Option<&str>) -> ScanResult {
    // Relative, as a user would type it (the report shows the root as given).
    let mut options = ScanOptions::new("fixtures/demo");
    if let Some(text) = config {
        options.policy = aibom::policy::load_str(text, "aibom.toml", None).expect("valid config");
    }
    scan(options).expect("scan runs")
}

fn clock() -> Clock {
    Clock {
        unix_seconds: EPOCH.parse().unwrap(),
        reproducible: true,
    }
}

fn usage_config() -> String {
    std::fs::read_to_string(root().join("fixtures/report/usage.toml")).unwrap()
}

fn aibom(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("aibom")
        .unwrap()
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap()
}

#[test]
fn markdown_report_of_the_demo_has_every_section_and_the_key_facts() {
    let result = scan_demo(None);
    let md = audit::md::render(&audit::build(&result, &clock()));
    for (_, title) in SECTIONS {
        assert!(
            md.contains(&format!("## {title}\n")),
            "missing section {title}"
        );
    }
    for fact in [
        "Not cleared",
        "support-lora",
        "acme-merge",
        "meta-llama/Llama-3.1-8B",
        "Llama 3.1 Community License Agreement",
        "§2",
        "700 million monthly active users",
        "Built with Llama",
        "Llama 3.1 is licensed under the Llama 3.1 Community License",
        "**needs review**",
        "is not declared; declaring it settles this term",
        "No `[project]` section",
        "2026-01-01 00:00:00 UTC (from SOURCE_DATE_EPOCH)",
        "86 records",
        "2 of 2 prompts",
        "mcp:billing",
        "financial",
    ] {
        assert!(md.contains(fact), "missing {fact:?}");
    }
    // Every finding is listed with its rule code and severity somewhere.
    for f in &result.findings {
        assert!(md.contains(f.code), "finding {} not in the report", f.code);
    }
    // Data the privacy stage did not read (external datasets) is "not scanned", never clean.
    assert!(
        md.contains("| acme/web-corpus-2024 (external) | not scanned |"),
        "{md}"
    );
}

#[test]
fn declared_usage_turns_terms_into_violations_met_terms_and_accepted_findings() {
    let result = scan_demo(Some(&usage_config()));
    let report = audit::build(&result, &clock());
    assert!(report.counts.violated_terms > 0);
    assert!(report.counts.met_terms > 0);
    assert!(report.verdict.sentence.starts_with("Not cleared:"));
    assert!(report.verdict.sentence.contains("licence terms violated"));
    let md = audit::md::render(&report);
    // The adapter is published as "acme-support-8b": Llama 3.1 wants a "Llama" prefix (LIC007).
    assert!(md.contains("LIC007 (warning)"), "{md}");
    assert!(md.contains("| 250000 |") || md.contains("250000"));
    // The exception and what it accepted.
    assert!(md.contains("modeling\\_acme.py reviewed in SEC-1234"));
    assert!(md.contains("accepted (exception: modeling\\_acme.py reviewed in SEC-1234)"));
    assert!(md.contains("payments-oncall"));
    // An obligation's triggers read as words, as in the HTML report.
    assert!(
        md.contains("(required when: redistribute, product contains)"),
        "{md}"
    );
    // Every finding, active or suppressed, is in the report.
    for f in result
        .findings
        .iter()
        .chain(result.suppressed.iter().map(|s| &s.finding))
    {
        assert!(md.contains(f.code), "finding {} not in the report", f.code);
    }
}

#[test]
fn html_report_is_one_self_contained_accessible_file() {
    let out = aibom(&["report", "fixtures/demo", "--no-cache"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<svg") && html.contains("class=\"lineage\""));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert!(html.contains("@media print"));
    let lower = html.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "<img",
        "<link",
        "<iframe",
        "<object",
        "@import",
        " src=",
        "href=\"http",
        "href='http",
        "javascript:",
    ] {
        assert!(
            !lower.contains(forbidden),
            "the report contains {forbidden:?}"
        );
    }
    // CSS and SVG references stay inside the document (`url(#arrow)`).
    for (at, _) in lower.match_indices("url(") {
        assert!(
            lower[at..].starts_with("url(#"),
            "external reference at {at}"
        );
    }
    // Every table has header cells.
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<thead>").count()
    );
    for (anchor, title) in SECTIONS {
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{anchor}");
        assert!(html.contains(title), "{title}");
    }
}

#[test]
fn report_cli_formats_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("audit.md");
    let out = aibom(&[
        "report",
        "fixtures/demo",
        "--no-cache",
        "--output",
        &format!("md={}", md.display()),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "a named output alone writes nothing to stdout"
    );
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .starts_with("# AI model audit")
    );

    let out = aibom(&["report", "fixtures/demo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));

    // `scan` writes the report next to its other outputs, and keeps its exit code.
    let html = dir.path().join("audit.html");
    let out = aibom(&[
        "scan",
        "fixtures/demo",
        "--no-cache",
        "--quiet",
        "--output",
        &format!("html={}", html.display()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("1. Summary and verdict")
    );

    // `--fail-on` makes the report a gate too.
    let out = aibom(&[
        "report",
        "fixtures/demo",
        "--no-cache",
        "--fail-on",
        "error",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

const HOSTILE: &str =
    "<script>alert(1)</script>\"><img src=x onerror=alert(2)>[x](javascript:alert(3))|";

#[test]
fn hostile_repository_strings_are_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("models/evil<img src=y>");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(
        model.join("README.md"),
        format!(
            "---\nlicense: '{h}'\nbase_model: '{h}'\ndatasets:\n  - '{h}'\n---\n# Evil\n",
            h = HOSTILE.replace('\'', "''")
        ),
    )
    .unwrap();
    let header = br#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#;
    let mut weights = (header.len() as u64).to_le_bytes().to_vec();
    weights.extend_from_slice(header);
    weights.extend_from_slice(&[0, 0, 0, 0]);
    std::fs::write(model.join("model.safetensors"), weights).unwrap();
    std::fs::create_dir_all(dir.path().join("prompts")).unwrap();
    std::fs::write(
        dir.path().join("prompts/system.prompt.md"),
        format!(
            "---\nname: '{h}'\nowner: '{h}'\n---\nYou help.\n",
            h = HOSTILE.replace('\'', "''")
        ),
    )
    .unwrap();
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let report = audit::build(&result, &clock());
    let html = audit::html::render(&report);
    let md = audit::md::render(&report);
    assert!(
        html.contains("&lt;script&gt;") || html.contains("&lt;img"),
        "the hostile strings should reach the report, escaped"
    );
    for (name, text) in [("html", &html), ("md", &md)] {
        let lower = text.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{name}: raw script tag");
        assert!(!lower.contains("<img"), "{name}: raw img tag");
        assert!(!lower.contains("href=\"javascript"), "{name}: live link");
        if name == "md" {
            for (at, _) in lower.match_indices("](javascript:") {
                assert!(lower[..at].ends_with('\\'), "md: live link at {at}");
            }
        }
    }
    // Table structure survives a `|` in a value.
    for line in md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("evil"))
    {
        assert!(!line.contains("alert(1)</script>\"&gt;"), "{line}");
    }
}

fn generated_graph(n: usize) -> Graph {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let node = |id: String, kind, external| GraphNode {
        label: format!("{id}-with-a-rather-long-descriptive-name"),
        id,
        kind,
        detail: "llama-3.1".to_owned(),
        external,
        pii: PiiMark::None,
    };
    for i in 0..n / 4 {
        nodes.push(node(
            format!("dataset:data/d{i}"),
            ComponentKind::Dataset,
            false,
        ));
    }
    for i in 0..n / 4 {
        nodes.push(node(
            format!("model:hub/org/base{i}"),
            ComponentKind::Model,
            i % 2 == 0,
        ));
    }
    for i in 0..n / 2 {
        let kind = if i % 3 == 0 {
            ComponentKind::Quantization
        } else {
            ComponentKind::Adapter
        };
        nodes.push(node(format!("adapter:models/a{i}"), kind, false));
        edges.push(GraphEdge {
            parent: format!("model:hub/org/base{}", i % (n / 4)),
            child: format!("adapter:models/a{i}"),
            label: "adapter".to_owned(),
        });
        edges.push(GraphEdge {
            parent: format!("dataset:data/d{}", i % (n / 4)),
            child: format!("adapter:models/a{i}"),
            label: "trained on".to_owned(),
        });
        if i >= 2 && i % 5 == 0 {
            edges.push(GraphEdge {
                parent: format!("adapter:models/a{}", i - 1),
                child: format!("adapter:models/a{i}"),
                label: "quantized".to_owned(),
            });
        }
    }
    nodes[0].pii = PiiMark::Contains;
    Graph { nodes, edges }
}

#[test]
fn lineage_of_40_components_is_deterministic_and_has_no_overlapping_boxes() {
    let graph = generated_graph(40);
    assert_eq!(graph.nodes.len(), 40);
    let layout = svg::layout(&graph);
    assert_eq!(layout.boxes.len(), 40, "every component is drawn once");
    let mut seen: Vec<usize> = layout.boxes.iter().map(|b| b.node).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 40);
    for (i, a) in layout.boxes.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.x + a.w <= layout.width,
            "box {i} leaves the page"
        );
        assert!(a.y >= 0.0 && a.y + a.h <= layout.height);
        for b in &layout.boxes[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    // Layers wrap into rows: no row is wider than the page, so a 20-wide layer has several rows.
    let rows: std::collections::BTreeSet<i64> = layout.boxes.iter().map(|b| b.y as i64).collect();
    assert!(rows.len() >= 6, "{} rows", rows.len());
    // Parents are drawn above what derives from them.
    let y_of = |id: &str| {
        let i = graph.nodes.iter().position(|n| n.id == id).unwrap();
        layout.boxes.iter().find(|b| b.node == i).unwrap().y
    };
    for e in &graph.edges {
        assert!(
            y_of(&e.parent) < y_of(&e.child),
            "{} → {}",
            e.parent,
            e.child
        );
    }
    let svg_a = svg::render(&graph).unwrap();
    assert_eq!(svg_a, svg::render(&graph).unwrap(), "deterministic");
    // Long labels are cut in the box and complete in its title.
    assert!(svg_a.contains("<title>model:hub/org/base0 (external, not in the repository)"));
    assert!(!svg_a.contains(">model:hub/org/base0-with-a-rather-long-descriptive-name<"));
    assert!(svg_a.contains("stroke-dasharray") || svg_a.contains("external"));
    assert!(svg_a.contains(">PII<"));
}

/// `chromium` (Debian) or another Chromium-family browser on PATH.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| -> Option<PathBuf> {
        let path = std::env::var_os("PATH")?;
        names.iter().find_map(|name| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
    };
    let chromium = std::env::var_os("AIBOM_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            find(&[
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ])
        });
    let pdftotext = find(&["pdftotext"]);
    match (chromium, pdftotext) {
        (Some(c), Some(p)) => Some((c, p)),
        (c, p) => {
            let missing = [
                ("chromium", c.is_none()),
                ("pdftotext (poppler-utils)", p.is_none()),
            ]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(" and ");
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but {missing} is missing: run the tests through .ci/run");
            }
            let _ = writeln!(
                std::io::stderr(),
                "\n*** SKIPPED: the audit report rendering test needs {missing} (apt-get install chromium poppler-utils) ***\n"
            );
            None
        }
    }
}

/// Run a command with a deadline (a browser that hangs must not hang the suite).
fn run_with_deadline(cmd: &mut Command, limit: Duration) -> std::process::ExitStatus {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chromium(browser: &Path, profile: &Path, extra: &[String], page: &Path) {
    let status = run_with_deadline(
        Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(format!("file://{}", page.display())),
        Duration::from_secs(120),
    );
    assert!(status.success(), "chromium failed: {status}");
}

fn pdf_text(pdftotext: &Path, pdf: &Path) -> String {
    let out = Command::new(pdftotext).arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    // Table cells wrap words across lines: compare with whitespace folded.
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_and_check(
    tools: &(PathBuf, PathBuf),
    work: &Path,
    name: &str,
    html: &str,
    facts: &[&str],
) -> (PathBuf, String) {
    let page = work.join(format!("{name}.html"));
    std::fs::write(&page, html).unwrap();
    let png = work.join(format!("{name}.png"));
    let pdf = work.join(format!("{name}.pdf"));
    chromium(
        &tools.0,
        &work.join(format!("profile-{name}-png")),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2400".to_owned(),
        ],
        &page,
    );
    chromium(
        &tools.0,
        &work.join(format!("profile-{name}-pdf")),
        &[format!("--print-to-pdf={}", pdf.display())],
        &page,
    );
    let image = std::fs::read(&png).unwrap();
    assert!(
        image.starts_with(b"\x89PNG\r\n\x1a\n") && image.len() > 20_000,
        "{name}: no real PNG"
    );
    let text = pdf_text(&tools.1, &pdf);
    for (_, title) in SECTIONS {
        assert!(
            text.contains(title),
            "{name}: the PDF lacks the heading {title:?}"
        );
    }
    for fact in facts {
        assert!(text.contains(fact), "{name}: the PDF lacks {fact:?}");
    }
    (png, text)
}

#[test]
fn chromium_renders_the_demo_report_to_png_and_pdf() {
    let Some(tools) = browser_tools() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let demo = audit::build(&scan_demo(None), &clock());
    let (demo_png, _) = render_and_check(
        &tools,
        work.path(),
        "demo",
        &audit::html::render(&demo),
        &[
            "Not cleared",
            "support-lora",
            "acme-merge",
            "meta-llama/Llama-3.1-8B",
            "Llama 3.1 Community License Agreement",
            "§1.b.iv",
            "Built with Llama",
            "needs review",
            "Derived from",
        ],
    );
    let usage = audit::build(&scan_demo(Some(&usage_config())), &clock());
    let (usage_png, text) = render_and_check(
        &tools,
        work.path(),
        "usage",
        &audit::html::render(&usage),
        &[
            "licence terms violated",
            "violated",
            "met",
            "accepted",
            "SEC-1234",
        ],
    );
    assert!(
        !text.contains("file://"),
        "no page header or footer with the file path"
    );

    if std::env::var_os("AIBOM_UPDATE_SCREENSHOTS").is_some() {
        let docs = root().join("docs");
        std::fs::copy(&demo_png, docs.join("report-demo.png")).unwrap();
        std::fs::copy(&usage_png, docs.join("report-usage.png")).unwrap();
        std::fs::write(
            docs.join("example-report.html"),
            audit::html::render(&usage),
        )
        .unwrap();
        std::fs::write(docs.join("example-report.md"), audit::md::render(&usage)).unwrap();
    }
    for committed in ["report-demo.png", "report-usage.png"] {
        let path = root().join("docs").join(committed);
        assert!(
            path.is_file(),
            "docs/{committed} is missing: run with AIBOM_UPDATE_SCREENSHOTS=1"
        );
    }
}
