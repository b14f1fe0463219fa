//! Croissant JSON-LD dataset metadata (with the RAI extension). STUB.
use super::{ParseError, ParseResult};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Croissant {
    pub name: Option<String>,
    pub license: Vec<String>,
    pub url: Option<String>,
    pub conforms_to: Option<String>,
    /// `rai:personalSensitiveInformation` values.
    pub personal_sensitive_information: Vec<String>,
    /// `distribution[]` content URLs / file names, with sha256 when given.
    pub files: Vec<(String, Option<String>)>,
}

/// True when a JSON value looks like Croissant (`@type` `sc:Dataset` / `schema:Dataset`).
pub fn is_croissant(_value: &serde_json::Value) -> bool {
    false
}

pub fn parse(_text: &str) -> ParseResult<Croissant> {
    Err(ParseError::new("croissant not implemented yet"))
}
