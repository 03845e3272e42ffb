"""One tuning run: `python benchmarks/tune.py '<json overrides>' [--data movielens] [--threads N] [--log FILE]`.

Trains `twotower_nb.learner.train` with DEFAULT_CONFIG updated by the JSON overrides (nested keys, as in a
YAML config, or dotted keys as in `load_config(**{'training.strategy': 'sequence'})`) on the full bundled Video
Games data (or `--data movielens|steam`, read from ../shared/data by `peers.load_dataset`), prints the validation metrics of every epoch (5,000-user subset), the full validation
metrics of the best epoch, and the test metrics (of the refit model when `training.refit` is on), and
appends one JSON line to benchmarks/results/tuning/runs.jsonl. The runs behind the defaults, with their
logs, are in benchmarks/results/tuning/ (README.md there has the table).
"""
import sys, json, time, os, platform, argparse
import torch
from twotower_nb.loaders import load_sample
from twotower_nb.learner import DEFAULT_CONFIG, train, _merge, load_config

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('overrides', nargs='?', default='{}', help='JSON object of config overrides')
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides)')
    ap.add_argument('--name', default=None, help='a name for the run in runs.jsonl')
    ap.add_argument('--data', default='video_games', help="video_games (bundled), movielens or steam (../shared/data)")
    ap.add_argument('--log', default='runs.jsonl', help='file under results/tuning/ the run is appended to')
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    over = json.loads(a.overrides)
    cfg = load_config(**over) if all('.' in k for k in over) else _merge(DEFAULT_CONFIG, over)   # dotted keys or a nested mapping
    if a.data == 'video_games': ds = load_sample('video_games')
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from peers import load_dataset
        ds = load_dataset(a.data)
    t0 = time.time()
    learn, res = train(ds, cfg, show_progress=False)
    r = lambda d: {k: round(v, 4) for k, v in d.items()}
    print(json.dumps(over))
    for i, h in enumerate(res['history']): print(i, r(h))
    print('valid', r(res['valid'])); print('test', r(res['test']))
    if 'refit' in res: print('refit', res['refit'])
    row = {'name': a.name, 'data': a.data, 'overrides': over, 'epochs': res['epochs'], 'best_epoch': res['best_epoch'], 'valid': r(res['valid']), 'test': r(res['test']), 'refit': res.get('refit'),
           'history': [r(h) for h in res['history']], 'seconds': round(time.time() - t0, 1), 'threads': torch.get_num_threads(),
           'cores': os.cpu_count(), 'load': os.getloadavg()[0], 'torch': torch.__version__, 'machine': platform.machine()}
    out = os.path.join(os.path.dirname(__file__), 'results', 'tuning', a.log)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'a') as f: f.write(json.dumps(row) + '\n')
    print('time', row['seconds'])

if __name__ == '__main__': main()
