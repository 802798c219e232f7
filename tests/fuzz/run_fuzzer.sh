#!/bin/sh
# Runs a libFuzzer binary for a bounded time; exits non-zero on any crash, leak, sanitizer
# report, timeout or memory blow-up, leaving the input that did it in WORKDIR/artifacts.
#
#   run_fuzzer.sh FUZZER WORKDIR SECONDS SEED_DIR...
#
# WORKDIR/corpus collects what the fuzzer finds and is kept between runs, so coverage grows
# from one run to the next; the seed folders are only read.
set -eu
fuzzer=$1
work=$2
seconds=$3
shift 3
mkdir -p "$work/corpus" "$work/artifacts"
# -max_len: long enough for many lines and for the real captures' first 16 KiB, short enough to
# keep thousands of runs a second. -timeout: one input taking 10 s is a hang, and a failure.
exec "$fuzzer" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$@"
