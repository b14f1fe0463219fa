//! `aibom hash-subject`: the keyed hash of a data subject, as the erasure log stores it.
//!
//! Reads the identifier from standard input (so it never lands in shell history or process
//! listings), the key from an environment variable, and prints `hmac:<hex>`. It never echoes the
//! identifier, not even in an error.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct HashSubjectArgs {
    /// The environment variable holding the HMAC key (default: `[privacy] hmac_key_env` of the
    /// config, else AIBOM_ERASURE_KEY).
    #[arg(long, value_name = "NAME")]
    pub key_env: Option<String>,
    /// Config file to read `[privacy] hmac_key_env` from (default: ./aibom.toml, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Identifiers longer than this are not emails or phone numbers.
const MAX_INPUT: u64 = 4096;

pub fn run(args: HashSubjectArgs) -> i32 {
    let key_env = match &args.key_env {
        Some(name) => name.clone(),
        None => {
            let path = args
                .config
                .clone()
                .or_else(|| Some(PathBuf::from("aibom.toml")).filter(|p| p.is_file()));
            match path {
                None => super::manifest::DEFAULT_KEY_ENV.to_owned(),
                Some(path) => match crate::policy::load(&path) {
                    Ok(policy) => policy.privacy.key_env,
                    Err(e) => {
                        eprintln!("{:?}", miette::Report::new(e.visible()));
                        return 2;
                    }
                },
            }
        }
    };
    let key = match std::env::var_os(&key_env) {
        Some(k) if !k.is_empty() => k.to_string_lossy().into_owned(),
        _ => {
            eprintln!(
                "error: the environment variable {key_env} (the erasure-log HMAC key) is not set"
            );
            return 2;
        }
    };
    let mut input = String::new();
    if std::io::stdin()
        .lock()
        .take(MAX_INPUT + 1)
        .read_to_string(&mut input)
        .is_err()
        || input.len() as u64 > MAX_INPUT
    {
        eprintln!(
            "error: standard input must be one email address or phone number (UTF-8, at most {MAX_INPUT} bytes)"
        );
        return 2;
    }
    let Some((_, normalized)) = crate::pii::normalize_subject(input.trim()) else {
        eprintln!(
            "error: standard input is not an email address or a valid phone number (E.164, e.g. +44 20 7946 0123)"
        );
        return 2;
    };
    let hashed = super::subject::hashed(key.as_bytes(), &normalized);
    let _ = writeln!(std::io::stdout().lock(), "{hashed}");
    0
}
