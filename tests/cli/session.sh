#!/bin/sh
# The jury secretary's session folder: template -> fill -> import -> eval
# gives the decisions of the hand-written records; every bad input gets its
# French message and nothing is written.
# session.sh CERTEVAL SOURCE_DIR TMP_DIR   (CEV_UPDATE_GOLDEN=1 rewrites the goldens)
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/session
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1
golden=$src/tests/cli/golden
aicmp=examples/sessions/rncp36524-session
tp=examples/sessions/tp-tms-2012-session
golden_check() { # golden_check NAME FILE GOLDEN
    if [ "${CEV_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$2" "$golden/$3"; fi
    if cmp -s "$golden/$3" "$2"; then ok; else ko "$1: differs from $3"; diff "$golden/$3" "$2" | head -5; fi
}
lacks() { # lacks NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then ko "$1: $(basename "$2") holds: $3"; else ok; fi
}

# -- template: every file with its header, LISEZMOI.txt with the labels ------
expect template 0 "$bin" template rncp36524 "$tmp/empty"
for f in session candidats jury deliberations calendrier BC01.terrain BC01.msp BC02.msp_individuelle \
         BC02.msp_collective BC02.cartographie BC02.etude_cas BC03.msp BC03.entretien \
         BC04.dossier_projet BC04.oral_projet BC04.cartographie BC05.rapport BC05.msp; do
    [ -f "$tmp/empty/$f.csv" ] && ok || ko "template: no $f.csv"
    # the sample folder was filled from this template: same header row
    [ "$(head -1 "$tmp/empty/$f.csv")" = "$(head -1 "$aicmp/$f.csv")" ] && ok ||
        ko "template: $f.csv header differs from the sample's"
done
[ "$(ls "$tmp/empty" | wc -l)" -eq 19 ] && ok || ko "template: $(ls "$tmp/empty" | wc -l) files, expected 19"
contains template-header "$tmp/empty/BC01.msp.csv" "candidat;evaluateur;statut;c1;c2;c3;c4"
contains template-header "$tmp/empty/BC04.dossier_projet.csv" "candidat;evaluateur;statut;remis_le;pages;partenariat"
contains template-header "$tmp/empty/BC03.entretien.csv" "candidat;evaluateur;statut;minutes;t1"
contains template-header "$tmp/empty/BC01.terrain.csv" "candidat;statut;tuteur;BC01.C1;BC01.C2"
readme=$tmp/empty/LISEZMOI.txt
contains readme "$readme" "Agent d'information, de communication et de médiation de proximité (RNCP36524, version 2022.1)"
contains readme "$readme" "c1  Applique les consignes reçues pour la mission simulée (note de 0 à 3)"
contains readme "$readme" "compétence BC01.C2 : Respecter les consignes"
contains readme "$readme" "BC01.terrain.csv : Evaluation de terrain par l’encadrant"
contains readme "$readme" "RNCP36524BC03  Apaiser les tensions et gérer les conflits"
contains readme "$readme" "voie            voie d'accès, l'une de : formation_continue contrat_professionnalisation vae"
contains readme "$readme" "« CSV UTF-8 (délimité par"
expect template-tp 0 "$bin" template "$src/rules/tp-tms-2012" "$tmp/empty-tp"
for f in DP EF TMS2012-CCP2.questionnaire calendrier; do
    [ "$(head -1 "$tmp/empty-tp/$f.csv")" = "$(head -1 "$tp/$f.csv")" ] && ok || ko "template tp: $f.csv"
done
# the samples carry the LISEZMOI.txt their template writes
cmp -s "$readme" "$aicmp/LISEZMOI.txt" && ok || ko "template: the AICMP sample's LISEZMOI.txt differs"
cmp -s "$tmp/empty-tp/LISEZMOI.txt" "$tp/LISEZMOI.txt" && ok || ko "template: the TP sample's LISEZMOI.txt differs"
contains template-empty-dossier "$tmp/empty-tp/LISEZMOI.txt" "Épreuve sans note : une ligne par candidat, evaluateur vide."
contains template-quiz "$tmp/empty-tp/LISEZMOI.txt" "q2  Quels droits relèvent de la CAF ? (compétence CCP2.C2)"
# an existing folder that is not empty is never written into
expect template-not-empty 2 "$bin" template rncp36524 "$tmp/empty"
contains template-not-empty "$tmp/template-not-empty.err" "le dossier n'est pas vide (rien n'a été écrit)"
expect template-no-package 2 "$bin" template no-such-package "$tmp/none"
contains template-no-package "$tmp/template-no-package.err" "certeval: référentiel « no-such-package » introuvable : ni un dossier, ni un référentiel du dossier des référentiels"
# a folder holding only a link (to a file elsewhere, or to nothing) is not
# empty: nothing is written, through the link or beside it
mkdir -p "$tmp/linked" && printf 'garde\n' >"$tmp/outside.csv" &&
    ln -s "$tmp/outside.csv" "$tmp/linked/candidats.csv"
expect template-link 2 "$bin" template rncp36524 "$tmp/linked"
contains template-link "$tmp/template-link.err" "le dossier n'est pas vide (rien n'a été écrit)"
[ "$(cat "$tmp/outside.csv")" = garde ] && [ "$(ls "$tmp/linked")" = candidats.csv ] && ok ||
    ko "template-link: wrote through or beside the link"
mkdir -p "$tmp/dangling" && ln -s "$tmp/nowhere.csv" "$tmp/dangling/jury.csv"
expect template-dangling 2 "$bin" template rncp36524 "$tmp/dangling"
[ ! -e "$tmp/nowhere.csv" ] && ok || ko "template-dangling: created the link's target"
# in French, why a folder cannot be made
expect template-no-parent 2 "$bin" template rncp36524 "$tmp/no/such/parent"
contains template-no-parent "$tmp/template-no-parent.err" "impossible de créer le dossier (introuvable)"
[ ! -e "$tmp/none" ] && ok || ko "template of no package created its folder"
# a package whose assessment id cannot name a file of the folder ("../x",
# "jury"): neither template nor import touches a file for it
mkdir -p "$tmp/evil" && cp -r rules/rncp36524 "$tmp/evil/" &&
    sed -i 's/"id": "BC01.msp"/"id": "..\/..\/x"/' "$tmp/evil/rncp36524/title.json"
expect template-evil 2 "$bin" template "$tmp/evil/rncp36524" "$tmp/evil-out"
contains template-evil "$tmp/template-evil.err" 'assessment id "../../x" cannot name a file of the session folder'
[ ! -e "$tmp/evil-out" ] && ok || ko "template-evil: the folder was created"
sed -i 's/"id": "..\/..\/x"/"id": "Jury"/' "$tmp/evil/rncp36524/title.json"
expect import-evil 2 "$bin" import -r "$tmp/evil" -o "$tmp/evil.jsonl" "$aicmp"
contains import-evil "$tmp/import-evil.err" 'assessment id "Jury" cannot name a file'
[ ! -e "$tmp/evil.jsonl" ] && ok || ko "import-evil: records were written"
expect template-usage 2 "$bin" template rncp36524
contains template-usage "$tmp/template-usage.err" "certeval: template : il manque DIR, le dossier à créer ; voir « certeval template --help »"
expect template-extra 2 "$bin" template rncp36524 "$tmp/x" en-trop
contains template-extra "$tmp/template-extra.err" "certeval: template : argument inattendu « en-trop »"
expect template-no-o 2 "$bin" template -o x rncp36524 "$tmp/x"
contains template-no-o "$tmp/template-no-o.err" "certeval: template : option inconnue « -o »"
expect template-help 0 "$bin" template --help

# -- fill (the sample's CSV files over the template), import, eval ----------
cp "$aicmp"/*.csv "$tmp/empty/"
expect import 0 "$bin" import -o "$tmp/aicmp.jsonl" "$tmp/empty"
golden_check import "$tmp/aicmp.jsonl" rncp36524-session.jsonl
[ "$(wc -l <"$tmp/aicmp.jsonl")" -eq 30 ] && ok || ko "import: not 30 records"
# names stay in the folder
for name in Martin Léa Perrin Nathalie "Lyon 8e" "IMELIS Lyon" 1981-02-02; do
    lacks import-names "$tmp/aicmp.jsonl" "$name"
done
# the same decisions as the 30 hand-written records of the sample session
head -30 examples/sessions/rncp36524-sample.jsonl >"$tmp/hand.jsonl"
expect eval-imported 0 "$bin" eval -q -j 2 "$tmp/aicmp.jsonl"
expect eval-hand 0 "$bin" eval -q -j 2 "$tmp/hand.jsonl"
nohash() { sed -E 's/"input_sha256":"[0-9a-f]{64}"//' "$1"; }
nohash "$tmp/eval-imported.out" >"$tmp/imported.dec"
nohash "$tmp/eval-hand.out" >"$tmp/hand.dec"
if cmp -s "$tmp/imported.dec" "$tmp/hand.dec"; then ok; else
    ko "round trip: the imported records decide otherwise than the hand-written ones"
    diff "$tmp/hand.dec" "$tmp/imported.dec" | head -6
fi
[ "$(grep -c '"decision":"awarded"' "$tmp/imported.dec")" -eq 14 ] && ok || ko "round trip: awarded count"
# stdout, and the same bytes
expect import-stdout 0 "$bin" import "$aicmp"
cmp -s "$tmp/import-stdout.out" "$tmp/aicmp.jsonl" && ok || ko "import to stdout differs from -o"
# the TP session titre (session.type, deadlines from calendrier.csv, quiz, DP, EF)
expect import-tp 0 "$bin" import "$tp"
golden_check import-tp "$tmp/import-tp.out" tp-tms-2012-session.jsonl
contains import-tp "$tmp/import-tp.out" '"session":{"id":"AFPA-TMS-2015-06","date":"2015-06-15","type":"titre","deadlines":{"DP":"2015-06-01"}}'
contains import-tp "$tmp/import-tp.out" '"q2":["a","c"]'
contains import-tp "$tmp/import-tp.out" '"DP":{"status":"missing"}'
contains import-tp "$tmp/import-tp.out" '"duration_minutes":28.5'
contains import-tp "$tmp/import-tp.out" '"acquired_blocks":[{"block":"TMS2004-CCP1","date":"2011-06-14"}]'
# ... and every record it gives is decided: the session titre's rules see the DP
# not handed in and the EF missed, and the 2004 CCP held by equivalence
expect eval-tp 0 "$bin" eval -q "$tmp/import-tp.out"
[ "$(grep -c '"decision":"awarded"' "$tmp/eval-tp.out")" -eq 2 ] && ok || ko "TP round trip: awarded count"
grep '"candidate":"TMS15-04"' "$tmp/eval-tp.out" >"$tmp/tp-04.dec"
contains eval-tp "$tmp/tp-04.dec" '"decision":"partial","reasons":["dossier professionnel (DP) non remis'
grep '"candidate":"TMS15-02"' "$tmp/eval-tp.out" >"$tmp/tp-02.dec"
contains eval-tp "$tmp/tp-02.dec" '"code":"TMS2012-CCP1","decision":"validated","proposed":"validated","overridden":false,"source":"equivalence","usable_until":"2018-05-15"'
expect import-help 0 "$bin" import --help
expect import-usage 2 "$bin" import
expect import-no-folder 2 "$bin" import "$tmp/no-such-folder"
contains import-no-folder "$tmp/import-no-folder.err" "certeval: $tmp/no-such-folder : dossier de session illisible (introuvable)"
expect import-file 2 "$bin" import "$aicmp/jury.csv"
contains import-file "$tmp/import-file.err" "certeval: $aicmp/jury.csv : ce n'est pas un dossier de session"
expect import-no-rules 2 "$bin" import -r "$tmp/no-rules" "$aicmp"
contains import-no-rules "$tmp/import-no-rules.err" "certeval: $tmp/no-rules : dossier des référentiels illisible (introuvable)"
# a rules folder or plugins that do not load: said in French, the engine's words as detail
mkdir -p "$tmp/broken-rules/broken" && cp -r "$src/rules/rncp36524" "$tmp/broken-rules/"
echo '{' >"$tmp/broken-rules/broken/title.json"
expect import-broken-rules 2 "$bin" import -r "$tmp/broken-rules" -o "$tmp/broken-rules.jsonl" "$aicmp"
contains import-broken-rules "$tmp/import-broken-rules.err" "certeval: les référentiels du dossier $tmp/broken-rules (ou les greffons) ne se chargent pas : aucune fiche écrite ; prévenir le certificateur, ou indiquer un autre dossier avec -r DOSSIER (-p DOSSIER pour les greffons). Détail : $tmp/broken-rules/broken/title.json"
[ ! -e "$tmp/broken-rules.jsonl" ] && ok || ko "import: wrote records with rules that do not load"
expect import-no-plugins 2 "$bin" import -p "$tmp/no-plugins" "$aicmp"
contains import-no-plugins "$tmp/import-no-plugins.err" "ne se chargent pas : aucune fiche écrite ; prévenir le certificateur"
expect template-broken 2 "$bin" template "$tmp/broken-rules/broken" "$tmp/from-broken"
contains template-broken "$tmp/template-broken.err" "certeval: le référentiel $tmp/broken-rules/broken ne se charge pas (ou ses greffons) : rien n'a été écrit ; prévenir le certificateur. Détail : "
[ ! -e "$tmp/from-broken" ] && ok || ko "template: made a folder from a package that does not load"
# -o naming a file of the folder just read: refused, the folder left whole
rm -rf "$tmp/own" && cp -r "$aicmp" "$tmp/own"
expect import-own 2 "$bin" import -o "$tmp/own/candidats.csv" "$tmp/own"
contains import-own "$tmp/import-own.err" "certeval: la sortie $tmp/own/candidats.csv est le fichier $tmp/own/candidats.csv du dossier de session : il serait remplacé ; choisir un autre fichier (-o)"
diff -r "$aicmp" "$tmp/own" >/dev/null && ok || ko "import: wrote over a file of the session folder"
expect import-extra 2 "$bin" import "$aicmp" en-trop
contains import-extra "$tmp/import-extra.err" "certeval: import : argument inattendu « en-trop » ; voir « certeval import --help »"
expect import-no-out 2 "$bin" import -o "$tmp/no/such/out.jsonl" "$aicmp"
contains import-no-out "$tmp/import-no-out.err" "certeval: $tmp/no/such/out.jsonl : impossible de créer le fichier (introuvable)"
# (a file size limit of 1 KiB, SIGXFSZ ignored: the write fails with EFBIG)
expect import-big 2 sh -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' sh \
    "$bin" import -o "$tmp/import-big.jsonl" "$aicmp"
contains import-big "$tmp/import-big.err" "certeval: $tmp/import-big.jsonl : écriture impossible (fichier trop gros pour la limite du système)"
[ ! -e "$tmp/import-big.jsonl" ] && ok || ko "import-big: part of the records was left"

# -- a_forme: trained_candidate in that candidate's record only ----------------
cp -r "$aicmp" "$tmp/trained"
printf 'J3;Masson;Karima;professionnel;non;AICMP-2024-002\r\n' >>"$tmp/trained/jury.csv"
sed -i '4d' "$tmp/trained/jury.csv" # J3's own row, now last
expect trained 0 "$bin" import "$tmp/trained"
[ "$(grep -c '"trained_candidate":true' "$tmp/trained.out")" -eq 1 ] && ok || ko "trained: not one record"
grep '"candidate":"AICMP-2024-002"' "$tmp/trained.out" | grep -qF '{"id":"J3","profile":"professional","trained_candidate":true}' &&
    ok || ko "trained: AICMP-2024-002 has no trained J3"

# -- bad input: exit 1, the French message, nothing written --------------------
bad() { # bad NAME EXPECTED... (the folder $tmp/NAME, prepared by the caller)
    name=$1
    shift
    expect "$name" 1 "$bin" import -o "$tmp/$name.jsonl" "$tmp/$name"
    [ ! -e "$tmp/$name.jsonl" ] && ok || ko "$name: records were written"
    for text in "$@"; do contains "$name" "$tmp/$name.err" "$text"; done
    contains "$name" "$tmp/$name.err" "aucune fiche écrite"
}
copy() { rm -rf "$tmp/$1" && cp -r "$aicmp" "$tmp/$1"; }
row() { # row FILE LINE: prints that line of FILE without its CR
    sed -n "$2p" "$1" | tr -d '\r'
}

copy missing && rm "$tmp/missing/jury.csv" "$tmp/missing/BC05.msp.csv"
bad missing "jury.csv: fichier absent du dossier de session"
copy missing-sheet && rm "$tmp/missing-sheet/BC05.msp.csv"
bad missing-sheet "BC05.msp.csv: fichier absent du dossier de session"

copy column && sed -i '1s/prenom/prénom/' "$tmp/column/candidats.csv"
bad column "candidats.csv:1:prénom: colonne inconnue « prénom »" \
    "candidats.csv:1:prenom: colonne « prenom » absente de l'en-tête"

copy criterion && sed -i '1s/;c4/;c9/' "$tmp/criterion/BC01.msp.csv"
bad criterion "BC01.msp.csv:1:c9: colonne inconnue « c9 »" "BC01.msp.csv:1:c4: colonne « c4 » absente"

copy scale && sed -i '2s/^\(AICMP-2024-001;J1;;\)3;/\15;/' "$tmp/scale/BC01.msp.csv" &&
    sed -i '3s/^\(AICMP-2024-001;J2;;\)2;/\1deux;/' "$tmp/scale/BC01.msp.csv" &&
    sed -i '2s/^\(AICMP-2024-001;;\)\([^;]*\);3;/\1\2;4,5;/' "$tmp/scale/BC01.terrain.csv"
bad scale "BC01.msp.csv:2:c1: note 5 hors de l'échelle (de 0 à 3)" \
    "BC01.msp.csv:3:c1: « deux » n'est pas une note" \
    "BC01.terrain.csv:2:BC01.C1: note 4,5 hors de l'échelle (de 0 à 4)"

copy dup && printf 'AICMP-2024-001;Martin;Léo;;vae;\r\n' >>"$tmp/dup/candidats.csv"
bad dup "candidats.csv:32:candidat: candidat « AICMP-2024-001 » déjà présent ligne 2"

copy two && sed -i '3s/;non;/;oui;/' "$tmp/two/jury.csv"
bad two "jury.csv:3:president: deux présidents"
copy none && sed -i '2s/;oui;/;non;/' "$tmp/none/jury.csv"
bad none "jury.csv:1:president: aucun président"

copy stranger && printf 'AICMP-2024-099;J1;;3;3;3;3\r\n' >>"$tmp/stranger/BC01.msp.csv"
n=$(wc -l <"$tmp/stranger/BC01.msp.csv")
bad stranger "BC01.msp.csv:$n:candidat: candidat « AICMP-2024-099 » absent de candidats.csv"

copy block && printf 'AICMP-2024-001;RNCP36524BC09;valide;Vu le dossier.\r\n' >>"$tmp/block/deliberations.csv"
bad block "deliberations.csv:5:bloc: le titre RNCP36524 n'a pas de bloc « RNCP36524BC09 »"

copy motivation && printf 'AICMP-2024-002;RNCP36524BC01;non_valide;  \r\n' >>"$tmp/motivation/deliberations.csv"
bad motivation "deliberations.csv:5:motivation: motivation manquante"

copy ids && sed -i '2s/^AICMP-2024-001;/AICMP 2024 001;/' "$tmp/ids/candidats.csv" &&
    sed -i '5s/^\(AICMP-2024-002;\)J2;/\1J°2;/' "$tmp/ids/BC01.msp.csv"
bad ids "candidats.csv:2:candidat: identifiant « AICMP 2024 001 » invalide : de 1 à 64 caractères" \
    "BC01.msp.csv:5:evaluateur: identifiant « J°2 » invalide"

copy cp1252 && tail -c +4 "$tmp/cp1252/candidats.csv" | iconv -f UTF-8 -t WINDOWS-1252 >"$tmp/cp1252/c" &&
    mv "$tmp/cp1252/c" "$tmp/cp1252/candidats.csv"
bad cp1252 "candidats.csv:2:prenom: le fichier n'est pas en UTF-8" "« CSV UTF-8 (délimité par des virgules) »" \
    "« Unicode (UTF-8) »"

rm -rf "$tmp/away" && cp -r "$tp" "$tmp/away" &&
    sed -i 's/^TMS15-03;absent;;;;;/TMS15-03;excusé;b;;;;/' "$tmp/away/TMS2012-CCP2.questionnaire.csv"
bad away "TMS2012-CCP2.questionnaire.csv:4:statut: résultats saisis pour un candidat « excusé »"

# every problem of a run, from every file, in one report
copy many && sed -i '2s/;oui;/;non;/' "$tmp/many/jury.csv" &&
    printf 'AICMP-2024-099;J1;;3;3;3;3\r\n' >>"$tmp/many/BC05.msp.csv" &&
    printf 'AICMP-2024-002;RNCP36524BC01;peut-être;Vu.\r\n' >>"$tmp/many/deliberations.csv"
bad many "jury.csv:1:president: aucun président"
copy many2 && printf 'AICMP-2024-099;J1;;3;3;3\r\n' >>"$tmp/many2/BC05.msp.csv" &&
    printf 'AICMP-2024-002;RNCP36524BC01;peut-être;Vu.\r\n' >>"$tmp/many2/deliberations.csv" &&
    printf 'BC05.msp;2024-02-30\r\n' >>"$tmp/many2/calendrier.csv" &&
    sed -i '2s/;;3;/;absent;3;/' "$tmp/many2/BC02.msp_collective.csv"
bad many2 "candidat « AICMP-2024-099 » absent de candidats.csv" \
    "deliberations.csv:5:decision: décision « peut-être » inconnue" \
    "calendrier.csv:7:epreuve: « BC05.msp » n'est pas une épreuve écrite" \
    "calendrier.csv:7:date_limite: date « 2024-02-30 » invalide" \
    "BC02.msp_collective.csv:2:statut: résultats saisis pour un candidat « absent »" \
    "6 problèmes dans"

# LibreOffice's short date (two-digit year) is refused, saying the year takes 4 digits
# an oral with no criteria (the TP's final interview) is held by the members
# named: a row with none is told at import, not left to eval
rm -rf "$tmp/ef-nobody" && cp -r "$tp" "$tmp/ef-nobody" &&
    sed -i '2s/^TMS15-01;JT1;;/TMS15-01;;;/; 3s/^TMS15-01;JT2;;/TMS15-01;;;/' "$tmp/ef-nobody/EF.csv"
bad ef-nobody "EF.csv:2:evaluateur: aucun évaluateur pour le candidat « TMS15-01 » : indiquer le membre du jury qui a tenu l'épreuve (une ligne par membre), ou « absent » ou « excusé » dans statut"
# nor with fewer members than the version asks (EF: min_assessors 2)
rm -rf "$tmp/ef-one" && cp -r "$tp" "$tmp/ef-one" &&
    sed -i '3s/^TMS15-01;JT2;;/TMS15-01;;;/' "$tmp/ef-one/EF.csv"
bad ef-one "EF.csv:2:evaluateur: 1 évaluateur pour le candidat « TMS15-01 », l'épreuve en demande au moins 2 : une ligne par membre du jury qui l'a tenue"
# ... but a row that gives only the minutes, beside the members named, is fine
rm -rf "$tmp/ef-minutes" && cp -r "$tp" "$tmp/ef-minutes" &&
    printf 'TMS15-01;;;20\r\n' >>"$tmp/ef-minutes/EF.csv"
expect ef-minutes 0 "$bin" import -o "$tmp/ef-minutes.jsonl" "$tmp/ef-minutes"
copy shortdate && sed -i '2s|;14/03/2024;|;14/03/24;|' "$tmp/shortdate/session.csv"
bad shortdate "session.csv:2:date: date « 14/03/24 » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu (l'année sur 4 chiffres)"

# -- the completion year of an ended version: one session, two versions --------
# 2012-06-12: TP-TMS 2012 is in force, 2004 in its completion year.  TMS12-01
# holds the three 2004 CCPs and sits only the DP and the EF (assessments of
# both versions): 2004.  TMS12-02 sits the 2012 CCPs, TMS12-03 too with a
# 2004 CCP held by equivalence: 2012.  Each is checked, decided and printed
# under its own version.
ov=examples/sessions/tp-tms-overlap-session
cmp -s "$ov/LISEZMOI.txt" "$tp/LISEZMOI.txt" && ok || ko "overlap: the sample's LISEZMOI.txt is not the 2012 template's"
expect import-overlap 0 "$bin" import -o "$tmp/overlap.jsonl" "$ov"
golden_check import-overlap "$tmp/overlap.jsonl" tp-tms-overlap-session.jsonl
ovstore=$tmp/overlap-audit
expect eval-overlap 0 "$bin" eval -q -a "$ovstore" -o "$tmp/overlap.dec" "$tmp/overlap.jsonl"
version_of() { grep "\"candidate\":\"$1\"" "$tmp/overlap.dec" | grep -o '"title":{"code":"TP-TMS","version":"[0-9]*"}' | grep -o '[0-9]*"}$' | tr -d '"}'; }
[ "$(version_of TMS12-01)" = 2004 ] && ok || ko "overlap: TMS12-01 not decided under 2004"
[ "$(version_of TMS12-02)" = 2012 ] && ok || ko "overlap: TMS12-02 not decided under 2012"
[ "$(version_of TMS12-03)" = 2012 ] && ok || ko "overlap: TMS12-03 not decided under 2012"
[ "$(grep -c '"decision":"awarded"' "$tmp/overlap.dec")" -eq 3 ] && ok || ko "overlap: not 3 titles awarded"
grep '"candidate":"TMS12-01"' "$tmp/overlap.dec" >"$tmp/overlap-01.dec"
contains eval-overlap "$tmp/overlap-01.dec" '"code":"TMS2004-CCP3","decision":"validated","proposed":"validated","overridden":false,"source":"capitalised","usable_until":"2013-02-19"'
expect pv-overlap 0 "$bin" pv -a "$ovstore" -s "$ov" -o "$tmp/overlap-pv.html"
contains pv-overlap "$tmp/overlap-pv.html" '<p class="subtitle">TP-TMS — <b>Technicien(ne) médiation services</b>, version 2004</p>'
contains pv-overlap "$tmp/overlap-pv.html" '<p class="subtitle">TP-TMS — <b>Technicien(ne) médiation services</b>, version 2012</p>'
contains pv-overlap "$tmp/overlap-pv.html" '<h2>TP-TMS, version 2004 : Blocs de compétences et décisions</h2>'
contains pv-overlap "$tmp/overlap-pv.html" '<h2>TP-TMS, version 2012 : Blocs de compétences et décisions</h2>'
# a version with no competency scored at this session gets a sentence, not an empty chart
contains pv-overlap "$tmp/overlap-pv.html" '<p class="detail">Aucun score de compétence évalué à cette session (0 sans score).</p>'
contains pv-overlap "$tmp/overlap-pv.html" '31 scores de compétence ; 0 sans score'
# a block code that does not start with the title's is shown once
contains pv-overlap "$tmp/overlap-pv.html" '<tr><td><b>TMS2004-CCP1</b></td><td>'
grep -q 'TMS2004-CCP1</b> <span class="id">TMS2004-CCP1<' "$tmp/overlap-pv.html" &&
    ko "overlap: the PV's legend shows TMS2004-CCP1 twice" || ok
expect export-overlap 0 "$bin" export -a "$ovstore" -s "$ov" -o "$tmp/overlap.csv"
contains export-overlap "$tmp/overlap.csv" '"TMS12-01";"Moreau";"Julien";"1975-03-08";"TP-TMS";"2004";"awarded";"TMS2004-CCP3";"validated";"capitalised"'
contains export-overlap "$tmp/overlap.csv" '"TMS12-02";"Diallo";"Aïssatou";"1990-10-22";"TP-TMS";"2012";"awarded";"TMS2012-CCP1";"validated";"evaluated"'
expect attestation-overlap 0 "$bin" attestation -a "$ovstore" -s "$ov" -o "$tmp/overlap-att.html"
[ "$(grep -o 'médiation services</b>, version [0-9]*' "$tmp/overlap-att.html" | tr '\n' ' ')" = \
  "médiation services</b>, version 2004 médiation services</b>, version 2012 médiation services</b>, version 2012 " ] &&
    ok || ko "overlap: the attestations do not name 2004, 2012, 2012"

# an ended version's own assessment, sat in its completion year: its file is
# read when it is in the folder (TMS12-01 now holds CCP1 and CCP2, sits CCP3)
rm -rf "$tmp/ov-2004" && cp -r "$ov" "$tmp/ov-2004" &&
    sed -i 's/ TMS2004-CCP3@2011-05-17//' "$tmp/ov-2004/candidats.csv" &&
    printf '\357\273\277candidat;evaluateur;statut;c1;c2;c3\r\nTMS12-01;JT1;;2;2;3\r\nTMS12-01;JT2;;2;3;2\r\n' >"$tmp/ov-2004/TMS2004-CCP3.msp.csv" &&
    printf 'candidat;evaluateur;statut;minutes;t1;t2\r\nTMS12-01;JT1;;25;2;2\r\nTMS12-01;JT2;;;2;3\r\n' >"$tmp/ov-2004/TMS2004-CCP3.entretien.csv"
expect import-ov-2004 0 "$bin" import -o "$tmp/ov-2004.jsonl" "$tmp/ov-2004"
expect eval-ov-2004 0 "$bin" eval -q -o "$tmp/ov-2004.dec" "$tmp/ov-2004.jsonl"
grep '"candidate":"TMS12-01"' "$tmp/ov-2004.dec" >"$tmp/ov-2004-01.dec"
contains eval-ov-2004 "$tmp/ov-2004-01.dec" '"title":{"code":"TP-TMS","version":"2004"}'
contains eval-ov-2004 "$tmp/ov-2004-01.dec" '"code":"TMS2004-CCP3","decision":"validated","proposed":"validated","overridden":false,"source":"evaluated"'
# ... but a candidate of the version in force may not sit it: TMS12-02 holds
# no 2004 CCP, so is decided under 2012, which has no such assessment
rm -rf "$tmp/ov-mixed" && cp -r "$tmp/ov-2004" "$tmp/ov-mixed" &&
    printf 'TMS12-02;;;2;2;2\r\n' >>"$tmp/ov-mixed/TMS2004-CCP3.msp.csv"
bad ov-mixed "TMS2004-CCP3.msp.csv:4:candidat: le candidat « TMS12-02 » est évalué selon la version 2012 du titre TP-TMS, qui n'a pas d'épreuve « TMS2004-CCP3.msp »"

# the last day of 2004's completion year its file is read; the day after,
# no candidate can sit it: its rows are not dropped without a word
rm -rf "$tmp/ov-last" && cp -r "$tmp/ov-2004" "$tmp/ov-last" && sed -i '2s|;12/06/2012;|;19/02/2013;|' "$tmp/ov-last/session.csv"
expect import-ov-last 0 "$bin" import -o "$tmp/ov-last.jsonl" "$tmp/ov-last"
grep '"candidate":"TMS12-01"' "$tmp/ov-last.jsonl" | grep -q '"TMS2004-CCP3.msp":{"assessors"' && ok ||
    ko "ov-last: TMS12-01's TMS2004-CCP3.msp rows not read on 2013-02-19"
rm -rf "$tmp/ov-after" && cp -r "$tmp/ov-2004" "$tmp/ov-after" && sed -i '2s|;12/06/2012;|;20/02/2013;|' "$tmp/ov-after/session.csv"
bad ov-after "TMS2004-CCP3.msp.csv: épreuve de la version 2004 du titre « TP-TMS », qui ne s'applique à aucun candidat le 2013-02-20 (versions connues : 2004 (du 2006-03-09 au 2012-02-20, complétion jusqu'au 2013-02-19), 2012 (du 2012-02-21 au 2017-05-15, complétion jusqu'au 2018-05-15)) : ses lignes ne seraient pas lues ; vérifier la date de la session, ou retirer ce fichier du dossier" \
    "TMS2004-CCP3.entretien.csv: épreuve de la version 2004" "2 problèmes dans"
# the day before 2012 starts, its files are said the same way
rm -rf "$tmp/ov-before" && cp -r "$ov" "$tmp/ov-before" && sed -i '2s|;12/06/2012;|;20/02/2012;|' "$tmp/ov-before/session.csv"
bad ov-before "TMS2012-CCP1.msp.csv: épreuve de la version 2012 du titre « TP-TMS », qui ne s'applique à aucun candidat le 2012-02-20"

# no version in force on the session day: the versions known, and -r
rm -rf "$tmp/ov-2005" && cp -r "$ov" "$tmp/ov-2005" && sed -i '2s|;12/06/2012;|;10/01/2005;|' "$tmp/ov-2005/session.csv"
bad ov-2005 "session.csv:2:titre: aucune version du titre « TP-TMS » n'est en vigueur le 2005-01-10 dans le dossier des règles (versions connues : 2004 (du 2006-03-09 au 2012-02-20, complétion jusqu'au 2013-02-19), 2012 (du 2012-02-21 au 2017-05-15, complétion jusqu'au 2018-05-15)) : vérifier le titre et la date de la session, ou indiquer un autre dossier des règles avec l'option -r DOSSIER (ou la variable CERTEVAL_RULES)"
lacks ov-2005 "$tmp/ov-2005.err" "package"
# 2018-01-15: only 2012's completion year, for those who hold one of its CCPs
rm -rf "$tmp/ov-2018" && cp -r "$ov" "$tmp/ov-2018" && sed -i '2s|;12/06/2012;|;15/01/2018;|' "$tmp/ov-2018/session.csv"
bad ov-2018 "candidats.csv:3:blocs_acquis: aucune version du titre « TP-TMS » ne s'applique au candidat « TMS12-02 » le 2018-01-15 : une version terminée ne peut plus être complétée que par un candidat qui détient l'un de ses blocs" \
    "1 problème dans"

# two versions whose grids differ for one assessment id (a rules folder where
# 2004's EF has a criterion f1): the file has the columns of both; each row
# is checked against its candidate's version
mkdir -p "$tmp/ov-rules" && cp -r rules/tp-tms-2004 rules/tp-tms-2012 "$tmp/ov-rules/" &&
    sed -i '/"id": "EF"/,/"criteria": \[\]/s/"criteria": \[\]/"criteria": [{"id": "f1", "competency": "CCP1.C1", "label": "Bilan"}]/' \
        "$tmp/ov-rules/tp-tms-2004/title.json"
rm -rf "$tmp/ov-grid" && cp -r "$ov" "$tmp/ov-grid"
expect ov-grid-missing 1 "$bin" import -r "$tmp/ov-rules" "$tmp/ov-grid"
contains ov-grid-missing "$tmp/ov-grid-missing.err" "EF.csv:2:f1: colonne « f1 » absente : ce critère de la version 2004 du titre, selon laquelle le candidat « TMS12-01 » est évalué, est à noter"
sed -i '1s/\r$/;f1\r/; s/^\(TMS12-01;JT.;;[0-9]*\)\r$/\1;3\r/; s/^\(TMS12-02;JT1;;18\)\r$/\1;2\r/' "$tmp/ov-grid/EF.csv"
expect ov-grid-foreign 1 "$bin" import -r "$tmp/ov-rules" "$tmp/ov-grid"
contains ov-grid-foreign "$tmp/ov-grid-foreign.err" "EF.csv:4:f1: la version 2012 du titre, selon laquelle ce candidat est évalué, n'a pas de critère « f1 » pour cette épreuve : laisser la case vide"
contains ov-grid-foreign "$tmp/ov-grid-foreign.err" "1 problème dans"
sed -i 's/^\(TMS12-02;JT1;;18\);2\r$/\1;\r/' "$tmp/ov-grid/EF.csv"
expect ov-grid 0 "$bin" import -r "$tmp/ov-rules" -o "$tmp/ov-grid.jsonl" "$tmp/ov-grid"
grep '"candidate":"TMS12-01"' "$tmp/ov-grid.jsonl" >"$tmp/ov-grid-01.jsonl"
grep '"candidate":"TMS12-02"' "$tmp/ov-grid.jsonl" >"$tmp/ov-grid-02.jsonl"
contains ov-grid "$tmp/ov-grid-01.jsonl" '"EF":{"assessors":{"JT1":{"f1":3},"JT2":{"f1":3}},"duration_minutes":22}'
contains ov-grid "$tmp/ov-grid-02.jsonl" '"EF":{"assessors":{"JT1":{},"JT2":{}},"duration_minutes":18}'
# a file of the folder may be a link to another file of the folder, not out of it
copy link-in && mv "$tmp/link-in/jury.csv" "$tmp/link-in/jury-commun.csv" &&
    ln -s jury-commun.csv "$tmp/link-in/jury.csv"
expect link-in 0 "$bin" import -o "$tmp/link-in.jsonl" "$tmp/link-in"
copy link-out && rm "$tmp/link-out/jury.csv" && ln -s "$src/$aicmp/jury.csv" "$tmp/link-out/jury.csv"
bad link-out "jury.csv: lien symbolique vers un fichier hors du dossier de session : copier le fichier lui-même dans le dossier"

# a cell over 4096 bytes is one problem, not also a missing value
long=$(head -c 5000 /dev/zero | tr '\0' W)
copy long && sed -i "2s/^AICMP-2024-001;Martin;/AICMP-2024-001;$long;/" "$tmp/long/candidats.csv" &&
    sed -i "2s/^\(AICMP-2024-001;J1;;\)3;/\1$long;/" "$tmp/long/BC01.msp.csv"
bad long "candidats.csv:2:nom: cellule trop longue (plus de 4096 octets)" \
    "BC01.msp.csv:2:c1: cellule trop longue (plus de 4096 octets)" "2 problèmes dans"
lacks long "$tmp/long.err" "manquant"

finish session
