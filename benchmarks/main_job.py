"""Time the README's main job (`twotower train`, defaults, bundled Video Games data) and record its metrics.

    python benchmarks/main_job.py            # writes benchmarks/results/main_job.json (shown in the README)

Runs the real console script in a fresh process, so the time includes start-up and data loading.
"""
import json, os, platform, subprocess, sys, time, shutil, tempfile
from pathlib import Path
import torch

root = Path(__file__).resolve().parent.parent
out = Path(tempfile.mkdtemp())/'model'
exe = Path(sys.executable).parent/'twotower'
cmd = [str(exe if exe.exists() else shutil.which('twotower')), 'train', '--out', str(out), *sys.argv[1:]]
t0 = time.time()
r = subprocess.run(cmd, capture_output=True, text=True)
wall = time.time() - t0
print(r.stdout[-4000:]); print(r.stderr[-2000:], file=sys.stderr)
if r.returncode: sys.exit(r.returncode)
from twotower_nb.retrieval import Recommender
rec = Recommender.load(out)
m = rec.meta['metrics']
res = {'command': 'twotower train ' + ' '.join(sys.argv[1:]), 'wall_seconds': round(wall, 1), 'train_seconds': m['train_seconds'],
       'epochs': m['epochs'], 'refit': m.get('refit'), 'valid_users': m.get('valid_users'), 'valid': {k: round(v, 4) for k, v in m['valid'].items() if 'loss' not in k},
       'test': {k: round(v, 4) for k, v in m['test'].items() if k.split('@')[0] in ('recall', 'ndcg', 'mrr', 'coverage')},
       'machine': f"{os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads), {platform.processor() or platform.machine()}",
       'date': time.strftime('%Y-%m-%d')}
dest = root/'benchmarks'/'results'/'main_job.json'
dest.write_text(json.dumps(res, indent=1) + '\n')
print(json.dumps(res, indent=1))
