//! `--online`: the licence of an external parent asked from the Hugging Face Hub — the repository's
//! card metadata (`license`, `license_name`, `license_link`) and its top-level licence files.
//!
//! This is the only code in aibom that uses the network, and only when `--online` is given. It
//! honours `HF_ENDPOINT` (another Hub, a mirror) and `HF_TOKEN` (sent only as a bearer token, never
//! printed). Every response is bounded in size and time; a failed look-up leaves the parent
//! unresolved (`LIC002`), it never stops the scan.

use std::collections::BTreeMap;
use std::time::Duration;

use super::hf_cache::CachedLicence;
use super::is_licence_document;
use crate::inventory::{ComponentKind, Inventory};

/// Bytes read from one response.
const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;
/// Repositories looked up in one scan.
const MAX_LOOKUPS: usize = 200;
const TIMEOUT: Duration = Duration::from_secs(20);

/// Where the Hub is, and the token to send.
#[derive(Clone)]
pub struct Hub {
    pub endpoint: String,
    pub token: Option<String>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("endpoint", &self.endpoint)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Hub {
    /// `HF_ENDPOINT` (default the public Hub) and `HF_TOKEN`.
    pub fn from_env() -> Hub {
        let endpoint = std::env::var("HF_ENDPOINT")
            .ok()
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| "https://huggingface.co".to_owned());
        let token = std::env::var("HF_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty());
        Hub {
            endpoint: endpoint.trim().trim_end_matches('/').to_owned(),
            token,
        }
    }

    fn get(&self, agent: &ureq::Agent, url: &str) -> Option<String> {
        let mut request = agent.get(url);
        if let Some(token) = &self.token {
            request = request.header("Authorization", &format!("Bearer {}", token.trim()));
        }
        let mut response = request.call().ok()?;
        if !response.status().is_success() {
            return None;
        }
        response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .ok()
    }
}

/// A hub id safe to put in a URL path: `org/name` of letters, digits, `-`, `_`, `.`.
fn safe_id(hub: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    match hub.split_once('/') {
        Some((org, name)) => ok(org) && ok(name),
        None => ok(hub),
    }
}

/// Ask the Hub about every external model and dataset not already in `known`.
pub fn resolve(
    inventory: &Inventory,
    hub: &Hub,
    known: &BTreeMap<String, CachedLicence>,
) -> BTreeMap<String, CachedLicence> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(5)
        .build()
        .into();
    let mut out = BTreeMap::new();
    let candidates = inventory
        .components
        .values()
        .filter(|c| c.external && !known.contains_key(&c.id))
        .take(MAX_LOOKUPS);
    for c in candidates {
        let Some(id) = c.hub_id.as_deref().filter(|h| safe_id(h)) else {
            continue;
        };
        let (api, files) = match c.kind {
            k if k.is_model_like() => ("models", ""),
            ComponentKind::Dataset | ComponentKind::Corpus => ("datasets", "datasets/"),
            _ => continue,
        };
        let revision = c.revision.as_deref().filter(|r| safe_id(r));
        let info_url = match revision {
            Some(rev) => format!("{}/api/{api}/{id}/revision/{rev}", hub.endpoint),
            None => format!("{}/api/{api}/{id}", hub.endpoint),
        };
        let Some(info) = hub.get(&agent, &info_url) else {
            continue;
        };
        let Ok(info) = serde_json::from_str::<serde_json::Value>(&info) else {
            continue;
        };
        let sha = info
            .get("sha")
            .and_then(|s| s.as_str())
            .filter(|s| safe_id(s))
            .unwrap_or("main");
        let mut found = CachedLicence {
            origin: format!("{id}@{sha}"),
            ..CachedLicence::default()
        };
        let card = info.get("cardData");
        for (source, key) in [
            ("card license", "license"),
            ("card license_name", "license_name"),
            ("card license_link", "license_link"),
        ] {
            match card.and_then(|c| c.get(key)) {
                Some(serde_json::Value::String(v)) => found.declared.push((source, v.clone())),
                Some(serde_json::Value::Array(values)) => found.declared.extend(
                    values
                        .iter()
                        .filter_map(|v| v.as_str())
                        .map(|v| (source, v.to_owned())),
                ),
                _ => {}
            }
        }
        let names: Vec<&str> = info
            .get("siblings")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("rfilename").and_then(|n| n.as_str()))
            .filter(|n| !n.contains('/') && is_licence_document(n) && safe_id(n))
            .take(8)
            .collect();
        for name in names {
            let url = format!("{}/{files}{id}/resolve/{sha}/{name}", hub.endpoint);
            if let Some(text) = hub.get(&agent, &url) {
                found.texts.push((name.to_owned(), text));
            }
        }
        found.texts.sort();
        out.insert(c.id.clone(), found);
    }
    out
}
