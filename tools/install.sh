#!/usr/bin/env bash
# Install twotower_nb without ever pulling a CUDA build of torch or PyPI's torchvision (which breaks
# beside a CPU torch).
#   bash tools/install.sh          the pinned, known-good runtime set (main job, users)
#   bash tools/install.sh dev      + nbdev 2 and the test tools, editable install
#   bash tools/install.sh latest   newest fastai/fastcore 2.x, as on a current Kaggle image
# Where it installs:
#   - $PYTHON when set;
#   - else the active virtual environment ($VIRTUAL_ENV) or the `python3`/`python` first on PATH
#     (conda, pyenv, a Kaggle or Docker image);
#   - but when no venv is active and that interpreter is a system Python that refuses pip (PEP 668
#     "externally managed": Debian 12, Ubuntu 24.04), or when the project venv .venv/ already exists,
#     into .venv/ (created with `python3 -m venv`). Run the command then as `./twotower ...` (the
#     wrapper at the repo root picks .venv/), `.venv/bin/twotower ...`, or after `source .venv/bin/activate`.
# torch is only installed when missing (Kaggle and GPU images keep theirs); torch 2.13.0+cpu is the
# CPU build this project is tested with. fastai is installed with --no-deps: its torchvision
# requirement only serves fastai.vision, which twotower_nb never imports.
set -euo pipefail
mode=${1:-runtime}
case "$mode" in runtime|dev|latest) ;; *) echo "usage: bash tools/install.sh [runtime|dev|latest]" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
ROOT=$PWD
die() { echo "install.sh: $*" >&2; exit 1; }

if [ -n "${PYTHON:-}" ]; then PY=$PYTHON
else
  PY=
  if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then PY=$VIRTUAL_ENV/bin/python
  elif [ -x "$ROOT/.venv/bin/python" ]; then PY=$ROOT/.venv/bin/python     # made by an earlier run
  else
    for c in python3 python; do command -v "$c" >/dev/null 2>&1 && { PY=$(command -v "$c"); break; }; done
    [ -n "$PY" ] || die "no python3 found on PATH: install Python >= 3.10 (Debian/Ubuntu: apt-get install python3 python3-venv)"
    # PEP 668: a system interpreter outside any venv marks its stdlib EXTERNALLY-MANAGED and pip refuses it
    if "$PY" -c "import sys, sysconfig, os; sys.exit(not (sys.prefix == sys.base_prefix and os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED'))))"; then
      echo "install.sh: $PY is an externally managed system Python (PEP 668): installing into the project venv $ROOT/.venv"
      "$PY" -m venv "$ROOT/.venv" 2>/dev/null || { rm -rf "$ROOT/.venv"; die "'$PY -m venv' failed: install the venv module (Debian/Ubuntu: apt-get install python3-venv), then run this again"; }
      PY=$ROOT/.venv/bin/python
    fi
  fi
fi
"$PY" -c "import sys; sys.exit(sys.version_info < (3, 10))" || die "$PY is Python $("$PY" -c 'import platform; print(platform.python_version())'): twotower_nb needs Python >= 3.10"

pipi() { "$PY" -m pip install --disable-pip-version-check -q "$@"; }
# PyPI's Linux x86_64 torch is a CUDA build (GBs of nvidia-* wheels): take the CPU build from PyTorch's index there
if ! "$PY" -c "import torch" 2>/dev/null; then
  if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
    pipi "torch==2.13.0+cpu" 2>/dev/null || pipi "torch==2.13.0+cpu" --extra-index-url https://download.pytorch.org/whl/cpu || {
      echo "install.sh: the CPU build of torch is not reachable (download.pytorch.org): installing PyPI's torch 2.13.0 (a CUDA build, several GB)" >&2
      pipi "torch==2.13.0"; }
  else pipi "torch==2.13.0"; fi
fi
case "$mode" in
  runtime|dev)
    # nbdev 2 needs fastcore 1.x, and fastai 2.8.7 is the last fastai on fastcore 1.x
    pipi "fastcore==1.14.5" "fasttransform==0.0.2" "fastprogress>=1.0,<1.1"
    "$PY" -c "import fastai" 2>/dev/null && "$PY" -c "import fastai,sys; sys.exit(fastai.__version__!='2.8.7')" || pipi --no-deps "fastai==2.8.7"
    if [ "$mode" = dev ]; then pipi -e ".[dev]"; else pipi .; fi ;;
  latest)
    "$PY" -c "import fastai" 2>/dev/null || pipi --no-deps fastai
    pipi . ;;
esac
"$PY" -c "import twotower_nb, fastai, fastcore, torch; print(f'twotower_nb {twotower_nb.__version__}: torch {torch.__version__}, fastai {fastai.__version__}, fastcore {fastcore.__version__}')"
if [ "$PY" = "$ROOT/.venv/bin/python" ] && [ "${VIRTUAL_ENV:-}" != "$ROOT/.venv" ]; then
  echo "installed into $ROOT/.venv: run ./twotower train (or $ROOT/.venv/bin/twotower train, or 'source .venv/bin/activate' first)"
fi
