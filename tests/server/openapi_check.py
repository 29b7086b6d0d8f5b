#!/usr/bin/env python3
"""Validates a running corral server's responses against Ollama's OpenAPI file.

Usage: openapi_check.py BASE_URL SPEC_YAML
Exit codes: 0 all responses valid, 1 a response did not validate (printed),
77 the Python modules it needs (PyYAML, jsonschema) are missing.
The server must hold the test models "tiny" and "plain" (see test_server.h).
"""
import json
import sys
import urllib.request
import urllib.error

try:
    import yaml
    import jsonschema
except ImportError as e:  # pragma: no cover
    print(f"skip: {e}")
    sys.exit(77)

BASE, SPEC = sys.argv[1], sys.argv[2]
with open(SPEC, encoding="utf-8") as f:
    spec = yaml.safe_load(f)

failures = []


def request(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def schema_for(path, method, status, content_type):
    op = spec["paths"][path][method.lower()]
    responses = op["responses"]
    resp = responses.get(str(status)) or responses.get("default")
    if resp is None:
        return None
    content = resp.get("content", {})
    media = content.get(content_type) or content.get("application/json")
    return None if media is None else media["schema"]


def validate(label, instance, schema):
    root = dict(schema)
    root["components"] = spec["components"]
    validator = jsonschema.Draft202012Validator(root)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    for e in errors:
        failures.append(f"{label}: {'/'.join(map(str, e.path))}: {e.message}")


def check(method, path, body=None, expect=200):
    status, ctype, text = request(method, path, body)
    label = f"{method} {path} {json.dumps(body)[:80] if body else ''} -> {status}"
    if status != expect:
        failures.append(f"{label}: expected status {expect}: {text[:200]}")
        return None
    base_type = ctype.split(";")[0].strip()
    schema = schema_for(path, method, status, base_type)
    if schema is None or not text:
        return text
    if base_type == "application/x-ndjson":
        for i, line in enumerate(filter(None, text.split("\n"))):
            validate(f"{label} line {i}", json.loads(line), schema)
    else:
        validate(label, json.loads(text), schema)
    print(f"ok   {label}")
    return text


opts = {"temperature": 0, "num_predict": 4}
msgs = [{"role": "user", "content": "Hello"}]
check("GET", "/api/version")
check("GET", "/api/tags")
check("POST", "/api/show", {"model": "tiny"})
check("POST", "/api/generate", {"model": "plain", "prompt": "Hi", "stream": False, "options": opts})
check("POST", "/api/generate", {"model": "plain", "prompt": "Hi", "options": opts})
check("POST", "/api/generate", {"model": "plain"})
check("POST", "/api/chat", {"model": "tiny", "messages": msgs, "stream": False, "think": False, "options": opts})
check("POST", "/api/chat", {"model": "tiny", "messages": msgs, "options": opts})
check("POST", "/api/chat", {"model": "tiny", "messages": msgs, "stream": False, "logprobs": True,
                            "top_logprobs": 2, "options": opts})
check("POST", "/api/embed", {"model": "plain", "input": ["a", "b"]})
check("GET", "/api/ps")
check("POST", "/api/create", {"model": "schema-copy", "from": "tiny", "system": "x", "stream": False})
check("POST", "/api/create", {"model": "schema-copy2", "from": "tiny"})
check("POST", "/api/copy", {"source": "tiny", "destination": "schema-copy3"})
check("DELETE", "/api/delete", {"model": "schema-copy3"})
check("POST", "/api/generate", {"model": "missing", "prompt": "x"}, expect=404)
check("POST", "/api/chat", {"model": "missing", "messages": msgs}, expect=404)

for f in failures:
    print(f"FAIL {f}")
sys.exit(1 if failures else 0)
