//! Model and dataset cards: YAML front matter of a `README.md`, with spans. STUB.
use super::text::{Spanned, TextSpan};
use super::{ParseError, ParseResult};
use serde::Serialize;

/// The state of the card's "Personal and Sensitive Information" section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PiiSection {
    Missing,
    /// Present but empty or a template placeholder (`[More Information Needed]`).
    Placeholder { span: TextSpan },
    Present { span: TextSpan },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// The front matter as parsed (an object, or null when there is none).
    pub front_matter: serde_json::Value,
    pub license: Option<Spanned<String>>,
    pub license_name: Option<Spanned<String>>,
    pub license_link: Option<Spanned<String>>,
    /// `base_model`, a string or a list.
    pub base_model: Vec<Spanned<String>>,
    pub base_model_relation: Option<Spanned<String>>,
    pub datasets: Vec<Spanned<String>>,
    pub language: Vec<String>,
    pub pipeline_tag: Option<String>,
    pub library_name: Option<String>,
    pub tags: Vec<String>,
    /// Dataset-card keys are present (`task_categories`, `size_categories`, `dataset_info`,
    /// `configs`, `annotations_creators`, `source_datasets`, `pretty_name`).
    pub is_dataset_card: bool,
    pub pii_section: PiiSection,
}

/// Parse a card. A README without front matter is a card with no metadata, not an error; a
/// front matter block that is not valid YAML is an error.
pub fn parse(_text: &str) -> ParseResult<Card> {
    Err(ParseError::new("card not implemented yet"))
}
