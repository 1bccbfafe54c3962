#!/usr/bin/env bash
# Converts every fixture with the release binary of BASE_REV and with the working
# tree's, and compares: standard output (the JSON) byte for byte, and for a failure the
# exit code and the error's code (the `[code]` at the end of `error:` on stderr).
# Prints "N identical, M differ" and exits 1 on any difference. A restructure that
# must not change behaviour is done when this says 0 differ.
#
#   tools/same_output.sh [BASE_REV]      (default 6956948, before issue 15's restructure)
#
# Inputs, as the tests pick them: fixtures/*.txt (tests/golden.rs), fixtures/layout/*.pdf
# (tests/layout.rs), fixtures/layout/*.pdftotext.txt and *.pdftotext-layout.txt
# (tests/pdftotext.rs), fixtures/pdf/*.pdf and *.txt, fixtures/bench/*.pdf,
# fixtures/fuzz/* (tests/fuzz_regressions.rs), and the hostile corpus: the files named
# in fixtures/hostile/EXPECTED.md (tests/hostile.rs), with its generated files written
# as that test writes them, except the 200 MB dump (refused by its size alone).
#
# Builds: BASE_REV in a temporary `git worktree` under /tmp with CARGO_TARGET_DIR
# /work/target-base (override with BASE_TARGET_DIR); the working tree with the
# caller's CARGO_TARGET_DIR (else ./target). Both binaries run from the repository's
# root with the same relative paths, since the JSON's source.path holds the path.
set -euo pipefail

BASE_REV="${1:-6956948}"
ROOT="$(git rev-parse --show-toplevel)"
cd "$ROOT"
BASE_TARGET_DIR="${BASE_TARGET_DIR:-/work/target-base}"
HEAD_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

WORK="$(mktemp -d /tmp/same-output.XXXXXX)"
BASE_TREE="$WORK/base"
cleanup() {
    git worktree remove --force "$BASE_TREE" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "building $BASE_REV (base) ..." >&2
git worktree add --detach --quiet "$BASE_TREE" "$BASE_REV"
(cd "$BASE_TREE" && CARGO_TARGET_DIR="$BASE_TARGET_DIR" cargo build --release --locked --quiet --bin tulossopimus)
BASE_BIN="$WORK/tulossopimus-base"
cp "$BASE_TARGET_DIR/release/tulossopimus" "$BASE_BIN"

echo "building the working tree ..." >&2
CARGO_TARGET_DIR="$HEAD_TARGET_DIR" cargo build --release --locked --quiet --bin tulossopimus
HEAD_BIN="$WORK/tulossopimus-head"
cp "$HEAD_TARGET_DIR/release/tulossopimus" "$HEAD_BIN"

# The hostile corpus's generated inputs, written as tests/hostile.rs writes them (both
# runs read them by the same path).
GEN="$WORK/generated"
mkdir -p "$GEN"
python3 - "$GEN" <<'PY'
import sys, pathlib
out = pathlib.Path(sys.argv[1])
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
(out / "headings-50000.txt").write_bytes((head + rows).encode("utf-8"))
(out / "chain-50000.txt").write_bytes(
    (head + rows + " Tavoite 2026 Palvelu toimii. \n\n").encode("utf-8"))
(out / "line-10mb.txt").write_bytes(b"Tavoite 2 " * 1_000_000 + b"\n")
PY

inputs=()
shopt -s nullglob
for f in fixtures/*.txt fixtures/layout/*.pdf fixtures/layout/*.pdftotext.txt \
    fixtures/layout/*.pdftotext-layout.txt fixtures/pdf/*.pdf fixtures/pdf/*.txt \
    fixtures/bench/*.pdf fixtures/fuzz/*; do
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

same=0
differ=0
for f in "${inputs[@]}"; do
    set +e
    "$BASE_BIN" "${FLAGS[@]}" "$f" >"$WORK/base.out" 2>"$WORK/base.err"
    base_rc=$?
    "$HEAD_BIN" "${FLAGS[@]}" "$f" >"$WORK/head.out" 2>"$WORK/head.err"
    head_rc=$?
    set -e
    base_code="$(error_code "$WORK/base.err")"
    head_code="$(error_code "$WORK/head.err")"
    why=""
    if ! cmp -s "$WORK/base.out" "$WORK/head.out"; then
        why="stdout differs ($(wc -c <"$WORK/base.out") vs $(wc -c <"$WORK/head.out") bytes)"
    elif [ "$base_rc" != "$head_rc" ]; then
        why="exit code $base_rc vs $head_rc"
    elif [ "$base_code" != "$head_code" ]; then
        why="error code ${base_code:-none} vs ${head_code:-none}"
    fi
    outcome="exit $base_rc${base_code:+ [$base_code]}, $(wc -c <"$WORK/base.out") bytes"
    if [ -z "$why" ]; then
        same=$((same + 1))
        echo "same    $f ($outcome)"
    else
        differ=$((differ + 1))
        echo "DIFFERS $f: $why"
    fi
done

echo "$same identical, $differ differ (base $BASE_REV, $(git rev-parse --short HEAD)+working tree)"
[ "$differ" -eq 0 ]
