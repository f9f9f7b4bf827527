#!/usr/bin/env bash
# bench/run.sh [quick|full|report] — benchmarks of her2het against R (issue 11).
# Run from the repository root (./build.sh bench calls it).
#
#   quick   5,000 genes x 12 and 100 samples (a few minutes)
#   full    20,000 genes x 12, 100, 285 and 1000 samples, 60,000 x 300 parse table
#   goals   only the rows of issue 11's goals (20,000 x 285, 60,000 x 300 parse),
#           every side in turn on a quiet machine (about 15 minutes)
#   report  only rebuild the table and bench/RESULTS.md from bench/out
#
# Steps: generate the seeded data (bench/gen) into bench/out/data, run the Go
# harness (bench/cmd) natively with 1 and 2 workers and under wasm with Node,
# run bench/R/*.R when Rscript exists (skipped with a note otherwise), then
# print the ours/R table against the goals of issue 11 and write
# bench/RESULTS.md with the machine description.
#
# Environment: BENCH_R_TIMEOUT (seconds per R step, default 3600),
# BENCH_SERIAL=1 runs R after Go instead of alongside it (the default in
# quick mode; in full mode both run at the same time to fit a session, which
# loads the machine equally for both sides — compare the CPU columns).
set -uo pipefail
mode=${1:-quick}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
OUT=bench/out
DATA=$OUT/data
RES=$OUT/results
mkdir -p "$DATA" "$RES"
R_TIMEOUT=${BENCH_R_TIMEOUT:-3600}

report() {
	go run ./bench/report -out "$OUT" -md bench/RESULTS.md
}

case "$mode" in
quick)
	GENES=5000 NS=12,100 BIG= PAIRED=100 PARSE_GENES=20000 SERIAL=${BENCH_SERIAL:-1}
	;;
full)
	# 285 first: the shape of the goals. 1000 (BIG) is generated while the
	# others run and comes last.
	GENES=20000 NS=285,12,100 BIG=1000 PAIRED=285 PARSE_GENES=60000 SERIAL=${BENCH_SERIAL:-0}
	;;
goals)
	GENES=20000 NS=285 BIG= PAIRED=285 PARSE_GENES=60000 SERIAL=1
	;;
report)
	report
	exit $?
	;;
*)
	echo "usage: bench/run.sh [quick|full|goals|report]" >&2
	exit 2
	;;
esac

load() { cut -d' ' -f1-3 /proc/loadavg; }

machine() {
	echo "mode: $mode ($GENES genes x $NS${BIG:+,$BIG} samples; paired design at $PAIRED; parse table ${PARSE_GENES} x 300)"
	echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "cores: $(nproc) (online), $(grep -c ^processor /proc/cpuinfo) listed in /proc/cpuinfo"
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel: $(uname -sr)"
	echo "go: $(go version)"
	echo "node: $(node --version 2>/dev/null || echo none)"
	if command -v Rscript >/dev/null; then
		Rscript -e 'cat("R:", R.version.string, "\n"); for (p in c("DESeq2","limma","edgeR","GSVA","statmod")) cat(p, as.character(packageVersion(p)), "\n"); cat("BLAS:", sessionInfo()$BLAS, "\n")' 2>/dev/null
	else
		echo "R: not installed"
	fi
	echo "her2het commit: $(git rev-parse --short HEAD 2>/dev/null)"
}

: >"$OUT/notes.txt"
note() { echo "$*" | tee -a "$OUT/notes.txt" >&2; }
machine >"$OUT/machine.txt"
echo "load average before (1/5/15 min): $(load)" >>"$OUT/machine.txt"
cat "$OUT/machine.txt"

# 1. data (kept between runs of the same mode)
stamp="$GENES $NS $PARSE_GENES"
go build -o "$OUT/gen" ./bench/gen || exit 1
if [ "$(cat "$DATA/stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -f "$DATA"/*.tsv "$DATA"/*.gmt "$DATA"/stamp*
	echo "generating data ($stamp)..." >&2
	"$OUT/gen" -out "$DATA" -genes "$GENES" -n "$NS" -parse-genes "$PARSE_GENES" -parse-samples 300 || exit 1
	echo "$stamp" >"$DATA/stamp"
fi
if [ -n "$BIG" ] && [ "$(cat "$DATA/stamp.big" 2>/dev/null)" != "$GENES $BIG" ]; then
	("$OUT/gen" -out "$DATA" -genes "$GENES" -n "$BIG" -parse-genes 0 -sets=false && echo "$GENES $BIG" >"$DATA/stamp.big") &
fi
# wait_big waits for the large shape's data (written in the background).
wait_big() {
	while [ "$(cat "$DATA/stamp.big" 2>/dev/null)" != "$GENES $BIG" ]; do sleep 5; done
}

# 2. Go natively and under wasm
go build -o "$OUT/bench-native" ./bench/cmd || exit 1
GOOS=js GOARCH=wasm go build -o "$OUT/bench.wasm" ./bench/cmd || exit 1
wasmexec="$(go env GOROOT)/lib/wasm/wasm_exec_node.js"

# At the 1000-sample shape every step but the paired design runs natively;
# under wasm GSVA is left out (its O(samples^2) kernel would take most of an
# hour on one wasm instance of this shared machine).
BIG_STEPS=deseq_timepoint,voom,voom_dupcor,gsva,ssgsea
BIG_STEPS_WASM=deseq_timepoint,voom,voom_dupcor,ssgsea

# Natively every step runs in a process of its own, as R runs every step in
# its own Rscript: a step does not inherit the heap an earlier one left
# (voom on 2 workers took 0.08-0.09 s in a fresh process, 0.12-0.16 s right
# after DESeq2 in the same one).
NATIVE_STEPS="parse deseq_timepoint voom voom_dupcor gsva ssgsea"

go_native() { # workers
	local w=$1 s
	for s in $NATIVE_STEPS; do
		"$OUT/bench-native" -data "$DATA" -n "$NS" -paired-n 0 -steps "$s" -workers "$w"
	done | tee "$RES/go$w.txt"
	[ "$mode" = goals ] && [ "$w" != 1 ] && return
	"$OUT/bench-native" -data "$DATA" -n "$PAIRED" -steps deseq_paired -workers "$w" | tee -a "$RES/go$w.txt"
	if [ -n "$BIG" ]; then
		wait_big
		"$OUT/bench-native" -data "$DATA" -n "$BIG" -steps "$BIG_STEPS" -workers "$w" | tee -a "$RES/go$w.txt"
	fi
}

go_wasm() {
	if ! command -v node >/dev/null; then
		note "node not found: wasm not measured"
		: >"$RES/wasm.txt"
		return
	fi
	local node=(node --stack-size=8192 "$wasmexec" "$OUT/bench.wasm" -data "$DATA" -workers 1)
	"${node[@]}" -n "$NS" -paired-n 0 | tee "$RES/wasm.txt"
	[ "$mode" = goals ] && return
	if [ -n "$BIG" ]; then
		wait_big
		note "wasm at ${GENES}x$BIG: GSVA not run (estimated most of an hour on one wasm instance here)"
		"${node[@]}" -n "$BIG" -steps "$BIG_STEPS_WASM" | tee -a "$RES/wasm.txt"
	fi
	"${node[@]}" -n "$PAIRED" -steps deseq_paired | tee -a "$RES/wasm.txt"
}

# The browser: Chromium with two engine workers (e2e TestBrowserBench) times
# DESeq2 and voom from the DE builder on the 285-sample data and the whole
# example-cohort analysis; needs the built app (dist/web) and /usr/bin/chromium.
go_browser() {
	if [ ! -x /usr/bin/chromium ]; then
		note "chromium not found: the browser was not measured"
		: >"$RES/browser.txt"
		return
	fi
	GOOS= GOARCH= ./build.sh build >/dev/null || { note "the app did not build: browser not measured"; return; }
	HER2HET_BROWSER_BENCH="$root/$DATA" HER2HET_BROWSER_BENCH_OUT="$root/$RES/browser.txt" \
		go test -tags e2e -count=1 -timeout 60m -run '^TestBrowserBench$' ./e2e -v 2>&1 | grep -E 'bench_test|^(ok|FAIL|---)' || true
}

# 3. R: one process per step, in order of importance; shapes that would take
# R more than ~15 minutes on this machine are timed on a subset of genes and
# scaled (sub=K, marked ~ in the table). In full mode four R streams run at the
# same time (each R process is single-threaded): on a shared, loaded machine
# one serial stream would not finish within a session.
r_plan() { # stream: a (the goals at 285) or b (the other shapes)
	if [ "$mode" = goals ]; then
		[ "$1" = a ] && cat <<-PLAN
			deseq2.R 285 timepoint
			limma.R 285 voom
			gsva.R 285 gsva
			parse.R
			gsva.R 285 ssgsea
			limma.R 285 voom_dupcor sub=200
		PLAN
	elif [ "$mode" = quick ]; then
		[ "$1" = a ] && cat <<-PLAN
			deseq2.R 12 timepoint
			limma.R 12 voom
			limma.R 12 voom_dupcor
			gsva.R 12 gsva
			gsva.R 12 ssgsea
			parse.R
		PLAN
		[ "$1" = b ] && cat <<-PLAN
			deseq2.R 100 timepoint
			deseq2.R 100 paired
			limma.R 100 voom
			limma.R 100 voom_dupcor sub=1000
			gsva.R 100 gsva
			gsva.R 100 ssgsea
		PLAN
	elif [ "$1" = a1 ]; then
		echo "deseq2.R 285 timepoint"
	elif [ "$1" = a2 ]; then
		echo "gsva.R 285 gsva"
	elif [ "$1" = a ]; then
		# Estimates from gene subsets first; the full shapes of streams a1
		# and a2 finish later and replace them in the report.
		cat <<-PLAN
			deseq2.R 285 timepoint sub=2000
			gsva.R 285 gsva sub=2000
			limma.R 285 voom_dupcor sub=2000
			parse.R
			limma.R 285 voom
			gsva.R 285 ssgsea sub=5000
			deseq2.R 285 paired sub=2000
		PLAN
	else
		cat <<-PLAN
			deseq2.R 12 timepoint
			limma.R 12 voom
			limma.R 12 voom_dupcor sub=2000
			gsva.R 12 gsva
			gsva.R 12 ssgsea
			deseq2.R 100 timepoint
			limma.R 100 voom
			limma.R 100 voom_dupcor sub=2000
			gsva.R 100 gsva
			gsva.R 100 ssgsea
			limma.R 1000 voom
			deseq2.R 1000 timepoint sub=2000
			gsva.R 1000 gsva sub=500
			gsva.R 1000 ssgsea sub=2000
			limma.R 1000 voom_dupcor sub=500
		PLAN
	fi
}

r_side() { # stream
	if ! command -v Rscript >/dev/null; then
		note "Rscript not found: the R side was skipped (install R with DESeq2 1.38, limma 3.54, GSVA 1.46 to compare)"
		return
	fi
	r_plan "$1" | while read -r script n variant sub; do
		[ -n "$script" ] || continue
		[ -n "$BIG" ] && [ "$n" = "$BIG" ] && wait_big
		case "$sub" in sub=*) note "R $script $n $variant: timed on the first ${sub#sub=} genes and scaled to $GENES (the full shape would take R more than ~15 minutes here)" ;; esac
		# shellcheck disable=SC2086
		OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
			timeout "$R_TIMEOUT" Rscript "bench/R/$script" "$DATA" $n $variant $sub 2>>"$OUT/R.log" | tee -a "$RES/R.txt"
		rc=${PIPESTATUS[0]}
		if [ "$rc" = 124 ]; then
			note "R $script $n $variant timed out after ${R_TIMEOUT}s"
		elif [ "$rc" != 0 ]; then
			note "R $script $n $variant failed (exit $rc, see bench/out/R.log)"
		fi
	done
}

: >"$OUT/R.log"
: >"$RES/R.txt"
if [ "$SERIAL" = 1 ]; then
	go_native 1
	go_native 2
	go_wasm
	[ "$mode" = quick ] || go_browser
	r_side a
	r_side b
else
	note "Go natively (1 and 2 workers), Go under wasm and R (four streams: DESeq2 and GSVA at 285 each alone, the other 285-sample steps, the other shapes) ran as seven concurrent processes (BENCH_SERIAL=0) on a shared machine; the CPU-time ratios are the robust ones"
	go_native 1 &
	p1=$!
	go_native 2 &
	p2=$!
	go_wasm &
	p3=$!
	r_side b &
	p4=$!
	r_side a1 &
	p5=$!
	r_side a2 &
	p6=$!
	r_side a
	wait "$p1" "$p2" "$p3" "$p4" "$p5" "$p6"
fi
wait
echo "load average after (1/5/15 min): $(load)" >>"$OUT/machine.txt"
echo "finished: $(date -u '+%Y-%m-%d %H:%M:%S UTC')" >>"$OUT/machine.txt"

# 4. table and bench/RESULTS.md
report
