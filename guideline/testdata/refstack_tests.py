# An independent model of RefStack's GET /v1/guidelines/{file}/tests, written
# from the algorithm in refstack-server.md section 5.4, used as the oracle of
# tests_test.go. Usage: refstack_tests.py FILE... ; prints one JSON object:
# file -> "target|type|alias|flag" -> response body.
import json
import sys

TARGETS = ["platform", "compute", "object", "dns", "orchestration", "bogus", ""]
TYPES = [None, "required", "advisory", "deprecated", "removed", "required,advisory", "bogus"]
PLATFORMS = {"platform": "OpenStack Powered Platform",
             "compute": "OpenStack Powered Compute",
             "object": "OpenStack Powered Storage"}


def schema_of(doc):
    md = doc.get("metadata")
    if isinstance(md, dict) and md.get("schema", "") >= "2.0":
        return md["schema"]
    return doc["schema"]


def capability_set(doc, types, target):
    caps = set()
    schema = schema_of(doc)
    if schema >= "2.0":
        if target in ("dns", "orchestration"):
            comps = ["os_powered_" + target]
        else:
            comps = [c["name"] for c in doc["platforms"][PLATFORMS[target]]["components"]]
        lists = [doc["components"][c]["capabilities"] for c in comps]
    else:
        comps = doc["platform"]["required"] if target == "platform" else [target]
        lists = [doc["components"][c] for c in comps]
    for lst in lists:
        for status, names in lst.items():
            if types is None or status in types:
                caps.update(names)
    return caps


def test_list(doc, caps, alias, flag):
    out = []
    schema = schema_of(doc)
    for name, cap in doc["capabilities"].items():
        if name not in caps:
            continue
        if schema == "1.2":
            for t in cap["tests"]:
                if flag or t not in cap["flagged"]:
                    out.append(t)
            continue
        for t, d in cap["tests"].items():
            if d.get("flagged") and not flag:
                continue
            uid = d.get("idempotent_id", "")
            out.append("%s[%s]" % (t, uid))
            if alias:
                for a in d.get("aliases", []):
                    out.append("%s[%s]" % (a, uid))
    out.sort()
    return out


def body(doc, target, typ, alias, flag):
    types = typ.split(",") if typ else None
    try:
        caps = capability_set(doc, types, target)
    except KeyError:
        return "Invalid target: " + target
    return "\n".join(test_list(doc, caps, alias, flag))


result = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    answers = {}
    for target in TARGETS:
        for typ in TYPES:
            for alias in (True, False):
                for flag in (True, False):
                    key = "%s|%s|%d|%d" % (target, typ or "", alias, flag)
                    answers[key] = body(doc, target, typ, alias, flag)
    result[path] = answers
json.dump(result, sys.stdout)
