//! Reporters: one trait, one implementation per output format.
//!
//! Reporters render what the scan found; they never decide anything. Each gets the whole scan
//! result and a writer. Formats that later versions add (SARIF, CycloneDX, SPDX, the audit
//! report) are peers here.

pub mod audit;
mod bom_facts;
pub mod cyclonedx;
pub mod human;
pub mod json;
pub mod sarif;
pub mod spdx;
pub mod visible;

use std::io::{self, Write};

use crate::scan::ScanResult;

/// The output formats this version can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    /// The audit report for legal readers, one self-contained HTML file.
    Html,
    /// The audit report as Markdown.
    Md,
    /// CycloneDX 1.6 JSON (ML-BOM).
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD with the AI and Dataset profiles.
    Spdx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "human" => Some(Format::Human),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "html" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Md),
            "cyclonedx" => Some(Format::Cyclonedx),
            "spdx" => Some(Format::Spdx),
            _ => None,
        }
    }
}

/// What the output should contain: a full scan report, or the bill of materials alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Scan,
    BomOnly,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub content: Content,
    pub color: bool,
    pub quiet: bool,
}

pub trait Reporter {
    fn render(
        &self,
        result: &ScanResult,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()>;
}

/// Writes `value` as pretty JSON and a final line end. The writer behind `out` is not known
/// here, so a buffer of a known type takes serde's many small writes (one per token).
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

pub fn reporter(format: Format) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::Human),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Html => Box::new(audit::Html),
        Format::Md => Box::new(audit::Markdown),
        Format::Cyclonedx => Box::new(cyclonedx::CycloneDx),
        Format::Spdx => Box::new(spdx::Spdx),
    }
}
