//! The licence database: the records embedded at build time, with an organisation's own records
//! (`--license-db DIR`) layered over them, and the look-ups identification needs.
//!
//! It never touches the network and reads only the directory it is given, bounded per file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use sha2::{Digest, Sha256};

use super::record::LicenseRecord;
use super::template::{restore_template, terms_within};
use super::{normalize, word_count};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/license_db.rs"));
}

/// A record file larger than this is refused.
const MAX_RECORD_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("licence database {file}: {message}")]
pub struct LicenseDbError {
    pub file: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct LicenseDb {
    /// Sorted by id.
    records: Vec<Arc<LicenseRecord>>,
    /// Case-folded ids, Hugging Face ids, aliases, SPDX ids and ScanCode keys → index.
    names: BTreeMap<String, usize>,
    /// Every record's fingerprint phrases, looked for in a text in one pass.
    phrases: Arc<Phrases>,
}

/// The fingerprint phrases of all records in one automaton: a licence text is read once,
/// not once per record (a scan of a tree full of licence files spent a tenth of its time
/// searching each text for each record's phrases in turn).
#[derive(Debug, Default)]
struct Phrases {
    /// Every distinct normalised phrase; a phrase's id is its index.
    patterns: Vec<String>,
    /// The automaton, built when a first text is identified (a scan with no licence text does
    /// not pay for it); `None` when no record has a phrase.
    searcher: OnceLock<Option<AhoCorasick>>,
    /// For each record (in the database's order), for each of its fingerprints, the ids of its
    /// normalised phrases; `None` for a fingerprint with an empty phrase, which never matches.
    of: Vec<Vec<Option<Vec<usize>>>>,
}

impl Phrases {
    fn new(records: &[Arc<LicenseRecord>]) -> Phrases {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let of = records
            .iter()
            .map(|r| {
                r.fingerprint
                    .iter()
                    .map(|fp| {
                        // Every record passed `checked`, which normalised its phrases.
                        fp.normalized
                            .iter()
                            .map(|phrase| {
                                (!phrase.is_empty()).then(|| {
                                    *ids.entry(phrase.clone()).or_insert_with_key(|phrase| {
                                        patterns.push(phrase.clone());
                                        patterns.len() - 1
                                    })
                                })
                            })
                            .collect::<Option<Vec<usize>>>()
                    })
                    .collect()
            })
            .collect();
        Phrases {
            patterns,
            searcher: OnceLock::new(),
            of,
        }
    }

    /// Which phrases occur in `text`, by id.
    fn found_in(&self, text: &str) -> Vec<bool> {
        let mut found = vec![false; self.patterns.len()];
        // Phrases are plain normalised text, a few hundred of them: building the automaton
        // cannot fail short of a bug, and then every text is read as matching nothing. The
        // non-contiguous automaton builds in a fraction of the time of the others and reads a
        // licence text's few kilobytes about as fast.
        let searcher = self.searcher.get_or_init(|| {
            (!self.patterns.is_empty())
                .then(|| {
                    AhoCorasick::builder()
                        .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                        .build(&self.patterns)
                        .ok()
                })
                .flatten()
        });
        if let Some(searcher) = searcher {
            let mut left = self.patterns.len();
            for m in searcher.find_overlapping_iter(text) {
                let seen = &mut found[m.pattern().as_usize()];
                if !*seen {
                    *seen = true;
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        found
    }
}

/// How a licence text matched a record.
#[derive(Debug, Clone)]
pub struct TextMatch {
    pub record: Arc<LicenseRecord>,
    /// The text is not the record's canonical text, though a fingerprint matches.
    pub modified: bool,
    /// Words in the text minus words in the canonical text, when the record knows its text.
    pub word_difference: Option<i64>,
    /// The fingerprint is for a notice-only file (`max_words` below the canonical text's words).
    pub notice_only: bool,
}

static EMBEDDED_DB: LazyLock<Result<LicenseDb, LicenseDbError>> = LazyLock::new(|| {
    let mut records = Vec::new();
    for (file, json) in embedded::EMBEDDED {
        records.push(parse_embedded_record(file, json)?);
    }
    LicenseDb::from_records(records, "license-db")
});

impl LicenseDb {
    /// The built-in database. A broken built-in record is a bug the data test catches; it is
    /// still reported, not a panic.
    pub fn embedded() -> Result<LicenseDb, LicenseDbError> {
        EMBEDDED_DB.clone()
    }

    /// The built-in database with the records of `dir` layered over it (same id = override).
    pub fn with_overlay(dir: &Path) -> Result<LicenseDb, LicenseDbError> {
        let mut db = LicenseDb::embedded()?;
        db.layer(dir)?;
        Ok(db)
    }

    /// Only the records of `dir` (tests and fixtures).
    pub fn from_dir(dir: &Path) -> Result<LicenseDb, LicenseDbError> {
        let mut db = LicenseDb::default();
        db.layer(dir)?;
        Ok(db)
    }

    /// Layer the records of `dir` over this database.
    pub fn layer(&mut self, dir: &Path) -> Result<(), LicenseDbError> {
        let shown = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| LicenseDbError {
            file: shown.clone(),
            message: e.to_string(),
        })?;
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
            .collect();
        paths.sort();
        let mut layered = Vec::new();
        for path in paths {
            let file = path.display().to_string();
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            if size > MAX_RECORD_BYTES {
                return Err(LicenseDbError {
                    file,
                    message: format!("{size} bytes is more than the {MAX_RECORD_BYTES} byte limit"),
                });
            }
            let text = std::fs::read_to_string(&path).map_err(|e| LicenseDbError {
                file: file.clone(),
                message: e.to_string(),
            })?;
            layered.push(parse_record(&file, &text)?);
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in &layered {
            if !seen.insert(r.id.clone()) {
                return Err(LicenseDbError {
                    file: shown,
                    message: format!("two records have the id `{}`", r.id),
                });
            }
        }
        let mut all: BTreeMap<String, Arc<LicenseRecord>> = self
            .records
            .iter()
            .map(|r| (r.id.clone(), r.clone()))
            .collect();
        for r in layered {
            all.insert(r.id.clone(), Arc::new(r));
        }
        *self = LicenseDb::from_arcs(all.into_values().collect());
        Ok(())
    }

    fn from_records(
        records: Vec<LicenseRecord>,
        origin: &str,
    ) -> Result<LicenseDb, LicenseDbError> {
        let mut ids = BTreeMap::new();
        for r in &records {
            if ids.insert(r.id.clone(), ()).is_some() {
                return Err(LicenseDbError {
                    file: origin.to_owned(),
                    message: format!("two records have the id `{}`", r.id),
                });
            }
        }
        Ok(LicenseDb::from_arcs(
            records.into_iter().map(Arc::new).collect(),
        ))
    }

    fn from_arcs(mut records: Vec<Arc<LicenseRecord>>) -> LicenseDb {
        records.sort_by(|a, b| a.id.cmp(&b.id));
        let mut names = BTreeMap::new();
        // Weaker names first, so an id always wins over another record's alias.
        for (i, r) in records.iter().enumerate() {
            for name in r.aliases.iter().chain(&r.hf_ids) {
                names.insert(fold(name), i);
            }
            for name in [&r.scancode, &r.spdx] {
                if !name.is_empty() {
                    names.insert(fold(name), i);
                }
            }
        }
        for (i, r) in records.iter().enumerate() {
            names.insert(fold(&r.id), i);
        }
        let phrases = Arc::new(Phrases::new(&records));
        LicenseDb {
            records,
            names,
            phrases,
        }
    }

    pub fn records(&self) -> &[Arc<LicenseRecord>] {
        &self.records
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// A record by its id (case-insensitive).
    pub fn get(&self, id: &str) -> Option<&Arc<LicenseRecord>> {
        let i = self
            .records
            .binary_search_by(|r| r.id.as_str().cmp(id))
            .ok()
            .or_else(|| {
                self.records
                    .iter()
                    .position(|r| r.id.eq_ignore_ascii_case(id))
            })?;
        Some(&self.records[i])
    }

    /// A declared value — an id, a Hugging Face id, an alias (`license_name`, GGUF
    /// `general.license.name`), an SPDX id or a ScanCode key — case-insensitively. A
    /// single-licence SPDX expression written in another case or form goes through the `spdx`
    /// crate.
    pub fn lookup(&self, value: &str) -> Option<&Arc<LicenseRecord>> {
        let folded = fold(value);
        if folded.is_empty() {
            return None;
        }
        if let Some(&i) = self.names.get(&folded) {
            return Some(&self.records[i]);
        }
        let stripped = folded
            .strip_prefix("licenseref-scancode-")
            .unwrap_or(&folded);
        if let Some(r) = self.records.iter().find(|r| {
            fold(&r.scancode)
                .strip_prefix("licenseref-scancode-")
                .is_some_and(|k| k == stripped)
        }) {
            return Some(r);
        }
        let ids = spdx_ids(value);
        if let [only] = ids.as_slice() {
            return self.names.get(&fold(only)).map(|&i| &self.records[i]);
        }
        None
    }

    /// Every record named by an SPDX expression (`apache-2.0 OR mit`), when it is one.
    pub fn lookup_expression(&self, value: &str) -> Vec<&Arc<LicenseRecord>> {
        spdx_ids(value)
            .iter()
            .filter_map(|id| self.names.get(&fold(id)).map(|&i| &self.records[i]))
            .collect()
    }

    /// The one record a URL names: a licence-index page (`choosealicense.com/licenses/<id>`,
    /// `opensource.org/licenses/<id>`, `spdx.org/licenses/<id>.html`) by the id in its path, or
    /// a record's canonical link. `None` when the URL names no record, or several
    /// (`lookup_link_shared` says which): a shared link is never settled by picking one.
    pub fn lookup_link(&self, url: &str) -> Option<&Arc<LicenseRecord>> {
        match self.lookup_link_shared(url).as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// Every record a URL names, by id. Links compare by `link_key`; a longer URL under a
    /// record's link matches, and the longest matching link wins. Publishers put several
    /// licences under one link (TII's Falcon licences and use policies all point at
    /// `falconllm.tii.ae`): then every record tied at that link is returned, the licences only
    /// when use policies share it too (a `license_link` names a licence), and the caller decides
    /// with its other evidence.
    pub fn lookup_link_shared(&self, url: &str) -> Vec<&Arc<LicenseRecord>> {
        let url = link_key(url);
        if url.is_empty() {
            return Vec::new();
        }
        if let Some(r) = self.lookup_index_page(&url) {
            return vec![r];
        }
        let matched: Vec<(usize, &Arc<LicenseRecord>)> = self
            .records
            .iter()
            .filter_map(|r| {
                r.links
                    .iter()
                    .map(|l| link_key(l))
                    .filter(|l| !l.is_empty() && (url == *l || url.starts_with(&format!("{l}/"))))
                    .map(|l| l.len())
                    .max()
                    .map(|len| (len, r))
            })
            .collect();
        let Some(longest) = matched.iter().map(|(len, _)| *len).max() else {
            return Vec::new();
        };
        let mut tied: Vec<&Arc<LicenseRecord>> = matched
            .into_iter()
            .filter(|(len, _)| *len == longest)
            .map(|(_, r)| r)
            .collect();
        if tied.iter().any(|r| r.category != "use-policy") {
            tied.retain(|r| r.category != "use-policy");
        }
        // `records` is sorted by id, and so is `tied`.
        tied
    }

    /// The record a licence-index page names by the last segment of its path (`link_key` form).
    /// OSI writes versions with a dash (`apache-2-0`), which is tried as a dot too.
    fn lookup_index_page(&self, key: &str) -> Option<&Arc<LicenseRecord>> {
        let id = LICENCE_INDEX_PAGES
            .iter()
            .find_map(|prefix| key.strip_prefix(prefix))
            .filter(|id| !id.is_empty() && !id.contains('/'))?;
        self.lookup(id).or_else(|| self.lookup(&dotted_version(id)))
    }

    /// Records whose fingerprints match a normalised text. Several can match (a text that quotes
    /// another licence); the caller decides. Each match says whether the text is the record's
    /// canonical text.
    pub fn identify_text(&self, normalized: &str) -> Vec<TextMatch> {
        let words = word_count(normalized);
        let found = self.phrases.found_in(normalized);
        let mut matches = Vec::new();
        for (r, phrase_ids) in self.records.iter().zip(&self.phrases.of) {
            // As `fingerprint_matches`, with the phrases looked up in `found`.
            let Some((fp, _)) = r.fingerprint.iter().zip(phrase_ids).find(|(fp, ids)| {
                fp.max_words.is_none_or(|max| words <= max)
                    && ids
                        .as_ref()
                        .is_some_and(|ids| !ids.is_empty() && ids.iter().all(|&k| found[k]))
            }) else {
                continue;
            };
            // A size cap the canonical text itself fits under (MIT's, which keeps appended
            // terms out) is not a notice fingerprint: such a text is still compared.
            let notice_only = fp
                .max_words
                .is_some_and(|max| r.text.as_ref().is_none_or(|t| max < t.words));
            let (modified, word_difference) = match &r.text {
                Some(t) if !t.normalized_sha256.is_empty() && !notice_only => {
                    // Filled-in copyright lines and placeholders are not edits, nor is text
                    // outside the terms (an appendix left out, notices worded otherwise).
                    let restored = restore_template(normalized, &t.variable);
                    let same = |text: &str, sha: &str| sha256_hex(text).eq_ignore_ascii_case(sha);
                    let modified = !same(&restored, &t.normalized_sha256)
                        && !t.terms.as_ref().is_some_and(|terms| {
                            terms_within(&restored, terms)
                                .is_some_and(|found| same(&found, &terms.normalized_sha256))
                        });
                    (
                        modified,
                        Some(word_count(&restored) as i64 - t.words as i64),
                    )
                }
                _ => (false, None),
            };
            matches.push(TextMatch {
                record: r.clone(),
                modified,
                word_difference,
                notice_only,
            });
        }
        // Exact texts first, then full texts over notices, then the longest fingerprint.
        matches.sort_by_key(|m| {
            let fp_len: usize = m
                .record
                .fingerprint
                .iter()
                .map(|f| f.all.iter().map(String::len).sum::<usize>())
                .max()
                .unwrap_or(0);
            (
                m.modified,
                m.notice_only,
                std::cmp::Reverse(fp_len),
                m.record.id.clone(),
            )
        });
        matches
    }
}

/// Whether one fingerprint matches: every phrase occurs in the normalised text, and the text is
/// no longer than `max_words` when that is set. The phrase-by-phrase search that
/// [`LicenseDb::identify_text`]'s one pass must agree with, kept for that test.
#[cfg(test)]
fn fingerprint_matches(fp: &super::record::Fingerprint, normalized: &str, words: usize) -> bool {
    let found = |phrase: &str| !phrase.is_empty() && normalized.contains(phrase);
    !fp.all.is_empty()
        && fp.max_words.is_none_or(|max| words <= max)
        && if fp.normalized.len() == fp.all.len() {
            fp.normalized.iter().all(|phrase| found(phrase))
        } else {
            fp.all.iter().all(|phrase| found(&normalize(phrase)))
        }
}

pub fn sha256_hex(text: &str) -> String {
    sha256_bytes_hex(text.as_bytes())
}

pub fn sha256_bytes_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parse one record's TOML text; `file` names it in errors. Public for fuzzing.
pub fn parse_record(file: &str, text: &str) -> Result<LicenseRecord, LicenseDbError> {
    let record: LicenseRecord = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            })
            .unwrap_or_default();
        LicenseDbError {
            file: file.to_owned(),
            message: format!("{}{at}", e.message().trim()),
        }
    })?;
    checked(file, record)
}

/// A built-in record, converted from its TOML file to JSON by the build script (which checked
/// the TOML), checked as [`parse_record`] checks a record.
fn parse_embedded_record(file: &str, json: &str) -> Result<LicenseRecord, LicenseDbError> {
    let record = serde_json::from_str(json).map_err(|e| LicenseDbError {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    checked(file, record)
}

/// A record whose fields parsed: its own checks, and its fingerprints normalised once.
fn checked(file: &str, mut record: LicenseRecord) -> Result<LicenseRecord, LicenseDbError> {
    let problem = if record.id.trim().is_empty() {
        Some("`id` is empty".to_owned())
    } else if record.name.trim().is_empty() {
        Some("`name` is empty".to_owned())
    } else {
        record
            .fingerprint
            .iter()
            .position(|f| f.all.iter().all(|p| normalize(p).is_empty()))
            .map(|i| format!("fingerprint {} has no phrase", i + 1))
    };
    for fp in &mut record.fingerprint {
        fp.normalized = fp.all.iter().map(|p| normalize(p)).collect();
    }
    match problem {
        Some(message) => Err(LicenseDbError {
            file: file.to_owned(),
            message,
        }),
        None => Ok(record),
    }
}

fn fold(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

/// Pages whose path ends in a licence id, as `link_key` writes them. Sorted.
static LICENCE_INDEX_PAGES: &[&str] = &[
    "choosealicense.com/licenses/",
    "opensource.org/license/",
    "opensource.org/licenses/",
    "spdx.org/licenses/",
];

/// Extensions a licence page is also served with (`LICENSE-2.0.txt`, `gpl-3.0.html`). Sorted.
static PAGE_EXTENSIONS: &[&str] = &[".htm", ".html", ".json", ".md", ".txt"];

/// A URL reduced to host and path for comparison: lower case, without scheme, `www.`, query,
/// fragment, trailing `/` or page extension; a Creative Commons deed or legal code page is its
/// licence (`…/licenses/by/4.0/deed.en` and `…/by/4.0/legalcode` → `…/by/4.0`).
fn link_key(url: &str) -> String {
    let url = url.trim().to_ascii_lowercase();
    let url = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(&url);
    let url = url.strip_prefix("www.").unwrap_or(url);
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let mut key = url.trim_end_matches('/');
    if let Some(stem) = PAGE_EXTENSIONS.iter().find_map(|ext| key.strip_suffix(ext)) {
        key = stem;
    }
    if key.starts_with("creativecommons.org/")
        && let Some((licence, page)) = key.rsplit_once('/')
        && (page.starts_with("legalcode") || page.starts_with("deed"))
    {
        key = licence;
    }
    key.to_owned()
}

/// `apache-2-0` → `apache-2.0`: a dash between two digits becomes a dot.
fn dotted_version(id: &str) -> String {
    let bytes = id.as_bytes();
    id.char_indices()
        .map(|(i, c)| {
            let between_digits = i > 0
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                && bytes[i - 1].is_ascii_digit();
            if c == '-' && between_digits { '.' } else { c }
        })
        .collect()
}

/// The SPDX licence ids of an expression, through the `spdx` crate (lax: any case, `/` for OR,
/// imprecise names). Empty when the value is not an SPDX expression.
pub fn spdx_ids(value: &str) -> Vec<String> {
    let Ok(expr) = spdx::Expression::parse_mode(value.trim(), spdx::ParseMode::LAX) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = expr
        .requirements()
        .filter_map(|r| r.req.license.id().map(|id| id.name.to_owned()))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass phrase search matches exactly the records that looking for each record's
    /// phrases in turn matches: on texts made of each fingerprint's phrases, and on the same
    /// texts with one phrase left out.
    #[test]
    fn the_phrase_automaton_agrees_with_searching_each_phrase() {
        let db = LicenseDb::embedded().unwrap();
        let one_by_one = |text: &str| -> Vec<String> {
            let words = word_count(text);
            db.records()
                .iter()
                .filter(|r| {
                    r.fingerprint
                        .iter()
                        .any(|fp| fingerprint_matches(fp, text, words))
                })
                .map(|r| r.id.clone())
                .collect()
        };
        let automaton = |text: &str| -> Vec<String> {
            let mut ids: Vec<String> = db
                .identify_text(text)
                .into_iter()
                .map(|m| m.record.id.clone())
                .collect();
            ids.sort();
            ids
        };
        let mut texts = Vec::new();
        for r in db.records() {
            for fp in &r.fingerprint {
                let phrases: Vec<String> = fp.all.iter().map(|p| normalize(p)).collect();
                texts.push(phrases.join(" filler words "));
                for left_out in 0..phrases.len() {
                    let mut rest = phrases.clone();
                    rest.remove(left_out);
                    texts.push(rest.join(" "));
                }
            }
        }
        assert!(texts.len() > 100, "the database has fingerprints");
        let mut matched = 0;
        for text in &texts {
            let expected = one_by_one(text);
            matched += usize::from(!expected.is_empty());
            assert_eq!(automaton(text), expected, "{text:?}");
        }
        assert!(matched > 50, "most texts match a record: {matched}");
    }

    /// The records built in (converted to JSON by the build script) are the records of
    /// `license-db/` read as TOML, field by field.
    #[test]
    fn the_embedded_records_are_the_toml_files() {
        let embedded = LicenseDb::embedded().unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("license-db");
        let from_toml = LicenseDb::from_dir(&dir).unwrap();
        assert!(embedded.records().len() > 50);
        assert_eq!(embedded.records().len(), from_toml.records().len());
        for (built_in, read) in embedded.records().iter().zip(from_toml.records()) {
            assert_eq!(
                format!("{built_in:#?}"),
                format!("{read:#?}"),
                "{}",
                read.id
            );
        }
    }

    #[test]
    fn static_tables_are_sorted() {
        assert!(LICENCE_INDEX_PAGES.is_sorted());
        assert!(PAGE_EXTENSIONS.is_sorted());
    }

    #[test]
    fn link_keys_ignore_scheme_host_prefix_slash_and_page_form() {
        let key = "creativecommons.org/licenses/by/4.0";
        for url in [
            "https://creativecommons.org/licenses/by/4.0/",
            "http://www.creativecommons.org/licenses/by/4.0",
            "https://creativecommons.org/licenses/by/4.0/legalcode",
            "https://creativecommons.org/licenses/by/4.0/legalcode.en",
            "https://creativecommons.org/licenses/by/4.0/legalcode.txt",
            "https://creativecommons.org/licenses/by/4.0/deed.en",
            "https://creativecommons.org/licenses/by/4.0/deed.fr?lang=fr#top",
        ] {
            assert_eq!(link_key(url), key, "{url}");
        }
        assert_eq!(
            link_key("https://www.apache.org/licenses/LICENSE-2.0.txt"),
            "apache.org/licenses/license-2.0"
        );
        assert_eq!(
            link_key("https://creativecommons.org/licenses/by/3.0/de/"),
            "creativecommons.org/licenses/by/3.0/de",
            "a ported licence keeps its jurisdiction"
        );
        assert_eq!(
            link_key("https://example.com/deed"),
            "example.com/deed",
            "only Creative Commons pages are reduced"
        );
    }

    #[test]
    fn dashed_versions_become_dotted() {
        assert_eq!(dotted_version("apache-2-0"), "apache-2.0");
        assert_eq!(dotted_version("cc-by-4-0"), "cc-by-4.0");
        assert_eq!(dotted_version("bsd-3-clause"), "bsd-3-clause");
        assert_eq!(dotted_version("-1-"), "-1-");
    }
}
