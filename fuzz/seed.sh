#!/bin/sh
# Fills fuzz/corpus/{text,pdf} with seeds from the repository's fixtures (the corpus is
# generated, not committed). The 68 kB seed agreement is also cut into 200-line pieces:
# small inputs run faster and each piece still carries a part of the grammar (cover,
# chapters, results table, indicators, signatures) for the fuzzer to mutate.
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/text corpus/pdf
for f in ../fixtures/*.txt ../fixtures/pdf/*.txt ../fixtures/fuzz/*.txt ../fixtures/layout/*.txt; do
    [ -f "$f" ] && cp "$f" corpus/text/
done
split -l 200 -d ../fixtures/keha-tulossopimus-2026-2029.txt corpus/text/keha-part-
# The layout PDFs (three styles, two producers) seed the glyph reader's paths; the
# 40-page one is left out, as libFuzzer runs small inputs many times faster.
for f in ../fixtures/pdf/*.pdf ../fixtures/fuzz/*.pdf ../fixtures/layout/*-indent.pdf \
    ../fixtures/layout/*-typo.pdf ../fixtures/layout/*-lo.pdf; do
    [ -f "$f" ] && cp "$f" corpus/pdf/
done
echo "text: $(ls corpus/text | wc -l) seeds, pdf: $(ls corpus/pdf | wc -l) seeds"
