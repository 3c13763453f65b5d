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
#   suggest   one case file, under the 1 MiB limit, with 2,500 sources and
#             4,000 references to sources that do not exist, every id 80
#             characters: `candor check` looks for a "did you mean" for
#             each.
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
    scenarios=(loop suggest)
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
        read -r seconds kib < <(tail -n 1 "$work/time")
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
    suggest)
        repo=$work/suggest
        if [ ! -d "$repo" ]; then
            mkdir -p "$repo/cases"
            python3 - "$repo/cases/unknown-references.yaml" <<'PY'
import random, sys
rng = random.Random(14)
def ident():
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "-".join("".join(rng.choice(letters) for _ in range(9)) for _ in range(8))
lines = [
    "id: unknown-references",
    "title: Every reference names nothing",
    "date: 2026-01-01",
    "summary: A case file made to be slow to check.",
    "principles:",
    "  - id: p",
    "    statement: A principle.",
    "sources:",
]
for _ in range(2500):
    lines += [f"  - id: {ident()}", "    kind: press-report", "    publisher: P",
              "    date: 2026-01-01", "    claim: C."]
lines.append("findings:")
for f in range(40):
    lines += [f"  - id: f{f}", "    statement: S.", "    evidence: E.", "    sources:"]
    lines += [f"      - {ident()}" for _ in range(100)]
lines += ["actions:", "  - id: a", "    statement: A.", "    principles: [p]", "    findings: [f0]"]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
        fi
        measure suggest "$repo" check
        ;;
    *)
        echo "benches/pathological.sh: no scenario $scenario" >&2
        exit 2
        ;;
    esac
done
