#!/usr/bin/env python3
"""Fills rncp36524-session/, the session folder of the AICMP sample session,
from the hand-written records of its 30 decided candidates
(rncp36524-sample.jsonl, lines 1-30), as a jury secretary would type them in
a spreadsheet: ';'-separated CSV in UTF-8 with a byte order mark, CRLF,
French dates (JJ/MM/AAAA) in places, and invented names.  The result is
committed; this script documents how it was made:

    build/certeval template rncp36524 /tmp/empty
    python3 examples/sessions/make-rncp36524-session.py /tmp/empty examples/sessions/rncp36524-session

Importing the folder and deciding the records gives the same decisions as
deciding the 30 hand-written records (tests/cli/session.sh checks it).
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST, LAST = ("Léa", "Paul", "Inès", "Karim", "Chloé", "Mamadou", "Julie", "Thomas",
               "Sarah", "Yanis", "Emma", "Lucas", "Aïcha", "Hugo", "Manon", "Nicolas",
               "Fatou", "Mathis", "Camille", "Rayan", "Zoé", "Antoine", "Nadia", "Louis",
               "Sofia", "Maxime", "Élodie", "Bilal", "Jeanne", "Théo"), \
              ("Martin", "Bernard", "Dubois", "Benali", "Lefèvre", "Diallo", "Moreau",
               "Laurent", "Simon", "Haddad", "Michel", "Garcia", "Traoré", "Roux", "Fournier",
               "Girard", "Ndiaye", "Bonnet", "Dupont", "Mercier", "Lambert", "Fontaine",
               "Chevalier", "Robin", "Morel", "N'Guyen", "Faure", "Rousseau", "Blanc",
               "Da Silva")
JURY = [("J1", "Perrin", "Nathalie", "professionnel", "oui"),
        ("J2", "Gauthier", "Olivier", "formateur", "non"),
        ("J3", "Masson", "Karima", "professionnel", "non")]


def fr_date(iso, i):
    """Every other date as a French spreadsheet shows it."""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}" if i % 2 else iso


def num(v):
    """A number as typed: decimal comma."""
    if v is None:
        return ""
    if float(v).is_integer():
        return str(int(v))
    return repr(float(v)).replace(".", ",")


def cell(v):
    v = str(v)
    if any(c in v for c in ';"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def write(folder, name, rows):
    path = os.path.join(folder, name)
    with open(path, encoding="utf-8-sig") as f:
        header = f.readline().rstrip("\r\n").split(";")
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(";".join(header) + "\r\n")
        for r in rows:
            f.write(";".join(cell(r.get(h, "")) for h in header) + "\r\n")


def main(empty, out):
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(empty, out)
    with open(os.path.join(HERE, "rncp36524-sample.jsonl"), encoding="utf-8") as f:
        recs = [json.loads(line) for line in f.readlines()[:30]]
    with open(os.path.join(HERE, "..", "..", "rules", "rncp36524", "title.json"), encoding="utf-8") as f:
        title = json.load(f)
    assessments = [a for b in title["blocks"] for a in b["assessments"]]
    write(out, "session.csv", [{"session": "IMELIS-2024-03", "date": "14/03/2024",
                                "titre": "RNCP36524", "lieu": "Lyon 8e, salle Jean Jaurès",
                                "centre": "IMELIS Lyon"}])
    write(out, "jury.csv", [dict(zip(("membre", "nom", "prenom", "profil", "president"), j))
                            for j in JURY])
    cands, delibs = [], []
    for i, r in enumerate(recs):
        cands.append({"candidat": r["candidate"], "nom": LAST[i], "prenom": FIRST[i],
                      "date_naissance": fr_date(f"{1980 + i % 20}-{1 + i % 12:02d}-{1 + i % 28:02d}", i)
                      if i % 3 else "",
                      "voie": r.get("route", ""),
                      "blocs_acquis": " ".join(f"{a['block']}@{fr_date(a['date'], i)}"
                                               for a in r.get("acquired_blocks", []))})
        for block, d in r.get("deliberation", {}).items():
            delibs.append({"candidat": r["candidate"], "bloc": block,
                           "decision": "valide" if d["decision"] == "validated" else "non_valide",
                           "motivation": d["motivation"]})
    write(out, "candidats.csv", cands)
    write(out, "deliberations.csv", delibs)
    write(out, "calendrier.csv", [{"epreuve": a["id"]} for a in assessments
                                  if a["modality"] == "dossier"])
    status_fr = {"absent": "absent", "excused": "excusé", "missing": "non remis"}
    for a in assessments:
        rows = []
        for i, r in enumerate(recs):
            ev = r["evidence"].get(a["id"])
            if ev is None:
                continue
            row = {"candidat": r["candidate"]}
            st = ev.get("status")
            if st in status_fr:
                row["statut"] = status_fr[st]
                rows.append(row)
                continue
            if a["modality"] == "field":
                row["tuteur"] = ev["supervisor"]
                row.update({k: num(v) for k, v in ev["ratings"].items()})
                rows.append(row)
                continue
            extra = {}
            if "submitted_on" in ev:
                extra["remis_le"] = fr_date(ev["submitted_on"], i)
            if "pages" in ev:
                extra["pages"] = ev["pages"]
            if "duration_minutes" in ev:
                extra["minutes"] = num(ev["duration_minutes"])
            for j, (who, scores) in enumerate(ev.get("assessors", {}).items()):
                rows.append({**row, **(extra if j == 0 else {}), "evaluateur": who,
                             **{k: num(v) for k, v in scores.items()}})
            if not ev.get("assessors"):
                rows.append({**row, **extra})
        write(out, a["id"] + ".csv", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
