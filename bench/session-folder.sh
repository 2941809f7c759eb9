#!/bin/sh
# session-folder.sh SAMPLE_FOLDER N OUT: writes OUT, a session folder of N
# candidates made by repeating the candidates of SAMPLE_FOLDER (a filled
# session folder, e.g. examples/sessions/rncp36524-session) with new ids
# (AICMP-2024-001 -> AICMP-2024-001-r7): the same rows, in every file, for
# measuring `certeval import` on a large session:
#   bench/session-folder.sh examples/sessions/rncp36524-session 1000 /tmp/big
#   time build/certeval import -o /tmp/big.jsonl /tmp/big
set -eu
src=$1
n=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
cp "$src/session.csv" "$src/jury.csv" "$out/"
[ -f "$src/calendrier.csv" ] && cp "$src/calendrier.csv" "$out/"
[ -f "$src/LISEZMOI.txt" ] && cp "$src/LISEZMOI.txt" "$out/"
# candidats.csv first: the N ids kept, in order (repetition r of row i)
awk -v n="$n" -F';' 'NR == 1 { print; next }
    { row[++m] = $0 }
    END {
        for (r = 0; k < n; r++)
            for (i = 1; i <= m && k < n; i++) {
                line = row[i]; sub(/^[^;]*/, "&-r" r, line); print line; k++
            }
    }' "$src/candidats.csv" >"$out/candidats.csv"
# every other file: each data row repeated for the repetitions kept
reps=$(awk -F';' 'NR > 1 { sub(/.*-r/, "", $1); if ($1 + 1 > r) r = $1 + 1 } END { print r }' "$out/candidats.csv")
for f in "$src"/*.csv; do
    b=$(basename "$f")
    case $b in session.csv | jury.csv | calendrier.csv | candidats.csv) continue ;; esac
    awk -v reps="$reps" -F';' -v ids="$out/candidats.csv" '
        BEGIN { while ((getline l < ids) > 0) { split(l, c, ";"); keep[c[1]] = 1 } }
        NR == 1 { print; next }
        { row[++m] = $0 }
        END {
            for (r = 0; r < reps; r++)
                for (i = 1; i <= m; i++) {
                    line = row[i]; sub(/^[^;]*/, "&-r" r, line)
                    split(line, c, ";"); if (c[1] in keep) print line
                }
        }' "$f" >"$out/$b"
done
