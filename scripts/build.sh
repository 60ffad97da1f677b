#!/bin/sh
# build.sh DIR [CMAKE-ARGS...]: configure and build fleet into DIR.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
