#!/usr/bin/env bash
# Times `candor check` on every corpus file, generated hostile files
# included, with the release binary, and prints the slowest.
#
#   tests/corpus-timing.sh [HOW_MANY]     (default: 15)
#
# Each file is checked on its own, three times; the best time counts.
set -euo pipefail

cd "$(dirname "$0")/.."
how_many=${1:-15}

cargo build --release --quiet
binary=$PWD/target/release/candor

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R tests/corpus/. "$work/"
CANDOR_CORPUS_OUT="$work" cargo test --quiet --test corpus -- \
    --ignored --exact write_generated_files >/dev/null

cd "$work"
results=$(
    for file in cases/*.yaml; do
        best=
        for _ in 1 2 3; do
            start=$(date +%s%N)
            "$binary" check "$file" --format json >/dev/null 2>&1 || true
            end=$(date +%s%N)
            elapsed=$(((end - start) / 1000))
            if [[ -z $best || $elapsed -lt $best ]]; then best=$elapsed; fi
        done
        size=$(wc -c <"$file")
        printf '%8d µs  %10d bytes  %s\n' "$best" "$size" "${file#cases/}"
    done | sort -rn
)
count=$(wc -l <<<"$results")
echo "slowest $how_many of $count files (release build, best of 3):"
head -n "$how_many" <<<"$results"
