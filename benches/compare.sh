#!/usr/bin/env bash
# This tool's full structured conversion against the text extractors users would
# otherwise pick, on the same PDFs in one go (hyperfine), with pages/s, the speed
# relative to this tool and peak RSS (GNU time).
#
#   benches/compare.sh [FILE.pdf ...]
#
# Default: every agreement PDF under fixtures/ (fixtures/**/*tulossopimus*.pdf; the
# hostile PDFs are left out). RUNS=N sets hyperfine's minimum runs (default 10).
#
# Peers, each skipped with a note when absent (this script installs nothing):
#   pdf-extract's extract_text (examples/pdf_text --raw, built here), poppler's
#   pdftotext (raw and -layout), Python pypdf, pdfplumber and PyMuPDF (one-liners
#   that extract every page's text).
# To install them on Debian: apt-get install hyperfine poppler-utils time;
#   pip install pypdf pdfplumber pymupdf
#
# Threads: "tulossopimus 1t/2t" run the command as users do (each PDF converted in a
# worker process) with RAYON_NUM_THREADS=1/2, which the worker inherits: pages are read
# in parallel on that many threads. "2t in-process" is the same with --no-isolation
# (no worker process). Each run is a whole process: start-up counts, as it does for
# users of every tool here.
set -euo pipefail
cd "$(dirname "$0")/.."

pdfs=("$@")
if [ ${#pdfs[@]} -eq 0 ]; then
  mapfile -t pdfs < <(find fixtures -name '*tulossopimus*.pdf' | sort)
fi
[ ${#pdfs[@]} -gt 0 ] || { echo "compare.sh: no PDF given or found" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "compare.sh: needs hyperfine (not installed)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "compare.sh: needs python3 for the report" >&2; exit 2; }
runs=${RUNS:-10}

cargo build --release --quiet --bin tulossopimus --example pdf_text
bin=target/release/tulossopimus
raw=target/release/examples/pdf_text
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name|command template (%f = the PDF); the first is the reference.
peers=(
  "tulossopimus 1t|env RAYON_NUM_THREADS=1 $bin convert %f"
  "tulossopimus 2t|env RAYON_NUM_THREADS=2 $bin convert %f"
  "tulossopimus 2t in-process|env RAYON_NUM_THREADS=2 $bin convert --no-isolation %f"
  "pdf-extract extract_text|$raw --raw %f"
)
if command -v pdftotext >/dev/null; then
  peers+=("pdftotext|pdftotext %f -" "pdftotext -layout|pdftotext -layout %f -")
else
  echo "note: pdftotext not installed (poppler-utils): skipped" >&2
fi
py_peer() { # name module code
  if python3 -c "import $2" 2>/dev/null; then
    peers+=("$1|python3 -c \"$3\" %f")
  else
    echo "note: Python $2 not installed: $1 skipped" >&2
  fi
}
py_peer "pypdf" pypdf "import sys, pypdf; [p.extract_text() for p in pypdf.PdfReader(sys.argv[1]).pages]"
py_peer "pdfplumber" pdfplumber "import sys, pdfplumber; f = pdfplumber.open(sys.argv[1]); [p.extract_text() for p in f.pages]"
py_peer "PyMuPDF" pymupdf "import sys, pymupdf; [p.get_text() for p in pymupdf.open(sys.argv[1])]"
have_time=1
[ -x /usr/bin/time ] || { have_time=0; echo "note: GNU time (/usr/bin/time) not installed: no peak RSS" >&2; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for pdf in "${pdfs[@]}"; do
  pages=$("$bin" convert "$pdf" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["source"]["pages"])')
  args=()
  : > "$work/rss"
  for p in "${peers[@]}"; do
    name=${p%%|*}
    cmd=${p#*|}
    cmd=${cmd//%f/$pdf}
    args+=(--command-name "$name" "$cmd")
    if [ $have_time = 1 ]; then
      rss=$(eval "/usr/bin/time -f %M $cmd" 2>&1 >/dev/null | tail -1)
      echo "$name|$rss" >> "$work/rss"
    fi
  done
  hyperfine -N --style none --warmup 3 --min-runs "$runs" --export-json "$work/h.json" "${args[@]}" >/dev/null
  python3 - "$work/h.json" "$work/rss" "$pdf" "$pages" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
rss = dict(l.rstrip("\n").split("|", 1) for l in open(sys.argv[2]) if "|" in l)
pdf, pages = sys.argv[3], int(sys.argv[4])
ref = pages / results[0]["median"]
print(f"\n{pdf}: {pages} pages, median of {min(len(r['times']) for r in results)}+ runs")
print(f"{'tool':26} {'median ms':>10} {'pages/s':>9} {'vs tool 1t':>10} {'peak RSS MB':>12}")
for r in results:
    pps = pages / r["median"]
    kb = rss.get(r["command"], "")
    mb = f"{int(kb) / 1024:.1f}" if kb.isdigit() else "-"
    print(f"{r['command']:26} {r['median'] * 1000:10.2f} {pps:9.0f} {pps / ref:10.2f} {mb:>12}")
PY
done
echo
echo "vs tool 1t: the peer's pages/s divided by this tool's on one thread (above 1: faster)."
