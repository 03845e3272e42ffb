"""Run the benchmarks: quality against peers, speed (when `speed.py` is present) and the component timings.

    python benchmarks/run.py --quick        # a few minutes: peers + twotower_nb on 3,000 Video Games users, small
                                            # grids; short timing runs. Writes only under benchmarks/results/quick/
    python benchmarks/run.py                # the full runs (hours on 2 cores): writes benchmarks/results/
    python benchmarks/run.py --only peers   # one group: peers, speed, components

Full runs: `peers.py` on Video Games (every row), MovieLens latest-small and Steam (both read ../shared/data and are
skipped with a message when it is missing), `speed.py` (throughput / scaling, when present), `main_job.py` and the
component scripts `bench_*.py`, whose printed output is kept in `results/<script>.txt`. Prefix with `nice -n 15` on a
shared machine. Every script prints the machine (cores, torch threads) it ran on.
"""
import argparse, os, platform, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE/'results'
SHARED = Path(os.environ.get('TWOTOWER_SHARED_DATA', HERE.parent.parent/'shared'/'data'))  # as peers.py

def machine_info()->str:
    import torch
    return (f"{platform.node()}: {os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads), "
            f"python {platform.python_version()}, {platform.processor() or platform.machine()}, "
            f"GPU: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}")

def has_option(script:Path, opt:str)->bool:
    "Whether `script --help` lists `opt`."
    r = subprocess.run([sys.executable, str(script), '--help'], capture_output=True, text=True)
    return r.returncode == 0 and opt in r.stdout

def jobs(quick:bool)->list:
    "(group, name, argv, file that keeps the printed output or None) for each run."
    py, q = sys.executable, ['--quick'] if quick else []
    out = []
    for d in (['video_games'] if quick else ['video_games', 'movielens', 'steam']):
        if d != 'video_games' and not SHARED.exists():
            print(f"skipping peers on {d}: {SHARED} not found (the MovieLens and Steam rows read ../shared/data)"); continue
        out.append(('peers', f'peers {d}', [py, str(HERE/'peers.py'), '--dataset', d, '--shared', str(SHARED), *q], None))
    sp = HERE/'speed.py'
    if sp.exists(): out.append(('speed', 'speed', [py, str(sp), *(q if quick and has_option(sp, '--quick') else [])], None))
    else: print("no benchmarks/speed.py: speed rows skipped")
    comp = [('bench_data', ['--reps', '1'] if quick else []),
            ('bench_samplers', ['--batches', '10'] if quick else []),
            ('bench_eval', []),
            ('bench_retrieval_games', ['--skip-synthetic']),
            *([] if quick else [('bench_retrieval_1m', ['--skip-games']), ('main_job', [])])]
    for name, args in comp:
        script = HERE/(name.split('_games')[0].split('_1m')[0] + '.py')
        out.append(('components', name, [py, str(script), *args], None if name == 'main_job' else f'{name}.txt'))
    return out

def main():
    global SHARED
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='a few-minute subset (results under benchmarks/results/quick/)')
    p.add_argument('--shared', default=str(SHARED), help='folder of the shared real data (default ../shared/data beside the checkout)')
    p.add_argument('--only', default=None, help='comma-separated groups: peers, speed, components')
    a = p.parse_args()
    SHARED = Path(a.shared)
    print('machine:', machine_info(), flush=True)
    groups = set(a.only.split(',')) if a.only else {'peers', 'speed', 'components'}
    dest = RESULTS/'quick' if a.quick else RESULTS
    dest.mkdir(parents=True, exist_ok=True)
    failed, t_all = [], time.time()
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(HERE.parent), os.environ.get('PYTHONPATH', '')]).rstrip(os.pathsep)}
    for group, name, argv, keep in jobs(a.quick):
        if group not in groups: continue
        print(f"\n######## {name}: {' '.join(Path(x).name if x.endswith('.py') else x for x in argv[1:])}", flush=True)
        t = time.time()
        if keep:
            r = subprocess.run(argv, capture_output=True, text=True, env=env)
            print(r.stdout, end=''); print(r.stderr[-3000:], end='', file=sys.stderr)
            if r.returncode == 0: (dest/keep).write_text(r.stdout)
        else: r = subprocess.run(argv, env=env)
        print(f"######## {name}: exit {r.returncode}, {time.time() - t:.0f} s", flush=True)
        if r.returncode: failed.append(name)
    print(f"\nall done in {time.time() - t_all:.0f} s; results in {dest}" + (f"; FAILED: {', '.join(failed)}" if failed else ''))
    sys.exit(1 if failed else 0)

if __name__ == '__main__': main()
