"""Speed and memory of training, evaluation and retrieval (issue #7), in one re-runnable script.

    nice -n 15 python benchmarks/speed.py            # everything (about 15 CPU-minutes; hours of wall time on a busy machine)
    nice -n 15 python benchmarks/speed.py --quick    # the same measurements, smaller (a few minutes)
    python benchmarks/speed.py --only ratio,throughput [--threads 1]

Measures, on the bundled Video Games data (`load_sample('video_games')`):
- training throughput (interactions/s) of every strategy of `TwoTowerLoss.STRATEGIES` at batch 1024, the
  default model and precision of `twotower train` (training batches only, no validation);
- the time of a fastai `Learner` epoch over the time of a bare PyTorch loop over the same model, optimizer
  and batches (alternated in one process, median ratio; goal <= 1.15);
- one full-corpus evaluation (all validation users x all items) of the default model, and `bench_eval.py`'s
  synthetic `evaluate_full`;
- retrieval latency on the Video Games catalogue (`bench_retrieval.bench_games`);
- data-size scaling: one training epoch and the peak RSS at 25 / 50 / 100 % of the users, each in a fresh
  process (`--scaling-point FRAC`);
- catalogue scaling: exact vs FAISS HNSW top-10 latency (and recall) from 10k to 1M embedding-like vectors;
- the README's main job, read from `results/main_job.json` (written by `main_job.py`).

Writes `results/speed.json`, `results/speed_*.csv` and `results/speed_*.png` (`results/speed_quick*` with
`--quick`). Machine info (cores, torch threads, load average) is printed and stored: the machine may be
shared, so compare ratios taken within one run, not absolute times across runs.
"""
import argparse, json, os, platform, resource, subprocess, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch

HERE = Path(__file__).resolve().parent
RES = HERE/'results'
sys.path.insert(0, str(HERE)); sys.path.insert(0, str(HERE.parent))   # sibling scripts; the checkout's package

from fastai.callback.core import Callback, CancelValidException
from fastai.torch_core import to_float
from twotower_nb.loaders import load_sample
from twotower_nb.learner import STRATEGIES, load_config, build_model, build_dls, two_tower_learner, mixed_precision, evaluate_model, resolve

def log(*a): print(*a, flush=True)

def machine_info()->dict:
    "Cores, torch threads and version, CPU model, load average now."
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor()) \
        if Path('/proc/cpuinfo').exists() else platform.processor()
    try: import faiss; fv = f'{faiss.__version__} ({faiss.omp_get_max_threads()} threads)'
    except ImportError: fv = None
    return {'cores': os.cpu_count(), 'torch_threads': torch.get_num_threads(), 'torch': torch.__version__, 'cpu': cpu,
            'python': platform.python_version(), 'faiss': fv, 'nice': os.nice(0), 'loadavg': [round(x, 2) for x in os.getloadavg()],
            'date': time.strftime('%Y-%m-%d %H:%M')}

# -- training ---------------------------------------------------------------------------------------------------------

class NoValidation(Callback):
    "Skip the validation pass: the fits below time training batches only."
    def before_validate(self): raise CancelValidException

def limited_dls(ds, cfg:dict, n_batches:int=None, seed:int=0):
    "The config's loaders, the training loader restricted to `n_batches` full batches of random training rows."
    dls = build_dls(ds, cfg)
    if n_batches:
        rows = ds.split_rows(0); bs = resolve(cfg, 'batch_size')
        if n_batches * bs < len(rows): dls.train = dls.train.new(rows=np.sort(np.random.default_rng(seed).choice(rows, n_batches * bs, replace=False)))
    return dls

def strategy_learner(ds, strategy:str='in-batch', n_batches:int=None, precision:str='auto', seed:int=0):
    "The default model and learner of `twotower train` for `strategy`, without validation."
    cfg = load_config(**{'training.strategy': strategy})
    torch.manual_seed(seed)
    dls = limited_dls(ds, cfg, n_batches, seed)
    learn = two_tower_learner(dls, build_model(ds, cfg), logq=cfg['training']['logq'], cbs=[NoValidation()])
    return mixed_precision(learn, precision)

def time_fit(learn, lr:float=1e-3)->tuple:
    "(wall, CPU) seconds of `learn.fit(1)` (one pass over the training loader; no bar, no logging)."
    with learn.no_bar(), learn.no_logging():
        t, c = time.perf_counter(), time.process_time(); learn.fit(1, lr); return time.perf_counter() - t, time.process_time() - c

def bare_loop(learn)->tuple:
    "(wall, CPU) seconds of a plain PyTorch loop over the learner's training loader, model, loss and optimizer."
    model, opt, lf, dl = learn.model, learn.opt, learn.loss_func, learn.dls.train
    bf16 = any(type(c).__name__ == 'CPUAutocast' for c in learn.cbs)
    model.train()
    t, c = time.perf_counter(), time.process_time()
    with torch.enable_grad():
        for xb, yb in dl:
            if bf16:
                with torch.autocast('cpu', dtype=torch.bfloat16): loss = lf(to_float(model(xb)), yb)
            else: loss = lf(model(xb), yb)
            loss.backward(); opt.step(); opt.zero_grad()
    return time.perf_counter() - t, time.process_time() - c

def throughput(ds, n_batches:int=60, reps:int=3, precision:str='auto', strategies=STRATEGIES)->pd.DataFrame:
    "Training interactions/s of each strategy at batch 1024 (median of `reps` fits of `n_batches` batches, after a warm-up)."
    out = []
    for s in strategies:
        t = time.perf_counter(); learn = strategy_learner(ds, s, n_batches, precision); setup = time.perf_counter() - t
        full = learn.dls.train; bs, nb = full.bs, len(full)
        learn.dls.train = full.new(rows=full.rows[:3*bs]); time_fit(learn); learn.dls.train = full   # warm-up (optimizer, allocator)
        ts = [time_fit(learn) for _ in range(reps)]
        sec, cpu = (float(np.median([x[i] for x in ts])) for i in (0, 1))
        best = min(x[0] for x in ts)   # the least disturbed repetition on a shared machine
        prec = 'bf16-autocast' if any(type(c).__name__ == 'CPUAutocast' for c in learn.cbs) else 'fp32'
        r = dict(strategy=s, batch_size=bs, batches=nb, precision=prec, setup_s=round(setup, 2), seconds=round(sec, 2),
                 ms_per_batch=round(1e3*sec/nb, 1), interactions_per_s=round(nb*bs/sec),
                 best_seconds=round(best, 2), interactions_per_s_best=round(nb*bs/best),
                 cpu_seconds=round(cpu, 2), interactions_per_cpu_s=round(nb*bs/cpu), all_seconds=[round(x[0], 2) for x in ts])
        log(f"  {s:<10} {prec:<14} {nb} batches: median {sec:6.2f}s  {r['ms_per_batch']:7.1f} ms/batch  {r['interactions_per_s']:8,} interactions/s (best {r['interactions_per_s_best']:,})  ({r['interactions_per_cpu_s']:,}/CPU-s)  {r['all_seconds']}")
        out.append(r)
    return pd.DataFrame(out)

def fastai_vs_bare(ds, n_batches:int=150, reps:int=3, precision:str='fp32', strategy:str='in-batch')->dict:
    "Median ratio of a fastai `Learner.fit` epoch to a bare PyTorch loop over the same model, optimizer and batches, alternated."
    learn = strategy_learner(ds, strategy, n_batches, precision)
    train = learn.dls.train
    learn.dls.train = train.new(rows=train.rows[:3*train.bs]); time_fit(learn); bare_loop(learn)   # warm-up both paths
    learn.dls.train = train
    pairs = []
    for i in range(reps):
        order = ('fastai', 'bare') if i % 2 == 0 else ('bare', 'fastai')
        t = {k: time_fit(learn) if k == 'fastai' else bare_loop(learn) for k in order}
        pairs.append((t['fastai'], t['bare']))
        log(f"  rep {i}: fastai {t['fastai'][0]:.2f}s ({t['fastai'][1]:.2f} CPU-s)  bare {t['bare'][0]:.2f}s ({t['bare'][1]:.2f} CPU-s)  "
            f"ratio wall {t['fastai'][0]/t['bare'][0]:.3f}, CPU {t['fastai'][1]/t['bare'][1]:.3f}  (load {os.getloadavg()[0]:.1f})")
    ratios = [a[0] / b[0] for a, b in pairs]; cpu_ratios = [a[1] / b[1] for a, b in pairs]
    prec = 'bf16-autocast' if any(type(c).__name__ == 'CPUAutocast' for c in learn.cbs) else 'fp32'
    return {'strategy': strategy, 'precision': prec, 'batches': len(train), 'batch_size': train.bs, 'optimizer': 'fastai Adam(decouple_wd=True) (the learner default)',
            'fastai_s': [round(a[0], 3) for a, _ in pairs], 'bare_s': [round(b[0], 3) for _, b in pairs],
            'fastai_cpu_s': [round(a[1], 3) for a, _ in pairs], 'bare_cpu_s': [round(b[1], 3) for _, b in pairs],
            'ratios': [round(r, 4) for r in ratios], 'median_ratio': round(float(np.median(ratios)), 4),
            'cpu_ratios': [round(r, 4) for r in cpu_ratios], 'median_cpu_ratio': round(float(np.median(cpu_ratios)), 4),
            'total_ratio': round(sum(a[0] for a, _ in pairs) / sum(b[0] for _, b in pairs), 4),
            'total_cpu_ratio': round(sum(a[1] for a, _ in pairs) / sum(b[1] for _, b in pairs), 4), 'goal': 1.15}

# -- evaluation and retrieval -------------------------------------------------------------------------------------------

def full_eval(ds, reps:int=1)->dict:
    "Seconds of `evaluate_model` over all validation users x all items (default model, random init), and `bench_eval`'s synthetic run."
    import bench_eval
    torch.manual_seed(0)
    model = build_model(ds, load_config())
    n_users = len(ds.eval_rows(1))
    ts = []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time(); evaluate_model(model, ds, 1); ts.append((time.perf_counter() - t, time.process_time() - c))
    w, c = min(ts)
    res = {'users': n_users, 'items': ds.n_items - 1, 'model_seconds': round(w, 2), 'model_cpu_seconds': round(c, 2)}
    log(f"  evaluate_model, {n_users:,} users x {ds.n_items-1:,} items (user tower + scoring + ranks + metrics): {w:.2f}s wall, {c:.2f}s CPU")
    syn = bench_eval.time_full_eval(reps=reps, threads=None)
    log(f"  bench_eval synthetic evaluate_full: {syn['wall_s']:.2f}s wall, {syn['cpu_s']:.2f}s CPU")
    res['synthetic'] = syn
    return res

def retrieval_latency(n_single:int=1000)->dict:
    "Exact top-10 latency on the Video Games catalogue, `recommend`, `recommend_all`, save/load (`bench_retrieval.bench_games`)."
    import bench_retrieval
    return bench_retrieval.bench_games(n_single)

def catalogue_scaling(sizes=(10_000, 30_000, 100_000, 300_000, 1_000_000), d:int=64, n_q:int=300, M:int=16, efc:int=40, efs=(64, 128))->pd.DataFrame:
    "Exact vs FAISS HNSW top-10 on embedding-like (low-rank) cosine vectors: build time, single-query p50 (1 thread), recall@10."
    import faiss
    from bench_retrieval import random_vectors, recall_at
    from twotower_nb.retrieval import ExactIndex, FaissIndex
    out, threads = [], faiss.omp_get_max_threads()
    for n in sizes:
        g = torch.Generator().manual_seed(0)
        V, Q = random_vectors(n, d, 'lowrank', g), random_vectors(n_q, d, 'lowrank', g)
        ex = ExactIndex(V, 'cosine'); ex.search(Q[:10], 10)
        t = time.perf_counter(); _, gt = ex.search(Q, 10); batch = time.perf_counter() - t
        ts = []
        for j in range(min(n_q, 100)):
            t = time.perf_counter(); ex.search(Q[j:j+1], 10); ts.append(time.perf_counter() - t)
        r = dict(items=n, exact_p50_ms=round(1e3*float(np.median(ts)), 3), exact_batch_ms_per_query=round(1e3*batch/n_q, 3))
        t = time.perf_counter(); hn = FaissIndex(V, 'cosine', kind='hnsw', M=M, ef_construction=efc); r['hnsw_build_s'] = round(time.perf_counter() - t, 2)
        faiss.omp_set_num_threads(1)
        for ef in efs:
            hn.ef_search = ef; ts, res = [], []
            for j in range(n_q):
                t = time.perf_counter(); _, i = hn.search(Q[j:j+1], 10); ts.append(time.perf_counter() - t); res.append(i[0].numpy())
            r[f'hnsw_ef{ef}_p50_ms'] = round(1e3*float(np.median(ts)), 3); r[f'hnsw_ef{ef}_recall10'] = round(recall_at(np.stack(res), gt.numpy()), 4)
        faiss.omp_set_num_threads(threads)
        log('  ' + '  '.join(f'{k}={v}' for k, v in r.items()))
        out.append(r); del ex, hn, V
    return pd.DataFrame(out)

# -- data-size scaling ------------------------------------------------------------------------------------------------

def peak_rss_mib()->float:
    "Peak resident memory of this process (MiB): `VmHWM`, which, unlike `ru_maxrss`, does not inherit the forking parent's peak across exec."
    try: return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024
    except (OSError, StopIteration): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def scaling_point(frac:float, seed:int=0)->dict:
    "In this process: load `frac` of the users, train the default model one epoch (no validation); seconds and peak RSS."
    rss0 = peak_rss_mib()
    n_all = 50_546
    t = time.perf_counter(); ds = load_sample('video_games', n_users=None if frac >= 1 else int(round(frac * n_all)), seed=seed); load = time.perf_counter() - t
    rss_data = peak_rss_mib()
    learn = strategy_learner(ds, 'in-batch')
    train, cpu = time_fit(learn, 1e-3)
    return {'fraction': frac, 'users': ds.n_users - 1, 'train_interactions': len(ds.split_rows(0)), 'batches': len(learn.dls.train),
            'load_s': round(load, 2), 'epoch_s': round(train, 2), 'epoch_cpu_s': round(cpu, 2), 'rss_start_mib': round(rss0), 'rss_after_load_mib': round(rss_data),
            'peak_rss_mib': round(peak_rss_mib()), 'loadavg': round(os.getloadavg()[0], 2)}

def data_scaling(fracs=(0.25, 0.5, 1.0), threads:int=None)->pd.DataFrame:
    "Each fraction in a fresh process (`--scaling-point`): one epoch's seconds and the process's peak RSS (`VmHWM`)."
    out = []
    for f in fracs:
        cmd = [sys.executable, __file__, '--scaling-point', str(f)] + (['--threads', str(threads)] if threads else [])
        t = time.perf_counter(); p = subprocess.run(cmd, capture_output=True, text=True); wall = time.perf_counter() - t
        if p.returncode: raise RuntimeError(f'scaling point {f} failed:\n{p.stderr[-3000:]}')
        r = json.loads(p.stdout.strip().splitlines()[-1])
        r['process_wall_s'] = round(wall, 2)
        log('  ' + '  '.join(f'{k}={v}' for k, v in r.items()))
        out.append(r)
    df = pd.DataFrame(out)
    base = df.iloc[-1]
    df['epoch_s_per_1M_interactions'] = (df.epoch_s / df.train_interactions * 1e6).round(2)
    df['epoch_vs_linear'] = (df.epoch_s / (base.epoch_s * df.train_interactions / base.train_interactions)).round(3)
    df['epoch_cpu_vs_linear'] = (df.epoch_cpu_s / (base.epoch_cpu_s * df.train_interactions / base.train_interactions)).round(3)
    return df

# -- plots --------------------------------------------------------------------------------------------------------------

def plot_all(res:dict, prefix:str):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    files = []
    note = f"{res['machine']['cores']} cores, {res['machine']['torch_threads']} torch threads, load avg {res['machine']['loadavg'][0]} at start"
    if 'throughput' in res:
        df = pd.DataFrame(res['throughput'])
        fig, ax = plt.subplots(figsize=(6, 3.5))
        x = np.arange(len(df)); w = 0.4 if 'interactions_per_cpu_s' in df else 0.8
        wall = df.interactions_per_s_best if 'interactions_per_s_best' in df else df.interactions_per_s
        ax.bar(x - (w/2 if w < .8 else 0), wall, w, color='tab:blue', label='per wall-clock second (best repetition)')
        for i, v in enumerate(wall): ax.text(i - (w/2 if w < .8 else 0), v, f'{v:,.0f}', ha='center', va='bottom', fontsize=7)
        if w < .8:
            ax.bar(x + w/2, df.interactions_per_cpu_s, w, color='tab:orange', label='per CPU second (all threads)')
            for i, v in enumerate(df.interactions_per_cpu_s): ax.text(i + w/2, v, f'{v:,.0f}', ha='center', va='bottom', fontsize=7)
            ax.legend(fontsize=7)
        ax.set_xticks(x, df.strategy); ax.set_ylabel('training interactions / s'); ax.set_title(f'Throughput per strategy, batch 1024 ({df.precision[0]})\n{note}', fontsize=9)
        fig.tight_layout(); fig.savefig(p := RES/f'{prefix}_throughput.png', dpi=110); plt.close(fig); files.append(p)
    if 'data_scaling' in res:
        df = pd.DataFrame(res['data_scaling'])
        fig, axs = plt.subplots(1, 2, figsize=(9, 3.5))
        x = df.train_interactions / 1e3
        axs[0].plot(x, df.epoch_s, 'o-', label='wall');
        if 'epoch_cpu_s' in df: axs[0].plot(x, df.epoch_cpu_s, 'o-', label='CPU (all threads)')
        axs[0].plot([0, x.iloc[-1]], [0, df.epoch_s.iloc[-1]], '--', c='gray', label='linear through 100 %')
        axs[0].set_xlabel('training interactions (k)'); axs[0].set_ylabel('one epoch (s)'); axs[0].legend(fontsize=8)
        axs[1].plot(x, df.peak_rss_mib, 'o-', label='peak RSS'); axs[1].plot(x, df.rss_after_load_mib, 's--', label='after loading the data')
        axs[1].plot(x, df.rss_start_mib, ':', c='gray', label='after imports')
        axs[1].set_xlabel('training interactions (k)'); axs[1].set_ylabel('MiB'); axs[1].legend(fontsize=8); axs[1].set_ylim(0)
        fig.suptitle(f'Data-size scaling (25/50/100 % of users, one epoch, fresh process each)\n{note}', fontsize=9)
        fig.tight_layout(); fig.savefig(p := RES/f'{prefix}_data_scaling.png', dpi=110); plt.close(fig); files.append(p)
    if 'catalogue_scaling' in res:
        df = pd.DataFrame(res['catalogue_scaling'])
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(df['items'], df.exact_p50_ms, 'o-', label='exact, one query')
        ax.plot(df['items'], df.exact_batch_ms_per_query, 'o--', label='exact, batch of queries (per query)')
        for c in [c for c in df.columns if c.startswith('hnsw_ef') and c.endswith('_p50_ms')]:
            ef = c[len('hnsw_ef'):-len('_p50_ms')]
            ax.plot(df['items'], df[c], 's-', label=f'FAISS HNSW ef={ef} (recall@10 {df[f"hnsw_ef{ef}_recall10"].min():.2f}-{df[f"hnsw_ef{ef}_recall10"].max():.2f})')
        ax.set_xscale('log'); ax.set_yscale('log'); ax.set_xlabel('catalogue size (items)'); ax.set_ylabel('top-10 latency (ms)')
        ax.set_title(f'Exact vs FAISS top-10, 64-d embedding-like vectors\n{note}', fontsize=9); ax.legend(fontsize=7); ax.grid(alpha=.3, which='both')
        fig.tight_layout(); fig.savefig(p := RES/f'{prefix}_catalogue.png', dpi=110); plt.close(fig); files.append(p)
    return files

# -- main -------------------------------------------------------------------------------------------------------------

PARTS = ('ratio', 'throughput', 'eval', 'retrieval', 'data_scaling', 'catalogue', 'main_job')

def main(quick:bool=False, only=None, threads:int=None):
    "Run the measurements (all, or `only` some of `PARTS`) and write `results/speed*.json|csv|png`."
    warnings.simplefilter('ignore', UserWarning)
    if threads: torch.set_num_threads(threads)
    parts = [p for p in PARTS if only is None or p in only]
    prefix = 'speed_quick' if quick else 'speed'
    res = {'quick': quick, 'machine': machine_info()}
    log(f"machine: {res['machine']}")
    t0 = time.perf_counter()
    ds = load_sample('video_games', n_users=5_000 if quick else None)
    log(f"data: {ds} ({time.perf_counter()-t0:.1f}s)")
    res['data'] = repr(ds)
    out = RES/f'{prefix}.json'
    old = json.loads(out.read_text()) if only is not None and out.exists() else {}   # a partial run updates the parts it measures
    def save(final=False):
        "Write what is measured so far (a long run keeps its finished parts if it is stopped)."
        res['machine']['loadavg_end'] = [round(x, 2) for x in os.getloadavg()]
        res['complete'] = final
        merged = {**old, **{k: v for k, v in res.items() if k not in ('seconds', 'loadavg_after', 'machine', 'total_seconds', 'complete')}}
        if old: merged['reruns'] = old.get('reruns', []) + [{'parts': parts, 'machine': res['machine'], 'complete': final}]   # keeps the first run's machine info
        else: merged.update(machine=res['machine'], complete=final, total_seconds=res.get('total_seconds'))
        for k in ('seconds', 'loadavg_after'): merged[k] = {**old.get(k, {}), **res.get(k, {})}
        out.write_text(json.dumps(merged, indent=1, default=float) + '\n')
    def step(name, f, *a, **kw):
        log(f"== {name} (load avg {os.getloadavg()[0]:.1f}) =="); t = time.perf_counter()
        v = f(*a, **kw); res.setdefault('seconds', {})[name] = round(time.perf_counter() - t, 1)
        res.setdefault('loadavg_after', {})[name] = round(os.getloadavg()[0], 2)
        return v
    if 'ratio' in parts:
        res['fastai_vs_bare'] = step('ratio', fastai_vs_bare, ds, n_batches=4 if quick else 30, reps=2 if quick else 6)
        r = res['fastai_vs_bare']; log(f"  median ratio fastai / bare: wall {r['median_ratio']}, CPU {r['median_cpu_ratio']} (totals: {r['total_ratio']}, {r['total_cpu_ratio']})"); save()
    if 'throughput' in parts:
        df = step('throughput', throughput, ds, n_batches=3 if quick else 30, reps=1 if quick else 3)
        df.drop(columns='all_seconds').to_csv(RES/f'{prefix}_throughput.csv', index=False); res['throughput'] = df.to_dict('records'); save()
    if 'eval' in parts: res['full_eval'] = step('eval', full_eval, ds, reps=1 if quick else 2); save()
    if 'retrieval' in parts: res['retrieval'] = step('retrieval', retrieval_latency, 50 if quick else 1000); save()
    if 'data_scaling' in parts:
        df = step('data_scaling', data_scaling, (0.02, 0.04, 0.08) if quick else (0.25, 0.5, 1.0), threads)
        df.to_csv(RES/f'{prefix}_data_scaling.csv', index=False); res['data_scaling'] = df.to_dict('records'); save()
    if 'catalogue' in parts:
        df = step('catalogue', catalogue_scaling, (10_000, 30_000) if quick else (10_000, 30_000, 100_000, 300_000, 1_000_000), n_q=100 if quick else 300)
        df.to_csv(RES/f'{prefix}_catalogue.csv', index=False); res['catalogue_scaling'] = df.to_dict('records'); save()
    if 'main_job' in parts:
        mj = RES/'main_job.json'
        res['main_job'] = json.loads(mj.read_text()) if mj.exists() else None
        if res['main_job']: log(f"== main job (from results/main_job.json, {res['main_job']['date']}): train {res['main_job']['train_seconds']}s, whole command {res['main_job']['wall_seconds']}s ==")
    res['total_seconds'] = round(time.perf_counter() - t0, 1)
    save(final=True)
    files = plot_all(res, prefix)
    log(f"wrote {out}, " + ', '.join(str(f.name) for f in files) + f"; {res['total_seconds']}s; load avg at end {res['machine']['loadavg_end']}")
    return res

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quick', action='store_true', help='smaller versions of every measurement (a few minutes)')
    ap.add_argument('--only', default=None, help=f"comma-separated parts: {','.join(PARTS)}")
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides)')
    ap.add_argument('--scaling-point', type=float, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.scaling_point is not None:
        warnings.simplefilter('ignore', UserWarning)
        if a.threads: torch.set_num_threads(a.threads)
        print(json.dumps(scaling_point(a.scaling_point)))
    else: main(a.quick, a.only.split(',') if a.only else None, a.threads)
