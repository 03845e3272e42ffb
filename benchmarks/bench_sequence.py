"""Training throughput of the sequence strategy against the per-row in-batch strategy (the default).

    python benchmarks/bench_sequence.py                 # Video Games, 3 timed passes of 60 batches each strategy
    python benchmarks/bench_sequence.py --batches 20    # quicker

Both train the model `twotower train` builds for them (training batches only, no validation pass) on the bundled
Video Games data. Reported per strategy: training interactions (targets scored) per wall-second and per CPU-second
(process time, all threads), sequences per second for the sequence strategy, and the ratio sequence / per-row. The
per-row strategy encodes each row's history of up to 20 items, so every interaction is re-encoded once per later row
of its user; the sequence strategy encodes each window once and trains on every position of it.
Writes `benchmarks/results/bench_sequence.json`.
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import numpy as np, torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fastai.callback.core import Callback, CancelValidException, CancelEpochException
from twotower_nb.core import precision
from twotower_nb.loaders import load_sample
from twotower_nb.learner import load_config, build_model, build_dls, two_tower_learner, mixed_precision, resolve

SEQUENCE, PER_ROW = {'training.strategy': 'sequence'}, {}   # per-row: the default config

class _NoValid(Callback):
    def before_validate(self): raise CancelValidException

class _Count(Callback):
    "Counts the targets (interactions) and sequences of the first `n` training batches; ends the epoch after them."
    def __init__(self, n:int): self.n = n
    def before_fit(self): self.targets = self.seqs = 0
    def before_batch(self):
        if self.iter >= self.n: raise CancelEpochException
        b = self.xb[0]
        if 'seq' in b: self.targets += int((b['item'] > 0).sum()); self.seqs += len(b['seq'])
        else: self.targets += len(b['item'])

def measure(ds, overrides:dict, n_batches:int, reps:int)->dict:
    cfg = load_config(**overrides)
    dls = build_dls(ds, cfg)
    learn = two_tower_learner(dls, build_model(ds, cfg), logq=cfg['training']['logq'], cbs=[_NoValid(), _Count(n_batches)])
    mixed_precision(learn, cfg['training']['precision'])
    cnt = learn.cbs.filter(lambda c: isinstance(c, _Count))[0]
    runs = []
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, resolve(cfg, 'learning_rate'))   # warm-up
        for _ in range(reps):
            w, c = time.perf_counter(), time.process_time()
            learn.fit(1, resolve(cfg, 'learning_rate'))
            runs.append((time.perf_counter() - w, time.process_time() - c, cnt.targets, cnt.seqs))
    w, c, n, s = min(runs)   # the least disturbed pass
    return {'overrides': overrides, 'batch_size': dls.train.bs, 'batches': n_batches, 'wall_s': round(w, 2), 'cpu_s': round(c, 2),
            'interactions': n, 'sequences': s, 'interactions_per_s': round(n / w), 'interactions_per_cpu_s': round(n / c),
            'sequences_per_s': round(s / w) if s else None, 'all_wall_s': [round(r[0], 2) for r in runs]}

def main():
    p = argparse.ArgumentParser(); p.add_argument('--batches', type=int, default=60); p.add_argument('--reps', type=int, default=3)
    a = p.parse_args()
    ds = load_sample('video_games')
    res = {'machine': {'cores': os.cpu_count(), 'torch_threads': torch.get_num_threads(), 'torch': torch.__version__,
                       'cpu': platform.processor() or platform.machine(), 'precision_auto': precision('cpu'),
                       'loadavg_start': [round(x, 2) for x in os.getloadavg()]}, 'date': time.strftime('%Y-%m-%d %H:%M'), 'data': repr(ds)}
    res['sequence'] = measure(ds, SEQUENCE, a.batches, a.reps); print('sequence', res['sequence'], flush=True)
    res['per_row'] = measure(ds, PER_ROW, a.batches, a.reps); print('per-row in-batch', res['per_row'], flush=True)
    res['ratio_interactions_per_cpu_s'] = round(res['sequence']['interactions_per_cpu_s'] / res['per_row']['interactions_per_cpu_s'], 2)
    res['ratio_interactions_per_s'] = round(res['sequence']['interactions_per_s'] / res['per_row']['interactions_per_s'], 2)
    res['machine']['loadavg_end'] = [round(x, 2) for x in os.getloadavg()]
    print(f"sequence / per-row: {res['ratio_interactions_per_cpu_s']}x interactions per CPU-second, {res['ratio_interactions_per_s']}x per wall-second")
    (HERE/'results'/'bench_sequence.json').write_text(json.dumps(res, indent=1))

if __name__ == '__main__': main()
