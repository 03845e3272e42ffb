"""Time loading and preprocessing datasets into a `RecDataset`.

    python benchmarks/bench_data.py [--reps 3] [--shared ../shared/data]

Always timed (bundled with the package):
  - load_sample('video_games'): 452,989 interactions, 50,546 users, 16,859 items (goal: < 10 s on 2 cores)
  - load_amazon on the bundled magazines raw files (reviews + metadata JSON lines, gzip)
  - esci_sample(): the bundled ESCI query -> product sample

When the shared real-data folder exists (default `../shared/data` next to the checkout), also:
  - load_5core_json on amazon-videogames-2018 (Games.inter.json + id maps + titles)
  - load_steam on the full Steam files (32,135 Python-literal game lines, bundles, reviews)
  - load_esci on the OpenSearch judgments (150 queries, 6,678 judgments)
  - Python-literal parsing: read_jsonl(literal=True) against ast.literal_eval per line

Prints the best wall time of `--reps` runs, the CPU time of that run, and the process's peak memory.
Not a test: the numbers depend on the machine.
"""
import argparse, ast, gzip, resource, sys, time, warnings
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
from twotower_nb.loaders import load_sample, datasets_dir
from twotower_nb.loaders import load_amazon, load_5core_json, load_steam, load_esci, esci_sample, read_jsonl

def bench(label, fn, reps):
    "Run `fn` `reps` times; print the best wall time, its CPU time, and return the last result."
    best = None
    for _ in range(reps):
        w, c = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter('ignore'); out = fn()
        w, c = time.perf_counter() - w, time.process_time() - c
        if best is None or w < best[0]: best = (w, c)
    print(f"{label:<46} {best[0]:7.2f} s wall  {best[1]:7.2f} s cpu   {out!r}"[:400])
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--reps', type=int, default=3, help='timed repetitions (the best is reported)')
    p.add_argument('--shared', default=str(ROOT.parent/'shared'/'data'), help='folder of the shared real data')
    a = p.parse_args()
    mag = datasets_dir()/'magazines'
    bench("load_sample('video_games')", lambda: load_sample('video_games'), a.reps)
    bench("load_amazon(magazines reviews, meta)", lambda: load_amazon(mag/'Magazine_Subscriptions_5.json.gz',
                                                                        mag/'meta_Magazine_Subscriptions.json.gz', name='magazines'), a.reps)
    bench("esci_sample()", esci_sample, a.reps)
    sh = Path(a.shared)
    if not sh.is_dir():
        print(f"\n{sh} does not exist: the benchmarks on the full shared data are skipped.")
    else:
        vg, st, es = sh/'amazon-videogames-2018', sh/'steam', sh/'esci'
        bench("load_5core_json(Games.inter.json, maps, titles)", lambda: load_5core_json(
            vg/'Games.inter.json', vg/'Games.item2id', vg/'Games.user2id', vg/'games_asin_title.tsv', name='video_games_5core'), a.reps)
        bench("load_steam(games, user_reviews.csv, bundles)", lambda: load_steam(
            st/'steam_games.json.gz', st/'user_reviews.csv', st/'bundle_data.json.gz'), 1)
        bench("load_esci(OpenSearch judgments)", lambda: load_esci(es/'esci_us_judgments.json'), a.reps)
        bench("read_jsonl(steam_games, literal=True)", lambda: read_jsonl(st/'steam_games.json.gz', literal=True).shape, 1)
        bench("ast.literal_eval per line (reference)", lambda: len([ast.literal_eval(l.decode()) for l in gzip.open(st/'steam_games.json.gz')]), 1)
    print(f"\npeak memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

if __name__ == '__main__': main()
