#!/bin/sh
# The session's papers: pv, attestation, export from the sample session
# folder and an audit store.  What they hold (names joined at print time,
# decisions in candidats.csv order, the jury from decided records only,
# superseded entries counted, the seal), that a broken chain gives no
# document, that hostile names print as text; then a real browser:
# headless Chromium prints the PV and the attestations to PDF and PNG and
# runs, in a test-only copy, a check that nothing passes the A4 printable
# width; poppler's pdfinfo/pdftotext read the PDFs back.  The browser part
# is skipped, said, when chromium or poppler-utils is absent.
# documents.sh CERTEVAL SOURCE_DIR TMP_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/documents
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1
folder=examples/sessions/rncp36524-session
store=$tmp/audit
lacks() { # lacks NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then ko "$1: $(basename "$2") holds: $3"; else ok; fi
}

# ---- a session decided in two runs ------------------------------------------
# run 1: the sample folder; run 2: 003 again (superseded), 005 with an
# assessor outside the jury (now not decided), 007 refused with J2 declared
# a professional (the jury must not take it), 008 decided with J3 as a
# trainer (J3 then has two profiles: flagged).
expect import 0 "$bin" import -o "$tmp/records.jsonl" "$folder"
expect eval1 0 "$bin" eval -q -a "$store" -o "$tmp/run1.jsonl" "$tmp/records.jsonl"
{
    grep '"candidate":"AICMP-2024-003"' "$tmp/records.jsonl"
    grep '"candidate":"AICMP-2024-005"' "$tmp/records.jsonl" | sed 's/"assessors":{"J1"/"assessors":{"J9"/'
    grep '"candidate":"AICMP-2024-007"' "$tmp/records.jsonl" |
        sed 's/{"id":"J2","profile":"trainer"}/{"id":"J2","profile":"professional"}/'
    grep '"candidate":"AICMP-2024-008"' "$tmp/records.jsonl" |
        sed 's/{"id":"J3","profile":"professional"}/{"id":"J3","profile":"trainer"}/'
} >"$tmp/run2-records.jsonl"
expect eval2 1 "$bin" eval -q -a "$store" -o "$tmp/run2.jsonl" "$tmp/run2-records.jsonl"
grep -q '"code":"E_JURY"' "$tmp/run2.jsonl" && ok || ko "run 2: no E_JURY record"

# ---- pv -----------------------------------------------------------------
pv=$tmp/pv.html
expect pv 0 "$bin" pv -a "$store" -s "$folder" -o "$pv"
expect pv-stdout 0 "$bin" pv -a "$store" -s "$folder"
cmp -s "$pv" "$tmp/pv-stdout.out" && ok || ko "pv: -o and stdout differ"
expect pv-again 0 "$bin" pv -a "$store" -s "$folder" -o "$tmp/pv2.html"
cmp -s "$pv" "$tmp/pv2.html" && ok || ko "pv: not the same bytes twice"
# self-contained: no script, nothing fetched
for bad in '<script' 'src=' 'href=' 'url(' '@import' 'http:' 'https:'; do lacks pv-self "$pv" "$bad"; done
contains pv-a4 "$pv" "@page{size:A4;"
contains pv-lang "$pv" '<html lang="fr">'
contains pv-certifier "$pv" "IMELIS (Institut des métiers du lien social)"
contains pv-title "$pv" "RNCP36524 — <b>Agent d&#39;information, de communication et de médiation de proximité</b>, version 2022.1"
contains pv-place "$pv" "Lyon 8e, salle Jean Jaurès"
contains pv-date "$pv" "14 mars 2024"
# every candidate of candidats.csv by name, in its order
tail -n +2 "$folder/candidats.csv" | cut -d';' -f2 >"$tmp/names"
order=$(grep -o '<span class="nom">[^<]*</span>' "$pv" | sed "s/<[^>]*>//g; s/&#39;/'/g" | awk '!seen[$0]++' |
        grep -Fxf "$tmp/names")
[ "$order" = "$(cat "$tmp/names")" ] && ok || ko "pv: candidates not in candidats.csv order"
# the jury: names, president, J2 a trainer only (the refused record does not count), J3 flagged
contains pv-president "$pv" '<span class="nom">Perrin</span> Nathalie</td><td class="id">J1</td><td>professionnel du métier</td><td><b>Président(e) du jury</b>'
contains pv-j2 "$pv" '<td class="id">J2</td><td>formateur</td>'
contains pv-j3 "$pv" "Le membre J3 figure avec deux profils différents"
lacks pv-j2-flag "$pv" "Le membre J2 figure"
# decisions and sources, deliberations with their motivation
# the title's own reasons, on a row under the candidate's decisions
contains pv-title-reason "$pv" '<tr class="why"><td></td><td colspan="6">Motif : RNCP36524BC05 acquis le 2024-06-20 : date postérieure à la session, non pris en compte</td></tr>'
contains pv-capitalised "$pv" '<td class="validated">validé<span class="note">capitalisé</span></td>'
contains pv-deliberation "$pv" "Entretien perturbé par un incident de salle ; la mise en situation démontre la maîtrise attendue."
contains pv-deliberation "$pv" "(décision calculée : non validé)"
# not decided, in French, the engine's message as detail
contains pv-fix "$pv" "Un évaluateur ne fait pas partie du jury : l&#39;ajouter à jury.csv"
contains pv-fix "$pv" "Détail : E_JURY — BC01.msp: assessor J9 is not a member of the jury"
contains pv-fix "$pv" "Le jury doit compter au moins un formateur"
# superseded entries counted; statistics drawn; the seal of the head
contains pv-superseded "$pv" "30 entrées de la session, n° 1 à 34. 4 entrées d'une évaluation antérieure, remplacées"
contains pv-chart "$pv" '<svg viewBox="0 0 680'
contains pv-chart "$pv" "Décisions par bloc"
contains pv-chart "$pv" "Répartition des scores de compétence"
contains pv-chart "$pv" "Écarts entre évaluateurs"
head_seq=$(sed 's/.*"seq":\([0-9]*\).*/\1/' "$store/head")
head_hash=$(sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/' "$store/head")
contains pv-seal "$pv" "$head_seq:$head_hash"
"$bin" verify -a "$store" --seal "$head_seq:$head_hash" >/dev/null 2>&1 && ok || ko "pv: its seal does not verify"
contains pv-sign "$pv" "Fait à Lyon 8e, salle Jean Jaurès, le 14 mars 2024."

# ---- attestation ----------------------------------------------------------
att=$tmp/attestations.html
expect attestation 0 "$bin" attestation -a "$store" -s "$folder" -o "$att"
for bad in '<script' 'src=' 'href=' 'url(' 'http:'; do lacks att-self "$att" "$bad"; done
pages=$(grep -c '<section class="page">' "$att")
[ "$pages" -eq "$(wc -l <"$tmp/names")" ] && ok || ko "attestation: $pages pages"
expect attestation-one 0 "$bin" attestation -a "$store" -s "$folder" AICMP-2024-006 AICMP-2024-005
[ "$(grep -c '<section class="page">' "$tmp/attestation-one.out")" -eq 2 ] && ok || ko "attestation: not 2 pages"
contains att-capitalised "$tmp/attestation-one.out" "<td>capitalisé</td>"
contains att-undecided "$tmp/attestation-one.out" "n'a pas pu être examiné"
# a missed block gives its own reasons, not one per competency it could not judge
expect attestation-absent 0 "$bin" attestation -a "$store" -s "$folder" AICMP-2024-012
contains att-absent "$tmp/attestation-absent.out" "BC05.rapport : candidat absent (non remis)"
lacks att-absent "$tmp/attestation-absent.out" "aucune épreuve n&#39;a évalué"
expect attestation-unknown 1 "$bin" attestation -a "$store" -s "$folder" NOBODY
contains attestation-unknown "$tmp/attestation-unknown.err" "le candidat NOBODY n'est ni dans candidats.csv ni dans les décisions de la session"

# ---- export -------------------------------------------------------------------
expect export 0 "$bin" export -a "$store" -s "$folder" -o "$tmp/export.csv"
[ "$(head -c 3 "$tmp/export.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && ok || ko "export: no BOM"
head -1 "$tmp/export.csv" | grep -q '"session";"candidat";"nom";"prenom";"date_naissance";"titre"' &&
    ok || ko "export: header"
# 28 decided candidates x 5 blocks; 005 and 007 (refused in their latest run) one row each
[ "$(($(wc -l <"$tmp/export.csv") - 1))" -eq 142 ] && ok || ko "export: $(wc -l <"$tmp/export.csv") lines"
contains export-row "$tmp/export.csv" '"AICMP-2024-005";"Lefèvre";'
contains export-row "$tmp/export.csv" '"E_JURY"'
expect export-jsonl 0 "$bin" export -a "$store" -s "$folder" --format jsonl
[ "$(wc -l <"$tmp/export-jsonl.out")" -eq 142 ] && ok || ko "export jsonl: $(wc -l <"$tmp/export-jsonl.out") lines"
/usr/bin/python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert all(r["session"]=="IMELIS-2024-03" for r in rows)
assert sum(r["decision_bloc"]=="validated" and r["source"]=="capitalised" for r in rows) >= 1' \
    "$tmp/export-jsonl.out" && ok || ko "export jsonl: unreadable or wrong"
expect export-format 2 "$bin" export -a "$store" -s "$folder" --format xml
contains export-format "$tmp/export-format.err" "certeval: export : --format : csv ou jsonl, pas « xml » ; voir « certeval export --help »"

# ---- usage; a broken chain gives no document -------------------------------
for c in pv attestation export; do
    expect "$c-help" 0 "$bin" "$c" --help
    expect "$c-usage" 2 "$bin" "$c" -a "$store"
    contains "$c-usage" "$tmp/$c-usage.err" "certeval: $c : il manque -s DIR, le dossier de session ; voir « certeval $c --help »"
done
expect pv-extra 2 "$bin" pv -a "$store" -s "$folder" en-trop
contains pv-extra "$tmp/pv-extra.err" "certeval: pv : argument inattendu « en-trop » ; voir « certeval pv --help »"
expect export-extra 2 "$bin" export -a "$store" -s "$folder" en-trop
contains export-extra "$tmp/export-extra.err" "argument inattendu « en-trop »"
expect export-novalue 2 "$bin" export -a "$store" -s
contains export-novalue "$tmp/export-novalue.err" "certeval: export : l'option « -s » demande une valeur ; voir « certeval export --help »"
expect pv-bad-short 2 "$bin" pv -x
contains pv-bad-short "$tmp/pv-bad-short.err" "certeval: pv : option inconnue « -x »"
# the output cannot be made or written: said in French, nothing left behind
expect pv-nodir 2 "$bin" pv -a "$store" -s "$folder" -o "$tmp/no/such/pv.html"
contains pv-nodir "$tmp/pv-nodir.err" "certeval: $tmp/no/such/pv.html : impossible de créer le fichier (introuvable)"
# (a file size limit of 1 KiB, SIGXFSZ ignored: the write fails with EFBIG)
expect export-big 2 sh -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' sh \
    "$bin" export -a "$store" -s "$folder" -o "$tmp/export-big.csv"
contains export-big "$tmp/export-big.err" "certeval: $tmp/export-big.csv : écriture impossible (fichier trop gros pour la limite du système)"
[ ! -e "$tmp/export-big.csv" ] && ok || ko "export-big: a partial document was left"
cp -r "$store" "$tmp/tampered"
sed -i '7s/formation_continue/formation_continuX/' "$tmp/tampered/log.jsonl"
for c in pv attestation export; do
    expect "$c-tampered" 1 "$bin" "$c" -a "$tmp/tampered" -s "$folder" -o "$tmp/$c-tampered.doc"
    contains "$c-tampered" "$tmp/$c-tampered.err" "certeval: le registre d'audit $tmp/tampered n'est pas intact à l'entrée n° 7 (ligne 7 de log.jsonl) : aucun document n'en est tiré. Le faire contrôler en entier (certeval verify -a $tmp/tampered) et prévenir le certificateur. Détail : entry 7 (line 7) was edited"
    [ ! -e "$tmp/$c-tampered.doc" ] && ok || ko "$c: wrote a document from a broken chain"
done
# a stored package altered after the decisions (verify refuses the store):
# no document prints the altered title's words
cp -r "$store" "$tmp/altered"
for t in "$tmp"/altered/objects/*/rncp36524/title.json; do
    sed -i 's/Rendre compte de son activité/Bloc falsifié/' "$t"
done
for c in pv attestation export; do
    expect "$c-altered" 1 "$bin" "$c" -a "$tmp/altered" -s "$folder" -o "$tmp/$c-altered.doc"
    contains "$c-altered" "$tmp/$c-altered.err" "was altered"
    contains "$c-altered" "$tmp/$c-altered.err" "(certeval verify -a $tmp/altered)"
    grep -q "registre d'audit .* n'est pas intact à l'entrée n° [0-9]" "$tmp/$c-altered.err" && ok ||
        ko "$c-altered: no entry named"
    [ ! -e "$tmp/$c-altered.doc" ] && ok || ko "$c: wrote a document from an altered package"
done
# an output that is a .csv file of the session folder (by name or a hard
# link) is refused: it would replace what the secretary filled in
cp -r "$folder" "$tmp/own"
ln "$tmp/own/jury.csv" "$tmp/jury-link.csv"
for c in pv attestation export; do
    expect "$c-own" 2 "$bin" "$c" -a "$store" -s "$tmp/own" -o "$tmp/own/candidats.csv"
    contains "$c-own" "$tmp/$c-own.err" "certeval: la sortie $tmp/own/candidats.csv est le fichier $tmp/own/candidats.csv du dossier de session : il serait remplacé ; choisir un autre fichier (-o)"
done
expect export-own-link 2 "$bin" export -a "$store" -s "$tmp/own" -o "$tmp/jury-link.csv"
contains export-own-link "$tmp/export-own-link.err" "est le fichier $tmp/own/jury.csv du dossier de session"
diff -r "$folder" "$tmp/own" >/dev/null && ok || ko "own: a file of the session folder was written over"
expect export-own-new 0 "$bin" export -a "$store" -s "$tmp/own" -o "$tmp/own/registre.csv"
# no store where -a points: said in French, what to check
for c in pv attestation export; do
    expect "$c-nostore" 2 "$bin" "$c" -a "$tmp/no-store" -s "$folder" -o "$tmp/$c-nostore.doc"
    contains "$c-nostore" "$tmp/$c-nostore.err" "certeval: impossible de lire le registre d'audit $tmp/no-store : vérifier le dossier donné par -a (celui où certeval eval -a a enregistré les décisions de la session). Détail : "
    [ ! -e "$tmp/$c-nostore.doc" ] && ok || ko "$c: wrote a document without a store"
done
expect other-store 1 "$bin" eval -q -a "$tmp/other" -o /dev/null examples/sessions/tp-sample.jsonl
expect pv-nosession 1 "$bin" pv -a "$tmp/other" -s "$folder"
contains pv-nosession "$tmp/pv-nosession.err" "le registre d'audit $tmp/other ne contient aucune décision de la session IMELIS-2024-03 : importer le dossier puis évaluer ses fiches avec ce registre"
expect pv-in-store 2 "$bin" pv -a "$store" -s "$folder" -o "$store/pv.html"
contains pv-in-store "$tmp/pv-in-store.err" "la sortie $store/pv.html est dans le registre d'audit $store : choisir un autre fichier (-o), hors du registre"
# a folder with problems gives no document: each problem told, in French
cp -r "$folder" "$tmp/broken"
rm "$tmp/broken/jury.csv"
expect pv-broken 1 "$bin" pv -a "$store" -s "$tmp/broken" -o "$tmp/pv-broken.html"
contains pv-broken "$tmp/pv-broken.err" "jury.csv: fichier absent du dossier de session"
[ ! -e "$tmp/pv-broken.html" ] && ok || ko "pv: wrote a document from a broken folder"
# more problems than are kept: the rest counted, in French
cp -r "$folder" "$tmp/many"
{ head -1 "$folder/candidats.csv"; for i in $(seq 120); do printf 'C %d;Nom;Prénom;;;\r\n' "$i"; done; } \
    >"$tmp/many/candidats.csv"
expect pv-many 1 "$bin" pv -a "$store" -s "$tmp/many"
contains pv-many "$tmp/pv-many.err" "certeval: ... et 20 autres problèmes non affichés"
expect pv-no-folder 2 "$bin" pv -a "$store" -s "$tmp/no-such-folder"
contains pv-no-folder "$tmp/pv-no-folder.err" "certeval: $tmp/no-such-folder : dossier de session illisible (introuvable)"

# a candidate decided but missing from candidats.csv is printed last, without a name
cp -r "$folder" "$tmp/short"
grep -v '^AICMP-2024-002;' "$folder/candidats.csv" >"$tmp/short/candidats.csv"
expect pv-short 0 "$bin" pv -a "$store" -s "$tmp/short"
contains pv-short "$tmp/pv-short.out" '<tr><td><i>(absent du dossier de session)</i><span class="note">AICMP-2024-002</span>'
[ "$(grep -o 'AICMP-2024-0[0-9][0-9]</span></td><td class="awarded">' "$tmp/pv-short.out" | tail -1)" = \
  'AICMP-2024-002</span></td><td class="awarded">' ] && ok || ko "pv: the candidate missing from candidats.csv is not last"
expect att-short 0 "$bin" attestation -a "$store" -s "$tmp/short"
[ "$(grep -c '<section class="page">' "$tmp/att-short.out")" -eq 30 ] && ok || ko "attestation: not 30 pages"

# ---- hostile names print as text ------------------------------------------------
hostile=$tmp/hostile
cp -r "$folder" "$hostile"
long=$(printf 'W%.0s' $(seq 4096))
rlo=$(printf '\342\200\256')
awk -F';' -v OFS=';' -v long="$long" -v rlo="$rlo" '
    NR == 2 { $2 = "<script>alert(1)</script>" }
    NR == 3 { $2 = "\"\"\"><img src=x onerror=alert(1)>\"" }
    NR == 4 { $2 = "Ali" rlo "gnp.exe" }
    NR == 5 { $2 = long }
    NR == 6 { $2 = "=HYPERLINK(\"\"http://x\"\")"; $2 = "\"" $2 "\"" }
    NR == 7 { $3 = "Ju\033[31mlie" }
    NR == 8 { $2 = "Bel\007le"; $3 = "@SUM(A1)" }
    NR == 9 { $2 = "Du\tVal"; $3 = "-2+3" }
    NR == 10 { $2 = "+33 6 00"; $3 = "Zoé\302\205" }
    { print }' "$folder/candidats.csv" >"$hostile/candidats.csv"
sed -i '2s/;Perrin;/;<b onmouseover=alert(1)>Perrin<\/b>;/; 2s/;oui;/;oui;/' "$hostile/jury.csv"
sed -i "2s/;Lyon 8e, salle Jean Jaurès;/;<iframe src=x><\/iframe>$rlo;/" "$hostile/session.csv"
expect hostile-pv 0 "$bin" pv -a "$store" -s "$hostile" -o "$tmp/hostile-pv.html"
expect hostile-att 0 "$bin" attestation -a "$store" -s "$hostile" -o "$tmp/hostile-att.html"
for f in "$tmp/hostile-pv.html" "$tmp/hostile-att.html"; do
    for bad in '<script' '<img' '<iframe' '<b onmouseover' "$rlo"; do lacks hostile "$f" "$bad"; done
    contains hostile "$f" "&lt;script&gt;alert(1)&lt;/script&gt;"
    contains hostile "$f" "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    contains hostile "$f" 'Ali<span class="esc">\u202E</span>gnp.exe'
    contains hostile "$f" "$long"
    contains hostile "$f" 'Ju<span class="esc">\u001B</span>[31mlie'
    lacks hostile "$f" "$(printf '\033')"
done
# the export: a formula is text (a leading apostrophe), controls and bidi
# overrides are visible escapes in CSV, JSON escapes in JSON Lines
expect hostile-export 0 "$bin" export -a "$store" -s "$hostile" -o "$tmp/hostile.csv"
hcsv=$tmp/hostile.csv
contains hostile-export "$hcsv" "\"'=HYPERLINK(\"\"http://x\"\")\""
contains hostile-export "$hcsv" '"AICMP-2024-003";"Ali\u202Egnp.exe";'
contains hostile-export "$hcsv" '"Ju\u001B[31mlie"'
contains hostile-export "$hcsv" '"AICMP-2024-007";"Bel\u0007le";"'"'"'@SUM(A1)";'
contains hostile-export "$hcsv" '"AICMP-2024-008";"Du\u0009Val";"'"'"'-2+3";'
contains hostile-export "$hcsv" '"AICMP-2024-009";"'"'"'+33 6 00";"Zoé\u0085";'
lacks hostile-export "$hcsv" '&lt;script&gt;'
contains hostile-export "$hcsv" '"<script>alert(1)</script>"'
for bad in "$rlo" "$(printf '\033')" "$(printf '\007')" "$(printf '\t')" "$(printf '\302\205')"; do
    lacks hostile-export "$hcsv" "$bad"
done
# one line per row: as many lines as the sample folder's export
[ "$(wc -l <"$hcsv")" -eq "$(wc -l <"$tmp/export.csv")" ] && ok || ko "hostile export: rows split across lines"
expect hostile-jsonl 0 "$bin" export -a "$store" -s "$hostile" --format jsonl
for bad in "$rlo" "$(printf '\033')" "$(printf '\007')" "$(printf '\302\205')"; do
    lacks hostile-jsonl "$tmp/hostile-jsonl.out" "$bad"
done
contains hostile-jsonl "$tmp/hostile-jsonl.out" '"nom":"Ali\u202egnp.exe"'
/usr/bin/python3 -c 'import json,sys
rows={r["candidat"]: r for r in map(json.loads, open(sys.argv[1]))}
assert rows["AICMP-2024-003"]["nom"] == "Ali\u202egnp.exe"
assert rows["AICMP-2024-006"]["prenom"] == "Ju\x1b[31mlie"
assert rows["AICMP-2024-007"]["nom"] == "Bel\x07le" and rows["AICMP-2024-007"]["prenom"] == "@SUM(A1)"
assert rows["AICMP-2024-008"]["nom"] == "Du\tVal" and rows["AICMP-2024-009"]["prenom"] == "Zo\xe9\x85"' \
    "$tmp/hostile-jsonl.out" && ok || ko "hostile export jsonl: not the folder's text once read"

# ---- a real browser -------------------------------------------------------------
# One Chromium run per document, on a copy with a test-only script that
# probes the console and checks that no element's box passes the body's (the
# A4 printable width, 178 mm, in a 794 px = 210 mm window), writing the
# result into an attribute of <html> (invisible in print): the PDF, the PNG
# and the DOM come from that run.
chromium_bin=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium_bin" ] || ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then
    echo "documents: SKIPPED the browser check: chromium or poppler-utils (pdftotext, pdfinfo) is not installed"
    finish documents
    exit
fi
probe='<script>(function(){var b=document.body.getBoundingClientRect(),bad=[];
document.querySelectorAll("body *").forEach(function(e){var r=e.getBoundingClientRect();
if(r.width===0&&r.height===0)return;
if(r.right>b.right+0.5||r.left<b.left-0.5)bad.push(e.tagName+"."+(e.getAttribute("class")||"")+":"+Math.round(r.right));});
document.documentElement.setAttribute("data-overflow",bad.length+" "+bad.slice(0,5).join(" "));
console.log("cev-console-probe");})();</script></body>'
browse() { # browse NAME HTML: $tmp/NAME.{pdf,png,dom,log}
    { grep -v -e '^</body>$' -e '^</html>$' "$2"; printf '%s\n</html>\n' "$probe"; } >"$tmp/$1.check.html"
    DBUS_SESSION_BUS_ADDRESS=disabled: timeout 60 "$chromium_bin" --headless --no-sandbox \
        --disable-gpu --single-process --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-default-apps --mute-audio \
        --user-data-dir="$tmp/chromium-profile" --no-pdf-header-footer --window-size=794,1123 \
        --enable-logging=stderr --v=0 --print-to-pdf="$tmp/$1.pdf" --screenshot="$tmp/$1.png" \
        --dump-dom "$tmp/$1.check.html" >"$tmp/$1.dom" 2>"$tmp/$1.log"
    [ -s "$tmp/$1.pdf" ] && ok || { ko "$1: no PDF"; return 1; }
    [ -s "$tmp/$1.png" ] && ok || ko "$1: no PNG"
    grep -q 'CONSOLE.*"cev-console-probe"' "$tmp/$1.log" && ok || ko "$1: the console was not captured"
    if grep 'CONSOLE' "$tmp/$1.log" | grep -v '"cev-console-probe"' >"$tmp/$1.console"; then
        ko "$1: console messages"
        head -3 "$tmp/$1.console"
    else ok; fi
    grep -q 'data-overflow="0 "' "$tmp/$1.dom" && ok ||
        ko "$1: overflows the printable width: $(grep -o 'data-overflow="[^"]*"' "$tmp/$1.dom")"
    pdftotext -layout "$tmp/$1.pdf" "$tmp/$1.txt"
}
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

if browse pv "$pv"; then
    n=$(pages "$tmp/pv.pdf")
    [ "$n" -ge 3 ] && [ "$n" -le 8 ] && ok || ko "pv: $n pages, expected 3 to 8"
    # every candidate's name, and on its line its title decision
    tail -n +2 "$folder/candidats.csv" | cut -d';' -f1-3 | while IFS=';' read -r id nom prenom; do
        want=$(grep -h "\"candidate\":\"$id\"" "$tmp/run1.jsonl" "$tmp/run2.jsonl" | tail -1 |
               sed -n 's/.*"session":{[^}]*},"decision":"\([a-z_]*\)".*/\1/p')
        case $want in
        awarded) words="Obtenu" ;;
        partial) words="Partiellement" ;;
        not_awarded) words="Non obtenu" ;;
        *) words="Non décidé" ;;
        esac
        grep -F "$nom $prenom" "$tmp/pv.txt" | grep -qF "$words" && echo ok ||
            echo "FAIL: pv.pdf: $id $nom $prenom without « $words » on its line"
    done >"$tmp/pv-names"
    grep 'FAIL' "$tmp/pv-names" | head -3
    [ "$(grep -c '^ok$' "$tmp/pv-names")" -eq 30 ] && ok || ko "pv.pdf: names and decisions"
    contains pv-pdf "$tmp/pv.txt" "$head_hash"
    contains pv-pdf "$tmp/pv.txt" "n° $head_seq"
    contains pv-pdf "$tmp/pv.txt" "Signatures"
    contains pv-pdf "$tmp/pv.txt" "Procès-verbal — page 1 / $n"
    contains pv-pdf "$tmp/pv.txt" "Procès-verbal — page $n / $n"
fi
if browse attestations "$att"; then
    n=$(pages "$tmp/attestations.pdf")
    [ "$n" -ge 30 ] && [ "$n" -le 60 ] && ok || ko "attestations: $n pages, expected 30 to 60"
    # page by page: each candidate's pages hold its name and its decision
    pdftotext "$tmp/attestations.pdf" "$tmp/attestations.plain"
    awk '/Relevé de décision du jury/ { n++ } { print > (dir "/att-" n ".txt") }' dir="$tmp" \
        "$tmp/attestations.plain"
    i=0
    tail -n +2 "$folder/candidats.csv" | cut -d';' -f1-3 | while IFS=';' read -r id nom prenom; do
        i=$((i + 1))
        want=$(grep -h "\"candidate\":\"$id\"" "$tmp/run1.jsonl" "$tmp/run2.jsonl" | tail -1 |
               sed -n 's/.*"session":{[^}]*},"decision":"\([a-z_]*\)".*/\1/p')
        case $want in
        awarded) words="Titre obtenu" ;;
        partial) words="Titre partiellement obtenu" ;;
        not_awarded) words="Titre non obtenu" ;;
        *) words="n'a pas pu être examiné" ;;
        esac
        f=$tmp/att-$i.txt
        grep -qF "$nom $prenom" "$f" && grep -qF "$words" "$f" && echo ok ||
            echo "FAIL: attestations.pdf: page of $id lacks $nom $prenom or « $words »"
    done >"$tmp/att-names"
    grep 'FAIL' "$tmp/att-names" | head -3
    [ "$(grep -c '^ok$' "$tmp/att-names")" -eq 30 ] && ok || ko "attestations.pdf: names and decisions"
fi
# hostile names: a 4 KiB name wraps inside the page
browse hostile-pv "$tmp/hostile-pv.html" >/dev/null
echo "documents: PDFs and PNGs in $tmp"
# ---- a TP session titre: the entry a CCP is credited from -----------------------
# TMS15-02 holds a 2004 CCP obtained after 2012-02-21 (no equivalence) and,
# later, the 2012 CCP itself: the attestation shows the 2012 one, capitalised,
# with its date and until when it stays usable.
rm -rf "$tmp/tp" "$tmp/tp-store" && cp -r examples/sessions/tp-tms-2012-session "$tmp/tp"
sed -i 's|TMS2004-CCP1@14/06/2011|TMS2004-CCP1@01/06/2012 TMS2012-CCP1@01/06/2013|' "$tmp/tp/candidats.csv"
expect tp-import 0 "$bin" import -o "$tmp/tp.jsonl" "$tmp/tp"
expect tp-eval 0 "$bin" eval -q -a "$tmp/tp-store" "$tmp/tp.jsonl"
expect tp-attestation 0 "$bin" attestation -a "$tmp/tp-store" -s "$tmp/tp" TMS15-02
contains tp-attestation "$tmp/tp-attestation.out" '<td><b>TMS2012-CCP1</b> Participer à des réseaux professionnels et contribuer à une veille sociale territoriale</td><td>1er juin 2013</td><td>capitalisé</td><td>15 mai 2018</td>'
contains tp-attestation "$tmp/tp-attestation.out" "TMS2004-CCP1 acquis le 2012-06-01 : obtenu à partir du 2012-02-21, il ne vaut pas équivalence dans cette version du titre"

finish documents
