#!/usr/bin/env bash
# Converts every fixture with two builds and compares: standard output (the JSON) byte
# for byte, the exit code, and for a failure the error's code (the `[code]` at the end
# of `error:` on stderr). Prints "N identical, M differ" and exits 1 on any difference.
# A restructure that must not change behaviour is done when this says 0 differ.
#
#   tools/same_output.sh [BASE_REV]            build BASE_REV (default 6956948, before
#                                              issue 15's restructure) and the working tree
#   tools/same_output.sh --bins BASE HEAD      two binaries built already
#   tools/same_output.sh --record DIR BIN      only write BIN's outcomes into DIR
#   tools/same_output.sh --against DIR HEAD    HEAD against outcomes recorded in DIR
#
# `--record` before a change and `--against` after it compare with the build that
# existed before the change, without keeping that build or rebuilding it.
#
# Inputs, as the tests pick them: fixtures/*.txt (tests/golden.rs), fixtures/layout/*.pdf
# (tests/layout.rs), fixtures/layout/*.pdftotext.txt and *.pdftotext-layout.txt
# (tests/pdftotext.rs), fixtures/pdf/*.pdf and *.txt, fixtures/bench/*.pdf,
# fixtures/farm/ (its PDFs and their three dumps, tests/farm.rs), fixtures/fuzz/*
# (tests/fuzz_regressions.rs), and the hostile corpus: the files named in
# fixtures/hostile/EXPECTED.md (tests/hostile.rs), with its generated files written as
# that test writes them, except the 200 MB dump (refused by its size alone).
#
# Builds (BASE_REV mode): BASE_REV in a temporary `git worktree` under /tmp with
# CARGO_TARGET_DIR /work/target-base (override with BASE_TARGET_DIR); the working tree
# with the caller's CARGO_TARGET_DIR (else ./target). Both binaries run from the
# repository's root with the same relative paths, since the JSON's source.path holds the
# path; the generated inputs are written to one fixed directory (GEN_DIR) for the same
# reason.
set -euo pipefail

ROOT="$(git rev-parse --show-toplevel)"
cd "$ROOT"
WORK="$(mktemp -d /tmp/same-output.XXXXXX)"
BASE_TREE=""
cleanup() {
    if [ -n "$BASE_TREE" ]; then
        git worktree remove --force "$BASE_TREE" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

absolute() { (cd "$(dirname "$1")" && echo "$PWD/$(basename "$1")"); }

MODE=compare
BASE_DIR="$WORK/base"
HEAD_DIR="$WORK/head"
case "${1:-}" in
--bins)
    BASE_BIN="$(absolute "$2")"
    HEAD_BIN="$(absolute "$3")"
    BASE_LABEL="$2"
    ;;
--record)
    MODE=record
    BASE_DIR="$2"
    BASE_BIN="$(absolute "$3")"
    ;;
--against)
    MODE=against
    BASE_DIR="$2"
    HEAD_BIN="$(absolute "$3")"
    BASE_LABEL="recorded in $2 ($(cat "$2/LABEL" 2>/dev/null || echo '?'))"
    ;;
*)
    BASE_REV="${1:-6956948}"
    BASE_LABEL="$BASE_REV"
    BASE_TARGET_DIR="${BASE_TARGET_DIR:-/work/target-base}"
    HEAD_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    BASE_TREE="$WORK/base-tree"
    echo "building $BASE_REV (base) ..." >&2
    git worktree add --detach --quiet "$BASE_TREE" "$BASE_REV"
    (cd "$BASE_TREE" && CARGO_TARGET_DIR="$BASE_TARGET_DIR" cargo build --release --locked --quiet --bin tulossopimus)
    BASE_BIN="$WORK/tulossopimus-base"
    cp "$BASE_TARGET_DIR/release/tulossopimus" "$BASE_BIN"
    echo "building the working tree ..." >&2
    CARGO_TARGET_DIR="$HEAD_TARGET_DIR" cargo build --release --locked --quiet --bin tulossopimus
    HEAD_BIN="$WORK/tulossopimus-head"
    cp "$HEAD_TARGET_DIR/release/tulossopimus" "$HEAD_BIN"
    ;;
esac

# The hostile corpus's generated inputs, written as tests/hostile.rs writes them, to
# the same path in every run (it is in the JSON).
GEN="${GEN_DIR:-/tmp/same-output-generated}"
mkdir -p "$GEN"
python3 - "$GEN" <<'PY'
import os, sys, pathlib
out = pathlib.Path(sys.argv[1])
def put(name, data):
    # Through a temporary name: another run may be reading the same path.
    tmp = out / f"{name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    tmp.replace(out / name)
dump = pathlib.Path("fixtures/arkisto-tulossopimus-2026-2029.txt").read_text(encoding="utf-8")
head = dump[: dump.index(" Digitaalinen kulttuuriperintö säilyy")]
rows = []
for n in range(50_000):
    word = ""
    for _ in range(4):
        word += chr(ord("a") + n % 16)
        n //= 16
    rows.append(f" Palvelu {word} kehittyy \n\n")
rows = "".join(rows)
put("headings-50000.txt", (head + rows).encode("utf-8"))
put("chain-50000.txt", (head + rows + " Tavoite 2026 Palvelu toimii. \n\n").encode("utf-8"))
put("line-10mb.txt", b"Tavoite 2 " * 1_000_000 + b"\n")
PY

inputs=()
shopt -s nullglob
for f in fixtures/*.txt fixtures/layout/*.pdf fixtures/layout/*.pdftotext.txt \
    fixtures/layout/*.pdftotext-layout.txt fixtures/pdf/*.pdf fixtures/pdf/*.txt \
    fixtures/bench/*.pdf fixtures/farm/*.pdf fixtures/farm/*.pdf-extract.txt \
    fixtures/farm/*.pdftotext.txt fixtures/farm/*.pdftotext-layout.txt fixtures/fuzz/*; do
    inputs+=("$f")
done
# The hostile corpus: the rows of EXPECTED.md.
while IFS= read -r name; do
    case "$name" in
    generated/dump-200mb.txt) ;;
    generated/*) inputs+=("$GEN/${name#generated/}") ;;
    *) inputs+=("fixtures/hostile/$name") ;;
    esac
done < <(sed -n 's/^| `\([^`]*\)` | `[^`]*` |.*/\1/p' fixtures/hostile/EXPECTED.md)

# Same flags for both; the timeout generous so that a loaded machine does not turn
# one input's outcome into `timeout` in one run only.
FLAGS=(convert --timeout 120)
error_code() { sed -n 's/^error: .* \[\([a-z_]*\)\]$/\1/p' "$1" | tail -n 1; }

# One input's outcome under DIR/N (N its place in the list): .out (stdout), .rc (exit
# code), .code (the error code, empty when none).
outcome() {
    local bin="$1" dir="$2" n="$3" f="$4"
    set +e
    "$bin" "${FLAGS[@]}" "$f" >"$dir/$n.out" 2>"$dir/$n.err"
    echo $? >"$dir/$n.rc"
    set -e
    error_code "$dir/$n.err" >"$dir/$n.code"
    echo "$f" >"$dir/$n.input"
}

if [ "$MODE" != against ]; then
    mkdir -p "$BASE_DIR"
    echo "$(basename "$BASE_BIN") $(git rev-parse --short HEAD) $(date -u +%FT%TZ)" >"$BASE_DIR/LABEL"
    for i in "${!inputs[@]}"; do outcome "$BASE_BIN" "$BASE_DIR" "$i" "${inputs[$i]}"; done
fi
if [ "$MODE" = record ]; then
    echo "recorded ${#inputs[@]} outcomes in $BASE_DIR"
    exit 0
fi
mkdir -p "$HEAD_DIR"
for i in "${!inputs[@]}"; do outcome "$HEAD_BIN" "$HEAD_DIR" "$i" "${inputs[$i]}"; done

same=0
differ=0
for i in "${!inputs[@]}"; do
    f="${inputs[$i]}"
    b="$BASE_DIR/$i"
    h="$HEAD_DIR/$i"
    why=""
    if [ "$(cat "$b.input" 2>/dev/null)" != "$f" ]; then
        why="not recorded in the base (the list of inputs changed)"
    elif ! cmp -s "$b.out" "$h.out"; then
        why="stdout differs ($(wc -c <"$b.out") vs $(wc -c <"$h.out") bytes)"
    elif [ "$(cat "$b.rc")" != "$(cat "$h.rc")" ]; then
        why="exit code $(cat "$b.rc") vs $(cat "$h.rc")"
    elif [ "$(cat "$b.code")" != "$(cat "$h.code")" ]; then
        why="error code $(cat "$b.code") vs $(cat "$h.code")"
    fi
    code="$(cat "$h.code")"
    if [ -z "$why" ]; then
        same=$((same + 1))
        echo "same    $f (exit $(cat "$h.rc")${code:+ [$code]}, $(wc -c <"$h.out") bytes)"
    else
        differ=$((differ + 1))
        echo "DIFFERS $f: $why"
    fi
done

echo "$same identical, $differ differ (base $BASE_LABEL; head $(git rev-parse --short HEAD)+working tree)"
[ "$differ" -eq 0 ]
