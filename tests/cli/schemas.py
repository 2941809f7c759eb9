"""The JSON Schemas of docs/schemas/, checked with an outside validator
(Debian's python3-jsonschema, draft 2020-12) against what certeval reads and
writes.  Run by schemas.sh: schemas.py CERTEVAL SOURCE_DIR TMP_DIR.

- each schema is itself a valid draft 2020-12 schema;
- every title.json of rules/, tests/packages/ and the plugin skeleton's
  example is valid;
- every candidate record of examples/sessions/*.jsonl, of the plugin
  skeleton's session and of every package test case is valid, unless
  certeval refuses it with E_JSON or E_SCHEMA for a reason a schema can see:
  then it must be invalid (schema_blind() below says which reasons it
  cannot see);
- every decision and error record that `certeval eval` writes for those
  sessions and cases is valid;
- hand-made records that break a rule of each schema are invalid.
"""
import glob
import json
import os
import re
import subprocess
import sys

from jsonschema import Draft202012Validator, FormatChecker

BIN, SRC, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
# the schemas beside this test (SRC is the same tree, unless a run checks
# another tree's records against them)
SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "schemas")
os.makedirs(TMP, exist_ok=True)
os.chdir(SRC)

# Refusals that need more than the record: the title package (a block the
# title lacks, a deliberation on a block the rules decided otherwise, a
# session.type the title requires or refuses, a deadline for an assessment
# it lacks) or the other records of the
# run (a candidate id given twice), or that JSON Schema cannot express (an
# item listed twice in a list of objects).  Records refused for these only
# are valid to the schema; any other E_SCHEMA or E_JSON must make them
# invalid.
BLIND_MESSAGES = ("already appears at line", "listed twice", "is not a block of",
                  "neither a block of")


def schema_blind(rec, error):
    path, message = error.get("path", ""), error.get("message", "")
    if any(m in message for m in BLIND_MESSAGES):
        return True
    if re.fullmatch(r"deliberation\.[^.\[]+", path) and "must" not in message:
        return True  # the block itself, not the shape of the deliberation
    session = rec.get("session") if isinstance(rec, dict) else None
    if not isinstance(session, dict):
        return False
    if path in ("session", "session.type") and "type" in message:
        return session.get("type") in (None, "titre", "ccp")  # the title's kinds of session
    if path.startswith("session.deadlines."):  # an assessment id the title lacks
        day = session.get("deadlines", {}).get(path[len("session.deadlines."):])
        return isinstance(day, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day)
    return False


passed = failed = 0


def ok():
    global passed
    passed += 1


SHOWN = 5  # failures shown per kind of problem; the others are counted
kinds = {}


def ko(what, kind=None):
    global failed
    failed += 1
    kinds[kind] = kinds.get(kind, 0) + 1
    if kind is None or kinds[kind] <= SHOWN:
        print("FAIL: " + what)


def validator(name):
    with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
        ok()
    except Exception as e:  # SchemaError
        ko("%s is not a valid draft 2020-12 schema: %s" % (name, e))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(v, doc):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
            for e in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.path)))]


def must_pass(v, doc, what):
    errs = problems(v, doc)
    if errs:
        ko("%s: refused by the schema: %s" % (what, "; ".join(errs[:3])),
           re.sub(r"[0-9]+", "N", errs[0]))
    else:
        ok()


def must_fail(v, doc, what):
    if problems(v, doc):
        ok()
    else:
        ko("%s: accepted by the schema, expected a refusal" % what)


title = validator("title.schema.json")
cand = validator("candidate-record.schema.json")
dec = validator("decision-record.schema.json")
errv = validator("error-record.schema.json")

# ---- title.json ------------------------------------------------------------
titles = sorted(glob.glob("rules/*/title.json") + glob.glob("tests/packages/*/title.json") +
                glob.glob("examples/plugin-skeleton/example/rules/*/title.json"))
for path in titles:
    with open(path, encoding="utf-8") as f:
        must_pass(title, json.load(f), path)

IDENTIFIER = re.compile(r"[A-Za-z0-9._-]{1,64}")


def run_eval(rules, session, out):
    with open(out, "wb") as o:
        r = subprocess.run([BIN, "eval", "-q", "--allow-draft", "-r", rules, session],
                           stdout=o, stderr=subprocess.DEVNULL)
    if r.returncode not in (0, 1):
        ko("certeval eval -r %s %s: exit %d" % (rules, session, r.returncode))
    with open(out, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def check_input(rec, error, what):
    """A record certeval read: valid unless refused for a reason a schema sees."""
    code = error.get("code") if error else None
    if code == "E_JSON" or (code == "E_SCHEMA" and not schema_blind(rec, error)):
        must_fail(cand, rec, "%s (%s: %s)" % (what, code, error.get("message")))
    else:
        must_pass(cand, rec, what)


def check_session(rules, session, lines, names):
    """Decides `session`, checks each output line and each input line."""
    outputs = run_eval(rules, session, session + ".out")
    read = [n for n, raw in enumerate(lines, 1) if raw.strip()]  # one output line each
    refused = {}
    for i, rec in enumerate(outputs):
        what = "output for %s" % (names[read[i] - 1] if i < len(read) else session)
        if "error" in rec:
            must_pass(errv, rec, what)
            refused[rec["line"]] = rec["error"]
        else:
            must_pass(dec, rec, "%s (%s)" % (what, rec["candidate"]))
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw.decode("utf-8"))
        except ValueError:
            if refused.get(n, {}).get("code") == "E_JSON":
                ok()
            else:
                ko("%s: not JSON to python, but certeval did not say E_JSON" % names[n - 1])
            continue
        check_input(rec, refused.get(n), names[n - 1])
    return outputs


# ---- package test cases: their records, and what eval writes for them -------
# Every case record of a rules folder decided in one run (candidate ids made
# unique): decision records with capitalised, equivalence, overridden,
# inadmissible... blocks, and error records of the kinds the cases expect.
# A case naming a "base" (a *.base.json record of its tests folder) gives the
# members that differ from it, as a JSON merge patch (RFC 7396), as
# `certeval test` reads it; base files are no cases.


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


cases = sorted(glob.glob("rules/*/tests/*.json") + glob.glob("tests/packages/*/tests/*.json"))
by_rules = {}  # rules folder -> [(case file, record line)]
for path in cases:
    if path.endswith(".base.json"):
        continue
    with open(path, encoding="utf-8") as f:
        case = json.load(f)
    rec = case.get("record")
    if "base" in case:
        with open(os.path.join(os.path.dirname(path), case["base"]), encoding="utf-8") as f:
            rec = merge_patch(json.load(f), rec if rec is not None else {})
    if rec is None:
        continue
    rules = os.path.dirname(os.path.dirname(os.path.dirname(path)))
    items = by_rules.setdefault(rules, [])
    if isinstance(rec, dict) and IDENTIFIER.fullmatch(str(rec.get("candidate"))):
        rec = dict(rec, candidate="CASE-%d" % (len(items) + 1))
    items.append((path, json.dumps(rec, ensure_ascii=False).encode("utf-8")))
for rules, items in sorted(by_rules.items()):
    session = os.path.join(TMP, rules.replace("/", "-") + "-cases.jsonl")
    with open(session, "wb") as f:
        f.write(b"".join(line + b"\n" for _, line in items))
    outputs = check_session(rules, session, [line for _, line in items], [p for p, _ in items])
    if len(outputs) != len(items):
        ko("%s: %d records in, %d out" % (session, len(items), len(outputs)))

# ---- the sample sessions: input lines and what eval writes --------------------
for session in sorted(glob.glob("examples/sessions/*.jsonl")):
    with open(session, "rb") as f:
        lines = f.read().split(b"\n")
    copy = os.path.join(TMP, os.path.basename(session))
    with open(copy, "wb") as f:
        f.write(b"\n".join(lines))
    check_session("rules", copy, lines, ["%s:%d" % (session, n) for n in range(1, len(lines) + 1)])
# The plugin skeleton's session needs its plugin, not built here: its
# records are checked alone.
skeleton = "examples/plugin-skeleton/example/session.jsonl"
with open(skeleton, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        if line.strip():
            must_pass(cand, json.loads(line), "%s:%d" % (skeleton, n))

# ---- hand-made records the schemas must refuse ------------------------------
good = {"candidate": "C-1", "title": "RNCP36524",
        "session": {"id": "S1", "date": "2024-03-14", "type": "titre",
                    "deadlines": {"BC04.dossier": "2024-03-01"}},
        "route": "vae", "jury": [{"id": "J1", "profile": "professional"}],
        "acquired_blocks": [{"block": "RNCP36524BC05", "date": "2023-06-20"}],
        "evidence": {"BC01.msp": {"assessors": {"J1": {"c1": 3}}},
                     "BC02.quiz": {"answers": {"q1": "b", "q2": ["a"], "q3": None}}},
        "deliberation": {"RNCP36524BC03": {"decision": "validated", "motivation": "m"}}}
must_pass(cand, good, "hand-made candidate record")


def variant(base, change, what, v=cand):
    doc = json.loads(json.dumps(base))
    change(doc)
    must_fail(v, doc, what)


variant(good, lambda d: d.pop("jury"), "candidate record without jury")
variant(good, lambda d: d.update(notes="x"), "candidate record with an unknown field")
variant(good, lambda d: d.update(candidate="Jean Dupont"), "candidate id with a space")
variant(good, lambda d: d.update(candidate="C" * 65), "candidate id of 65 bytes")
variant(good, lambda d: d.update(candidate=""), "empty candidate id")
variant(good, lambda d: d["session"].update(date="2024-3-14"), "session date not YYYY-MM-DD")
variant(good, lambda d: d["session"].update(date="2024-02-30"), "session date that does not exist")
variant(good, lambda d: d["session"].update(type="examen"), "session type not titre or ccp")
variant(good, lambda d: d["session"]["deadlines"].update(x="soon"), "deadline not a date")
variant(good, lambda d: d.update(route="alternance"), "unknown route")
variant(good, lambda d: d["jury"][0].update(profile="expert"), "unknown jury profile")
variant(good, lambda d: d["jury"][0].update(trained_candidate="no"), "trained_candidate not a bool")
variant(good, lambda d: d["jury"][0].update(name="Dupont"), "a name in a jury member")
variant(good, lambda d: d["acquired_blocks"][0].pop("date"), "acquired block without date")
variant(good, lambda d: d["deliberation"]["RNCP36524BC03"].pop("motivation"),
        "deliberation without motivation")
variant(good, lambda d: d["deliberation"]["RNCP36524BC03"].update(decision="absent"),
        "deliberation to absent")
variant(good, lambda d: d["evidence"]["BC01.msp"]["assessors"].update({"J 2": {"c1": 1}}),
        "assessor id with a space")
variant(good, lambda d: d["evidence"]["BC01.msp"].update(supervisor="T/1"), "supervisor id with a slash")
variant(good, lambda d: d["evidence"].update(x=[1]), "evidence not an object")
variant(good, lambda d: d.update(title="x" * 4097), "a string over 4 KiB")

decs = [o for o in run_eval("rules", "examples/sessions/rncp36524-sample.jsonl",
                            os.path.join(TMP, "again.out")) if "error" not in o]
if decs:
    d0 = decs[0]
    variant(d0, lambda d: d.update(decision="granted"), "decision not a title decision", dec)
    variant(d0, lambda d: d["blocks"][0].pop("usable_until", None), "block without usable_until", dec)
    variant(d0, lambda d: d["blocks"][0].update(decision="not_validated", proposed="validated",
                                                overridden=False),
            "decision differs from proposed, not overridden", dec)
    variant(d0, lambda d: d["blocks"][0].update(decision="absent", proposed="absent",
                                                usable_until="2025-01-01"),
            "usable_until on a block not validated", dec)
    variant(d0, lambda d: d["blocks"][0]["competencies"][0].update(score=1.5), "score above 1", dec)
    variant(d0, lambda d: d["blocks"][0]["assessments"][0].update(status="late"), "unknown status", dec)
    variant(d0, lambda d: d["provenance"].update(input_sha256="abc"), "short sha256", dec)
    variant(d0, lambda d: d.update(extra=1), "decision record with an unknown field", dec)
else:
    ko("no decision record from the AICMP sample")

e0 = {"candidate": None, "line": 3, "error": {"code": "E_JSON", "message": "m", "path": ""}}
must_pass(errv, e0, "hand-made error record")
variant(e0, lambda d: d["error"].update(code="E_NOMEM"), "error code of no record", errv)
variant(e0, lambda d: d.update(line=0), "line 0", errv)
variant(e0, lambda d: d["error"].pop("path"), "error without path", errv)

t0 = {"code": "T", "name": "n", "level": 3, "certifier": "c", "version": "1", "status": "active",
      "rules": "rules.lua", "session_types": ["titre", "ccp"],
      "blocks": [{"code": "B1", "name": "b", "competencies": [{"code": "C1", "label": "l"}],
                  "assessments": [{"id": "A1", "modality": "dossier", "label": "l",
                                   "config": {"deadline_days": 14, "criteria": []}}]}]}
must_pass(title, t0, "hand-made title.json")


def config(cfg):
    return lambda d: d["blocks"][0]["assessments"][0].update(cfg)


variant(t0, lambda d: d.update(status="final"), "title status not active or draft", title)
variant(t0, lambda d: d.update(level=9), "level 9", title)
variant(t0, lambda d: d.update(rules="../rules.lua"), "rules outside the folder", title)
variant(t0, lambda d: d.update(completion_grace_days=365), "grace without valid_until", title)
variant(t0, lambda d: d.update(session_types=["session"]), "unknown session type", title)
variant(t0, lambda d: d["blocks"][0].update(competencies=[]), "block without competencies", title)
variant(t0, config({"config": {"deadline": "2024-03-01", "criteria": []}}),
        "dossier with an absolute deadline", title)
variant(t0, config({"modality": "situation", "config": {"criteria": []}}),
        "situation without scale_max", title)
variant(t0, config({"modality": "quiz", "config": {"questions": []}}), "quiz without questions", title)
variant(t0, config({"modality": "quiz", "config": {"questions": [
    {"id": "q1", "competency": "C1", "answer": ["a", "a"]}]}}), "quiz key repeating a string", title)
variant(t0, config({"modality": "field", "config": {"scale_max": 0, "competencies": ["C1"]}}),
        "field scale_max 0", title)
variant(t0, config({"modality": "oral", "config": {"scale_max": 3, "criteria": [],
                                                    "duration": 20}}), "oral with an unknown key", title)

for kind, n in sorted(kinds.items(), key=lambda k: str(k[0])):
    if kind is not None and n > SHOWN:
        print("FAIL: ... and %d more refused by the schema for: %s" % (n - SHOWN, kind))
print("schemas: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
