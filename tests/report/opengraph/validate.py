#!/usr/bin/python3
"""Validates OpenGraph payloads against payload.schema.json, and checks what a schema cannot say: every
edge's ends name nodes of the payload, and node ids are unique.

Usage: validate.py FILE...   (exit 1 with one line per problem)"""
import json
import pathlib
import sys

import jsonschema

schema = json.loads((pathlib.Path(__file__).parent / "payload.schema.json").read_text())
validator = jsonschema.Draft202012Validator(schema)
problems = 0
for name in sys.argv[1:]:
    payload = json.loads(pathlib.Path(name).read_text())
    for error in validator.iter_errors(payload):
        print(f"{name}: /{'/'.join(str(p) for p in error.absolute_path)}: {error.message}")
        problems += 1
    ids = [n["id"] for n in payload.get("graph", {}).get("nodes", [])]
    if len(ids) != len(set(ids)):
        print(f"{name}: node ids are not unique")
        problems += 1
    for i, e in enumerate(payload.get("graph", {}).get("edges", [])):
        for end in ("start", "end"):
            if e[end].get("match_by", "id") == "id" and e[end]["value"] not in ids:
                print(f"{name}: /graph/edges/{i}/{end}: {e[end]['value']} is no node of the payload")
                problems += 1
sys.exit(1 if problems else 0)
