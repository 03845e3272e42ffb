"""The `gpu`-flagged checks of nbs/tutorials/gpu.ipynb (fp16 + GradScaler and bf16 training steps, CUDA vs CPU evaluation,
saved on the GPU and loaded on a CPU), run through `nbdev_test --flags gpu`. Without a CUDA card the installed torch
can run, the test is SKIPPED with the reason (pytest -rA shows it), as in CI."""
import shutil, subprocess, sys
from pathlib import Path
import pytest, torch
from twotower_nb.core import cuda_usable, cuda_problem

ROOT = Path(__file__).resolve().parents[1]

def _no_gpu_reason()->str|None:
    if cuda_usable(): return None
    return cuda_problem() or 'no CUDA device (torch.cuda.is_available() is False): the gpu checks need one'

@pytest.mark.skipif(_no_gpu_reason() is not None, reason=str(_no_gpu_reason()))
def test_gpu_notebook_checks():
    exe = shutil.which('nbdev_test', path=str(Path(sys.executable).parent)) or shutil.which('nbdev_test')
    if exe is None: pytest.skip('nbdev_test is not installed (bash tools/install.sh dev)')
    r = subprocess.run([exe, '--flags', 'gpu', '--do_print', '--path', str(ROOT/'nbs'/'tutorials'/'gpu.ipynb')],
                       cwd=ROOT, capture_output=True, text=True, timeout=1200)
    print(r.stdout[-5000:], r.stderr[-5000:])
    assert r.returncode == 0, r.stderr[-5000:]

def test_unsupported_card_falls_back_to_cpu(monkeypatch):
    "A P100 (sm_60) under a torch built for sm_75+: one clear warning line, the CPU, and a config's fp16 warns instead of silently changing."
    import warnings
    from twotower_nb import core
    c = torch.cuda
    for name, fn in dict(is_available=lambda: True, current_device=lambda: 0, device_count=lambda: 1,
                         get_device_capability=lambda d=None: (6, 0), get_arch_list=lambda: ['sm_75', 'sm_80', 'sm_90', 'sm_120'],
                         get_device_name=lambda d=None: 'Tesla P100-PCIE-16GB').items():
        monkeypatch.setattr(c, name, fn)
    monkeypatch.setattr(torch.version, 'hip', None)
    monkeypatch.setattr(core, '_warned', set())
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        dev = core.default_device()
        p = core.resolve_precision('fp16', dev)
    assert dev.type == 'cpu'
    msgs = [str(x.message) for x in w]
    card = [m for m in msgs if 'Tesla P100-PCIE-16GB (sm_60) is not supported by torch' in m]
    assert len(card) == 1 and 'running on the CPU' in card[0] and 'T4' in card[0] and '\n' not in card[0], msgs
    assert p == core.precision('cpu') and any("precision 'fp16' needs a CUDA GPU" in m for m in msgs), msgs
    # and a learner built for that device gets the CPU's precision, not fastai's CUDA-only to_fp16
    import torch.nn as nn
    from fastai.learner import Learner
    from fastai.data.core import DataLoaders
    from twotower_nb.learner import mixed_precision, CPUAutocast
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        learn = mixed_precision(Learner(DataLoaders([], []), nn.Linear(2, 2).to(dev), loss_func=nn.MSELoss()), 'fp16')
    assert not any(type(cb).__name__ == 'MixedPrecision' for cb in learn.cbs)
    assert any(isinstance(cb, CPUAutocast) for cb in learn.cbs) == (p == 'bf16')
