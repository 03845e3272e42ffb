"""The memory guard's estimate (`learner.model_memory`) against the measured peak of a real training run (issue #24, item 9).

    OMP_NUM_THREADS=1 python benchmarks/memory_guard.py [--items 20000 100000 400000] [--configs tiny default] [--out benchmarks/results/memory_guard.json]

Each case runs in a fresh process, with the per-row in-batch strategy (attention over 20 items, one layer): 40 users share `n_items` distinct items (one interaction per item, the shape the
issue found 3-6x underestimated), one epoch. The peak is the growth of the process's peak RSS from the moment
`train` starts (the dataset is loaded then, and the guard compares its estimate with the memory still free).
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

TINY = {'model.user_tower.embedding_dim': 16, 'model.user_tower.hidden_dims': [32], 'model.user_tower.output_dim': 16,
        'model.item_tower.embedding_dim': 16, 'model.item_tower.hidden_dims': [32], 'model.item_tower.output_dim': 16}

def _status_mib(key:str)->float:
    "A memory line of /proc/self/status (VmRSS: now, VmHWM: peak since start or the last reset), in MiB."
    for line in open('/proc/self/status'):
        if line.startswith(key + ':'): return int(line.split()[1]) / 1024
    return float('nan')

def one(n_items:int, config:str, users:int=40, strategy:str='in-batch')->dict:
    "Build the data, then time and measure one epoch of `train` (run in its own process)."
    import numpy as np, pandas as pd, torch
    from twotower_nb.data import RecDataset
    from twotower_nb.learner import load_config, train, model_memory, epoch_seconds, _embedding_rows
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    df = pd.DataFrame({'user': rng.integers(0, users, n_items).astype(str), 'item': np.arange(n_items).astype(str), 't': np.arange(n_items)})
    ds = RecDataset.from_interactions(df, 'user', 'item', 't')
    ov = {'training.num_epochs': 1, 'training.eval_users': 0, 'training.holdout_users': 0, 'training.early_stopping_patience': 0,
          # the per-row in-batch strategy and its user tower (the default when these figures were measured)
          **({'training.strategy': 'in-batch', 'data.max_len': 20, 'model.user_tower.history': 'attention',
              'model.user_tower.num_layers': 1, 'model.user_tower.dropout': 0.0} if strategy == 'in-batch' else {'training.strategy': strategy})}
    cfg = load_config(**{**ov, **(TINY if config == 'tiny' else {})})
    est = model_memory(ds, cfg)
    f = ds.item_features(); d = cfg['model']['item_tower']['embedding_dim']
    old = _embedding_rows(ds, cfg) * d * 16 + sum(a.nbytes for a in (*f['cat'].values(), f['num']))   # the estimate before issue #24
    eps = epoch_seconds(ds, cfg, threads=1)
    os.environ.setdefault('TWOTOWER_QUIET', '1')
    import gc; gc.collect()
    with open('/proc/self/clear_refs', 'w') as f: f.write('5')   # reset the peak (VmHWM) to the current RSS
    base = _status_mib('VmRSS')
    t0 = time.time()
    learn, res = train(ds, cfg, show_progress=False, test=True)
    secs = time.time() - t0
    peak = _status_mib('VmHWM')
    return {'n_items': n_items, 'users': users, 'config': config, 'strategy': strategy, 'estimate_mib': round(est / 2**20, 1), 'old_estimate_mib': round(old / 2**20, 1), 'epoch_seconds_estimate': round(eps, 1),
            'measured_growth_mib': round(peak - base, 1),
            'rss_at_start_mib': round(base, 1), 'peak_rss_mib': round(peak, 1), 'train_seconds': round(secs, 1),
            'params': int(sum(p.numel() for p in learn.model.parameters()))}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--items', type=int, nargs='+', default=[20_000, 100_000, 400_000])
    p.add_argument('--configs', nargs='+', default=['tiny', 'default'])
    p.add_argument('--out', default='benchmarks/results/memory_guard.json')
    p.add_argument('--strategy', default='in-batch', help="'in-batch' (per-row, attention over 20 items) or 'sequence' (the default since)")
    p.add_argument('--case', nargs=3, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.case: print(json.dumps(one(int(a.case[0]), a.case[1], strategy=a.case[2]))); return
    rows = []
    for c in a.configs:
        for n in a.items:
            r = subprocess.run([sys.executable, __file__, '--case', str(n), c, a.strategy], capture_output=True, text=True)
            if r.returncode: print(r.stderr[-2000:], file=sys.stderr); continue
            rows.append(json.loads(r.stdout.strip().splitlines()[-1])); print(rows[-1], flush=True)
    Path(a.out).write_text(json.dumps(rows, indent=1) + '\n')

if __name__ == '__main__': main()
