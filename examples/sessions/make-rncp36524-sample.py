#!/usr/bin/env python3
"""Writes rncp36524-sample.jsonl: an AICMP (RNCP36524) jury session of
realistic candidates, one scenario each (see SCENARIOS below), plus records
that give each error code a session file can give with the real package.

The output is committed; this script documents how it was made:
    python3 examples/sessions/make-rncp36524-sample.py > examples/sessions/rncp36524-sample.jsonl
"""
import copy
import json

DATE = "2024-03-14"
SESSION = {"id": "IMELIS-2024-03", "date": DATE}
JURY = [{"id": "J1", "profile": "professional"},
        {"id": "J2", "profile": "trainer", "trained_candidate": False}]


def grid(ids, j1, j2):
    """Two assessors' scores over the criteria ids."""
    return {"assessors": {"J1": dict(zip(ids, j1)), "J2": dict(zip(ids, j2))}}


def dossier(ids, values, submitted="2024-02-26", pages=None):
    ev = {"status": "submitted", "submitted_on": submitted,
          "assessors": {"J1": dict(zip(ids, values))}}
    if pages is not None:
        ev["pages"] = pages
    return ev


def good_evidence():
    """A solid candidate: every block validated."""
    return {
        "BC01.terrain": {"supervisor": "T-ADSEA-04", "ratings": {
            "BC01.C1": 3, "BC01.C2": 4, "BC01.C3": 3, "BC01.C4": 3,
            "BC01.C5": 3, "BC01.C6": 4, "BC01.C7": 3}},
        "BC01.msp": grid(["c1", "c2", "c3", "c4"], [3, 2, 2, 3], [2, 2, 3, 2]),
        "BC02.msp_individuelle": grid(["c1", "c2", "c3", "c4", "c5"], [2, 3, 2, 2, 3], [2, 2, 2, 3, 3]),
        "BC02.msp_collective": grid(["c1", "c2"], [3, 2], [2, 2]),
        "BC02.cartographie": dossier(["acteurs", "orientation"], [3, 3]),
        "BC02.etude_cas": dossier(["analyse", "alerte", "regles"], [3, 2, 3]),
        "BC03.msp": grid(["c1", "c2", "c3", "c4", "c5"], [2, 2, 3, 2, 3], [3, 2, 2, 2, 2]),
        "BC03.entretien": dict(grid(["t1", "t2", "t3", "t4"], [2, 3, 2, 2], [2, 2, 2, 3]),
                               duration_minutes=30),
        "BC04.dossier_projet": dossier(["partenariat", "evolution", "methode"], [3, 3, 3], pages=24),
        "BC04.oral_projet": dict(grid(["t1", "t2", "t3"], [2, 2, 3], [3, 2, 2]), duration_minutes=20),
        "BC04.cartographie": dossier(["partenaires", "reseau"], [3, 2]),
        "BC05.rapport": dossier(["collecte", "methode", "faits", "recul"], [3, 3, 3, 2], pages=14),
        "BC05.msp": grid(["c1", "c2", "c3"], [2, 2, 3], [2, 3, 2]),
    }


def record(n, route="formation_continue", evidence=None, **extra):
    r = {"candidate": "AICMP-2024-%03d" % n, "title": "RNCP36524",
         "session": dict(SESSION), "route": route, "jury": copy.deepcopy(JURY)}
    r.update({k: v for k, v in extra.items() if k not in ("drop",)})
    r["evidence"] = good_evidence() if evidence is None else evidence
    for k in extra.get("drop", []):
        r["evidence"].pop(k, None)
    return r


def block_ids(prefix):
    return [k for k in good_evidence() if k.startswith(prefix)]


def only(*prefixes):
    ev = good_evidence()
    return {k: v for k, v in ev.items() if k.split(".")[0] in prefixes}


def low(ev, key, j1, j2):
    ids = list(ev[key]["assessors"]["J1"].keys())
    ev[key]["assessors"] = {"J1": dict(zip(ids, j1)), "J2": dict(zip(ids, j2))}
    return ev


lines = []
add = lines.append

# -- decisions ----------------------------------------------------------
add(record(1))                                             # awarded
e = good_evidence(); e["BC01.terrain"]["ratings"]["BC01.C5"] = None
add(record(2, evidence=e))                                 # awarded, one rating not observed
e = good_evidence(); low(e, "BC03.msp", [1, 1, 1, 1, 2], [1, 1, 2, 1, 2])
low(e, "BC03.entretien", [1, 1, 1, 1], [1, 1, 1, 2])
add(record(3, evidence=e))                                 # partial: BC03 not validated
e = good_evidence(); low(e, "BC03.msp", [3, 3, 3, 3, 1], [3, 3, 3, 3, 1])
add(record(4, evidence=e))                                 # eliminatory criterion failed (safety)
add(record(5, acquired_blocks=[{"block": "RNCP36524BC05", "date": "2023-06-20"}],
           drop=block_ids("BC05")))                        # awarded with BC05 capitalised
add(record(6, acquired_blocks=[{"block": "RNCP36524BC01", "date": "2023-06-20"},
                                {"block": "RNCP36524BC02", "date": "2023-06-20"}],
           drop=block_ids("BC02")))                        # BC01 capitalised, its evidence ignored
e = good_evidence(); e["BC02.msp_collective"] = {"status": "absent"}
add(record(7, evidence=e))                                 # absent from an assessment
e = good_evidence(); e["BC04.oral_projet"] = {"status": "excused"}
add(record(8, evidence=e))                                 # excused: block absent
add(record(9, drop=["BC02.etude_cas"]))                    # no evidence for one assessment
e = good_evidence(); e["BC05.rapport"]["submitted_on"] = "2024-03-05"
add(record(10, evidence=e))                                # late dossier: inadmissible
e = good_evidence(); e["BC04.dossier_projet"]["pages"] = 42
add(record(11, evidence=e))                                # too long: inadmissible
e = good_evidence(); e["BC05.rapport"] = {"status": "missing"}
add(record(12, evidence=e))                                # dossier missing: absent
e = good_evidence(); low(e, "BC03.entretien", [1, 1, 1, 1], [1, 1, 1, 1])
add(record(13, evidence=e, deliberation={"RNCP36524BC03": {
    "decision": "validated",
    "motivation": "Entretien perturbé par un incident de salle ; la mise en situation démontre la maîtrise attendue."}}))
add(record(14, deliberation={"RNCP36524BC04": {
    "decision": "not_validated",
    "motivation": "Le dossier de projet reprend pour l'essentiel un travail collectif déjà présenté par un autre candidat."}}))
add(record(15, route="contrat_professionnalisation", evidence=only("BC01", "BC02")))  # first session: partial
e = good_evidence()
for k, v in e.items():
    if "assessors" in v:
        ids = list(v["assessors"]["J1"].keys())
        v["assessors"] = {"J1": {i: 0 for i in ids}, "J2": {i: 1 for i in ids}} if "submitted_on" not in v \
            else {"J1": {i: 1 for i in ids}}
e["BC01.terrain"]["ratings"] = {c: 1 for c in e["BC01.terrain"]["ratings"]}
add(record(16, evidence=e))                                # not awarded: nothing acquired
add(record(17, evidence={k: {"status": "absent"} for k in good_evidence()}))  # absent everywhere
e = good_evidence()
e["BC01.terrain"]["ratings"]["BC01.C4"] = 2               # 2/4 = 0.5
low(e, "BC01.msp", [3, 2, 2, 3], [2, 1, 3, 2])            # c2 -> (2+1)/2/3 = 0.5
add(record(18, evidence=e))                                # exactly at the threshold: acquired
e = good_evidence()
e["BC01.terrain"]["ratings"]["BC01.C4"] = 2
low(e, "BC01.msp", [3, 1, 2, 3], [2, 1, 3, 2])            # 0.5 and 1/3 -> 0.4167
add(record(19, evidence=e))                                # just below: not acquired
e = good_evidence(); low(e, "BC02.msp_individuelle", [3, 3, 2, 2, 3], [1, 2, 2, 3, 3])
add(record(20, evidence=e))                                # assessor spread flagged
e = good_evidence(); e["BC03.entretien"]["duration_minutes"] = 55
add(record(21, evidence=e))                                # oral longer than planned: flagged
add(record(22, route="vae"))                               # VAE: awarded
e = good_evidence()
for k, v in e.items():
    if "assessors" in v and "J2" in v["assessors"]:
        v["assessors"]["J3"] = dict(v["assessors"]["J2"])
add(record(23, evidence=e, jury=JURY + [{"id": "J3", "profile": "professional"}]))  # three assessors
add(record(24, acquired_blocks=[{"block": "RNCP36524BC05", "date": "2024-06-20"}]))  # dated later: evaluated
e = good_evidence()
for c in ("BC01.C1", "BC01.C3", "BC01.C6"):
    e["BC01.terrain"]["ratings"][c] = None
add(record(25, evidence=e))                                # competencies nobody scored
e = good_evidence(); e["BC02.msp_collective"] = {"status": "excused"}
add(record(26, evidence=e, deliberation={"RNCP36524BC02": {
    "decision": "validated",
    "motivation": "Absence justifiée (hospitalisation) ; les autres épreuves du bloc démontrent les compétences."}}))
add(record(27, acquired_blocks=[{"block": b, "date": "2023-06-20"} for b in
                                 ("RNCP36524BC01", "RNCP36524BC02", "RNCP36524BC03")],
           evidence=only("BC04", "BC05")))                 # completes the title after capitalising three
e = good_evidence(); low(e, "BC05.msp", [1, 1, 1], [1, 2, 1])
e["BC05.rapport"]["assessors"]["J1"] = {"collecte": 1, "methode": 1, "faits": 2, "recul": 1}
add(record(28, evidence=e))                                # BC05 not validated
add(record(29, evidence=only("BC03")))                     # one block only, validated
e = good_evidence(); e["BC03.msp"]["status"] = "present"
add(record(30, evidence=e))                                # explicit status present

# -- error records ---------------------------------------------------------
add('{"candidate": "AICMP-2024-031", "title": "RNCP36524", "session": {"id": "IMELIS-2024-03"')  # E_JSON
r = record(32); r["evidences"] = r.pop("evidence")
add(r)                                                     # E_SCHEMA: typo in a field name
r = record(33); del r["session"]["date"]
add(r)                                                     # E_SCHEMA: session date missing
add(record(34, route="apprentissage"))                     # E_TITLE: route not open
r = record(35); r["session"] = {"id": "IMELIS-2024-09", "date": "2024-09-12"}
add(r)                                                     # E_TITLE: registration ended
e = good_evidence(); del e["BC01.msp"]["assessors"]["J2"]["c4"]
add(record(36, evidence=e))                                # E_EVIDENCE: a criterion not scored
e = good_evidence(); e["BC06.msp"] = e["BC05.msp"]
add(record(37, evidence=e))                                # E_EVIDENCE: unknown assessment
e = good_evidence(); e["BC03.msp"]["assessors"]["J1"]["c5"] = 4
add(record(38, evidence=e))                                # E_EVIDENCE: score above scale_max
e = good_evidence(); e["BC03.msp"]["assessors"]["J4"] = dict(e["BC03.msp"]["assessors"]["J1"])
add(record(39, evidence=e))                                # E_JURY: assessor not on the jury
add(record(40, jury=[{"id": "J1", "profile": "professional"},
                     {"id": "J2", "profile": "trainer", "trained_candidate": True}]))  # E_JURY: conflict
add(record(41, jury=[{"id": "J1", "profile": "professional"},
                     {"id": "J2", "profile": "professional"}]))  # E_JURY: no trainer
add(record(42, deliberation={"RNCP36524BC02": {"decision": "validated"}}))  # E_SCHEMA: no motivation
add(record(43, acquired_blocks=[{"block": "RNCP36524BC05", "date": "2023-06-20"}],
           deliberation={"RNCP36524BC05": {"decision": "not_validated",
                                           "motivation": "Erreur de saisie"}}))  # E_SCHEMA: capitalised
add(record(1))                                             # E_SCHEMA: candidate already in the file

for line in lines:
    print(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
