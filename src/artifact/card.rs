//! Model and dataset cards: the YAML front matter of a `README.md`, with the span of every value a
//! finding may point at, and the state of the card's "Personal and Sensitive Information" section.
//!
//! A card is documentation, so a README without front matter (or with a front matter block that is
//! not a mapping) is a card with no metadata rather than an error; only a front matter block that is
//! not valid YAML is an error. This module reads text only: it never follows `license_link`, never
//! renders Markdown and makes no judgement on what it finds.

use super::ParseResult;
use super::text::{self, Spanned, TextSpan};
use serde::Serialize;

/// The state of the card's "Personal and Sensitive Information" section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PiiSection {
    Missing,
    /// Present but empty or a template placeholder (`[More Information Needed]`).
    Placeholder {
        span: TextSpan,
    },
    Present {
        span: TextSpan,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// The front matter as parsed (an object, or null when there is none).
    pub front_matter: serde_json::Value,
    /// The first licence id (`license` is a string, rarely a list).
    pub license: Option<Spanned<String>>,
    /// Every licence id when `license` is a list (one entry when it is a string).
    pub licenses: Vec<Spanned<String>>,
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

impl Card {
    /// Whether the README is a card at all: a Hugging Face card's metadata is its front matter.
    /// A README without any (an example's or a folder's notes) describes nothing the tools read.
    pub fn has_metadata(&self) -> bool {
        self.front_matter.as_object().is_some_and(|m| !m.is_empty())
    }
}

/// Keys that only dataset cards carry.
const DATASET_CARD_KEYS: &[&str] = &[
    "annotations_creators",
    "configs",
    "dataset_info",
    "language_creators",
    "pretty_name",
    "size_categories",
    "source_datasets",
    "task_categories",
    "task_ids",
];

/// Section bodies that are the card template's placeholder text, compared lower-cased with
/// surrounding emphasis and a final full stop removed.
const PLACEHOLDERS: &[&str] = &[
    "[more information needed]",
    "[n/a]",
    "[todo]",
    "more information needed",
    "n/a",
    "none provided",
    "tbd",
    "todo",
];

const PII_HEADING: &str = "personal and sensitive information";

/// Parse a card. A README without front matter is a card with no metadata, not an error; a
/// front matter block that is not valid YAML is an error.
pub fn parse(text: &str) -> ParseResult<Card> {
    let (front_matter, body_start) = match text::front_matter(text) {
        Some((yaml, start)) => {
            let value = text::parse_yaml(yaml)?;
            let body_start = start.saturating_add(yaml.len());
            if value.is_object() {
                (
                    Some(FrontMatter {
                        text,
                        yaml,
                        start,
                        value,
                    }),
                    body_start,
                )
            } else {
                (None, body_start)
            }
        }
        None => (None, 0),
    };
    let body = text.get(body_start..).unwrap_or("");
    let pii_section = pii_section(text, body_start, body);

    let Some(fm) = front_matter else {
        return Ok(Card {
            front_matter: serde_json::Value::Null,
            license: None,
            licenses: Vec::new(),
            license_name: None,
            license_link: None,
            base_model: Vec::new(),
            base_model_relation: None,
            datasets: Vec::new(),
            language: Vec::new(),
            pipeline_tag: None,
            library_name: None,
            tags: Vec::new(),
            is_dataset_card: false,
            pii_section,
        });
    };

    let licenses = fm.spanned_strings("license");
    Ok(Card {
        license: licenses.first().cloned(),
        licenses,
        license_name: fm.spanned_string("license_name"),
        license_link: fm.spanned_string("license_link"),
        base_model: fm.spanned_strings("base_model"),
        base_model_relation: fm.spanned_string("base_model_relation"),
        datasets: fm.spanned_strings("datasets"),
        language: text::strings_at(&fm.value, "language"),
        pipeline_tag: text::str_at(&fm.value, "pipeline_tag").map(str::to_owned),
        library_name: text::str_at(&fm.value, "library_name").map(str::to_owned),
        tags: text::strings_at(&fm.value, "tags"),
        is_dataset_card: DATASET_CARD_KEYS.iter().any(|k| fm.value.get(k).is_some()),
        pii_section,
        front_matter: fm.value,
    })
}

/// The parsed front matter with what is needed to turn its positions into file positions.
struct FrontMatter<'a> {
    text: &'a str,
    yaml: &'a str,
    start: usize,
    value: serde_json::Value,
}

impl FrontMatter<'_> {
    fn spanned_string(&self, key: &str) -> Option<Spanned<String>> {
        let value = text::str_at(&self.value, key)?;
        let block = top_level_block(self.yaml, key);
        let span = block.map(|(key_at, key_len, end)| {
            let value_at = find_token(self.yaml, value, key_at + key_len, end);
            self.file_span(
                value_at.unwrap_or(key_at),
                value_at.map_or(key_len, |_| value.len()),
            )
        });
        Some(Spanned::new(value.to_owned(), span))
    }

    fn spanned_strings(&self, key: &str) -> Vec<Spanned<String>> {
        let values = text::strings_at(&self.value, key);
        let block = top_level_block(self.yaml, key);
        let mut cursor = block.map(|(key_at, key_len, _)| key_at + key_len);
        values
            .into_iter()
            .map(|value| {
                let span = match (block, cursor) {
                    (Some((key_at, key_len, end)), Some(from)) => {
                        match find_token(self.yaml, &value, from, end) {
                            Some(at) => {
                                cursor = Some(at + value.len());
                                Some(self.file_span(at, value.len()))
                            }
                            None => Some(self.file_span(key_at, key_len)),
                        }
                    }
                    _ => None,
                };
                Spanned::new(value, span)
            })
            .collect()
    }

    fn file_span(&self, offset_in_yaml: usize, len: usize) -> TextSpan {
        TextSpan::at(self.text, self.start.saturating_add(offset_in_yaml), len)
    }
}

/// A top-level key of a YAML mapping: its offset, length, and where its block ends (the next line
/// that starts at column 0 with something other than a list item, comment or blank).
fn top_level_block(yaml: &str, key: &str) -> Option<(usize, usize, usize)> {
    let mut offset = 0;
    let mut found: Option<(usize, usize)> = None;
    for line in yaml.split_inclusive('\n') {
        let starts_block = !line.starts_with([' ', '\t', '-', '#', '\n', '\r']);
        if let Some((at, len)) = found
            && starts_block
        {
            return Some((at, len, offset));
        }
        if found.is_none() && starts_block {
            let bare = line.strip_prefix(key).map(|rest| (rest, key.len()));
            let quoted = ['"', '\''].iter().find_map(|q| {
                let rest = line.strip_prefix(*q)?.strip_prefix(key)?.strip_prefix(*q)?;
                Some((rest, key.len() + 2))
            });
            if let Some((rest, len)) = bare.or(quoted)
                && rest.trim_start_matches([' ', '\t']).starts_with(':')
            {
                found = Some((offset, len));
            }
        }
        offset += line.len();
    }
    found.map(|(at, len)| (at, len, yaml.len()))
}

/// The first occurrence of `token` in `text[from..end]` that is not part of a longer token (a
/// neighbouring letter, digit, `-`, `_`, `.` or `/`). Shared with the training-config parser.
pub(crate) fn find_token(text: &str, token: &str, from: usize, end: usize) -> Option<usize> {
    if token.is_empty() {
        return None;
    }
    let hay = text.as_bytes().get(from..end.min(text.len()))?;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/');
    memchr::memmem::find_iter(hay, token.as_bytes())
        .find(|&i| {
            let before_ok = i == 0 || hay.get(i - 1).is_none_or(|&b| !is_word(b));
            let after_ok = hay.get(i + token.len()).is_none_or(|&b| !is_word(b));
            before_ok && after_ok
        })
        .map(|i| from + i)
}

/// Find the "Personal and Sensitive Information" heading in the Markdown body (which starts at
/// byte `body_start` of `text`) and classify its section.
fn pii_section(text: &str, body_start: usize, body: &str) -> PiiSection {
    let mut in_fence: Option<&str> = None;
    let mut section: Option<(usize, TextSpan)> = None;
    let mut content = String::new();
    let mut offset = body_start;
    for line in body.split_inclusive('\n') {
        let line_offset = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
            }
            if section.is_some() {
                content.push_str(line);
            }
            continue;
        }
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            in_fence = Some(fence);
            if section.is_some() {
                content.push_str(line);
            }
            continue;
        }
        if let Some((level, heading)) = atx_heading(line) {
            match section {
                Some((open_level, _)) if level <= open_level => break,
                Some(_) => {}
                None if heading.to_lowercase().contains(PII_HEADING) => {
                    let len = line.trim_end().len();
                    section = Some((level, TextSpan::at(text, line_offset, len)));
                    continue;
                }
                None => continue,
            }
        }
        if section.is_some() {
            content.push_str(line);
        }
    }
    match section {
        None => PiiSection::Missing,
        Some((_, span)) if is_placeholder(&content) => PiiSection::Placeholder { span },
        Some((_, span)) => PiiSection::Present { span },
    }
}

/// An ATX heading (`## Title`, up to three spaces of indentation): its level and text.
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = line.get(indent..)?;
    let level = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let after = rest.get(level..)?;
    if !(after.is_empty() || after.starts_with([' ', '\t', '\n', '\r'])) {
        return None;
    }
    Some((level, after.trim().trim_end_matches('#').trim()))
}

/// True when a section body says nothing: blank, HTML comments, or template placeholders.
fn is_placeholder(content: &str) -> bool {
    let mut without_comments = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("<!--") {
        without_comments.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => rest = "",
        }
    }
    without_comments.push_str(rest);
    without_comments.lines().all(|line| {
        let line = line.trim().trim_matches(['*', '_', '`']).trim();
        let line = line.trim_end_matches('.').to_lowercase();
        line.is_empty() || PLACEHOLDERS.contains(&line.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: &TextSpan) -> String {
        text[span.offset..span.offset + span.len].to_owned()
    }

    const MODEL_CARD: &str = "---\n\
license: other\n\
license_name: llama3.1\n\
license_link: LICENSE\n\
base_model:\n\
- meta-llama/Llama-3.1-8B\n\
- org/other-model\n\
base_model_relation: finetune\n\
datasets:\n  - acme/support-chats\n  - \"acme/faq\"\n\
language: [en, de]\n\
pipeline_tag: text-generation\n\
library_name: peft\n\
tags:\n- lora\n- chat\n\
model-index:\n- name: license\n---\n\
# Model\n\nText.\n";

    #[test]
    fn model_card_fields_and_spans() {
        let card = parse(MODEL_CARD).unwrap();
        let license = card.license.clone().unwrap();
        assert_eq!(license.value, "other");
        let span = license.span.unwrap();
        assert_eq!((span.line, span.column), (2, 10));
        assert_eq!(slice(MODEL_CARD, &span), "other");
        assert_eq!(card.licenses.len(), 1);
        assert_eq!(card.license_name.unwrap().value, "llama3.1");
        let link = card.license_link.unwrap();
        assert_eq!(slice(MODEL_CARD, &link.span.unwrap()), "LICENSE");

        let bases: Vec<_> = card.base_model.iter().map(|b| b.value.as_str()).collect();
        assert_eq!(bases, ["meta-llama/Llama-3.1-8B", "org/other-model"]);
        let second = card.base_model[1].span.unwrap();
        assert_eq!(second.line, 7);
        assert_eq!(slice(MODEL_CARD, &second), "org/other-model");
        assert_eq!(card.base_model_relation.unwrap().value, "finetune");

        assert_eq!(card.datasets.len(), 2);
        let faq = card.datasets[1].span.unwrap();
        assert_eq!(faq.line, 11);
        assert_eq!(slice(MODEL_CARD, &faq), "acme/faq");
        assert_eq!(card.language, ["en", "de"]);
        assert_eq!(card.pipeline_tag.as_deref(), Some("text-generation"));
        assert_eq!(card.library_name.as_deref(), Some("peft"));
        assert_eq!(card.tags, ["lora", "chat"]);
        assert!(!card.is_dataset_card);
        assert!(card.front_matter.is_object());
        assert_eq!(card.pii_section, PiiSection::Missing);
    }

    #[test]
    fn base_model_as_string_and_license_as_list() {
        let text = "---\nbase_model: org/base\nlicense:\n- mit\n- apache-2.0\n---\n";
        let card = parse(text).unwrap();
        assert_eq!(card.base_model.len(), 1);
        assert_eq!(card.base_model[0].value, "org/base");
        assert_eq!(slice(text, &card.base_model[0].span.unwrap()), "org/base");
        assert_eq!(card.license.unwrap().value, "mit");
        let ids: Vec<_> = card.licenses.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(ids, ["mit", "apache-2.0"]);
        assert_eq!(card.licenses[1].span.unwrap().line, 5);
    }

    #[test]
    fn non_string_values_are_ignored() {
        let card = parse("---\nlicense: 2.0\nbase_model: [1, org/a]\ntags: 7\n---\n").unwrap();
        assert!(card.license.is_none());
        assert_eq!(card.base_model.len(), 1);
        assert!(card.tags.is_empty());
    }

    #[test]
    fn dataset_card_is_recognised() {
        let text = "---\nlicense: cc-by-4.0\ntask_categories:\n- text-generation\n---\n";
        assert!(parse(text).unwrap().is_dataset_card);
        let text = "---\npretty_name: Chats\n---\n";
        assert!(parse(text).unwrap().is_dataset_card);
    }

    #[test]
    fn readme_without_front_matter_is_an_empty_card() {
        let card = parse("# Just a readme\n\nSome text.\n").unwrap();
        assert!(card.front_matter.is_null());
        assert!(card.license.is_none() && card.base_model.is_empty() && card.tags.is_empty());
        assert_eq!(card.pii_section, PiiSection::Missing);
        let card = parse("").unwrap();
        assert!(card.front_matter.is_null());
    }

    #[test]
    fn scalar_front_matter_is_no_metadata() {
        let card = parse("---\nJust a rule\n---\ntext\n").unwrap();
        assert!(card.front_matter.is_null());
        assert!(card.license.is_none());
    }

    #[test]
    fn invalid_yaml_is_an_error() {
        let err = parse("---\nlicense: [mit\n---\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(parse("---\nkey: : :\n\t- x\n---\n").is_err());
    }

    #[test]
    fn unterminated_front_matter_is_no_metadata() {
        let card = parse("---\nlicense: mit\n").unwrap();
        assert!(card.license.is_none());
    }

    #[test]
    fn pii_section_placeholder() {
        let text = "---\nlicense: mit\n---\n# Dataset\n\n### Personal and Sensitive Information\n\n\
<!-- State whether the dataset contains\nany personal data. -->\n\n[More Information Needed]\n\n\
### Bias\n\nReal text here.\n";
        let card = parse(text).unwrap();
        let PiiSection::Placeholder { span } = card.pii_section else {
            panic!("expected placeholder, got {:?}", card.pii_section);
        };
        assert_eq!(span.line, 6);
        assert_eq!(slice(text, &span), "### Personal and Sensitive Information");
    }

    #[test]
    fn pii_section_empty_and_variants_are_placeholders() {
        for body in [
            "",
            "TODO",
            "N/A.",
            "_More information needed_",
            "<!-- x -->",
        ] {
            let text = format!("## personal and sensitive information\n{body}\n## Next\ntext\n");
            let card = parse(&text).unwrap();
            assert!(
                matches!(card.pii_section, PiiSection::Placeholder { .. }),
                "{body:?} -> {:?}",
                card.pii_section
            );
        }
    }

    #[test]
    fn pii_section_present() {
        let text = "# Card\n## Personal and Sensitive Information\n\
The corpus contains customer e-mail addresses.\n## Next\n";
        let card = parse(text).unwrap();
        let PiiSection::Present { span } = card.pii_section else {
            panic!("expected present, got {:?}", card.pii_section);
        };
        assert_eq!(span.line, 2);
    }

    #[test]
    fn pii_section_includes_subsections_and_stops_at_same_level() {
        let text = "## Personal and Sensitive Information\n### Details\nNames are kept.\n";
        assert!(matches!(
            parse(text).unwrap().pii_section,
            PiiSection::Present { .. }
        ));
        let text = "## Personal and Sensitive Information\n## Other\nNames are kept.\n";
        assert!(matches!(
            parse(text).unwrap().pii_section,
            PiiSection::Placeholder { .. }
        ));
    }

    #[test]
    fn headings_in_code_fences_are_ignored() {
        let text = "```\n# Personal and Sensitive Information\nx\n```\n";
        assert_eq!(parse(text).unwrap().pii_section, PiiSection::Missing);
        let text = "#Personal and Sensitive Information\nnot a heading\n";
        assert_eq!(parse(text).unwrap().pii_section, PiiSection::Missing);
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let inputs = [
            "---\n",
            "---\n---\n",
            "\u{feff}---\nlicense: é\n---\n",
            "---\n'license': \"x\"\n---\n<!-- unterminated",
            "####### deep\n",
            "---\nlicense: &a [*a]\n---\n",
            "# \u{0}\u{1}\n",
        ];
        for input in inputs {
            let _ = parse(input);
        }
        let card = parse("\u{feff}---\nlicense: é\n---\n").unwrap();
        assert_eq!(card.license.unwrap().span.unwrap().line, 2);
    }

    #[test]
    fn quoted_key_span() {
        let text = "---\n\"license\": apache-2.0\n---\n";
        let card = parse(text).unwrap();
        assert_eq!(
            slice(text, &card.license.unwrap().span.unwrap()),
            "apache-2.0"
        );
    }
}
