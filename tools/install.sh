#!/usr/bin/env bash
# Install twotower_nb into the current Python environment without ever pulling a CUDA build of
# torch or PyPI's torchvision (which breaks beside a CPU torch).
#   bash tools/install.sh          the pinned, known-good runtime set (main job, users)
#   bash tools/install.sh dev      + nbdev 2 and the test tools, editable install
#   bash tools/install.sh latest   newest fastai/fastcore 2.x, as on a current Kaggle image
# torch is only installed when missing (Kaggle and GPU images keep theirs); torch==2.13.0 is the
# CPU build this project is tested with. fastai is installed with --no-deps: its torchvision
# requirement only serves fastai.vision, which twotower_nb never imports.
set -euo pipefail
mode=${1:-runtime}
PY=${PYTHON:-python}
cd "$(dirname "$0")/.."
pipi() { "$PY" -m pip install --disable-pip-version-check -q "$@"; }
"$PY" -c "import torch" 2>/dev/null || pipi "torch==2.13.0"
case "$mode" in
  runtime|dev)
    # nbdev 2 needs fastcore 1.x, and fastai 2.8.7 is the last fastai on fastcore 1.x
    pipi "fastcore==1.14.5" "fasttransform==0.0.2" "fastprogress>=1.0,<1.1"
    "$PY" -c "import fastai" 2>/dev/null && "$PY" -c "import fastai,sys; sys.exit(fastai.__version__!='2.8.7')" || pipi --no-deps "fastai==2.8.7"
    if [ "$mode" = dev ]; then pipi -e ".[dev]"; else pipi .; fi ;;
  latest)
    "$PY" -c "import fastai" 2>/dev/null || pipi --no-deps fastai
    pipi . ;;
  *) echo "usage: bash tools/install.sh [runtime|dev|latest]" >&2; exit 2 ;;
esac
"$PY" -c "import twotower_nb, fastai, fastcore, torch; print(f'twotower_nb {twotower_nb.__version__}: torch {torch.__version__}, fastai {fastai.__version__}, fastcore {fastcore.__version__}')"
