#!/bin/sh
# The JSON Schemas of docs/schemas/ against every sample record, package and
# what certeval writes, with an outside validator (python3-jsonschema, which
# scripts/test installs): schemas.sh CERTEVAL SOURCE_DIR TMP_DIR
set -u
python=/usr/bin/python3
if ! "$python" -c 'import jsonschema' 2>/dev/null; then
    echo "FAIL: $python lacks the jsonschema module (Debian package python3-jsonschema)"
    exit 1
fi
exec "$python" -W ignore "$(dirname "$0")/schemas.py" "$1" "$2" "$3/schemas"
