"Execute notebooks in place with execnb (no Jupyter kernel), keeping their outputs for the docs."
import sys, os
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

def run(path):
    path = Path(path).resolve()
    nb = read_nb(path)
    cwd = os.getcwd(); os.chdir(path.parent)
    try:
        sh = CaptureShell(); sh.run_all(nb, exc_stop=True)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    print(f'executed {path}')

if __name__ == '__main__':
    for p in sys.argv[1:]: run(p)
