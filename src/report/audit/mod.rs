//! The audit report (`aibom report`, `--format html|md`): what a legal, privacy or compliance
//! reader needs to answer "what are we allowed to do with these models, and what must we do".
//!
//! `model::build` turns a `ScanResult` into an `AuditReport` — plain data, every fact taken from
//! the inventory, the licence engine's conclusions and the findings, nothing invented — and
//! `html` and `md` render it. Nothing here decides policy: a term is "violated" because a `LIC`
//! rule reported it, "needs review" because a rule or a missing `[project]` fact says so, "met"
//! only when the declared usage settles it.
//!
//! Every string that comes from the scanned repository is escaped by the renderers (a hostile
//! model card must not be able to inject markup). Detected personal data never appears: the
//! privacy section shows counts per type only. The HTML is one self-contained file: inline CSS
//! and SVG, no script, nothing fetched.

pub mod html;
pub mod md;
pub mod model;
mod obligations;
pub mod svg;

use std::io::{self, Write};

use super::{RenderOptions, Reporter};
use crate::scan::ScanResult;

pub use model::{AuditReport, Status, build};

/// The report's sections, in order: anchor and heading. Both renderers use these headings, and
/// the rendering test checks each one is in the printed PDF.
pub const SECTIONS: [(&str, &str); 10] = [
    ("summary", "1. Summary and verdict"),
    ("inventory", "2. Model and data inventory"),
    ("obligations", "3. Licence obligations per model"),
    ("attribution", "4. Attribution to display"),
    ("lineage", "5. Lineage"),
    ("privacy", "6. Personal data and erasure"),
    ("prompts", "7. Prompt changelog coverage"),
    ("tools", "8. Agent tools and their blast radius"),
    ("exceptions", "9. Exceptions and suppressed findings"),
    ("metadata", "10. Scan metadata"),
];

/// The HTML audit report.
pub struct Html;

/// The Markdown audit report.
pub struct Markdown;

impl Reporter for Html {
    fn render(
        &self,
        result: &ScanResult,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let report = build(result, &model::Clock::from_env());
        out.write_all(html::render(&report).as_bytes())
    }
}

impl Reporter for Markdown {
    fn render(
        &self,
        result: &ScanResult,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let report = build(result, &model::Clock::from_env());
        out.write_all(md::render(&report).as_bytes())
    }
}

/// `12.3 MB`, `344 B`.
pub(crate) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// At most `max` characters, with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(human_size(344), "344 B");
        assert_eq!(human_size(12_300_000), "12.3 MB");
    }
}
