#!/usr/bin/env python3
"""Times candor binaries against each other, alternating them run by run.

Usage, in a repository made by benches/generate.py:

    python3 benches/alternate.py RUNS nochange|onecase BINARY...

Each round runs `BINARY build` once for every binary in turn, so that a
machine whose speed drifts (a shared VM, say) slows them all alike. Each
binary builds its own copy of the repository, made first in a temporary
folder, with a cache folder of its own: a build never finds the output,
stat cache or index of another binary, which may not read them as it
would its own. With `onecase`, before every run the first word of one
case's summary swaps case, as benches/run.sh does, so each run rebuilds
one case. Prints, for each binary, the median and the fastest wall time
and CPU time (user and system, of the process and its threads) in
milliseconds.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def swap_summary(case):
    with open(case) as f:
        text = f.read()
    if "\n  Summary " in text:
        text = text.replace("\n  Summary ", "\n  SUMMARY ", 1)
    else:
        text = text.replace("\n  SUMMARY ", "\n  Summary ", 1)
    with open(case, "w") as f:
        f.write(text)


def top_level_out(folder, names):
    """The repository's output folder, left out of its copies."""
    return ["out"] if folder == "." else []


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in ("nochange", "onecase"):
        sys.exit(__doc__)
    runs, mode, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    case = "cases/case-00050.yaml"
    if not os.path.exists(case):
        case = os.path.join("cases", sorted(os.listdir("cases"))[0])
    wall = {b: [] for b in binaries}
    cpu = {b: [] for b in binaries}
    scratch = tempfile.mkdtemp(prefix="candor-alternate.")
    try:
        folders = {}
        for i, binary in enumerate(binaries):
            repository = os.path.join(scratch, str(i), "repository")
            shutil.copytree(".", repository, symlinks=True, ignore=top_level_out)
            cache = os.path.join(scratch, str(i), "cache")
            env = dict(os.environ, CANDOR_CACHE_DIR=cache)
            folders[binary] = (repository, env)
            # A first build: the output, stat cache and index are then its own.
            run = [os.path.abspath(binary), "build"]
            subprocess.run(run, cwd=repository, env=env, capture_output=True, check=False)
        time_rounds(runs, mode, case, binaries, folders, wall, cpu)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for binary in binaries:
        w, c = sorted(wall[binary]), sorted(cpu[binary])
        print(
            f"{binary}: wall median {statistics.median(w):.1f} ms, fastest {w[0]:.1f}; "
            f"CPU median {statistics.median(c):.1f} ms, least {c[0]:.1f}"
        )


def time_rounds(runs, mode, case, binaries, folders, wall, cpu):
    for _ in range(runs):
        for binary in binaries:
            repository, env = folders[binary]
            if mode == "onecase":
                swap_summary(os.path.join(repository, case))
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            run = [os.path.abspath(binary), "build"]
            subprocess.run(run, cwd=repository, env=env, capture_output=True, check=False)
            wall[binary].append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            cpu[binary].append(used * 1000)


if __name__ == "__main__":
    main()
