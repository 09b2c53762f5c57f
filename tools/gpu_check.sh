#!/usr/bin/env bash
# Issue 19's GPU check, for a machine with CUDA and art_predict installed in .venv (bash tools/setup.sh):
#   bash tools/gpu_check.sh [DATASET]              # on all GPUs; the bundled sample if no DATASET
#   GPU_CHECK_DEVICE=cpu bash tools/gpu_check.sh   # a dry run of the same steps on the CPU, where there is no GPU
# It prints images/s for each step and ends with "gpu_check: passed" or "gpu_check: FAILED" (exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nvidia-smi >/dev/null && nvidia-smi -L || echo "nvidia-smi: not found"
exec .venv/bin/python tools/gpu_check.py "$@"
