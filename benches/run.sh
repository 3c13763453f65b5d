#!/usr/bin/env bash
# The benchmark behind BENCHMARKS.md. Usage:
#
#     benches/run.sh                 # 100, 1,000 and 10,000 cases
#     benches/run.sh 100 1000        # chosen sizes
#
# For each size it generates a synthetic repository (benches/generate.py)
# in a temporary folder, then times with hyperfine, side by side:
#
#   check     candor check                 python pipeline, everything but writing
#   build     candor build into an empty folder      python, same
#   no-change candor build again, nothing changed    python, same (it has no
#                                                     incremental mode)
#   one case  candor build after one case changed    —
#
# and records each command's peak memory with /usr/bin/time. It also checks
# that a no-change rebuild left every output file's modification time as it
# was. In the same run it times the floor no build can go below: `cat` of
# every input file (what a no-change rebuild must at least read) and
# `cp -r` of candor's output folder (what a full build must at least
# write), on disk and again on tmpfs (/dev/shm, where writing costs only the
# CPU the kernel spends), and candor's build and no-change rebuild on tmpfs
# beside them. It prints markdown tables, candor against Python and candor
# against the floor, and the machine it ran on.
#
# Needs: cargo, python3 with PyYAML and Jinja2 (pip install pyyaml jinja2),
# hyperfine (apt-get install -y hyperfine), GNU time (/usr/bin/time).
# Nothing is written inside the repository but target/; set BENCH_DIR to
# keep the generated repositories somewhere else than a new temporary folder,
# SHM_DIR for the tmpfs copies (default: a new folder under /dev/shm, removed
# at the end).
# To measure another build of candor (an older commit, say), set CANDOR to
# its binary; RUNS sets the number of timed runs of every measurement, and
# SKIP_PYTHON=1 leaves the Python pipeline out.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(100 1000 10000)
fi
for tool in hyperfine /usr/bin/time python3 cargo; do
    command -v "$tool" >/dev/null || { echo "benches/run.sh: needs $tool" >&2; exit 2; }
done
python3 -c 'import yaml, jinja2' 2>/dev/null \
    || { echo "benches/run.sh: needs PyYAML and Jinja2: pip install pyyaml jinja2" >&2; exit 2; }

work=${BENCH_DIR:-$(mktemp -d -t candor-bench.XXXXXX)}
mkdir -p "$work"
if [ -z "${CANDOR:-}" ]; then
    cargo build --release --quiet
fi
candor=${CANDOR:-$PWD/target/release/candor}
shm=${SHM_DIR:-$(mktemp -d -p /dev/shm candor-bench.XXXXXX)}
mkdir -p "$shm"
if [ -z "${SHM_DIR:-}" ]; then trap 'rm -rf "$shm"' EXIT; fi
python_pipeline="python3 $PWD/benches/python_pipeline.py"
results=$work/results
mkdir -p "$results"
rm -f "$results"/*.json "$results"/*.rss "$results"/*.touched

# Runs per measurement: fewer for the slow ones at the large sizes.
runs_for() {
    local cases=$1 slow=$2
    if [ -n "${RUNS:-}" ]; then echo "$RUNS"
    elif [ "$cases" -ge 10000 ] && [ "$slow" = slow ]; then echo 2
    elif [ "$cases" -ge 10000 ]; then echo 5
    elif [ "$cases" -ge 1000 ]; then echo 5
    else echo 10
    fi
}

# time_one NAME RUNS PREPARE COMMAND: hyperfine into NAME.json, then one
# more run under /usr/bin/time for the peak memory, into NAME.rss (KiB).
time_one() {
    local name=$1 runs=$2 prepare=$3 command=$4
    hyperfine --style basic --runs "$runs" ${prepare:+--prepare "$prepare"} \
        --export-json "$results/$name.json" "$command" >&2
    if [ -n "$prepare" ]; then bash -c "$prepare"; fi
    /usr/bin/time -f %M -o "$results/$name.rss" bash -c "$command" >/dev/null 2>&1
}

# $aside FOLDER moves FOLDER, if it is there, into $work/aside under a new
# name, for a build or copy that must start without it.
cat > "$work/aside.sh" <<ASIDE
mkdir -p "$work/aside" && if [ -e "\$1" ]; then mv "\$1" "$work/aside/\$(date +%s%N)"; fi
ASIDE
aside="sh $work/aside.sh"

for n in "${sizes[@]}"; do
    repo=$work/repo-$n
    echo "== $n cases" >&2
    python3 benches/generate.py --cases "$n" --out "$repo"
    out=$work/out-$n
    pyout=$work/py-$n
    fast=$(runs_for "$n" fast)
    slow=$(runs_for "$n" slow)

    time_one "candor-check-$n" "$fast" "" "$candor check $repo"
    # The last run's output is moved aside, not deleted, before each
    # build (and `sync`ed): ext4 without a journal, as on the benchmark's
    # machine, skips every inode freed in the last 30 seconds when it
    # makes a file, so making 30,000 files just after deleting 30,000
    # took up to 10 s of kernel time, for candor and `cp -r` alike, and
    # measured the deletion's timing more than either. Moved aside, the
    # inodes stay in use until the size's runs are over.
    time_one "candor-build-$n" "$fast" "$aside $out && sync" "$candor build $repo --out $out"
    time_one "candor-nochange-$n" "$fast" "" "$candor build $repo --out $out"
    # Each run sees one case changed: its summary's first word swaps case.
    one=$repo/cases/case-00050.yaml
    [ -f "$one" ] || one=$(ls "$repo"/cases/*.yaml | head -n 1)
    swap="sed -i -e 's/^  Summary /  TMP_WORD /' -e 's/^  SUMMARY /  Summary /' -e 's/^  TMP_WORD /  SUMMARY /' $one"
    time_one "candor-onecase-$n" "$fast" "$swap" "$candor build $repo --out $out"

    # A no-change rebuild touches no output file.
    "$candor" build "$repo" --out "$out" 2>/dev/null
    touch "$work/marker" && sleep 1.1
    "$candor" build "$repo" --out "$out" 2>/dev/null
    find "$out" -type f -newer "$work/marker" | wc -l > "$results/candor-touched-$n.touched"

    # The floor, in the same run: read every input, copy the output.
    time_one "floor-cat-$n" "$fast" "" "find $repo -type f -name '*.yaml' -exec cat {} + >/dev/null"
    time_one "floor-cp-$n" "$fast" "$aside $work/cp-$n && sync" "cp -r $out $work/cp-$n"
    # The same on tmpfs, where no disk is waited for.
    shm_repo=$shm/repo-$n
    shm_out=$shm/out-$n
    rm -rf "$shm_repo" "$shm_out"
    cp -r "$repo" "$shm_repo"
    time_one "shm-candor-build-$n" "$fast" "rm -rf $shm_out" "$candor build $shm_repo --out $shm_out"
    time_one "shm-candor-nochange-$n" "$fast" "" "$candor build $shm_repo --out $shm_out"
    time_one "shm-floor-cat-$n" "$fast" "" "find $shm_repo -type f -name '*.yaml' -exec cat {} + >/dev/null"
    time_one "shm-floor-cp-$n" "$fast" "rm -rf $shm/cp-$n" "cp -r $shm_out $shm/cp-$n"
    rm -rf "$shm_repo" "$shm_out" "$shm/cp-$n"

    if [ -z "${SKIP_PYTHON:-}" ]; then
        time_one "python-check-$n" "$slow" "" "$python_pipeline check $repo"
        time_one "python-build-$n" "$slow" "$aside $pyout && sync" "$python_pipeline build $repo --out $pyout"
        time_one "python-nochange-$n" "$slow" "" "$python_pipeline build $repo --out $pyout"
    fi
    rm -rf "$work/aside" "$work/cp-$n"
done

python3 - "$results" "${sizes[@]}" <<'EOF'
import json, os, sys
results, sizes = sys.argv[1], sys.argv[2:]

def timing(name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    # The median, with the fastest and slowest run as its spread: a shared
    # machine's outliers move a mean.
    r = json.load(open(path))["results"][0]
    return r["median"], r["min"], r["max"]

def rss(name):
    path = os.path.join(results, name + ".rss")
    return int(open(path).read().split()[-1]) / 1024 if os.path.exists(path) else None

def seconds(t):
    return f"{t[0]:.3f} s ({t[1]:.3f}–{t[2]:.3f})" if t else "—"

print("| cases | operation | candor | per case | peak RSS | Python | peak RSS | Python ÷ candor |")
print("|---:|---|---:|---:|---:|---:|---:|---:|")
labels = {"check": "`check`", "build": "full `build`", "nochange": "rebuild, nothing changed",
          "onecase": "rebuild, one case changed"}
for n in sizes:
    for op, label in labels.items():
        c = timing(f"candor-{op}-{n}")
        p = timing(f"python-{op}-{n}")
        per_case = f"{c[0] / int(n) * 1e3:.2f} ms" if c else "—"
        c_rss = rss(f"candor-{op}-{n}")
        p_rss = rss(f"python-{op}-{n}")
        ratio = f"{p[0] / c[0]:.1f}×" if c and p else "—"
        print(f"| {int(n):,} | {label} | {seconds(c)} | {per_case} | "
              f"{f'{c_rss:.0f} MiB' if c_rss else '—'} | {seconds(p)} | "
              f"{f'{p_rss:.0f} MiB' if p_rss else '—'} | {ratio} |")
print()
print("| cases | operation | on | candor | the floor, same run | candor ÷ floor |")
print("|---:|---|---|---:|---:|---:|")
floors = [("build", "full `build`", "floor-cp", "`cp -r` of the output"),
          ("nochange", "rebuild, nothing changed", "floor-cat", "`cat` of every input")]
for n in sizes:
    for op, label, floor, floor_label in floors:
        for where, prefix in (("disk", ""), ("tmpfs", "shm-")):
            c = timing(f"{prefix}candor-{op}-{n}")
            f = timing(f"{prefix}{floor}-{n}")
            ratio = f"{c[0] / f[0]:.1f}×" if c and f else "—"
            print(f"| {int(n):,} | {label} | {where} | {seconds(c)} | "
                  f"{floor_label}: {seconds(f)} | {ratio} |")
print()
for n in sizes:
    touched = open(os.path.join(results, f"candor-touched-{n}.touched")).read().strip()
    print(f"- {int(n):,} cases: output files modified by a no-change rebuild: {touched}")
EOF
echo
echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)," \
    "$(free -g | awk '/^Mem:/ { print $2 }') GiB memory, $(uname -sr)"
echo "candor $("$candor" --version | awk '{ print $2 }'), $(rustc --version | awk '{ print $1, $2 }')," \
    "Python $(python3 -c 'import platform; print(platform.python_version())')," \
    "PyYAML $(python3 -c 'import yaml; print(yaml.__version__, "with libyaml" if hasattr(yaml, "CSafeLoader") else "pure Python")')," \
    "Jinja2 $(python3 -c 'import jinja2; print(jinja2.__version__)'), $(hyperfine --version)"
echo "Generated repositories and raw results: $work"
