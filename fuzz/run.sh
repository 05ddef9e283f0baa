#!/usr/bin/env bash
# Builds the libFuzzer target fuzz/fuzz_http.cpp with clang (ASan + UBSan, every library
# instrumented for coverage) in build-fuzz/, and runs it for a bounded time.
#
#   bash fuzz/run.sh                 # 60 s
#   FUZZ_SECONDS=600 bash fuzz/run.sh
#   FUZZ_SECONDS=0 bash fuzz/run.sh  # build, then run the corpus once (smoke test)
#   FUZZ_JOBS=2 bash fuzz/run.sh     # parallel fuzzing processes (default 1)
#   bash fuzz/run.sh path/to/crash-… # replays one input (no fuzzing), e.g. a saved crash
#
# Exit status: 0 when nothing was found, non-zero when libFuzzer found a crash, a leak, a
# sanitizer error or a violated invariant (the input is saved as build-fuzz/artifacts/crash-*).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_JOBS="${FUZZ_JOBS:-1}"
BUILD_DIR="${FUZZ_BUILD_DIR:-build-fuzz}"
BUILD_JOBS="${FUZZ_BUILD_JOBS:-1}"
# The compiler: $CXX if it is a clang, else the newest clang++-N installed, else clang++
# (Debian 12: clang 14, libFuzzer from libclang-rt-14-dev).
CXX_BIN="${CXX:-}"
CC_BIN="${CC:-}"
if [[ "$CXX_BIN" != *clang* ]]; then
  CXX_BIN=clang++
  CC_BIN=clang
  for v in 19 18 17 16 15; do
    if command -v "clang++-$v" >/dev/null && command -v "clang-$v" >/dev/null; then
      CXX_BIN="clang++-$v"
      CC_BIN="clang-$v"
      break
    fi
  done
fi
[[ "$CC_BIN" == *clang* ]] || CC_BIN="${CXX_BIN/clang++/clang}"

command -v "$CXX_BIN" >/dev/null || { echo "fuzz: $CXX_BIN not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

# libFuzzer needs the compiler-rt fuzzer runtime (Debian: libclang-rt-<version>-dev).
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long){return 0;}' |
    "$CXX_BIN" -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  echo "fuzz: $CXX_BIN cannot link -fsanitize=fuzzer (install libclang-rt-14-dev)" >&2
  exit 2
fi

# Every library is compiled with coverage instrumentation (fuzzer-no-link) and the sanitizers,
# not only the fuzz target, so libFuzzer sees the branches of the router, handlers and JSON code.
# UBSan findings abort instead of printing and going on.
SAN_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)

if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  echo "== configuring $BUILD_DIR with $CXX_BIN"
  CC="$CC_BIN" CXX="$CXX_BIN" cmake -S . -B "$BUILD_DIR" "${GENERATOR[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="$CC_BIN" -DCMAKE_CXX_COMPILER="$CXX_BIN" \
    -DCMAKE_CXX_FLAGS="$SAN_FLAGS" \
    -DCOOP_FUZZ=ON -DCOOP_TESTS=OFF -DCOOP_WERROR=OFF >/dev/null
fi

echo "== building coop_fuzz_http with $("$CXX_BIN" --version | head -n1) (-j$BUILD_JOBS)"
BUILD_LOG="$(mktemp "${TMPDIR:-/tmp}/coop-fuzz-build.XXXXXX")"
if ! cmake --build "$BUILD_DIR" --target coop_fuzz_http -j "$BUILD_JOBS" 2>&1 | tee "$BUILD_LOG"; then
  if grep -q "reference to local binding" "$BUILD_LOG"; then
    echo "fuzz: clang < 16 cannot capture structured bindings in lambdas ('auto [a, b] = …;" \
      "[&] { use(a); }'). Declare plain variables and std::tie them, or capture explicitly" \
      "([&, a = a]); g++ accepts both, so only this build notices." >&2
  fi
  rm -f "$BUILD_LOG"
  echo "fuzz: build failed" >&2
  exit 2
fi
rm -f "$BUILD_LOG"

FUZZER="$BUILD_DIR/coop_fuzz_http"
# The target's SQLite database lives here; a crashing run cannot remove it itself.
COOP_FUZZ_DB_DIR="$(mktemp -d "${TMPDIR:-/tmp}/coop-fuzz.XXXXXX")"
export COOP_FUZZ_DB_DIR
trap 'rm -rf "$COOP_FUZZ_DB_DIR"' EXIT
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Replay mode: run the given inputs once each, with full allocation stacks in ASan reports.
if [[ $# -gt 0 ]]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}"
  "$FUZZER" -runs=1 "$@"
  exit
fi

# While fuzzing, ASan records only 2 frames per malloc/free: the system libraries (SQLite,
# Boost.JSON, libstdc++) have no frame pointers, so deeper frames are garbage, every garbage
# stack is "new" to ASan's stack depot, which then grows without bound: after 5 minutes its
# insertions took 24% of the time (3% with 2 frames) and executions/s kept falling.
# Replaying a crash (above) shows full stacks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:malloc_context_size=2:symbolize=1}"

# The seed corpus is committed (fuzz/corpus/); new inputs go to a scratch corpus (gitignored).
WORK_CORPUS="fuzz/corpus-run"
ARTIFACTS="$BUILD_DIR/artifacts"
mkdir -p "$WORK_CORPUS" "$ARTIFACTS"

echo "== fuzzing for ${FUZZ_SECONDS}s (jobs: $FUZZ_JOBS)"
LOG="$BUILD_DIR/fuzz.log"
FORK=()
[[ "$FUZZ_JOBS" -gt 1 ]] && FORK=(-fork="$FUZZ_JOBS")
# FUZZ_SECONDS=0: only run the corpus once (libFuzzer's -max_total_time=0 would mean "forever").
LIMIT=(-max_total_time="$FUZZ_SECONDS")
[[ "$FUZZ_SECONDS" == 0 ]] && LIMIT=(-runs=0)
STAMP="$COOP_FUZZ_DB_DIR/started"
touch "$STAMP"
set +e
"$FUZZER" "$WORK_CORPUS" fuzz/corpus \
  -dict=fuzz/http.dict \
  "${LIMIT[@]}" \
  -max_len=8192 \
  -timeout=10 \
  -rss_limit_mb=4096 \
  -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS/" \
  "${FORK[@]}" \
  2>&1 | tee "$LOG"
STATUS=${PIPESTATUS[0]}
set -e

echo
grep -aE '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$LOG" | awk '!seen[$0]++' || true
if [[ $STATUS -ne 0 ]]; then
  echo "fuzz: FAILED (exit $STATUS) — reproducer(s):" >&2
  find "$ARTIFACTS" -type f -newer "$STAMP" >&2 || true
  echo "replay with: bash fuzz/run.sh <file> (COOP_FUZZ_VERBOSE=1 prints each request's status)" >&2
  exit "$STATUS"
fi
if [[ "$FUZZ_SECONDS" == 0 ]]; then echo "fuzz: corpus replayed, no crash"; else echo "fuzz: no crash in ${FUZZ_SECONDS}s"; fi
