"""One tuning run of the library's `train` on Video Games (bundled) or a benchmark data set: `python benchmarks/tune_seq.py --data movielens --o '{"training.strategy": "sequence"}'`.

Prints one JSON line: the overrides (dotted keys), the resolved schedule, epochs run, best epoch, train seconds, validation
and test NDCG@10 / Recall@10 and the validation NDCG@10 of every epoch. The sequence-strategy rounds in
`benchmarks/results/tuning/sequence_runs.jsonl` are its output.
"""
import sys, time, json, argparse
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from twotower_nb.learner import load_config, train
p = argparse.ArgumentParser(); p.add_argument('--data', default='video_games'); p.add_argument('--n_users', type=int, default=None)
p.add_argument('--o', default='{}'); p.add_argument('--quiet', action='store_true')
a = p.parse_args()
import peers
t0 = time.time()
if a.data == 'video_games':
    from twotower_nb.data import load_sample; ds = load_sample('video_games', n_users=a.n_users)
else: ds = peers.load_dataset(a.data)
print(ds, f'load {time.time()-t0:.0f}s', flush=True)
cfg = load_config(**json.loads(a.o))
learn, res = train(ds, cfg, show_progress=not a.quiet)
print(json.dumps({'o': a.o, 'data': a.data, 'schedule': res['schedule'], 'epochs': res['epochs'], 'best': res['best_epoch'], 'train_s': res['train_seconds'],
  'valid': {k: round(v, 4) for k, v in res['valid'].items() if k in ('ndcg@10', 'recall@10')},
  'test': {k: round(v, 4) for k, v in res['test'].items() if k in ('ndcg@10', 'recall@10', 'coverage@10')}, 'total_s': round(time.time() - t0), 'hist': [round(h['ndcg@10'], 4) for h in res['history']]}))
