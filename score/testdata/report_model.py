"""Independent model of RefStack's result report scoring (refstack-server.md 9.3).

Written from the description of resultsReportController.js, on the raw JSON
files, to check package score. Usage: report_model.py SEED FILE... > jobs.json

For each guideline file, each target and a few generated runs it prints the
run and what the page would show. Runs: all names, none, a random half of the
names and aliases, the aliases only, the flagged tests only, and "renamed"
(every test with an idempotent id passed under another name, scored with id
matching, which extends the page's rule).
"""
import json
import random
import sys

TARGETS = ["platform", "compute", "object", "dns", "orchestration"]
STATUSES = ["required", "advisory", "deprecated", "removed"]
PRIORITY = {"required": 1, "advisory": 2, "deprecated": 3, "removed": 4}
PLATFORMS = {
    "platform": "OpenStack Powered Platform",
    "compute": "OpenStack Powered Compute",
    "object": "OpenStack Powered Storage",
}
SUPPORTED = ["1.2", "1.3", "1.4", "1.5", "1.6", "2.0"]


class PageError(Exception):
    """Where the page's JavaScript would throw or show nothing."""


def schema_of(doc):
    md = doc.get("metadata")
    if isinstance(md, dict) and isinstance(md.get("schema"), str) and md["schema"] >= "2.0":
        return md["schema"]
    return doc.get("schema")


def target_caps(doc, schema, target):
    old = schema < "2.0"
    comps = doc.get("components", {})
    caps = {}
    if target == "platform" or not old:
        if "add-ons" in doc:
            names = ["os_powered_" + target]
        elif not old:
            plat = doc.get("platforms", {}).get(PLATFORMS.get(target, "\0"))
            if plat is None:
                raise PageError("no platform")
            names = [c["name"] for c in plat["components"]]
        else:
            names = doc["platform"]["required"]
        for name in names:
            comp = comps.get(name)
            if comp is None:
                if not old:
                    raise PageError("no component " + name)
                continue  # angular.forEach(undefined) does nothing
            lists = comp if old else comp["capabilities"]
            for status, ids in lists.items():
                for cap in ids:
                    if cap in caps:
                        if PRIORITY.get(status, 99) < PRIORITY.get(caps[cap], 99):
                            caps[cap] = status
                    else:
                        caps[cap] = status
    else:
        if target not in comps:
            raise PageError("no component " + target)
        for status, ids in comps[target].items():
            for cap in ids:
                caps[cap] = status
    return caps


def norm_id(s):
    s = s.lower()
    return s[3:] if s.startswith("id-") else s


def cap_object(doc, schema, cap, names, uuids):
    out = {"id": cap, "passedTests": [], "notPassedTests": [], "passedFlagged": [], "notPassedFlagged": []}
    c = doc.get("capabilities", {}).get(cap)
    if c is None:
        return out
    if schema == "1.2":
        items = [(t, {}, t in c.get("flagged", [])) for t in c["tests"]]
    else:
        items = [(t, det, "flagged" in det) for t, det in c["tests"].items()]
    for test, det, flagged in items:
        passed = test in names or any(a in names for a in det.get("aliases", []))
        if not passed and uuids is not None and det.get("idempotent_id"):
            passed = norm_id(det["idempotent_id"]) in uuids
        if passed:
            out["passedTests"].append(test)
            if flagged:
                out["passedFlagged"].append(test)
        else:
            out["notPassedTests"].append(test)
            if flagged:
                out["notPassedFlagged"].append(test)
    return out


def divide(a, b):
    return None if b == 0 else a * 100 / b


def page(doc, target, passed, by_id):
    schema = schema_of(doc)
    if schema not in SUPPORTED:
        raise PageError("schema " + str(schema))
    caps = target_caps(doc, schema, target)
    names = {p[0] for p in passed}
    uuids = {norm_id(p[1]) for p in passed if p[1]} if by_id else None
    out = {}
    for status in STATUSES:
        objs = [cap_object(doc, schema, cap, names, uuids) for cap in sorted(caps) if caps[cap] == status]
        passed_count = sum(len(o["passedTests"]) for o in objs)
        out[status] = {
            "caps": objs,
            "count": passed_count + sum(len(o["notPassedTests"]) for o in objs),
            "passedCount": passed_count,
            "flagPassCount": sum(len(o["passedFlagged"]) for o in objs),
            "flagFailCount": sum(len(o["notPassedFlagged"]) for o in objs),
        }
    req = out["required"]
    fail = req["count"] - req["passedCount"]
    flag = req["flagPassCount"] + req["flagFailCount"]
    non_flag = req["count"] - flag
    non_flag_pass = non_flag - (fail - req["flagFailCount"])
    figures = {
        "requiredPassPercent": divide(req["passedCount"], req["count"]),
        "totalRequiredFailCount": fail,
        "totalRequiredFlagCount": flag,
        "totalNonFlagCount": non_flag,
        "nonFlagPassCount": non_flag_pass,
        "nonFlagRequiredPassPercent": divide(non_flag_pass, non_flag),
        "compliant": non_flag_pass == non_flag,
    }
    return out, figures


def runs(doc, schema, rnd):
    tests, aliases, flagged, ids = [], [], [], []
    for c in doc.get("capabilities", {}).values():
        if schema == "1.2":
            tests += c.get("tests", [])
            flagged += c.get("flagged", [])
            continue
        for t, det in c.get("tests", {}).items():
            tests.append(t)
            aliases += det.get("aliases", [])
            if "flagged" in det:
                flagged.append(t)
            if det.get("idempotent_id"):
                ids.append((t, det["idempotent_id"]))
    pool = tests + aliases
    half = rnd.sample(pool, len(pool) // 2)
    renamed = [["renamed." + t, i if rnd.random() < 0.5 else norm_id(i)] for t, i in ids]
    return [
        ("all", [[t, ""] for t in tests], False),
        ("none", [], False),
        ("half", [[t, ""] for t in half], False),
        ("aliases", [[t, ""] for t in aliases], False),
        ("flagged", [[t, ""] for t in flagged], False),
        ("renamed-by-name", renamed, False),
        ("renamed-by-id", renamed, True),
    ]


def main():
    rnd = random.Random(int(sys.argv[1]))
    jobs = []
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        schema = schema_of(doc)
        for target in TARGETS:
            for name, passed, by_id in runs(doc, schema, rnd):
                job = {"file": path, "target": target, "run": name, "by_id": by_id, "passed": passed}
                try:
                    job["statuses"], job["figures"] = page(doc, target, passed, by_id)
                except PageError as e:
                    job["error"] = str(e)
                jobs.append(job)
    json.dump(jobs, sys.stdout)


main()
