//! Every rule, sorted by code. Codes are public API: a retired code is never reused.

use super::Rule;
use super::{
    bom001, bom002, bom003, bom004, exc001, exc002, exc003, mod001, mod002, mod003, mod004, mod005,
};
use super::{gdpr001, gdpr002, gdpr003, gdpr004, gdpr005, gdpr006, gdpr007};
use super::{
    lic001, lic002, lic003, lic004, lic005, lic006, lic007, lic008, lic009, lic010, lic011,
};
use super::{lin001, lin002, lin003, pii001, pii002, pii003};
use super::{prm001, prm002, prm003};
use super::{tool001, tool002, tool003, tool004, tool005, tool006, tool007, tool008};

pub static RULES: &[&dyn Rule] = &[
    &bom001::ParseFailure,
    &bom002::WeightsWithoutProvenance,
    &bom003::ShardIndexMismatch,
    &bom004::LfsSizeMismatch,
    &exc001::UnusedException,
    &exc002::ExpiredException,
    &exc003::StaleBaselineEntry,
    &gdpr001::NoLegalBasis,
    &gdpr002::RetentionGap,
    &gdpr003::ErasureRecordsMissing,
    &gdpr004::ErasureOverdue,
    &gdpr005::WeightsCannotForget,
    &gdpr006::ErasedSubjectPresent,
    &gdpr007::CardPiiSectionMissing,
    &lic001::NoLicenseFound,
    &lic002::LicenseUnresolved,
    &lic003::LicenseEvidenceConflict,
    &lic004::CommercialUseForbidden,
    &lic005::UsageThresholdExceeded,
    &lic006::AttributionMissing,
    &lic007::DerivativeNamePrefix,
    &lic008::OutputTrainingRestricted,
    &lic009::MorePermissiveThanBase,
    &lic010::NeedsReview,
    &lic011::LicensePolicyViolation,
    &lin001::NoTrainingDataRecord,
    &lin002::CorpusHashDrift,
    &lin003::DanglingCorpusReference,
    &mod001::DangerousPickleGlobal,
    &mod002::UnverifiedPickleGlobal,
    &mod003::KerasCustomCode,
    &mod004::RemoteCodeRequired,
    &mod005::ChatTemplateInternals,
    &pii001::PiiInCorpus,
    &pii002::PiiUndeclared,
    &pii003::TrainedOnPii,
    &prm001::PromptWithoutChangelog,
    &prm002::StalePromptChangelog,
    &prm003::PromptVersionNotBumped,
    &tool001::ToolNotRegistered,
    &tool002::TierBelowInferred,
    &tool003::EntryIncomplete,
    &tool004::EntryUnused,
    &tool005::AutoApprovedHighTier,
    &tool006::LiteralSecret,
    &tool007::UnpinnedServerPackage,
    &tool008::ToolChangeWithPromptEdit,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_and_unique() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn names_are_kebab_case_and_unique() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        for name in &names {
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !name.starts_with('-')
                    && !name.ends_with('-'),
                "{name} is not kebab-case"
            );
        }
        names.sort();
        let len = names.len();
        names.dedup();
        assert_eq!(len, names.len());
    }

    #[test]
    fn every_doc_has_four_parts() {
        for rule in RULES {
            let m = rule.meta();
            for (part, text) in [
                ("what", m.doc.what),
                ("why", m.doc.why),
                ("example", m.doc.example),
                ("fix", m.doc.fix),
            ] {
                assert!(
                    text.trim().len() > 20,
                    "{}: the `{part}` part of the doc is missing or too short",
                    m.code
                );
            }
            assert!(
                m.code
                    .starts_with(&format!("{:?}", m.family).to_ascii_uppercase()),
                "{} is in the wrong family",
                m.code
            );
        }
    }
}
