//! The terminal report: the inventory, then findings as miette diagnostics grouped by
//! component (with a source snippet when the finding points into a text artefact), then a
//! summary table.
//!
//! Every string from the scanned repository passes through `visible` before it is written, so
//! that control characters in file names or decoded strings are shown, never obeyed.
//!
//! This reporter reads the text of cards and configs again to show snippets; it never reads
//! binary weights.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use rayon::prelude::*;

use super::audit::human_size;
use super::{Content, RenderOptions, Reporter, visible};
use crate::documents::Documents;
use crate::finding::{Finding, Severity};
use crate::inventory::{Component, ComponentKind, Inventory, RelationKind};
use crate::rules::Family;
use crate::scan::ScanResult;
use crate::suppression::SuppressionKind;

pub struct Human;

impl Reporter for Human {
    fn render(
        &self,
        result: &ScanResult,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if !options.quiet {
            inventory_table(&result.inventory, options, out)?;
        }
        if options.content == Content::Scan {
            findings(result, options, out)?;
            if !options.quiet {
                summary(result, options, out)?;
            }
        }
        Ok(())
    }
}

fn paint(text: &str, code: &str, options: &RenderOptions) -> String {
    if options.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// The licence column: the values the component declares (card, GGUF) as written; with none,
/// the licences the engine identified and where from (`mit (from LICENSE)`, `… edited` for an
/// edited copy of a known text).
fn licences(c: &Component) -> String {
    let mut values: Vec<&str> = c
        .declared_licenses
        .iter()
        .map(|l| l.value.as_str())
        .collect();
    values.sort();
    values.dedup();
    if values.is_empty() {
        identified_licences(c).unwrap_or_else(|| "-".to_owned())
    } else {
        values.join(", ")
    }
}

fn identified_licences(c: &Component) -> Option<String> {
    let concluded = c.concluded_license.as_ref()?;
    if concluded.licenses.is_empty() {
        return None;
    }
    // The conclusion is the strongest evidence that names a licence.
    let strongest = concluded.evidence.iter().find(|e| !e.licenses.is_empty())?;
    let from = match (strongest.source.as_str(), strongest.path.as_deref()) {
        ("clarify", _) => "clarify".to_owned(),
        (source, Some(path))
            if source.ends_with("licence file") || source.ends_with("licence notice") =>
        {
            path.rsplit('/').next().unwrap_or(path).to_owned()
        }
        (source, _) => source.to_owned(),
    };
    let state = match concluded.status {
        "modified" => ", edited",
        "conflicting" => ", conflicting",
        _ => "",
    };
    Some(format!(
        "{} (from {from}{state})",
        concluded.licenses.join(", ")
    ))
}

fn inventory_table(
    inv: &Inventory,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let local: Vec<&Component> = inv.components.values().filter(|c| !c.external).collect();
    writeln!(
        out,
        "{}",
        paint(
            &format!("Inventory: {} components", local.len()),
            "1",
            options
        )
    )?;
    let rows: Vec<[String; 6]> = local
        .iter()
        .map(|c| {
            let hashed = c.files.iter().filter(|f| f.sha256.is_some()).count();
            let hash = match (&c.sha256, hashed) {
                (Some(h), _) => format!("sha256:{}", &h[..12.min(h.len())]),
                (None, 0) => "-".to_owned(),
                (None, k) => format!("{k}/{} files hashed", c.files.len()),
            };
            let is_tool = matches!(c.kind, ComponentKind::Tool | ComponentKind::ToolProvider);
            if is_tool {
                // Agent tools: the tool id where it is defined, and the inferred tier.
                let tier = c.properties.get("inferred_tier").and_then(|t| t.as_str());
                return [
                    c.kind.as_str().to_owned(),
                    match &c.path {
                        Some(path) => format!("{} ({path})", c.name),
                        None => c.name.clone(),
                    },
                    tier.map_or_else(|| "-".to_owned(), |t| format!("tier {t}")),
                    "-".to_owned(),
                    "-".to_owned(),
                    "-".to_owned(),
                ];
            }
            [
                c.kind.as_str().to_owned(),
                c.path.clone().unwrap_or_else(|| c.name.clone()),
                c.format.clone().unwrap_or_else(|| "-".to_owned()),
                c.size.map(human_size).unwrap_or_else(|| "-".to_owned()),
                hash,
                licences(c),
            ]
        })
        .map(|row: [String; 6]| row.map(|cell| visible::line(&cell).into_owned()))
        .collect();
    // The licence, of any length, comes last so that every other column lines up.
    let header = ["KIND", "PATH", "FORMAT", "SIZE", "HASH", "LICENCE"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        format!(
            "  {:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {:<w4$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4]
        )
    };
    writeln!(out, "{}", paint(&line(header), "2", options))?;
    for row in &rows {
        writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    let lineage: Vec<_> = inv
        .relations
        .iter()
        .filter(|r| r.kind != RelationKind::LicensedBy)
        .collect();
    if !lineage.is_empty() {
        writeln!(out, "\n{}", paint("Lineage:", "1", options))?;
        for r in lineage {
            let verb = match (r.kind, r.relation.as_deref()) {
                (RelationKind::DerivedFrom, Some(rel)) => format!("derived from ({rel})"),
                (RelationKind::DerivedFrom, None) => "derived from".to_owned(),
                (RelationKind::TrainedOn, _) => "trained on".to_owned(),
                (RelationKind::LicensedBy, _) => "licensed by".to_owned(),
                (RelationKind::UsesPrompt, _) => "uses prompt".to_owned(),
                (RelationKind::ProvidesTool, _) => "provides tool".to_owned(),
            };
            let external = inv.component(&r.to).is_some_and(|c| c.external);
            let to = if external {
                format!("{} (external)", r.to)
            } else {
                r.to.clone()
            };
            let line = format!("  {}  {verb}  {to}", r.from);
            writeln!(out, "{}", visible::line(&line))?;
        }
    }
    writeln!(out)
}

/// A finding as a miette diagnostic. Every text from the scanned repository in it (message,
/// help, subject, path, quoted file) is already made visible (`visible`).
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    message: String,
    help: Option<String>,
    label: Option<LabeledSpan>,
    source: Option<NamedSource<Arc<str>>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, quoted: Option<(&str, &str)>) -> Self {
        let help = finding.help.as_deref().map(visible::lines);
        let location = finding.location.as_ref();
        let path = location.map(|l| visible::line(&l.path));
        let help = match (help, path, quoted) {
            (help, _, Some(_)) => help.map(|h| h.into_owned()),
            (Some(help), Some(path), None) => Some(format!("{help}\nat {path}")),
            (None, Some(path), None) => Some(format!("at {path}")),
            (help, None, None) => help.map(|h| h.into_owned()),
        };
        let mut label = None;
        let source = quoted.map(|(path, text)| {
            let (text, offsets) = visible::lines_with_offsets(text);
            if let Some(span) = location.and_then(|l| l.span) {
                let start = offsets.map(span.offset);
                let end = offsets.map(span.offset + span.len);
                label = Some(LabeledSpan::new(
                    Some(visible::line(&finding.subject).into_owned()),
                    start,
                    (end - start).max(1),
                ));
            }
            NamedSource::new(visible::line(path), Arc::from(text.as_ref()))
        });
        FindingDiagnostic {
            finding,
            message: visible::line(&finding.message).into_owned(),
            help,
            label,
            source,
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}/{}",
            self.finding.code, self.finding.rule
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self.label.clone()?;
        Some(Box::new(std::iter::once(label)))
    }
}

/// The text of a file a finding points into, as the scan saw it: after `--staged`, lines and
/// columns point into the staged content.
fn quoted_text(result: &ScanResult, path: &str) -> Option<String> {
    let bytes = match result.documents {
        Documents::WorkTree => std::fs::read(result.root.join(path)).ok()?,
        Documents::Index => result
            .documents
            .read(&result.root, path, crate::artifact::limits::TEXT_BYTES)
            .ok()?,
    };
    String::from_utf8(bytes).ok()
}

fn findings(result: &ScanResult, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    findings_in_batches(result, options, out, RENDER_BATCH)
}

fn findings_in_batches(
    result: &ScanResult,
    options: &RenderOptions,
    out: &mut dyn Write,
    batch_size: usize,
) -> io::Result<()> {
    if result.findings.is_empty() {
        return writeln!(out, "{}\n", paint("No findings.", "32", options));
    }
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &result.findings {
        groups
            .entry(f.component.as_deref().unwrap_or(""))
            .or_default()
            .push(f);
    }
    // Each quoted file is read once and shared, however many findings point into it.
    let quoted: BTreeSet<&str> = result
        .findings
        .iter()
        .filter_map(|f| quoted_path(result, f))
        .collect();
    let texts: BTreeMap<&str, Arc<str>> = quoted
        .into_par_iter()
        .filter_map(|path| Some((path, quoted_text(result, path)?.into())))
        .collect();
    // Findings are laid out on the scan's threads a batch at a time (a few thousand diagnostics
    // take milliseconds to wrap), then written in order; a batch bounds the text held at once.
    let ordered: Vec<(&str, &Finding)> = groups
        .iter()
        .flat_map(|(component, group)| group.iter().map(|f| (*component, *f)))
        .collect();
    for (i, batch) in ordered.chunks(batch_size.max(1)).enumerate() {
        let rendered: Vec<String> = batch
            .par_iter()
            .map(|(_, finding)| render_finding(&handler, finding, result, &texts))
            .collect();
        for (j, ((component, _), text)) in batch.iter().zip(rendered).enumerate() {
            let at = i * batch_size.max(1) + j;
            let before = at.checked_sub(1).and_then(|k| ordered.get(k));
            if before.is_none_or(|(previous, _)| previous != component) {
                let title = if component.is_empty() {
                    "repository"
                } else {
                    component
                };
                let title = visible::line(title);
                writeln!(out, "{}", paint(&format!("── {title} "), "1", options))?;
            }
            out.write_all(text.as_bytes())?;
            if ordered
                .get(at + 1)
                .is_none_or(|(next, _)| next != component)
            {
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

/// Findings laid out together before they are written.
const RENDER_BATCH: usize = 512;

/// The file a finding's snippet quotes: its location, when it points at a span in a file that
/// holds no literal secret (such a file is never quoted).
fn quoted_path<'a>(result: &ScanResult, finding: &'a Finding) -> Option<&'a str> {
    let location = finding.location.as_ref().filter(|l| l.span.is_some())?;
    (!crate::agent::holds_literal_secret(&result.inventory, &location.path))
        .then_some(location.path.as_str())
}

fn render_finding(
    handler: &GraphicalReportHandler,
    finding: &Finding,
    result: &ScanResult,
    texts: &BTreeMap<&str, Arc<str>>,
) -> String {
    let quoted =
        quoted_path(result, finding).and_then(|path| Some((path, texts.get(path)?.as_ref())));
    let diagnostic = FindingDiagnostic::new(finding, quoted);
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &diagnostic).is_err() {
        rendered = format!(
            "{}[{}] {}\n",
            finding.severity.as_str(),
            finding.code,
            diagnostic.message
        );
    }
    rendered
}

fn summary(result: &ScanResult, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let count = |s: Severity| result.findings.iter().filter(|f| f.severity == s).count();
    let inv = &result.inventory;
    writeln!(out, "{}", paint("Summary", "1", options))?;
    let kinds = [
        ComponentKind::Model,
        ComponentKind::Adapter,
        ComponentKind::Quantization,
        ComponentKind::Merge,
        ComponentKind::Dataset,
        ComponentKind::Corpus,
        ComponentKind::Prompt,
        ComponentKind::ToolProvider,
        ComponentKind::Tool,
        ComponentKind::LicenceDocument,
    ];
    let parts: Vec<String> = kinds
        .iter()
        .map(|&k| {
            (
                k,
                inv.components
                    .values()
                    .filter(|c| c.kind == k && !c.external)
                    .count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    let external = inv.components.values().filter(|c| c.external).count();
    writeln!(
        out,
        "  components  {} ({} external references)",
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        },
        external
    )?;
    writeln!(
        out,
        "  findings    {} error, {} warning, {} note",
        paint(&count(Severity::Error).to_string(), "31", options),
        paint(&count(Severity::Warning).to_string(), "33", options),
        count(Severity::Note)
    )?;
    if !result.suppressed.is_empty() {
        let by = |k: SuppressionKind| {
            result
                .suppressed
                .iter()
                .filter(|s| s.suppression.kind == k)
                .count()
        };
        writeln!(
            out,
            "  suppressed  {} by exceptions, {} by the baseline (not counted above)",
            by(SuppressionKind::Exception),
            by(SuppressionKind::Baseline)
        )?;
    }
    let s = &result.stats;
    writeln!(
        out,
        "  files       {} walked, {} artefacts; hashes: {} computed ({}), {} from cache, {} free (LFS pointers, Hugging Face cache blob names)",
        s.files_walked,
        s.artifacts,
        s.hashes_computed,
        human_size(s.bytes_hashed),
        s.hashes_from_cache,
        s.hashes_free
    )?;
    if s.corpus_stats_from_cache > 0 || s.pii_from_cache > 0 {
        writeln!(
            out,
            "  cache       corpus files unchanged since the last scan: {} statistics, {} personal-data reports reused",
            s.corpus_stats_from_cache, s.pii_from_cache
        )?;
    }
    let (evaluated, not_yet): (Vec<Family>, Vec<Family>) =
        Family::ALL.into_iter().partition(|f| f.is_implemented());
    let names = |families: &[Family]| {
        families
            .iter()
            .map(|f| f.prefix())
            .collect::<Vec<_>>()
            .join(", ")
    };
    write!(out, "  checks      {} evaluated", names(&evaluated))?;
    if not_yet.is_empty() {
        writeln!(out)?;
    } else {
        writeln!(out, "; not in this version: {}", names(&not_yet))?;
    }
    if !result.policy.not_evaluated.is_empty() {
        writeln!(
            out,
            "  config      [{}] accepted but not evaluated by this version",
            visible::line(&result.policy.not_evaluated.join("], ["))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Findings laid out in batches of any size read as when laid out one by one, group
    /// headers and blank lines included, wherever a batch ends inside a group.
    #[test]
    fn batches_do_not_change_the_findings_text() {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let result = crate::scan::scan(crate::scan::ScanOptions::new(&demo)).expect("scan");
        let groups: BTreeSet<&str> = result
            .findings
            .iter()
            .map(|f| f.component.as_deref().unwrap_or(""))
            .collect();
        assert!(
            groups.len() > 2 && result.findings.len() > groups.len(),
            "the demo has groups of several findings"
        );
        let options = RenderOptions {
            content: Content::Scan,
            color: false,
            quiet: false,
        };
        let text = |batch: usize| {
            let mut out = Vec::new();
            findings_in_batches(&result, &options, &mut out, batch).expect("render");
            String::from_utf8(out).expect("utf-8")
        };
        let one_by_one = text(1);
        let headers = one_by_one.lines().filter(|l| l.starts_with("── ")).count();
        assert_eq!(headers, groups.len());
        for batch in [2, 3, 7, RENDER_BATCH] {
            assert_eq!(text(batch), one_by_one, "batches of {batch}");
        }
    }
}
