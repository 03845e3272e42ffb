"""Time building batches of 1024 for every sampling strategy on the bundled Video Games data.

    python benchmarks/bench_samplers.py [--bs 1024] [--batches 50]

Prints the set-up time of each loader (frequencies, exclusion index, co-occurrence lists) and the
ms per batch of iterating it (numpy work + tensor conversion, as the Learner sees it). Not a test:
the numbers depend on the machine. Runs in well under a minute.
"""
import argparse, itertools, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
from twotower_nb.loaders import load_sample
from twotower_nb.samplers import make_sampler, cooccurrence_related

CONFIGS = [
    ('positives', {}),
    ('in-batch', {}),
    ('out-batch', dict(neg_ratio=4)),
    ('out-batch', dict(neg_ratio=4, alpha=0.75)),
    ('out-batch', dict(neg_ratio=4, exclude_seen=False)),
    ('hard', dict(neg_ratio=4, hard_frac=0.5)),
    ('mixed', dict(n_shared=1024)),
]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bs', type=int, default=1024)
    ap.add_argument('--batches', type=int, default=50)
    ap.add_argument('--max-len', type=int, default=20)
    a = ap.parse_args()
    t = time.perf_counter(); ds = load_sample('video_games')
    print(f"{ds}\nloaded in {time.perf_counter() - t:.1f} s; bs={a.bs}, history {a.max_len}, {a.batches} batches each\n")
    t = time.perf_counter(); rel = cooccurrence_related(ds, top=20)
    print(f"cooccurrence_related(top=20): {1e3*(time.perf_counter() - t):.0f} ms\n")
    print(f"{'strategy':<12}{'options':<40}{'setup ms':>10}{'ms/batch':>10}{'rows/s':>12}")
    for strategy, opts in CONFIGS:
        kw = dict(opts, related=rel) if strategy == 'hard' else opts
        t = time.perf_counter(); dl = make_sampler(ds, strategy, bs=a.bs, max_len=a.max_len, **kw)
        setup = time.perf_counter() - t
        it = iter(dl); next(it)  # warm-up (first batch also builds the permutation)
        n = min(a.batches, len(dl) - 1)
        t = time.perf_counter()
        for b, y in itertools.islice(it, n): pass
        dt = (time.perf_counter() - t) / n
        print(f"{strategy:<12}{str(opts):<40}{1e3*setup:>10.1f}{1e3*dt:>10.2f}{a.bs/dt:>12,.0f}")

if __name__ == '__main__': main()
