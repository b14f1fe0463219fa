//! aibom: a static compliance and supply-chain scanner for AI/ML repositories.
//!
//! `scan::scan` walks a repository, parses every AI artefact header-only (never executing or
//! unpickling anything), builds the inventory (`inventory::Inventory`) and runs the rules over
//! it. The command line (`cli`) and the reporters (`report`) sit at the edges.

pub mod agent;
pub mod artifact;
pub mod cache;
pub mod cli;
pub mod detect;
pub mod documents;
pub mod finding;
pub mod git;
pub mod hash;
pub mod init;
pub mod inventory;
pub mod license;
pub mod pattern;
pub mod pii;
pub mod policy;
pub mod privacy;
pub mod report;
pub mod rules;
pub mod scan;
pub mod suppression;
#[cfg(test)]
mod test_support;
pub mod walk;

pub use scan::{ScanOptions, ScanResult, scan};
