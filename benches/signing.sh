#!/usr/bin/env bash
# What verifying signed sign-offs costs `candor check`. Usage:
#
#     benches/signing.sh               # 1,000 and 10,000 cases
#     benches/signing.sh 1000          # chosen sizes
#
# For each size it generates a repository (benches/generate.py) where every
# case has a legal and a communications sign-off, twice over:
#
#   unsigned  `approvals.required` only: sign-offs counted unsigned
#   signed    `approvals.signers` and `approvals.roles` set, and every
#             sign-off signed with `ssh-keygen -Y sign`: candor verifies
#             each signature in-process
#
# and times `candor check` on each with hyperfine. The approval files are
# one real sign-off copied to every case (so they are void: their digests
# are another case's), each copy signed on its own; a void sign-off is
# verified like any other, and digesting it renders the case's documents
# as a valid one does. Some generated cases are marked approved without a
# valid sign-off, so `check` exits 1; hyperfine is told to ignore that.
#
# Needs: cargo, python3, hyperfine, ssh-keygen. Writes only into target/
# and a temporary folder (BENCH_DIR to choose it); CANDOR to time another
# binary; RUNS for the number of timed runs.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(1000 10000)
fi
for tool in hyperfine python3 cargo ssh-keygen; do
    command -v "$tool" >/dev/null || { echo "benches/signing.sh: needs $tool" >&2; exit 2; }
done
work=${BENCH_DIR:-$(mktemp -d -t candor-signing.XXXXXX)}
mkdir -p "$work"
if [ -z "${CANDOR:-}" ]; then
    cargo build --release --quiet
fi
candor=${CANDOR:-$PWD/target/release/candor}

keys=$work/keys
mkdir -p "$keys"
for who in jane sam; do
    [ -f "$keys/$who" ] || ssh-keygen -q -t ed25519 -N "" -C "$who" -f "$keys/$who"
done

# Writes a repository of $1 cases into $2, signed when $3 is "signed".
make_repo() {
    local cases=$1 repo=$2 mode=$3
    rm -rf "$repo"
    python3 benches/generate.py --cases "$cases" --out "$repo"
    {
        echo "approvals:"
        echo "  required: [legal, communications]"
        if [ "$mode" = signed ]; then
            echo "  signers: allowed_signers"
            echo "  roles:"
            echo "    legal: [jane@example.com]"
            echo "    communications: [sam@example.com]"
        fi
    } >>"$repo/candor.yaml"
    printf 'jane@example.com %s\nsam@example.com %s\n' \
        "$(cat "$keys/jane.pub")" "$(cat "$keys/sam.pub")" >"$repo/allowed_signers"
    local first
    first=$(grep -l '^status: review' "$repo"/cases/*.yaml | head -n 1 || true)
    first=$(basename "$first" .yaml)
    for pair in legal:jane communications:sam; do
        local role=${pair%%:*} who=${pair##*:}
        if [ "$mode" = signed ]; then
            (cd "$repo" && "$candor" approve "$first" --role "$role" --key "$keys/$who" >/dev/null 2>&1)
        else
            (cd "$repo" && "$candor" approve "$first" --role "$role" --by "$who" >/dev/null 2>&1)
        fi
        cp "$repo/cases/$first.approvals/$role.yaml" "$work/$role.yaml"
    done
    for file in "$repo"/cases/*.yaml; do
        local id folder
        id=$(basename "$file" .yaml)
        folder=$repo/cases/$id.approvals
        mkdir -p "$folder"
        for pair in legal:jane communications:sam; do
            local role=${pair%%:*} who=${pair##*:}
            sed "s/$first/$id/g" "$work/$role.yaml" >"$folder/$role.yaml"
            if [ "$mode" = signed ]; then
                ssh-keygen -q -Y sign -n candor -f "$keys/$who" "$folder/$role.yaml"
                mv "$folder/$role.yaml.sig" "$folder/$role.sig"
            fi
        done
    done
}

for cases in "${sizes[@]}"; do
    for mode in unsigned signed; do
        make_repo "$cases" "$work/$cases-$mode" "$mode"
    done
    hyperfine --warmup 1 --runs "${RUNS:-5}" -i \
        -n "check, $cases cases, unsigned" "cd $work/$cases-unsigned && $candor check" \
        -n "check, $cases cases, signed" "cd $work/$cases-signed && $candor check"
done
echo "machine: $(nproc) cores, $(uname -sr)"
