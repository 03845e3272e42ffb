"""Time `evaluate_full` at Video Games scale: 50,546 users x 16,859 items, 64-d, ~9 seen items per user.

    python benchmarks/bench_eval.py [--chunk 1024] [--threads 2] [--no-ranks] [--reps 1]

Prints wall and CPU seconds of one full evaluation and the peak resident memory of the process.
The goal is under 10 s on 2 CPU cores.
"""
import argparse, resource, time
import numpy as np, scipy.sparse as sp, torch
from twotower_nb.metrics import evaluate_full

U, N, D, NNZ = 50_546, 16_859, 64, 452_989  # Amazon 2018 Video Games: users, items (+ row 0), dims, interactions

def time_full_eval(chunk:int=1024, threads:int=2, ranks:bool=True, reps:int=1)->dict:
    "Best wall / CPU seconds of `reps` full evaluations of random vectors at Video Games scale, and the peak RSS (MiB)."
    old = torch.get_num_threads()
    if threads: torch.set_num_threads(threads)
    try:
        g = torch.Generator().manual_seed(0); rng = np.random.default_rng(0)
        uv, iv = torch.randn(U, D, generator=g), torch.randn(N, D, generator=g)
        targets = torch.randint(1, N, (U,), generator=g)
        seen = sp.csr_matrix((np.ones(NNZ, np.float32), (rng.integers(0, U, NNZ), rng.integers(1, N, NNZ))), shape=(U, N))
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        best = None
        for _ in range(reps):
            w, c = time.perf_counter(), time.process_time()
            res = evaluate_full(uv, iv, targets, seen, ks=(10, 20), user_chunk=chunk, ranks=ranks)
            w, c = time.perf_counter() - w, time.process_time() - c
            if best is None or w < best[0]: best = (w, c)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    finally: torch.set_num_threads(old)
    return {'users': U, 'items': N, 'd': D, 'seen': int(seen.nnz), 'chunk': chunk, 'threads': threads or old, 'ranks': ranks,
            'wall_s': round(best[0], 3), 'cpu_s': round(best[1], 3), 'peak_rss_mib': round(rss/1024), 'inputs_rss_mib': round(rss0/1024),
            'metrics': {k: round(v, 5) for k, v in res.items()}}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--chunk', type=int, default=1024, help='users scored at once')
    p.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    p.add_argument('--no-ranks', action='store_true', help='metrics from the top-k lists only (skip exact target ranks)')
    p.add_argument('--reps', type=int, default=1, help='timed repetitions (the best is reported)')
    a = p.parse_args()
    r = time_full_eval(a.chunk, a.threads, not a.no_ranks, a.reps)
    print(f"users={U} items={N} d={D} seen={r['seen']} chunk={a.chunk} threads={a.threads} ranks={not a.no_ranks}")
    print(f"wall {r['wall_s']:.2f} s   cpu {r['cpu_s']:.2f} s   peak RSS {r['peak_rss_mib']} MiB (inputs {r['inputs_rss_mib']} MiB)")
    print(r['metrics'])

if __name__ == '__main__': main()
