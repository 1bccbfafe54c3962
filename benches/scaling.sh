#!/usr/bin/env bash
# Batch scaling: 1, 10, 100 and 1,000 agreements converted in one `convert --out-dir`
# batch; prints wall time, time per file and peak memory (GNU time's maximum RSS).
#
#   benches/scaling.sh [COUNTS...]        (default: 1 10 100 1000)
#
# The inputs are copies of the text fixtures (fixtures/*.txt), each with a trailing line
# of spaces of a different length, so no two are byte-identical; every fifth is the PDF
# agreement fixture. Needs: a release build (built here), GNU time (/usr/bin/time).
# JOBS=N sets --jobs (default 0: one per core).
# Time should grow linearly with the count and memory stay flat: the batch keeps one
# report row per input, never the documents.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 10 100 1000)
[ -x /usr/bin/time ] || { echo "scaling.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/tulossopimus
jobs=${JOBS:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
texts=(fixtures/*.txt fixtures/pdf/vayla-tulossopimus-2026-2029.pdf-extract.txt)
pdf=fixtures/pdf/vayla-tulossopimus-2026-2029.pdf

printf '%-7s %8s %9s %12s %8s %8s %11s\n' files MB wall_s ms_per_file user_s sys_s max_rss_MB
for n in "${counts[@]}"; do
  in="$work/in-$n"; out="$work/out-$n"
  mkdir -p "$in"
  for ((k = 0; k < n; k++)); do
    if ((k % 5 == 4)) && [ -f "$pdf" ]; then
      cp "$pdf" "$in/$(printf %04d "$k")-$(basename "$pdf")"
    else
      src=${texts[k % ${#texts[@]}]}
      dst="$in/$(printf %04d "$k")-$(basename "$src")"
      { cat "$src"; printf '\n%*s\n' $((k % 997 + 1)) ''; } > "$dst"
    fi
  done
  mb=$(du -sb "$in" | awk '{printf "%.1f", $1 / 1e6}')
  # Wall time from the clock in nanoseconds (GNU time's is in hundredths of a second,
  # too coarse for the small batches); peak memory and CPU times from GNU time.
  start=$(date +%s%N)
  /usr/bin/time -v -o "$work/time-$n" "$bin" convert --quiet --jobs "$jobs" --out-dir "$out" "$in" >/dev/null 2>"$work/err-$n" || {
    echo "scaling.sh: batch of $n failed:" >&2; cat "$work/err-$n" >&2; exit 1; }
  wall=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN {printf "%.4f", (b - a) / 1e9}')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$work/time-$n")
  user=$(awk -F': ' '/User time/ {print $2}' "$work/time-$n")
  sys=$(awk -F': ' '/System time/ {print $2}' "$work/time-$n")
  printf '%-7s %8s %9.4f %12.2f %8s %8s %11s\n' "$n" "$mb" "$wall" "$(awk -v w="$wall" -v n="$n" 'BEGIN {print w * 1000 / n}')" "$user" "$sys" "$rss"
  rm -rf "$in" "$out"
done
