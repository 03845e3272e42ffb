"""Retrieval speed: exact top-k on the bundled Video Games catalogue, batch recommendations for every user,
and exact vs FAISS (HNSW / IVF / PQ fast scan) on synthetic random vectors (recall@10 against the exact answer).

    python benchmarks/bench_retrieval.py                 # everything (1,000,000 synthetic vectors)
    python benchmarks/bench_retrieval.py --n 200000      # smaller synthetic catalogue
    python benchmarks/bench_retrieval.py --data lowrank --M 16 --ef-construction 40   # embedding-like vectors only
    python benchmarks/bench_retrieval.py --skip-synthetic / --skip-games / --skip-faiss / --skip-ivf / --skip-hnsw

Timings need no training: the Video Games model is randomly initialised (same shapes and cost as a
trained one). Figures depend on the machine and on what else runs on it; the script prints its
thread count."""
import argparse, time, os, tempfile, warnings
from pathlib import Path
import numpy as np, torch

def p50(ts): return float(np.median(ts)) * 1e3

def recall_at(approx:np.ndarray, exact:np.ndarray)->float:
    "Mean fraction of the exact top-k found by the approximate top-k."
    return float(np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(approx.tolist(), exact.tolist())]))

def bench_games(n_single:int=1000)->dict:
    "Print and return the Video Games timings (seconds unless the key says ms)."
    from twotower_nb.loaders import load_sample
    from twotower_nb.model import two_tower_model
    from twotower_nb.retrieval import Recommender
    r = {}
    print('== Video Games (bundled: all users, all items), randomly initialised default model ==')
    t = time.perf_counter(); ds = load_sample('video_games'); r['load_sample'] = time.perf_counter() - t; print(f"load_sample: {r['load_sample']:.1f}s  {ds}")
    torch.manual_seed(0)
    model = two_tower_model(ds.item_features(), ds.n_user_ids).eval()
    t = time.perf_counter(); rec = Recommender.from_learner(model, ds); r['from_learner'] = time.perf_counter() - t
    print(f"Recommender.from_learner (item vectors, histories): {r['from_learner']:.1f}s")
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter(); p = rec.save(Path(d)/'rec.pt'); r['save'] = time.perf_counter() - t
        t = time.perf_counter(); rec = Recommender.load(p); r['load'] = time.perf_counter() - t
        r['file_mib'] = p.stat().st_size/2**20
        print(f"save {r['save']:.2f}s, load {r['load']:.2f}s, file {r['file_mib']:.1f} MiB")
    index = rec._index()
    r['items'] = n_items = len(rec.items) - 1
    rng = np.random.default_rng(0)
    users = rng.integers(1, len(rec.users), n_single)
    U = rec.encode_users(rec.user_id[users], rec.hist[users])
    ts = []
    for j, u in enumerate(users):
        t = time.perf_counter(); index.search(U[j:j+1], 10, exclude=rec.seen[u:u+1]); ts.append(time.perf_counter() - t)
    r['exact_top10_p50_ms'], r['exact_top10_p90_ms'] = p50(ts), float(np.percentile(ts, 90)) * 1e3
    print(f"exact top-10 for one user over {n_items:,} items (seen items excluded): p50 {r['exact_top10_p50_ms']:.3f} ms, p90 {r['exact_top10_p90_ms']:.3f} ms")
    raw = rec.users.itos[users[:200]]
    ts = []
    for u in raw:
        t = time.perf_counter(); rec.recommend([u], k=10); ts.append(time.perf_counter() - t)
    r['recommend_one_p50_ms'] = p50(ts)
    print(f"rec.recommend([user], k=10) end to end (user tower + search + DataFrame): p50 {r['recommend_one_p50_ms']:.3f} ms")
    t, c = time.perf_counter(), time.process_time(); out = rec.recommend_all(k=10); r['recommend_all'], r['recommend_all_cpu'] = time.perf_counter() - t, time.process_time() - c
    r['recommend_all_users'] = int(out.user_id.nunique())
    print(f"recommend_all: {len(out):,} rows for {r['recommend_all_users']:,} users in {r['recommend_all']:.2f}s wall ({r['recommend_all_cpu']:.2f}s CPU)")
    t, c = time.perf_counter(), time.process_time(); rec.encode_users(rec.user_id[1:], rec.hist[1:])
    r['user_tower_all'], r['user_tower_all_cpu'] = time.perf_counter() - t, time.process_time() - c
    print(f"  of which user tower for all users: {r['user_tower_all']:.2f}s wall ({r['user_tower_all_cpu']:.2f}s CPU)")
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()}

def random_vectors(n:int, d:int, data:str, g:torch.Generator)->torch.Tensor:
    "'gauss': i.i.d. standard normal (no structure: the worst case for any ANN index); 'lowrank': a 16-d latent Gaussian mapped to d dims plus 10% noise (embedding-like)."
    if data == 'gauss': return torch.randn(n, d, generator=g)
    A = torch.randn(16, d, generator=torch.Generator().manual_seed(123)) / 4
    return torch.randn(n, 16, generator=g) @ A + 0.1 * torch.randn(n, d, generator=g)

def bench_synthetic(n:int, d:int=64, n_q:int=1000, skip_faiss:bool=False, efs=(32, 64, 128, 256, 512), M:int=32, efc:int=80, ivf:bool=True,
                    data:str='gauss', nlist:int=1024, hnsw:bool=True, refines=(10, 20, 50, 100)):
    from twotower_nb.retrieval import ExactIndex, FaissIndex
    print(f'== {n:,} random {d}-d vectors ({data}; queries from the same distribution), cosine ==')
    g = torch.Generator().manual_seed(0)
    V, Q = random_vectors(n, d, data, g), random_vectors(n_q, d, data, g)
    ex = ExactIndex(V, 'cosine')
    ex.search(Q[:10], 10)
    t, c = time.perf_counter(), time.process_time(); _, gt = ex.search(Q, 10); dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f'exact batch top-10 for {n_q:,} users: {dt:.2f}s wall ({dc:.2f}s CPU, {dt/n_q*1e3:.2f} ms/user)')
    ts = []
    for j in range(50):
        t = time.perf_counter(); ex.search(Q[j:j+1], 10); ts.append(time.perf_counter() - t)
    print(f'exact top-10 for one user: p50 {p50(ts):.2f} ms')
    gt = gt.numpy()
    if skip_faiss: return
    try: import faiss
    except ImportError: print('faiss not installed: pip install faiss-cpu'); return
    threads = faiss.omp_get_max_threads()
    def single(ix, n_single, label):
        faiss.omp_set_num_threads(1)
        ts, res = [], []
        for j in range(n_single):
            t = time.perf_counter(); _, i = ix.search(Q[j:j+1], 10); ts.append(time.perf_counter() - t); res.append(i[0].numpy())
        print(f'  {label}: single-query p50 {p50(ts):.3f} ms, p95 {np.percentile(ts, 95)*1e3:.3f} ms (1 thread), recall@10 {recall_at(np.stack(res), gt[:n_single]):.3f}')
        faiss.omp_set_num_threads(threads)
    t = time.perf_counter(); pq = FaissIndex(V, 'cosine', kind='pq'); print(f'PQ fast scan (pq_m={d // 2}, 4 bits) train+add: {time.perf_counter()-t:.1f}s on {threads} threads')
    for r in refines:
        pq.refine = r; single(pq, n_q, f'PQ refine={r:4d}')
    pq.refine = 50
    t, c = time.perf_counter(), time.process_time(); _, i = pq.search(Q, 10); dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f'  PQ refine=  50: batch top-10 for {n_q:,} users: {dt:.2f}s wall ({dc:.2f}s CPU), recall@10 {recall_at(i.numpy(), gt):.3f}')
    del pq
    if not hnsw: efs = ()
    else: t = time.perf_counter(); hn = FaissIndex(V, 'cosine', kind='hnsw', M=M, ef_construction=efc); print(f'HNSW (M={M}, efConstruction={efc}) build: {time.perf_counter()-t:.1f}s on {threads} threads')
    for ef in efs:
        hn.ef_search = ef; single(hn, n_q, f'HNSW efSearch={ef:4d}')
    if ivf:
        t = time.perf_counter(); iv = FaissIndex(V, 'cosine', kind='ivf', nlist=nlist); print(f'IVF (nlist={nlist}) train+add: {time.perf_counter()-t:.1f}s')
        for npb in (8, 32, 128, 256):
            iv.nprobe = npb; single(iv, min(300, n_q), f'IVF nprobe={npb:4d}')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=1_000_000, help='synthetic catalogue size')
    ap.add_argument('--d', type=int, default=64)
    ap.add_argument('--data', default='gauss,lowrank', help="synthetic distributions: 'gauss' (i.i.d.), 'lowrank' (embedding-like), comma-separated")
    ap.add_argument('--nlist', type=int, default=1024, help='IVF lists')
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides); 1 is steadier on a busy machine')
    ap.add_argument('--queries', type=int, default=1000)
    ap.add_argument('--M', type=int, default=32)
    ap.add_argument('--ef-construction', type=int, default=80)
    ap.add_argument('--ef', type=str, default='32,64,128,256,512', help='efSearch values to measure')
    ap.add_argument('--skip-games', action='store_true'); ap.add_argument('--skip-synthetic', action='store_true')
    ap.add_argument('--skip-faiss', action='store_true'); ap.add_argument('--skip-ivf', action='store_true'); ap.add_argument('--skip-hnsw', action='store_true')
    a = ap.parse_args()
    warnings.simplefilter('ignore', UserWarning)
    if a.threads: torch.set_num_threads(a.threads)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs')
    if not a.skip_games: bench_games()
    if not a.skip_synthetic:
        for data in a.data.split(','):
            bench_synthetic(a.n, a.d, a.queries, a.skip_faiss, tuple(int(x) for x in a.ef.split(',')), a.M, a.ef_construction, not a.skip_ivf, data, a.nlist, not a.skip_hnsw)
