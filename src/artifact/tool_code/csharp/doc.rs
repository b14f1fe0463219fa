//! The description the MCP C# SDK's source generator (`XmlToDescriptionGenerator`, in the
//! ModelContextProtocol.Analyzers package the SDK ships) writes from a tool method's XML
//! documentation comment: the text of its `<summary>`, then on a new line that of its
//! `<remarks>`, each line trimmed, blank lines dropped and the rest joined by spaces.
//!
//! Text is what `XElement.Value` gives: the text of the element and of every element inside
//! it, tags taken off, so `<c>id</c>` is `id` and an empty element (`<see cref="Order"/>`,
//! `<paramref name="id"/>`) is nothing; character and entity references are decoded. A comment
//! that is no well-formed XML gives the generator no description, and none here.

/// The description the SDK generates from the lines of a `///` comment (without the `///`).
pub(super) fn description(xml: &str) -> Option<String> {
    let parts = Parts::of(xml)?;
    let summary = clean(&parts.summary?);
    let remarks = parts.remarks.map(|r| clean(&r)).unwrap_or_default();
    let joined = match (summary.trim().is_empty(), remarks.trim().is_empty()) {
        (_, true) => summary,
        (true, false) => remarks,
        (false, false) => format!("{summary}\n{remarks}"),
    };
    (!joined.trim().is_empty()).then_some(joined)
}

/// The text of the first top-level `<summary>` and `<remarks>` of a comment.
struct Parts {
    summary: Option<String>,
    remarks: Option<String>,
}

/// Which top-level element the text being read goes to.
#[derive(Clone, Copy, PartialEq)]
enum Into {
    Nothing,
    Summary,
    Remarks,
}

impl Parts {
    /// `None` when the comment is no well-formed XML content.
    fn of(xml: &str) -> Option<Parts> {
        let mut parts = Parts {
            summary: None,
            remarks: None,
        };
        let mut open: Vec<&str> = Vec::new();
        let mut into = Into::Nothing;
        let mut rest = xml;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                parts.push(into, &decode(rest)?);
                break;
            };
            parts.push(into, &decode(&rest[..lt])?);
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = &after[after.find("-->")? + 3..];
            } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
                let end = after.find("]]>")?;
                parts.push(into, &after[..end]);
                rest = &after[end + 3..];
            } else if let Some(after) = rest.strip_prefix("<?") {
                rest = &after[after.find("?>")? + 2..];
            } else if let Some(after) = rest.strip_prefix("</") {
                let end = after.find('>')?;
                if open.pop()? != after[..end].trim_end() {
                    return None;
                }
                if open.is_empty() {
                    into = Into::Nothing;
                }
                rest = &after[end + 1..];
            } else {
                let (name, empty, after) = start_tag(&rest[1..])?;
                if !empty {
                    if open.is_empty() {
                        into = match name {
                            "summary" if parts.summary.is_none() => Into::Summary,
                            "remarks" if parts.remarks.is_none() => Into::Remarks,
                            _ => Into::Nothing,
                        };
                        // The first of each is taken, even when it is empty.
                        match into {
                            Into::Summary => parts.summary = Some(String::new()),
                            Into::Remarks => parts.remarks = Some(String::new()),
                            Into::Nothing => {}
                        }
                    }
                    open.push(name);
                }
                rest = after;
            }
        }
        open.is_empty().then_some(parts)
    }

    fn push(&mut self, into: Into, text: &str) {
        let target = match into {
            Into::Summary => self.summary.as_mut(),
            Into::Remarks => self.remarks.as_mut(),
            Into::Nothing => None,
        };
        if let Some(target) = target {
            target.push_str(text);
        }
    }
}

/// A start tag after its `<`: its name, whether it is empty (`/>`) and the text after it;
/// `None` when it is malformed.
fn start_tag(tag: &str) -> Option<(&str, bool, &str)> {
    let name_len = tag
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(tag.len());
    let name = &tag[..name_len];
    let first = name.chars().next()?;
    if !(first.is_alphabetic() || first == '_' || first == ':') {
        return None;
    }
    // Attribute values may hold `>`; a quote opens one only after `=`.
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in tag[name_len..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && previous == '=' => quote = Some(c),
            None if c == '<' => return None,
            None if c == '>' => {
                let at = name_len + i;
                let empty = tag[..at].ends_with('/');
                return Some((name, empty, &tag[at + 1..]));
            }
            None => {}
        }
        if !c.is_whitespace() {
            previous = c;
        }
    }
    None
}

/// Text with its character and entity references decoded; `None` for an undefined entity or
/// a bare `&`.
fn decode(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';')?;
        let entity = &after[..end];
        let decoded = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    entity.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(decoded);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Each line trimmed, blank lines dropped, the rest joined by spaces (`CleanXmlDocText`).
fn clean(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_then_remarks_as_the_generator_writes_them() {
        for (xml, expected) in [
            (
                " <summary>\n Refund an order\n to its card.\n </summary>\n <remarks>Irreversible.</remarks>\n <param name=\"id\">The id</param>\n",
                Some("Refund an order to its card.\nIrreversible."),
            ),
            // Remarks alone describe the tool; blank ones add nothing.
            (
                "<summary> </summary><remarks>Only remarks</remarks>",
                Some("Only remarks"),
            ),
            (
                "<summary>Only summary</summary><remarks>\n</remarks>",
                Some("Only summary"),
            ),
            // No summary or remarks, or empty ones: no description.
            ("<param name=\"id\">The id</param>", None),
            ("<summary></summary>", None),
            ("", None),
        ] {
            assert_eq!(description(xml).as_deref(), expected, "{xml}");
        }
    }

    #[test]
    fn text_is_the_value_of_the_element() {
        let xml = "<summary>Find the <c>Order</c> by id (see <see cref=\"Order\"/>, \
                   <paramref name=\"id\" />) &lt;fast&gt; &amp; &quot;safe&quot; &#65;&#x42;\
                   <![CDATA[ <raw> ]]><!-- hidden --></summary>";
        assert_eq!(
            description(xml).as_deref(),
            Some("Find the Order by id (see , ) <fast> & \"safe\" AB <raw>")
        );
        // Only the first top-level summary counts, not one nested in another element.
        let xml = "<example><summary>Nested</summary></example><summary>Top</summary><summary>Second</summary>";
        assert_eq!(description(xml).as_deref(), Some("Top"));
        // An attribute value may hold `>` and `/`.
        let xml = "<summary>See <a href=\"https://example.com/a>b/\">the docs</a>.</summary>";
        assert_eq!(description(xml).as_deref(), Some("See the docs."));
    }

    #[test]
    fn malformed_xml_gives_nothing() {
        for xml in [
            "<summary>Test with <unclosed tag\n</summary>",
            "<summary>Open",
            "<summary>Crossed <b>tags</summary></b>",
            "<summary>A & B</summary>",
            "<summary>&nbsp;</summary>",
            "<summary>&#xZZ;</summary>",
            "</summary>",
            "<summary>x</summary><!-- open",
            "< summary>x</summary>",
            "<summary>a < b</summary>",
        ] {
            assert_eq!(description(xml), None, "{xml}");
        }
    }
}
