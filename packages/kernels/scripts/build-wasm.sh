#!/usr/bin/env bash
# Rebuild assets/sundew-kernels{,-shared}.wasm from csrc/ (needs clang and lld,
# e.g. `apt-get install clang lld`). The .wasm files are committed, so
# installing or building the package never needs a C compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(
  --target=wasm32 -O3 -std=c11 -Wall -Wextra -Werror
  -msimd128 -mbulk-memory -mnontrapping-fptoint -msign-ext
  # Reassociation lets clang vectorise the reductions; NaN and Inf keep their IEEE meaning.
  -fassociative-math -fno-signed-zeros -fno-trapping-math -freciprocal-math
  -nostdlib -Wl,--no-entry -Wl,--import-memory -Wl,--strip-all
)
sources=(csrc/sundew_kernels.c csrc/sundew_gradients.c)
clang "${flags[@]}" -o assets/sundew-kernels.wasm "${sources[@]}"
# The threaded tfjs-backend-wasm build has a shared memory of at most 4 GiB.
clang "${flags[@]}" -matomics -Wl,--shared-memory -Wl,--max-memory=4294967296 \
  -o assets/sundew-kernels-shared.wasm "${sources[@]}"
ls -l assets/*.wasm
