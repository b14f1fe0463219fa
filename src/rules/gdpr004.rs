//! GDPR004: an erasure request not completed within one month (three with an extension).

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct ErasureOverdue;

pub static META: RuleMeta = RuleMeta {
    code: "GDPR004",
    name: "erasure-overdue",
    family: Family::Gdpr,
    default_severity: Severity::Error,
    summary: "An erasure request was not completed within one month of receipt (three with a recorded extension).",
    security: false,
    doc: RuleDoc {
        what: "Reads every erasure log the manifest names and reports each request whose `completed_at` \
               is missing while the deadline has passed (by the scan date), or is later than the deadline. \
               The deadline is `received_at` plus one calendar month (clamped to the month's end), or plus \
               three months when the request records an extension (`\"extended\": true`, or \
               `\"extension_until\"`, which is the deadline when earlier). Subject `request:<request_id>`. \
               This is the ERA-OVERDUE check.",
        why: "GDPR Art. 12(3): the controller must act on a request \"without undue delay and in any event \
              within one month of receipt\", extendable by two further months where necessary, taking into \
              account the complexity and number of requests — and must tell the person about the \
              extension within the first month. Missed deadlines are what supervisory authorities fine.",
        example: "`privacy/erasure-log.jsonl`:\n\n```json\n{\"request_id\":\"E-17\",\"received_at\":\"2025-03-02\",\
                  \"subject\":\"hmac:…\",\"scope\":[\"support-chats\"]}\n```\n\n```\nerror[GDPR004]: erasure request \
                  E-17 (received 2025-03-02) is not completed; it was due by 2025-04-02\n```",
        fix: "Complete the request and record `completed_at`. If the request is complex and the person was \
              told in time, record the extension (`\"extended\": true` or `\"extension_until\"`). A request \
              completed late stays a finding: accept it with an `[[exception]]` whose reason names the \
              incident record.",
    },
};

impl Rule for ErasureOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let facts = &cx.inventory.privacy;
        let Some(today) = facts.today else { return };
        for log in facts.logs.values() {
            for r in &log.requests {
                let due = r.deadline();
                let message = match r.completed_at {
                    None if today > due => format!(
                        "erasure request {} (received {}, line {}) is not completed; it was due by {due}",
                        r.request_id, r.received_at, r.line
                    ),
                    Some(done) if done > due => format!(
                        "erasure request {} (received {}, line {}) was completed on {done}, after its deadline {due}",
                        r.request_id, r.received_at, r.line
                    ),
                    _ => continue,
                };
                out.push(
                    Finding::new(&META, None, format!("request:{}", r.request_id), message)
                        .at(&log.path, None)
                        .with_help("complete the request and record completed_at, or record an extension (extended or extension_until)"),
                );
            }
        }
    }
}
