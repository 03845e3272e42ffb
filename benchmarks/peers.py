"""Quality against real peers on one protocol: most-popular, EASE, item-kNN, implicit ALS/BPR, fastai collab_learner, twotower_nb.

    python benchmarks/peers.py                          # Video Games (bundled, full size), every row
    python benchmarks/peers.py --quick                  # 3,000 users, small grids: a few minutes
    python benchmarks/peers.py --dataset movielens      # ../shared/data/movielens-latest-small (fewer rows)
    python benchmarks/peers.py --dataset steam          # ../shared/data/steam (reviews, bundles as related items)
    python benchmarks/peers.py --rows ease,als          # only some rows (results merged into the existing files)

Protocol (the same for every row): each user's interactions in time order; last = test, second-last = validation,
the rest = train (`split='leave_last'`, users with fewer than 3 interactions are train only and not evaluated). Every
model ranks the full catalogue with the user's earlier items masked (`RecDataset.seen`) and is scored by
`twotower_nb.metrics.evaluate_full` (ties broken by the lower item index): Recall/NDCG@10/20, MRR@20, coverage@10,
averaged over all evaluated users. Hyper-parameters are chosen on validation NDCG@10 only (models fitted on train);
peers are then refitted on train+validation with the chosen setting and scored on test once. twotower_nb rows are
trained on train with validation for early stopping / best epoch (`learner.train` has no refit) and scored on test once.

Each row runs in a fresh subprocess, so its peak resident memory (`ru_maxrss`) is its own; wall time counts fitting,
tuning and evaluation, not data loading. Results: `benchmarks/results/peers_<dataset>.csv|json` and a bar plot
`peers_<dataset>.png` (`--quick`: under `benchmarks/results/quick/`, not committed). The peers need `pip install implicit` (it does not pull torch).
"""
import argparse, json, os, platform, resource, subprocess, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd, scipy.sparse as sp
import torch

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get('TWOTOWER_SHARED_DATA', ROOT.parent/'shared'/'data'))  # ../shared/data beside the checkout; --shared overrides
RESULTS = ROOT/'benchmarks'/'results'
KS = (10, 20)
COLS = ['recall@10', 'recall@20', 'ndcg@10', 'ndcg@20', 'mrr@20', 'coverage@10']

# ---------------------------------------------------------------- data
def load_dataset(name:str, quick:bool=False, **kw):
    "The benchmark dataset `name` with the leave-last split (`kw` go to the loader, e.g. feature columns)."
    from twotower_nb.loaders import load_sample
    from twotower_nb.loaders import load_interactions, load_steam
    if name == 'video_games': return load_sample('video_games', n_users=3000 if quick else None, **kw)
    if name == 'movielens':
        d = SHARED/'movielens-latest-small'
        if not d.exists(): raise SystemExit(f"{d} not found: the MovieLens rows read ../shared/data (see benchmarks/README.md)")
        args = dict(time_col='timestamp', items=d/'movies.csv', text_cols=['title', 'genres'], title_col='title', name='movielens-latest-small')
        return load_interactions(d/'ratings.csv', 'userId', 'movieId', **{**args, **kw})
    if name == 'steam':
        d = SHARED/'steam'
        if not d.exists(): raise SystemExit(f"{d} not found: the Steam rows read ../shared/data (see benchmarks/README.md)")
        return load_steam(d/'steam_games.json.gz', d/'user_reviews.csv', d/'bundle_data.json.gz', **kw)
    raise SystemExit(f"unknown dataset {name!r}: video_games, movielens or steam")

ID_ONLY = dict(cat_cols=[], text_cols=[], num_cols=[])  # loader kwargs: the item tower sees item ids only

# ---------------------------------------------------------------- the evaluator adapter
def evaluate_scores(ds, split:int, # 1 = validation, 2 = test
                    score, # function(user indices int64 [b]) -> float scores [b, n_items] (column 0 ignored)
                    user_chunk:int=1024)->dict:
    "`evaluate_full` for a model given as a score function over the whole catalogue (the peers' adapter)."
    from twotower_nb.metrics import evaluate_full
    rows = ds.eval_rows(split)
    users = ds.inter.user.to_numpy()[rows]
    uidx = torch.as_tensor(users)
    def score_fn(u, _): return torch.as_tensor(np.ascontiguousarray(score(u[:, 0].numpy()), dtype=np.float32))
    return evaluate_full(lambda sl: uidx[sl][:, None], torch.zeros(ds.n_items, 1), ds.inter.item.to_numpy()[rows],
                         ds.seen(split)[users], ks=KS, user_chunk=user_chunk, score_fn=score_fn)

def interactions(ds, split:int)->sp.csr_matrix:
    "Binary user x item matrix a peer is fitted on: train rows (`split=1`) or train+validation rows (`split=2`)."
    return ds.seen(split).astype(np.float32).tocsr()

def tune(ds, grid:list, # settings (dicts) tried in order
         fit, # function(X, **setting) -> score function
         budget:float, # seconds: stop trying settings after this (at least one is tried)
        )->dict:
    "Pick the setting with the best validation NDCG@10 (fitted on train), refit on train+validation, test once."
    t0, tried = time.time(), []
    X1 = interactions(ds, 1)
    for g in grid:
        t = time.time()
        m = evaluate_scores(ds, 1, fit(X1, **g))
        tried.append({'setting': g, 'valid_ndcg@10': round(m['ndcg@10'], 5), 'valid': m, 'seconds': round(time.time() - t, 1)})
        print(f"  {g}: valid ndcg@10 {m['ndcg@10']:.4f} recall@10 {m['recall@10']:.4f} ({time.time() - t:.0f} s)", flush=True)
        if time.time() - t0 > budget: break
    best = max(tried, key=lambda r: r['valid_ndcg@10'])
    test = evaluate_scores(ds, 2, fit(interactions(ds, 2), **best['setting']))
    return {'setting': best['setting'], 'valid': best['valid'], 'test': test,
            'grid': [{k: v for k, v in r.items() if k != 'valid'} for r in tried], 'grid_size': len(grid), 'budget_s': budget}

# ---------------------------------------------------------------- peers
def fit_pop(X, **_):
    c = np.asarray(X.sum(0)).ravel().astype(np.float32)
    return lambda u: np.broadcast_to(c, (len(u), len(c)))

def fit_ease(X, lam:float):
    "EASE (Steck 2019), the library's `twotower_nb.blend.EASE` (closed form, float32 Cholesky inverse in place)."
    from twotower_nb.blend import EASE
    e = EASE(lam).fit(X)
    return lambda u: e.score(X[u]).numpy()

def fit_knn(X, k:int):
    "Item-kNN: implicit's CosineRecommender (top-k cosine neighbours per item); score = history @ similarity."
    from implicit.nearest_neighbours import CosineRecommender
    m = CosineRecommender(K=k)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # implicit converts the transposed matrix to CSR itself and says so
        m.fit(X, show_progress=False)
    S = m.similarity.tocsr().astype(np.float32)
    return lambda u: (X[u] @ S).toarray()

def _factors(m):
    "Score function of an implicit factor model (CPU: numpy factors)."
    uf, itf = np.asarray(m.user_factors), np.asarray(m.item_factors)
    return lambda u: uf[u] @ itf.T

def fit_als(X, factors:int, reg:float, alpha:float=1.0, iterations:int=15):
    "implicit's AlternatingLeastSquares (conjugate gradient); implicit weighs a positive by `alpha * x` against 1 for a zero, so alpha=1 gives positives no extra weight."
    from implicit.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits
    with threadpool_limits(1, 'blas'):  # implicit's advice: its own threads, single-threaded BLAS
        m = AlternatingLeastSquares(factors=factors, regularization=reg, alpha=alpha, iterations=iterations, random_state=0)
        m.fit(X, show_progress=False)
    return _factors(m)

def fit_bpr(X, factors:int, lr:float, reg:float, iterations:int=100):
    "implicit's BayesianPersonalizedRanking (SGD, one sampled negative per positive; the item bias is a factor)."
    from implicit.bpr import BayesianPersonalizedRanking
    m = BayesianPersonalizedRanking(factors=factors, learning_rate=lr, regularization=reg, iterations=iterations, random_state=0)
    m.fit(X, show_progress=False)
    return _factors(m)

def fit_collab(X, n_factors:int=64, n_neg:int=4, epochs:int=5, lr:float=1e-2, wd:float=0.01, bs:int=4096):
    "fastai `collab_learner` (EmbeddingDotBias) on positives + `n_neg` uniform random negatives each, BCE with logits."
    from fastai.collab import CollabDataLoaders, collab_learner
    from fastai.losses import BCEWithLogitsLossFlat
    rng = np.random.default_rng(0)
    C = X.tocoo(); n_items = X.shape[1]
    nu = np.repeat(C.row, n_neg); ni = rng.integers(1, n_items, len(nu))
    df = pd.DataFrame({'user': np.r_[C.row, nu], 'item': np.r_[C.col, ni],
                       'label': np.r_[np.ones(len(C.row)), np.zeros(len(nu))].astype(np.float32)})
    dls = CollabDataLoaders.from_df(df, user_name='user', item_name='item', rating_name='label', bs=bs, valid_pct=0.02, seed=0)
    learn = collab_learner(dls, n_factors=n_factors, y_range=None, loss_func=BCEWithLogitsLossFlat())
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(epochs, lr, wd=wd)
    m = learn.model.eval()
    def code(classes, n):  # our index -> fastai class code (0 = '#na#' for unseen)
        o2i = {int(c): i for i, c in enumerate(classes) if c != '#na#'}
        return np.array([o2i.get(i, 0) for i in range(n)])
    uc, ic = code(dls.classes['user'], X.shape[0]), code(dls.classes['item'], X.shape[1])
    with torch.no_grad():
        U = np.c_[m.u_weight.weight.numpy()[uc], np.ones((len(uc), 1), np.float32)]  # u.i + item bias (a user bias does not change a ranking)
        Iv = np.c_[m.i_weight.weight.numpy(), m.i_bias.weight.numpy()][ic]
    Iv[ic == 0] = 0; Iv[ic == 0, -1] = -1e4  # items fastai never saw rank last
    return lambda u: U[u] @ Iv.T

def _grid(**axes)->list:
    import itertools
    keys = list(axes)
    return [dict(zip(keys, v)) for v in itertools.product(*axes.values())]

def peer_rows(quick:bool)->dict:
    "Peer rows: name -> (fit function, grid, time budget in seconds). Grids are tried in order (most promising first)."
    q = quick
    return {
        'most-popular': (fit_pop, [{}], 0),
        'EASE': (fit_ease, [{'lam': l} for l in ([50, 200] if q else [50, 200, 20, 500])], 60),
        'item-kNN cosine': (fit_knn, [{'k': k} for k in ([50, 200] if q else [50, 100, 20, 200, 500])], 300),
        'implicit ALS': (fit_als, ([{'factors': 64, 'reg': 1.0, 'alpha': 10.0}, {'factors': 128, 'reg': 1.0, 'alpha': 10.0}] if q else
                                   [{'factors': 256, 'reg': 1.0, 'alpha': a} for a in (10.0, 40.0)] + [{'factors': 256, 'reg': 10.0, 'alpha': 10.0},
                                   {'factors': 128, 'reg': 1.0, 'alpha': 10.0}, {'factors': 256, 'reg': 1.0, 'alpha': 1.0}]), 200),
        'implicit BPR': (fit_bpr, ([{'factors': 64, 'lr': 0.05, 'reg': 0.01}] if q else
                                   [{'factors': 128, 'lr': 0.01, 'reg': 1e-4, 'iterations': 400}, {'factors': 128, 'lr': 0.01, 'reg': 1e-5, 'iterations': 1000},
                                    {'factors': 256, 'lr': 0.01, 'reg': 1e-4, 'iterations': 400}, {'factors': 64, 'lr': 0.01, 'reg': 1e-4, 'iterations': 400}]
                                   + _grid(factors=[128, 64], lr=[0.05, 0.01], reg=[0.01, 0.001])), 900),
        'fastai collab_learner': (fit_collab, ([{'n_factors': 64, 'epochs': 3, 'bs': 1024}] if q else
                                               [{'n_factors': 64, 'wd': 0.01}, {'n_factors': 64, 'wd': 0.1}, {'n_factors': 64, 'lr': 3e-3},
                                                {'n_factors': 128, 'wd': 0.01}, {'n_factors': 64, 'n_neg': 8}]), 200),
    }

# ---------------------------------------------------------------- twotower_nb rows
def twotower_rows()->dict:
    "twotower_nb rows: name -> (loader kwargs, dotted config overrides on top of `DEFAULT_CONFIG`); follows the default."
    s, nohist = 'training.strategy', {'model.user_tower.history': None, 'model.user_tower.use_id': True}
    # The default is in-batch softmax + logQ, title/platform/kind features, attention over the history read through the item
    # tower, epochs sized to the data. The committed one-change rows were run on 2026-12-02 against the 7-epoch default of
    # that day (their JSON rows say so under 'base'); a re-run measures them against the current default.
    return {
        'twotower default': ({}, {}),
        # the sequence strategy (SASRec-style: every position of each user's time-ordered sequence a training example)
        'twotower sequence': ({}, {s: 'sequence'}),
        'twotower in-batch softmax (no logQ)': ({}, {'training.logq': False}),
        'twotower out-of-batch BCE': ({}, {s: 'out-batch'}),
        'twotower mixed': ({}, {s: 'mixed'}),
        'twotower co-occurrence hard negatives': ({}, {s: 'also-view'}),
        'twotower ID-only (no history)': (ID_ONLY, {**nohist, 'model.item_tower.text': None}),
        'twotower features (no history)': ({}, nohist),
        'twotower ID-only + attention history': (ID_ONLY, {'model.item_tower.text': None}),
        'twotower features + mean history': ({}, {'model.user_tower.history': 'mean'}),
        'twotower 7 epochs': ({}, {'training.num_epochs': 7, 'training.early_stopping_patience': 2}),  # the default until 2026-12-02
        'twotower 20 epochs': ({}, {'training.num_epochs': 20, 'training.early_stopping_patience': 3}),
        # the best configuration: 128-d towers, 20 epochs, and the EASE blend tuned on validation (`blend`); the JSON row
        # also holds the two-tower model's own figures from the same run under 'model_alone'
        'twotower 128-d 20 epochs': ({}, {'training.num_epochs': 20, 'training.early_stopping_patience': 3,   # = the blend row's model alone
            **{f'model.{t}.{k}': v for t in ('user_tower', 'item_tower') for k, v in (('hidden_dims', [256, 128]), ('output_dim', 128))}}),
        'twotower 128-d 20 epochs + EASE blend': ({}, {'training.num_epochs': 20, 'training.early_stopping_patience': 3,
            **{f'model.{t}.{k}': v for t in ('user_tower', 'item_tower') for k, v in (('hidden_dims', [256, 128]), ('output_dim', 128))},
            'blend.method': 'ease'}),
    }

def model_alone_row(name:str, r:dict)->tuple:
    "(row name, result) of the two-tower model alone inside a blend row's result, or None: the same run, not a second one."
    if 'model_alone' not in r or not name.endswith(' + EASE blend'): return None
    setting = {k: v for k, v in r['setting'].items() if not k.startswith('blend.')}
    return name[:-len(' + EASE blend')], {**{k: v for k, v in r.items() if k not in ('model_alone', 'blend')}, **r['model_alone'],
                                          'row': name[:-len(' + EASE blend')], 'setting': setting, 'grid': [], 'grid_size': 1,
                                          'from_row': name, 'wall_seconds': round(r['wall_seconds'] - r['blend']['seconds'], 1)}

def run_twotower(ds, overrides:dict, quick:bool)->dict:
    from twotower_nb.learner import load_config, train
    ov = dict(overrides)
    if quick: ov.setdefault('training.num_epochs', 1)
    cfg = load_config(**ov)
    learn, res = train(ds, cfg, show_progress=False)
    out = {'setting': ov, 'valid': res['valid'], 'test': res['test'], 'epochs': res['epochs'], 'grid': [], 'grid_size': 1}
    if 'blend' in res:   # the row is the blend; the model's own figures stay beside it
        bl = res['blend']
        out.update(valid=bl['valid'], test=bl['test'], model_alone={'valid': res['valid'], 'test': res['test']},
                   blend={'lam': bl['lam'], 'weight': bl['weight'], 'seconds': bl['seconds']}, grid=bl['grid'], grid_size=len(bl['grid']))
    return out

ROWS_BY_DATASET = {  # rows run on each dataset by default
    'video_games': None,  # all
    'movielens': ['most-popular', 'EASE', 'implicit ALS', 'item-kNN cosine', 'twotower default', 'twotower sequence'],
    'steam': ['most-popular', 'EASE', 'implicit ALS', 'item-kNN cosine', 'twotower default', 'twotower sequence'],
}

def all_rows(quick:bool)->list: return list(peer_rows(quick)) + list(twotower_rows())

# ---------------------------------------------------------------- one row (in its own process)
def run_row(dataset:str, row:str, quick:bool, budget_scale:float=1.)->dict:
    t = time.time()
    tt = twotower_rows()
    load_kw = tt[row][0] if row in tt else {}
    ds = load_dataset(dataset, quick, **load_kw)
    load_s = time.time() - t
    print(f"{row} on {ds}", flush=True)
    t = time.time()
    if row in tt: r = run_twotower(ds, tt[row][1], quick)
    else:
        fit, grid, budget = peer_rows(quick)[row]
        r = tune(ds, grid, fit, budget * budget_scale)
    r.update(row=row, dataset=ds.name, wall_seconds=round(time.time() - t, 1), load_seconds=round(load_s, 1),
             peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
             n_eval_users=int(len(ds.eval_rows(2))), n_items=int(ds.n_items - 1))
    return r

def machine()->dict:
    import fastai
    try: import implicit; iv = implicit.__version__
    except ImportError: iv = None
    return {'cores': os.cpu_count(), 'torch_threads': torch.get_num_threads(), 'torch': torch.__version__, 'fastai': fastai.__version__,
            'implicit': iv, 'numpy': np.__version__, 'python': platform.python_version(),
            'cpu': platform.processor() or platform.machine(), 'gpu': torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
            'date': time.strftime('%Y-%m-%d')}

def flat(r:dict)->dict:
    "One CSV line of a row's result."
    out = {'row': r['row'], 'kind': 'twotower_nb' if r['row'].startswith('twotower') else 'peer'}
    out.update({f'test {c}': round(r['test'][c], 4) for c in COLS})
    out.update({f'valid {c}': round(r['valid'][c], 4) for c in ('recall@10', 'ndcg@10')})
    out.update(setting=json.dumps(r['setting']), tried=f"{len(r['grid']) or 1}/{r['grid_size']}", wall_s=r['wall_seconds'],
               peak_rss_mib=r['peak_rss_mib'])
    return out

def plot(df:pd.DataFrame, title:str, dest:Path, goal:float=None):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    d = df.sort_values('test ndcg@10')
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(d) + 1.2))
    y = np.arange(len(d)); h = 0.4
    col = ['tab:orange' if k == 'twotower_nb' else 'tab:blue' for k in d.kind]
    ax.barh(y + h/2, d['test ndcg@10'], h, color=col, label='NDCG@10')
    ax.barh(y - h/2, d['test recall@10'], h, color=col, alpha=0.45, label='Recall@10')
    ax.set_yticks(y, d.row); ax.set_xlabel('test metric (full catalogue, seen items masked)')
    if goal: ax.axvline(goal, color='k', ls=':', lw=1, label=f'goal: NDCG@10 {goal}'); ax.legend(fontsize=7, loc='lower right')
    for yi, (n, r) in enumerate(zip(d['test ndcg@10'], d['test recall@10'])):
        ax.text(n, yi + h/2, f' {n:.4f}', va='center', fontsize=7); ax.text(r, yi - h/2, f' {r:.4f}', va='center', fontsize=7)
    ax.set_title(title + '\n(dark: NDCG@10, light: Recall@10; orange: twotower_nb, blue: peers)', fontsize=9)
    ax.margins(x=0.15); fig.tight_layout(); fig.savefig(dest, dpi=110); plt.close(fig)

GOALS = {'video_games': 0.076}  # issue #7: best twotower_nb test NDCG@10 on the full Video Games run

def draw(res:dict, dest:Path):
    "The bar plot of a results file's rows."
    r = res['rows'][-1]
    plot(pd.DataFrame([flat(x) for x in res['rows']]), f"{r['dataset']}: {r['n_eval_users']:,} users, {r['n_items']:,} items", dest,
         goal=None if res.get('quick') else GOALS.get(res['dataset']))

def main():
    global SHARED
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--dataset', default='video_games', choices=list(ROWS_BY_DATASET))
    p.add_argument('--quick', action='store_true', help='3,000 Video Games users, small grids, 1 epoch')
    p.add_argument('--rows', default=None, help='comma-separated row names (default: the dataset\'s rows)')
    p.add_argument('--peers-only', action='store_true', help='skip the twotower_nb rows')
    p.add_argument('--budget-scale', type=float, default=1., help='multiply every grid\'s time budget (the committed run used 1 on a busy 2-core machine)')
    p.add_argument('--shared', default=str(SHARED), help='folder of the shared real data (MovieLens, Steam)')
    p.add_argument('--plot-only', action='store_true', help='redraw the PNG from the committed results, run nothing')
    p.add_argument('--child', default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    SHARED = Path(a.shared)
    if a.child:  # one row in this process; the result goes to the file a.child
        Path(a.child).write_text(json.dumps(run_row(a.dataset, a.rows, a.quick, a.budget_scale), default=float)); return
    stem, out = f"peers_{a.dataset}", RESULTS/'quick' if a.quick else RESULTS
    if a.plot_only: return draw(json.loads((out/f'{stem}.json').read_text()), out/f'{stem}.png')
    info = machine()
    print('machine:', json.dumps(info))
    rows = a.rows.split(',') if a.rows else (ROWS_BY_DATASET[a.dataset] or all_rows(a.quick))
    if a.peers_only: rows = [r for r in rows if not r.startswith('twotower')]
    unknown = [r for r in rows if r not in all_rows(a.quick)]
    if unknown: raise SystemExit(f"unknown rows {unknown}; known: {all_rows(a.quick)}")
    out.mkdir(parents=True, exist_ok=True)
    jpath = out/f'{stem}.json'
    def saved()->dict: return {x['row']: x for x in json.loads(jpath.read_text()).get('rows', [])} if jpath.exists() else {}
    results = saved()
    for row in rows:
        print(f"== {row}", flush=True)
        tmp = Path(f'/tmp/peers_{os.getpid()}.json')
        rc = subprocess.run([sys.executable, __file__, '--dataset', a.dataset, '--rows', row, '--child', str(tmp), '--budget-scale', str(a.budget_scale), '--shared', str(SHARED)] + (['--quick'] if a.quick else [])).returncode
        if rc: print(f"   row {row!r} failed (exit {rc})", flush=True); continue
        r = json.loads(tmp.read_text()); tmp.unlink()
        r['machine'] = info
        results = {**saved(), row: r}   # with the rows another run wrote meanwhile
        if (alone := model_alone_row(row, r)): results[alone[0]] = alone[1]   # the blend run's model alone, as its own row
        f = flat(r)
        print(f"   test ndcg@10 {f['test ndcg@10']:.4f} recall@10 {f['test recall@10']:.4f}  {f['setting']}  {r['wall_seconds']} s, {r['peak_rss_mib']} MiB", flush=True)
        order = [k for k in all_rows(a.quick) if k in results]
        res = {'dataset': a.dataset, 'quick': a.quick, 'protocol': __doc__.split('Protocol')[1].split('Each row')[0].strip(),
               'machine': info, 'rows': [results[k] for k in order]}
        from twotower_nb.core import atomic_write
        with atomic_write(jpath, 'w') as fh: fh.write(json.dumps(res, indent=1, default=float) + '\n')
        df = pd.DataFrame([flat(results[k]) for k in order])
        with atomic_write(out/f'{stem}.csv', 'w') as fh: fh.write(df.to_csv(index=False))
        draw(res, out/f'{stem}.png')
    print(pd.DataFrame([flat(results[k]) for k in [k for k in all_rows(a.quick) if k in results]]).drop(columns=['setting']).to_string(index=False))

if __name__ == '__main__': main()
