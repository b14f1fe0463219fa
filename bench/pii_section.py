#!/usr/bin/env python3
"""Put bench/RESULTS-pii.md into bench/RESULTS.md as its "PII engine" section (Python 3 stdlib only).

bench/pii.sh writes RESULTS-pii.md and calls this; bench/run.sh rewrites RESULTS.md and calls it
again, so the latest PII results stay in RESULTS.md whichever script ran last. Run from the
repository root.
"""
import os
import re

SECTION = "bench/RESULTS-pii.md"
RESULTS = "bench/RESULTS.md"
BEGIN, END = "<!-- bench/pii.sh: begin -->", "<!-- bench/pii.sh: end -->"


def main():
    if not os.path.exists(SECTION):
        return
    section = open(SECTION).read().rstrip() + "\n"
    text = open(RESULTS).read() if os.path.exists(RESULTS) else "# aibom benchmark results\n"
    block = f"{BEGIN}\n{section}{END}\n"
    if BEGIN in text and END in text:
        pattern = re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?"
        text = re.sub(pattern, lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block
    with open(RESULTS, "w") as out:
        out.write(text)


if __name__ == "__main__":
    main()
