"""Streaming a large Parquet file: vocabularies in one pass and int32 codes, against loading it whole.

    python benchmarks/bench_stream.py [--rows 20000000] [--users 2000000] [--items 500000] [--row-group 1000000] [--dir DIR]

Writes a synthetic interactions file (string user and item ids, int64 timestamps; items Zipf-distributed)
row group by row group, then runs each mode in a fresh process and reports its wall time and peak RSS:
  baseline  the imports only (python, pandas, pyarrow, twotower_nb)
  stream    `loaders.fit_vocabs_stream` + `loaders.encode_stream` (row group by row group)
  whole     `pd.read_parquet` of the three columns + `Vocab.fit` + `Vocab.encode` on the whole columns
Both end with the same vocabularies and int32 code arrays (checked by a digest). The file is deleted afterwards.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time, hashlib, platform
from pathlib import Path

def child(mode, path):
    import numpy as np, pandas as pd
    import pyarrow  # noqa: F401 (counted in the baseline)
    from twotower_nb.data import Vocab
    from twotower_nb.loaders import fit_vocabs_stream, encode_stream
    t = time.perf_counter()
    if mode == 'baseline': out = None
    elif mode == 'stream':
        v = fit_vocabs_stream(path, ['user_id', 'item_id'])
        codes = encode_stream(path, v, other_cols=['ts'])
        out = (v, codes.user_id.to_numpy(), codes.item_id.to_numpy())
    else:
        df = pd.read_parquet(path, columns=['user_id', 'item_id', 'ts'])
        v = {c: Vocab.fit(df[c]) for c in ('user_id', 'item_id')}
        out = (v, v['user_id'].encode(df.user_id).astype(np.int32), v['item_id'].encode(df.item_id).astype(np.int32))
    wall = time.perf_counter() - t
    res = {'mode': mode, 'wall_s': round(wall, 1), 'peak_rss_mib': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    if out is not None:
        v, u, i = out
        h = hashlib.sha256()
        for a in (v['user_id'].itos[1:], v['item_id'].itos[1:]): h.update('\n'.join(a).encode())
        for a in (u, i): h.update(np.ascontiguousarray(a, np.int32).tobytes())
        res.update(n_users=len(v['user_id']) - 1, n_items=len(v['item_id']) - 1, digest=h.hexdigest()[:16])
    print(json.dumps(res))

def write(path, rows, users, items, rg):
    import numpy as np, pyarrow as pa, pyarrow.parquet as pq
    rng = np.random.default_rng(0)
    schema = pa.schema([('user_id', pa.string()), ('item_id', pa.string()), ('ts', pa.int64())])
    with pq.ParquetWriter(path, schema) as w:
        for s in range(0, rows, rg):
            n = min(rg, rows - s)
            u = rng.integers(0, users, n)
            it = np.minimum(rng.zipf(1.3, n) - 1, items - 1)
            w.write_table(pa.table({'user_id': pa.array(np.char.add('user_', u.astype(str))),
                                    'item_id': pa.array(np.char.add('B0', it.astype(str))),
                                    'ts': pa.array(1_500_000_000 + rng.integers(0, 10**8, n))}, schema=schema), row_group_size=rg)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--rows', type=int, default=20_000_000)
    p.add_argument('--users', type=int, default=2_000_000)
    p.add_argument('--items', type=int, default=500_000)
    p.add_argument('--row-group', type=int, default=1_000_000)
    p.add_argument('--dir', default=None, help='where to write the file (default: a temp dir)')
    p.add_argument('--child', nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child: return child(*a.child)
    d = Path(a.dir or tempfile.mkdtemp(prefix='bench_stream_')); d.mkdir(parents=True, exist_ok=True)
    path = d/'interactions.parquet'
    t = time.perf_counter(); write(path, a.rows, a.users, a.items, a.row_group); tw = time.perf_counter() - t
    import pyarrow.parquet as pq
    md = pq.ParquetFile(path).metadata
    unc = sum(md.row_group(i).total_byte_size for i in range(md.num_row_groups)); size = path.stat().st_size/2**20
    print(f'{platform.platform()}, {os.cpu_count()} cores, python {platform.python_version()}')
    print(f'file: {a.rows:,} rows, {md.num_row_groups} row groups, {size:.0f} MiB on disk '
          f'({unc/2**20:.0f} MiB uncompressed Arrow data), written in {tw:.0f} s')
    res = {}
    try:
        for mode in ('baseline', 'stream', 'whole'):
            r = subprocess.run([sys.executable, __file__, '--child', mode, str(path)], capture_output=True, text=True)
            if r.returncode: print(f'{mode}: failed (exit {r.returncode}) {r.stderr[-500:]}'); continue
            res[mode] = json.loads(r.stdout.strip().splitlines()[-1]); print(json.dumps(res[mode]))
    finally:
        path.unlink(missing_ok=True)
        if not a.dir: d.rmdir()
    if 'stream' in res and 'whole' in res:
        b = res['baseline']['peak_rss_mib']; s, w = res['stream'], res['whole']
        print(f"same vocabularies and codes: {s['digest'] == w['digest']} ({s['n_users']:,} users, {s['n_items']:,} items)")
        print(f"peak RSS above the imports ({b} MiB): stream {s['peak_rss_mib'] - b} MiB, whole {w['peak_rss_mib'] - b} MiB "
              f"(file: {size:.0f} MiB on disk, {unc/2**20:.0f} MiB as Arrow data); "
              f"time stream {s['wall_s']} s, whole {w['wall_s']} s")

if __name__ == '__main__': main()
