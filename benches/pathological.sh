#!/usr/bin/env bash
# Inputs made to stall candor, timed. Usage:
#
#     benches/pathological.sh            # every scenario
#     benches/pathological.sh loop       # chosen scenarios
#
# Scenarios:
#
#   loop      a 3,000-case repository (benches/generate.py) whose templates/
#             folder holds `loop -> ..`: `candor check` must fail at once
#             rather than walk the link until paths grow too long.
#
# Each scenario is run RUNS times (default 3) under GNU time; the script
# prints the wall-clock time of each run, the exit code and the peak memory.
# Set CANDOR to time another build of candor (an older commit, say); by
# default it builds this one in release mode. Nothing is written inside the
# repository but target/; BENCH_DIR keeps the generated inputs elsewhere
# than a new temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
    scenarios=(loop)
fi
work=${BENCH_DIR:-$(mktemp -d -t candor-pathological.XXXXXX)}
mkdir -p "$work"
if [ -z "${CANDOR:-}" ]; then
    cargo build --release --quiet
fi
candor=${CANDOR:-$PWD/target/release/candor}
runs=${RUNS:-3}

# measure NAME DIR ARGS...: runs candor ARGS in DIR, RUNS times.
measure() {
    local name=$1 dir=$2
    shift 2
    for run in $(seq "$runs"); do
        local code=0
        (cd "$dir" && /usr/bin/time -f "%e %M" -o "$work/time" \
            "$candor" "$@" >/dev/null 2>"$work/stderr") || code=$?
        read -r seconds kib <"$work/time"
        printf '%s\trun %s\t%s s\texit %s\t%s MiB\t%s\n' "$name" "$run" "$seconds" "$code" \
            "$((kib / 1024))" "$(head -c 100 "$work/stderr" | head -n 1)"
    done
}

for scenario in "${scenarios[@]}"; do
    case $scenario in
    loop)
        repo=$work/loop
        if [ ! -d "$repo" ]; then
            python3 benches/generate.py --cases 3000 --out "$repo" >/dev/null
            mkdir -p "$repo/templates"
            ln -s .. "$repo/templates/loop"
        fi
        measure loop "$repo" check
        ;;
    *)
        echo "benches/pathological.sh: no scenario $scenario" >&2
        exit 2
        ;;
    esac
done
