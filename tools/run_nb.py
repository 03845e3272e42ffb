"""Execute notebooks in place with execnb (no Jupyter kernel), keeping their outputs for the docs.

    python tools/run_nb.py nbs/tutorials/video_games.ipynb          # skips cells flagged slow/gpu/multiproc
    python tools/run_nb.py --flags slow nbs/tutorials/video_games.ipynb   # also runs the slow cells
"""
import sys, os, argparse
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

SKIP = {'slow', 'gpu', 'multiproc'}

def _flags(cell):
    first = [l.strip() for l in cell.source.splitlines()[:3] if l.strip().startswith('#|')]
    return {w for l in first for w in l[2:].split()}

def run(path, flags=()):
    path = Path(path).resolve()
    nb = read_nb(path)
    skip = SKIP - set(flags)
    def preproc(cell): return cell.cell_type == 'code' and bool(_flags(cell) & skip)
    cwd = os.getcwd(); os.chdir(path.parent)
    try:
        sh = CaptureShell(); sh.run_all(nb, exc_stop=True, preproc=preproc)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    print(f'executed {path}')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--flags', nargs='*', default=[]); ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    for p in a.paths: run(p, a.flags)
