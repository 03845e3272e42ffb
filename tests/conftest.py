"Helpers the test files share: the `twotower` executable, a tiny training config, a subprocess runner."
import shutil, subprocess, sys
from pathlib import Path

def twotower_exe()->str:
    "The `twotower` console script of this interpreter's environment (else the one on PATH)."
    here = Path(sys.executable).parent/'twotower'
    return str(here) if here.exists() else shutil.which('twotower')

TT = twotower_exe()

def tt(*args, timeout:int=900, **kw)->subprocess.CompletedProcess:
    "Run `twotower ARGS` in a subprocess, capturing its text output."
    return subprocess.run([TT, *map(str, args)], capture_output=True, text=True, timeout=timeout, **kw)

def tiny_yaml(dim:int=16, max_len:int=10, **training)->str:
    "A config that trains in seconds: small towers, one epoch, few evaluation users; `training` keys override."
    t = {'batch_size': 256, 'num_epochs': 1, 'eval_users': 100, **training}
    return (f"model:\n  user_tower: {{embedding_dim: {dim}, hidden_dims: [{2*dim}], output_dim: {dim}, num_layers: 1}}\n"
            f"  item_tower: {{embedding_dim: {dim}, hidden_dims: [{2*dim}], output_dim: {dim}}}\n"
            f"data: {{max_len: {max_len}}}\ntraining: {{{', '.join(f'{k}: {v}' for k, v in t.items())}}}\n")
