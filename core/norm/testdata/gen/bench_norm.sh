#!/bin/sh
# Compare her2het norm with R (edgeR 3.40 / DESeq2 1.38) on the same seeded data.
# Usage: sh core/norm/testdata/gen/bench_norm.sh [N samples, default 285]   (from the repo root)
# The her2het timing includes reading the TSV and writing the output, so the ratio
# understates the speed of the computation itself (see BenchmarkTMMLogCPM for that).
set -e
N=${1:-285}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v Rscript >/dev/null || { echo "Rscript not found: nothing to compare" >&2; exit 1; }
go build -o "$TMP/her2het" ./cmd/her2het
R=$(Rscript core/norm/testdata/gen/bench_norm.R "$N" "$TMP/counts.tsv" | awk '/^r_seconds/{print $2, $3}')
now() { date +%s.%N; }
t0=$(now); "$TMP/her2het" norm --counts "$TMP/counts.tsv" --method tmm-logcpm --out "$TMP/l.tsv"; t1=$(now)
"$TMP/her2het" norm --counts "$TMP/counts.tsv" --method size-factors --out "$TMP/s.tsv"; t2=$(now)
echo "$R $t0 $t1 $t2" | awk '{rt=$1; rs=$2; gt=$4-$3; gs=$5-$4;
  printf "20000 x '"$N"': TMM+logCPM  R %.2fs  her2het %.2fs  ratio %.1fx\n", rt, gt, rt/gt;
  printf "20000 x '"$N"': size factors R %.2fs  her2het %.2fs  ratio %.1fx (her2het times include file I/O)\n", rs, gs, rs/gs}'
