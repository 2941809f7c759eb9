# Sourced by scripts/test and scripts/demo: installs what certeval needs from
# Debian's packages, with sudo when not root, only when something is missing.
CEV_PACKAGES="build-essential cmake pkg-config liblua5.4-dev libcjson-dev libcmocka-dev libssl-dev libcsv-dev"
# scripts/test and scripts/fuzz add: valgrind clang libclang-rt-14-dev; scripts/test also
# python3-jsonschema (the outside validator of docs/schemas/, tests/cli/schemas.sh), chromium
# and poppler-utils (the browser check of the printed documents, tests/cli/documents.sh)

cev_missing_packages() {
    missing=
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    echo "$missing"
}

cev_install_packages() {
    missing=$(cev_missing_packages "$@")
    [ -z "$missing" ] && return 0
    echo "certeval: installing$missing" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
    $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
}
