//! Static pickle opcode walker. STUB: being implemented.
use super::{ParseError, ParseResult};
use serde::Serialize;

/// How an imported global is classified against the allow and deny lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "class", rename_all = "kebab-case")]
pub enum GlobalSafety {
    /// On the allow list (torch rebuild helpers, OrderedDict, numpy reconstruct …).
    Safe,
    /// On the deny list, or an unresolvable import; `reason` says why in a few words.
    Dangerous { reason: String },
    /// On neither list: cannot be verified.
    Unknown,
}

/// One global a pickle stream imports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ImportedGlobal {
    pub module: String,
    pub name: String,
    /// `GLOBAL`, `STACK_GLOBAL`, `INST` or `EXT`.
    pub opcode: &'static str,
    /// Byte offset of the opcode in the stream.
    pub offset: u64,
    /// Index of the stream in the file (0 for the first pickle).
    pub stream: usize,
    pub safety: GlobalSafety,
}

/// What the walker learned from every pickle stream in one file or zip entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PickleScan {
    pub streams: usize,
    pub protocol: Option<u8>,
    pub opcodes: u64,
    pub globals: Vec<ImportedGlobal>,
    /// Calls of imported callables (REDUCE, OBJ, NEWOBJ, NEWOBJ_EX, BUILD) counted.
    pub calls: u64,
}

impl PickleScan {
    pub fn dangerous(&self) -> impl Iterator<Item = &ImportedGlobal> {
        self.globals.iter().filter(|g| matches!(g.safety, GlobalSafety::Dangerous { .. }))
    }
    pub fn unknown(&self) -> impl Iterator<Item = &ImportedGlobal> {
        self.globals.iter().filter(|g| g.safety == GlobalSafety::Unknown)
    }
}

/// Walk every pickle stream in `bytes` (a plain pickle file, or one zip entry).
pub fn scan(_bytes: &[u8]) -> ParseResult<PickleScan> {
    Err(ParseError::new("pickle walker not implemented yet"))
}

/// Classify one imported global.
pub fn classify(_module: &str, _name: &str) -> GlobalSafety {
    GlobalSafety::Unknown
}
