#!/usr/bin/env python3
"""Validate CycloneDX 1.6 JSON files with cyclonedx-python-lib's strict JSON validator.

Usage: check_cyclonedx.py BOM.json [BOM.json ...]
Besides the schema, checks what a schema cannot: bom-refs are unique, and every reference
(dependencies, model-card datasets) names a bom-ref in the same BOM.
Prints one line per problem and exits 1 if there is any; 2 if the validator is not installed.
"""

import json
import sys

try:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
except ImportError as e:  # the test decides whether a missing validator is a failure
    print(f"cyclonedx-python-lib is not installed: {e}", file=sys.stderr)
    sys.exit(2)


def schema_problems(text: str) -> list[str]:
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    if errors is None:
        return []
    if not isinstance(errors, (list, tuple)):
        errors = list(errors) if hasattr(errors, "__iter__") and not hasattr(errors, "data") else [errors]
    problems = []
    for error in errors:
        data = getattr(error, "data", None)
        if data is not None:
            problems.append(f"schema: {data.json_path}: {data.message[:300]}")
        else:
            problems.append(f"schema: {str(error)[:300]}")
    return problems


def reference_problems(bom: dict) -> list[str]:
    problems = []
    refs = []

    def collect(component: dict) -> None:
        if "bom-ref" in component:
            refs.append(component["bom-ref"])
        card = component.get("modelCard")
        if card and "bom-ref" in card:
            refs.append(card["bom-ref"])
        for child in component.get("components", []):
            collect(child)

    root = bom.get("metadata", {}).get("component")
    if root:
        collect(root)
    for component in bom.get("components", []):
        collect(component)
    seen = set()
    for ref in refs:
        if ref in seen:
            problems.append(f"bom-ref used twice: {ref}")
        seen.add(ref)
    for dependency in bom.get("dependencies", []):
        for ref in [dependency["ref"], *dependency.get("dependsOn", [])]:
            if ref not in seen:
                problems.append(f"dependency names an unknown bom-ref: {ref}")
    for component in bom.get("components", []):
        params = component.get("modelCard", {}).get("modelParameters", {})
        for dataset in params.get("datasets", []):
            if "ref" in dataset and dataset["ref"] not in seen:
                problems.append(f"{component['bom-ref']}: model card names an unknown dataset: {dataset['ref']}")
    return problems


def main() -> int:
    failed = False
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        problems = schema_problems(text) + reference_problems(json.loads(text))
        for problem in problems:
            print(f"{path}: {problem}")
        if problems:
            failed = True
        else:
            print(f"{path}: valid CycloneDX 1.6 (strict schema, references)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
