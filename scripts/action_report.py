#!/usr/bin/env python3
"""The GitHub Action's report step: turn aibom's SARIF into a job summary, annotations and step
outputs.

Reads only the SARIF file aibom wrote (repository-relative URIs, results sorted by severity,
suppressed results marked), so it needs nothing but the Python standard library.

- Appends a Markdown summary to $GITHUB_STEP_SUMMARY: counts by severity and by rule family, the
  top findings, suppressed counts. Capped below GitHub's 1 MiB per step; rows are dropped (and
  the drop is said) rather than the summary being rejected.
- Prints at most 10 `::error` and 10 `::warning` workflow commands (GitHub shows no more per
  step); the rest are in the summary and in code scanning.
- Writes outputs to $GITHUB_OUTPUT: errors, warnings, notes, total, suppressed, sarif, json.
"""

import argparse
import json
import os
import sys
import urllib.parse

SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024  # GitHub rejects a step summary over 1 MiB
MAX_ANNOTATIONS = 10
TOP_FINDINGS = 50
LEVELS = ("error", "warning", "note")


def escape_data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text):
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def cell(text):
    """A Markdown table cell: one line, pipes escaped, HTML neutralised."""
    text = " ".join(str(text).split())
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")):
        text = text.replace(a, b)
    return text


def location_of(result):
    try:
        physical = result["locations"][0]["physicalLocation"]
    except (KeyError, IndexError, TypeError):
        return None, None, None
    uri = urllib.parse.unquote(physical.get("artifactLocation", {}).get("uri", ""))
    region = physical.get("region", {})
    return uri or None, region.get("startLine"), region.get("startColumn")


def load(path):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    run = log["runs"][0]
    rules = run["tool"]["driver"].get("rules", [])
    results = run.get("results", [])
    return run, rules, results


def family_of(rules, result):
    index = result.get("ruleIndex")
    if isinstance(index, int) and 0 <= index < len(rules):
        tags = rules[index].get("properties", {}).get("tags", [])
        if tags:
            return tags[0].upper()
    return "".join(c for c in result.get("ruleId", "") if c.isalpha()) or "?"


def rule_name(rules, result):
    index = result.get("ruleIndex")
    if isinstance(index, int) and 0 <= index < len(rules):
        return rules[index].get("name", "")
    return ""


def annotations(active, rules):
    lines = []
    for level, command in (("error", "error"), ("warning", "warning")):
        chosen = [r for r in active if r.get("level", "warning") == level][:MAX_ANNOTATIONS]
        for r in chosen:
            path, line, column = location_of(r)
            props = []
            if path:
                props.append("file=" + escape_property(path))
                if line:
                    props.append("line=%d" % line)
                    if column:
                        props.append("col=%d" % column)
            title = r.get("ruleId", "")
            name = rule_name(rules, r)
            if name:
                title += " " + name
            props.append("title=" + escape_property(title))
            message = r.get("message", {}).get("text", "")
            lines.append("::%s %s::%s" % (command, ",".join(props), escape_data(message)))
    return lines


def summary(run, rules, active, suppressed, args):
    counts = {level: 0 for level in LEVELS}
    families = {}
    for r in active:
        level = r.get("level", "warning")
        counts[level] = counts.get(level, 0) + 1
        fam = families.setdefault(family_of(rules, r), {lv: 0 for lv in LEVELS})
        fam[level] = fam.get(level, 0) + 1

    head = ["## aibom scan", ""]
    total = sum(counts.values())
    if total == 0:
        head.append("No findings. :white_check_mark:")
    else:
        head.append(
            "**%d error%s, %d warning%s, %d note%s**"
            % (
                counts["error"], "" if counts["error"] == 1 else "s",
                counts["warning"], "" if counts["warning"] == 1 else "s",
                counts["note"], "" if counts["note"] == 1 else "s",
            )
        )
    if suppressed:
        head.append("")
        head.append(
            "%d finding%s accepted by exceptions or the baseline (not counted)."
            % (len(suppressed), "" if len(suppressed) == 1 else "s")
        )
    dropped = run.get("properties", {}).get("resultsDropped")
    if dropped:
        head.append("")
        head.append(
            "The SARIF file holds the %s most severe results; %d more are only in the JSON output."
            % (len(active) + len(suppressed), dropped)
        )
    if families:
        head += ["", "| Family | Errors | Warnings | Notes |", "|---|---:|---:|---:|"]
        for fam in sorted(families):
            c = families[fam]
            head.append("| %s | %d | %d | %d |" % (cell(fam), c["error"], c["warning"], c["note"]))

    rows = []
    for r in active[:TOP_FINDINGS]:
        path, line, _ = location_of(r)
        where = "%s:%d" % (path, line) if path and line else (path or "")
        rows.append(
            "| %s | %s | %s | %s |"
            % (
                r.get("level", "warning"),
                cell(r.get("ruleId", "")),
                cell(where),
                cell(r.get("message", {}).get("text", "")),
            )
        )
    table_head = [
        "",
        "### Top findings" if len(active) > len(rows) else "### Findings",
        "",
        "| Severity | Rule | Where | Message |",
        "|---|---|---|---|",
    ]
    tail = ["", "Full results: `%s` (SARIF)" % args.sarif]
    if args.json:
        tail[-1] += ", `%s` (JSON)" % args.json
    tail.append("")

    def render(n):
        body = head + (table_head + rows[:n] if rows[:n] else [])
        if n < len(rows):
            body += ["", "_%d more rows left out to stay within the summary size limit._" % (len(rows) - n)]
        return "\n".join(body + tail)

    n = len(rows)
    text = render(n)
    while len(text.encode("utf-8")) > SUMMARY_LIMIT and n > 0:
        n = n // 2
        text = render(n)
    if len(text.encode("utf-8")) > SUMMARY_LIMIT:
        text = text.encode("utf-8")[:SUMMARY_LIMIT].decode("utf-8", "ignore")
    return text, counts


def append(path, text):
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sarif", required=True, help="the SARIF file aibom wrote")
    parser.add_argument("--json", default="", help="the JSON file aibom wrote, named in the summary")
    args = parser.parse_args()

    try:
        run, rules, results = load(args.sarif)
    except (OSError, ValueError, KeyError, IndexError) as e:
        print("::error title=aibom::cannot read %s: %s" % (escape_property(args.sarif), escape_data(str(e))))
        return 2
    active = [r for r in results if not r.get("suppressions")]
    suppressed = [r for r in results if r.get("suppressions")]

    for line in annotations(active, rules):
        print(line)
    text, counts = summary(run, rules, active, suppressed, args)
    append(os.environ.get("GITHUB_STEP_SUMMARY"), text)
    outputs = [
        ("errors", counts["error"]),
        ("warnings", counts["warning"]),
        ("notes", counts["note"]),
        ("total", sum(counts.values())),
        ("suppressed", len(suppressed)),
        ("sarif", args.sarif),
        ("json", args.json),
    ]
    # One line per output: a value with a line break could forge another output.
    lines = ("%s=%s\n" % (k, " ".join(str(v).splitlines())) for k, v in outputs)
    append(os.environ.get("GITHUB_OUTPUT"), "".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
