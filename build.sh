#!/usr/bin/env bash
# her2het: the only entry points a person needs.
#   ./build.sh build   generate the UI, build the WebAssembly app into dist/web
#   ./build.sh serve   build, then serve the app on http://127.0.0.1:8080
#   ./build.sh dist    build, plus the single-file dist/her2het.html and the edge host
#   ./build.sh edge    build the Cloudflare Worker host (deploy/worker) around dist/web
#   ./build.sh test    vet, unit tests, WebAssembly tests under Node, browser tests in Chromium
#   ./build.sh fuzz N  every fuzz target for N seconds (the test command runs each for 1 s)
#   ./build.sh bench   benchmarks natively and under wasm, against R when it is installed (bench/RESULTS.md)
#   ./build.sh vulncheck  govulncheck on the module against a pinned copy of the Go vulnerability database
set -euo pipefail
cd "$(dirname "$0")"
export GOFLAGS=${GOFLAGS:-}
# The Go toolchain: Go 1.26's newest patch release, which the go command fetches once
# from the module proxy (go1.26.8, the machine's own, has known vulnerabilities in
# net/http, crypto/tls and crypto/x509 that govulncheck reports; `her2het serve` uses
# net/http). HER2HET_GOTOOLCHAIN=local builds with whatever go is installed.
export GOTOOLCHAIN=${HER2HET_GOTOOLCHAIN:-go1.26.11}
# govulncheck and its database. vuln.go.dev is out of reach here, so the database is
# the OSV files of the golang.org/x/vulndb module (the source vuln.go.dev is built
# from), fetched through the module proxy at a pinned version: HER2HET_VULNDB=latest
# checks against the newest copy.
VULN_TOOL=golang.org/x/vuln/cmd/govulncheck@v1.9.0
VULN_DB=golang.org/x/vulndb@${HER2HET_VULNDB:-v0.0.0-20261105234957-e22db6528018}

log() { printf '\n== %s\n' "$*" >&2; }

gen() {
  go tool vugugen -skip-go-mod -skip-main web
}

build_wasm() {
  gen
  mkdir -p dist
  GOOS=js GOARCH=wasm go build -trimpath -ldflags "-s -w" -o dist/her2het.wasm ./wasm
  go run ./wasm/bundle -root . -wasm dist/her2het.wasm \
    -vugu "$(go list -m -f '{{.Dir}}' github.com/vugu/vugu)" -goroot "$(go env GOROOT)" -out dist/web
  go build -trimpath -o dist/her2het ./cmd/her2het
  local raw gz
  raw=$(stat -c %s dist/her2het.wasm)
  gz=$(gzip -9 -c dist/her2het.wasm | wc -c)
  printf 'her2het.wasm: %s bytes, %s bytes gzipped; bundle in dist/web\n' "$raw" "$gz"
}

# need_chromium installs Debian's Chromium for the browser tests when it is missing.
need_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian chromium for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  else
    echo "The browser tests need Debian's chromium (/usr/bin/chromium): run 'sudo apt-get install chromium' or run this script as root." >&2
    return 1
  fi
}

# build_edge builds the edge host: the bundle embedded in a Go Worker (syumai/workers)
# with the JavaScript shim from workers-assets-gen; wrangler (npm) runs it locally.
build_edge() {
  rm -rf deploy/worker/bundle
  cp -r dist/web deploy/worker/bundle
  go run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o deploy/worker/build
  GOOS=js GOARCH=wasm go build -trimpath -ldflags "-s -w" -o deploy/worker/build/app.wasm ./deploy/worker
  if [ ! -x deploy/worker/node_modules/.bin/wrangler ]; then
    (cd deploy/worker && npm ci --no-audit --no-fund --loglevel=error)
  fi
  echo "edge host built: (cd deploy/worker && npx wrangler dev) serves it locally"
}

# fuzz runs every fuzz target for a few seconds (./build.sh fuzz 60 for a longer run).
fuzz() {
  local secs=${1:-2} pkg t
  for pkg in $(grep -rl --include='*_test.go' '^func Fuzz' core cmd host web 2>/dev/null | xargs -n1 dirname | sort -u); do
    for t in $(go test -list '^Fuzz' "./$pkg" | grep '^Fuzz'); do
      fuzz_one "$pkg" "$t" "$secs" || return 1
      echo "fuzz: $pkg $t ok (${secs}s)"
    done
  done
}

# fuzz_one runs one target for a time. Go 1.26's fuzzing coordinator can end a timed
# run with a bare "context deadline exceeded" failure and no crasher (golang/go#75804,
# fixed in Go 1.27): when -fuzztime is up, the coordinator can wake on the expired
# deadline before its child context for the workers is cancelled, and then takes the
# deadline for an error (GODEBUG=fuzzdebug=1 shows the stop coming from the deadline
# branch, internal/fuzz/fuzz.go:228 in go1.26.8). Any target can hit it: FuzzSTAR
# failed so in 3 of 36 one-second runs on a loaded machine, the first run of a fresh
# clone among them. Such a run is recognised (that message, no "Failing input
# written") and repeated; any other failure, and every crasher (it is written under
# testdata/fuzz and fails again), stops at once with the output shown.
fuzz_one() {
  local pkg=$1 t=$2 secs=$3 out try
  for try in 1 2 3; do
    if out=$(go test -run '^$' -fuzz "^${t}\$" -fuzztime "${secs}s" "./$pkg" 2>&1); then
      return 0
    fi
    if ! grep -q 'context deadline exceeded' <<<"$out" || grep -q 'Failing input written' <<<"$out"; then
      echo "$out" >&2
      return 1
    fi
    echo "fuzz: $pkg $t: Go's fuzzing coordinator failed on its own -fuzztime deadline (golang/go#75804), no crasher; run again" >&2
  done
  echo "$out" >&2
  return 1
}

# vulncheck runs govulncheck (symbol-level: only vulnerabilities the code can reach fail it).
vulncheck() {
  local db
  db=$(go mod download -json "$VULN_DB" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ ! -d "$db/data/osv" ]; then
    echo "vulncheck: could not fetch $VULN_DB through the module proxy" >&2
    return 1
  fi
  echo "vulncheck: $(go version | cut -d' ' -f3), database $VULN_DB ($(ls "$db/data/osv" | wc -l) entries)"
  go run "$VULN_TOOL" -db "file://$db/data/osv" ./...
}

wasm_tests() {
  # The engine-side packages run their tests compiled to WebAssembly under Node.
  local exec
  exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
  GOOS=js GOARCH=wasm go test -short -exec "$exec" ./core/api/... ./core/engine/... ./core/dataset/... \
    ./core/ingest/... ./core/fish/... ./core/stats/... ./core/chart/... ./core/plotdata/... ./core/demo/... \
    ./core/fmath/... ./core/dist/... ./core/pool/...
}

cmd=${1:-build}
case "$cmd" in
  build)
    build_wasm
    ;;
  fuzz)
    shift
    fuzz "${1:-60}"
    ;;
  bench)
    shift
    exec bash bench/run.sh "$@"
    ;;
  vulncheck)
    vulncheck
    ;;
  dist)
    build_wasm
    build_edge
    echo "dist/web: static bundle; dist/her2het.html: single file for offline laptops"
    ;;
  edge)
    [ -f dist/web/index.html ] || build_wasm
    build_edge
    ;;
  serve)
    build_wasm
    exec ./dist/her2het serve --dir dist/web --addr "${ADDR:-127.0.0.1:8080}"
    ;;
  test)
    log "generate"; gen
    log "go vet"; go vet ./...
    log "govulncheck"; vulncheck
    log "unit tests"; go test ./...
    log "fuzzing, a second per target"; fuzz 1
    log "WebAssembly tests under Node"; wasm_tests
    log "build the app"; build_wasm
    log "build the edge host"; build_edge
    need_chromium
    log "browser tests (Chromium)"; go test -tags e2e -count=1 -timeout 60m ./e2e/...
    ;;
  *)
    echo "usage: ./build.sh build|serve|dist|edge|bench|fuzz|vulncheck|test" >&2
    exit 2
    ;;
esac
