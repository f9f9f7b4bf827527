#!/bin/sh
# Runs the same limma analyses in R (bench.R) and in Go (BenchmarkRData) on
# the same simulated data and prints R's time over Go's for each.
# usage: core/limma/testdata/gen/bench.sh [NGENES] [voom]   (from the repository root;
# "voom" skips R's slow duplicateCorrelation, about 520 s for 20000 genes)
set -e
command -v Rscript >/dev/null || { echo "bench.sh: Rscript not found" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
Rscript core/limma/testdata/gen/bench.R "$dir" "${1:-20000}" ${2:-} >/dev/null
HER2HET_LIMMA_BENCH_DIR="$dir" go test -run '^$' -bench '^BenchmarkRData$' -benchtime 1x ./core/limma >"$dir/go.txt"
awk -F'\t' 'NR==FNR { r[$1] = $2; next }
  /^BenchmarkRData\// { name = $1; gsub(/ +$/, "", name); split(name, a, "/"); sub(/-[0-9]+$/, "", a[2])
    g = $3; gsub(/^ +| ns\/op.*$/, "", g); g /= 1e9
    printf "%-22s R %8.3f s   Go %8.3f s   R/Go %7.1fx\n", a[2], r[a[2]], g, r[a[2]] / g }' \
  "$dir/r_times.tsv" "$dir/go.txt"
grep consensus "$dir/r_times.tsv" | sed 's/^/R /'
grep -h 'consensus' "$dir/go.txt" | sed 's/^ *//;s/^/Go /' || true
