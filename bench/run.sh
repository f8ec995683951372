#!/usr/bin/env bash
# Benchmarks refstack against python-subunit. Not run by CI; takes a few
# minutes. Needs Go, /usr/bin/python3 with python-subunit and the Debian
# subunit tools (/usr/bin/subunit-*); uses hyperfine when it is installed.
#
#   bench/run.sh                 # 100 000 tests, 3 timed runs per command
#   TESTS=20000 RUNS=5 bench/run.sh
#
# It builds refstack and examples/subunit-gen, writes two Tempest-shaped
# streams (one with subunit-gen, one with python-subunit's own writer), checks
# that refstack prints what subunit-stats and subunit-ls print on both, times
# them side by side, runs the Go benchmarks of ./subunit and measures the peak
# memory of refstack subunit stats on a stream carrying a 512 MiB attachment.
# Results go to standard output as Markdown tables.
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH

TESTS=${TESTS:-100000}
WORKERS=${WORKERS:-8}
RUNS=${RUNS:-3}
ATTACH=${ATTACH:-$((512 << 20))}
RSS_TARGET_KIB=$((48 << 10))

for tool in /usr/bin/python3 /usr/bin/subunit-stats /usr/bin/subunit-ls /usr/bin/time; do
	[[ -x $tool ]] || { echo "bench: $tool is missing (apt-get install python3-subunit subunit time)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log() { printf '%s\n' "$*" >&2; }

log "building refstack and subunit-gen"
go build -o "$work/refstack" ./adapters/refstack
go build -o "$work/subunit-gen" ./examples/subunit-gen
RS=$work/refstack

log "writing $TESTS-test streams"
"$work/subunit-gen" -tests "$TESTS" -workers "$WORKERS" -seed 1 >"$work/go.subunit"
/usr/bin/python3 bench/gen_python.py "$TESTS" "$WORKERS" 1 >"$work/py.subunit"

# seconds CMD...: the median wall time of RUNS runs of CMD (output discarded).
seconds() {
	if command -v hyperfine >/dev/null; then
		local cmd
		printf -v cmd '%q ' "$@"
		hyperfine --style none --ignore-failure --warmup 1 --runs "$RUNS" \
			--export-json "$work/h.json" "$cmd" >/dev/null
		/usr/bin/python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/h.json"
		return
	fi
	local i times=()
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f %e -o "$work/t" "$@" >/dev/null 2>&1 || true
		times+=("$(tail -n 1 "$work/t")")
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else printf "n/a" }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

log "checking outputs against python-subunit"
checks=()
for s in go py; do
	for cmd in stats ls; do
		want_code=0 got_code=0
		"/usr/bin/subunit-$cmd" "$work/$s.subunit" >"$work/want" 2>/dev/null || want_code=$?
		"$RS" subunit "$cmd" "$work/$s.subunit" >"$work/got" 2>/dev/null || got_code=$?
		if cmp -s "$work/want" "$work/got" && ((want_code == got_code)); then
			checks+=("| $cmd | $s.subunit | identical (exit $got_code) |")
		else
			checks+=("| $cmd | $s.subunit | **DIFFERENT** (exit $got_code vs $want_code) |")
		fi
	done
done

log "timing ($RUNS runs each$(command -v hyperfine >/dev/null && echo ', hyperfine'))"
rows=()
for s in go py; do
	size=$(stat -c %s "$work/$s.subunit")
	for cmd in stats ls; do
		ours=$(seconds "$RS" subunit "$cmd" "$work/$s.subunit")
		theirs=$(seconds "/usr/bin/subunit-$cmd" "$work/$s.subunit")
		rows+=("| $cmd | $s.subunit ($(mib "$size")) | ${ours} s | ${theirs} s | $(ratio "$ours" "$theirs") |")
	done
done

log "go benchmarks"
bench_out=$(go test -run '^$' -bench . -benchmem ./subunit/ 2>&1) || bench_out+=$'\n(go test failed)'

log "peak RSS with a $(mib "$ATTACH") attachment"
"$work/subunit-gen" -tests 10 -attach-bytes "$ATTACH" |
	/usr/bin/time -f %M -o "$work/rss" "$RS" subunit stats - >/dev/null 2>&1 || true
rss_kib=$(tail -n 1 "$work/rss")
verdict="over the $((RSS_TARGET_KIB >> 10)) MiB target"
((rss_kib < RSS_TARGET_KIB)) && verdict="under the $((RSS_TARGET_KIB >> 10)) MiB target"

cat <<REPORT
## refstack vs python-subunit ($TESTS tests, $WORKERS workers; $(nproc) CPUs, $(uname -m))

Output check (stdout and exit code):

| command | stream | result |
|---|---|---|
$(printf '%s\n' "${checks[@]}")

Median wall time of $RUNS runs:

| command | stream | refstack | python-subunit | speedup |
|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

Peak RSS of \`refstack subunit stats -\` reading a stream with a $(mib "$ATTACH") attachment from a pipe:
$((rss_kib >> 10)) MiB ($rss_kib KiB), $verdict.

Go benchmarks (\`go test -run '^\$' -bench . -benchmem ./subunit/\`):

\`\`\`
$bench_out
\`\`\`
REPORT
