#!/usr/bin/env bash
# her2het build entry point: build | serve | test | dist | bench
set -euo pipefail
cd "$(dirname "$0")"

cmd=${1:-build}
case "$cmd" in
  test)
    go vet ./...
    go test ./...
    ;;
  *)
    echo "usage: ./build.sh build|serve|test|dist|bench" >&2
    exit 2
    ;;
esac
