#!/usr/bin/env bash
# Coverage-guided fuzzing of the parser entry points with cargo-afl (RELIABILITY.md, "Fuzzing").
#
#   fuzz/run.sh TARGET SECONDS    build, then fuzz TARGET for SECONDS (afl-fuzz -V)
#   fuzz/run.sh all SECONDS       every target in turn, SECONDS each (one fuzzer at a time)
#   fuzz/run.sh cmin TARGET       minimise the last run's queue plus fuzz/corpus/TARGET into
#                                 fuzz/corpus/TARGET (afl-cmin -e); review and commit the result
#   fuzz/run.sh seeds             write the generated seeds (make_seeds.rs) into fuzz/corpus/
#   fuzz/run.sh list              the targets
#
# The fuzzer's output goes to $FUZZ_OUT/TARGET (default /var/tmp/nhiemvu-fuzz-out), the
# build to $CARGO_TARGET_DIR (default /var/tmp/nhiemvu-fuzz-target): nothing is written into
# the clone but the corpus by `cmin` and `seeds`. A previous run's output is kept as
# TARGET.prev. Crashes and hangs land in $FUZZ_OUT/TARGET/default/{crashes,hangs}; replay
# one with `$CARGO_TARGET_DIR/release/TARGET < FILE` (outside AFL a target reads stdin once).
#
# Needs cargo-afl (`cargo install cargo-afl --locked`, which also builds the AFL++ it
# bundles; `cargo afl config --build` builds it again for a new toolchain). Debian's afl++
# (4.04c) is not used: the afl crate's runtime must match the afl-fuzz that drives it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/nhiemvu-fuzz-target}"
out_root="${FUZZ_OUT:-/var/tmp/nhiemvu-fuzz-out}"
targets=(vn_text ingest_text docx xlsx pdf_text edxml legal_ref doc_parse review)

# Per-target settings: dictionary (fuzz/dict/NAME.dict) and timeout in ms. The review target
# opens a SQLite store (migrations, the agency directory) on the first input of each forked
# child, so its first input takes a few hundred milliseconds.
dict_of() {
    case "$1" in
        docx | xlsx) echo ooxml ;;
        edxml) echo edxml ;;
        review) echo review ;;
        *) echo vietnamese ;;
    esac
}
timeout_of() {
    case "$1" in
        review) echo 5000 ;;
        *) echo 1000 ;;
    esac
}

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

ensure_tools() {
    if ! cargo afl --version >/dev/null 2>&1; then
        echo "run.sh: installing cargo-afl" >&2
        cargo install cargo-afl --locked
    fi
    # `cargo afl config --build` refuses when AFL++ is already built for this toolchain.
    cargo afl config --build >/dev/null 2>&1 || true
}

build() {
    (cd "$here" && cargo afl build --release --quiet --bins)
}

is_target() {
    local t
    for t in "${targets[@]}"; do
        [[ "$t" == "$1" ]] && return 0
    done
    return 1
}

stat_of() {
    # One field of fuzzer_stats.
    awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$1"
}

fuzz_one() {
    local target="$1" seconds="$2"
    local out="$out_root/$target"
    mkdir -p "$out_root"
    if [[ -d "$out" ]]; then
        rm -rf "$out.prev"
        mv "$out" "$out.prev"
    fi
    local dict="$here/dict/$(dict_of "$target").dict"
    echo "== $target: ${seconds}s, output in $out" >&2
    # AFL_NO_AFFINITY: the machine is shared, so do not insist on a free core of our own.
    # -m: address-space limit in MB, so that unbounded memory shows as a crash.
    AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
        AFL_FAST_CAL=1 \
        cargo afl fuzz -i "$here/corpus/$target" -o "$out" -x "$dict" \
        -V "$seconds" -t "$(timeout_of "$target")" -m 4096 \
        -- "$CARGO_TARGET_DIR/release/$target" >"$out_root/$target.log" 2>&1 || {
        echo "run.sh: afl-fuzz failed for $target, see $out_root/$target.log" >&2
        tail -20 "$out_root/$target.log" >&2
        return 1
    }
    report "$target"
}

report() {
    local target="$1"
    local stats="$out_root/$target/default/fuzzer_stats"
    local run_time execs corpus crashes hangs stability cvg
    run_time="$(stat_of "$stats" run_time)"
    execs="$(stat_of "$stats" execs_done)"
    corpus="$(stat_of "$stats" corpus_count)"
    crashes="$(stat_of "$stats" saved_crashes)"
    hangs="$(stat_of "$stats" saved_hangs)"
    stability="$(stat_of "$stats" stability)"
    cvg="$(stat_of "$stats" bitmap_cvg)"
    printf '%s\t%ss\texecs %s\tcorpus %s\tcrashes %s\thangs %s\tstability %s\tbitmap %s\n' \
        "$target" "$run_time" "$execs" "$corpus" "$crashes" "$hangs" "$stability" "$cvg"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$run_time" "$execs" \
        "$corpus" "$crashes" "$hangs" >>"$out_root/summary.tsv"
}

cmin() {
    local target="$1"
    local queue="$out_root/$target/default/queue"
    local all tmp
    all="$(mktemp -d)"
    tmp="$(mktemp -d)"
    cp "$here/corpus/$target"/* "$all"/
    [[ -d "$queue" ]] && find "$queue" -maxdepth 1 -type f -name 'id:*' -exec cp {} "$all"/ \;
    rmdir "$tmp"
    # The shell implementation of afl-cmin: the Python one that `cargo afl cmin` runs hung
    # (idle, in its worker pool) on this machine. -e: keep one input per edge, ignoring hit
    # counts, which keeps the committed corpus to a few MB.
    local afl_bin
    afl_bin="$(dirname "$(find "$HOME/.local/share/afl.rs" -path '*/afl/bin/afl-fuzz' | head -1)")"
    PATH="$afl_bin:$PATH" AFL_PATH="$afl_bin" "$afl_bin/afl-cmin.bash" -e -i "$all" -o "$tmp" \
        -t "$(timeout_of "$target")" -m 4096 -- "$CARGO_TARGET_DIR/release/$target" \
        >"$out_root/$target.cmin.log" 2>&1 || {
        echo "run.sh: afl-cmin failed, see $out_root/$target.cmin.log" >&2
        rm -rf "$all" "$tmp"
        return 1
    }
    # Name the kept inputs by content, so repeated runs do not rename what stays.
    rm -f "$here/corpus/$target"/*
    local f
    for f in "$tmp"/*; do
        cp "$f" "$here/corpus/$target/$(sha256sum "$f" | cut -c1-16)"
    done
    rm -rf "$all" "$tmp"
    echo "corpus/$target: $(ls "$here/corpus/$target" | wc -l) files, $(cat "$here/corpus/$target"/* | wc -c) bytes" >&2
}

[[ $# -ge 1 ]] || usage
ensure_tools
case "$1" in
    list)
        printf '%s\n' "${targets[@]}"
        ;;
    seeds)
        build
        "$CARGO_TARGET_DIR/release/make_seeds"
        ;;
    cmin)
        [[ $# -eq 2 ]] && is_target "$2" || usage
        build
        cmin "$2"
        ;;
    all)
        [[ $# -eq 2 ]] || usage
        build
        for t in "${targets[@]}"; do
            fuzz_one "$t" "$2" || true
        done
        ;;
    *)
        [[ $# -eq 2 ]] && is_target "$1" || usage
        build
        fuzz_one "$1" "$2"
        ;;
esac
