"""Installs as users do (issue #23): the README's set-up commands on a stock Debian/Ubuntu python3 (PEP 668,
no `python`, no venv active), and the Kaggle notebook's offline install of the built wheel with `--no-index`.

`test_readme_commands_on_stock_python` runs `bash tools/install.sh && ./twotower train` (a short training) in
`env -i PATH=/usr/bin:/bin` on a copy of the repository: it creates `.venv/` and installs torch and the runtime
set into it (from pip's configured sources; the pip cache is kept), about 1-2 minutes on a warm cache.
It is skipped, with the reason, where /usr/bin/python3 is missing, older than 3.10, not externally managed,
or has no venv module (`apt-get install python3 python3-venv`).
"""
import json, os, re, shutil, subprocess, sys, sysconfig, time
from configparser import ConfigParser
from pathlib import Path
import pytest
from conftest import tiny_yaml

ROOT = Path(__file__).resolve().parents[1]
KAGGLE_NB = ROOT/'nbs'/'tutorials'/'kaggle.ipynb'
STOCK = Path('/usr/bin/python3')
TINY = tiny_yaml(max_len=5)

def _copy_repo(dst:Path)->Path:
    "The repository's tracked and unignored files (what a clone has) copied to `dst`."
    files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'], cwd=ROOT, capture_output=True, check=True).stdout
    for f in filter(None, files.decode().split('\0')):
        src = ROOT/f
        if src.is_file():
            (dst/f).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(src, dst/f)
    return dst

def _stock_python_problem()->str|None:
    "Why /usr/bin/python3 cannot stand for a stock Debian 12 / Ubuntu 24.04 Python here (None when it can)."
    if not STOCK.exists(): return f'{STOCK} is missing (apt-get install python3 python3-venv)'
    code = ("import sys, sysconfig, os; ok = sys.version_info >= (3, 10); "
            "em = os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')); "
            "import venv, ensurepip; print(ok, em)")
    r = subprocess.run([str(STOCK), '-c', code], capture_output=True, text=True, env={'PATH': '/usr/bin:/bin'})
    if r.returncode: return f'{STOCK} has no venv/ensurepip module (apt-get install python3-venv): {r.stderr.strip().splitlines()[-1:]}'
    ok, em = r.stdout.split()
    if ok != 'True': return f'{STOCK} is older than Python 3.10'
    if em != 'True': return f'{STOCK} is not externally managed (PEP 668), so it does not stand for a stock Debian 12 / Ubuntu 24.04'
    if shutil.which('git') is None: return 'git is needed to copy the repository'
    return None

def _clean_env(home:Path)->dict:
    "A container-like environment: only /usr/bin:/bin on PATH, a fresh HOME; pip's own settings (sources, cache) kept."
    env = {'PATH': '/usr/bin:/bin', 'HOME': str(home), 'LANG': 'C.UTF-8', 'OMP_NUM_THREADS': '1', 'MPLBACKEND': 'Agg'}
    env.update({k: v for k, v in os.environ.items() if k.startswith('PIP_')})
    env.setdefault('PIP_CACHE_DIR', str(Path.home()/'.cache'/'pip'))
    for k in ('XDG_CONFIG_HOME',):   # where pip.conf may live (package mirrors)
        if k in os.environ: env[k] = os.environ[k]
    user_conf = Path.home()/'.config'/'pip'/'pip.conf'
    if 'PIP_CONFIG_FILE' not in env and user_conf.exists(): env['PIP_CONFIG_FILE'] = str(user_conf)
    return env

def _readme_main_command()->str:
    "The README's set-up command for the main job."
    m = re.search(r'^(bash tools/install\.sh && \S*twotower train)$', (ROOT/'README.md').read_text(), re.M)
    assert m, 'README.md: the line `bash tools/install.sh && ./twotower train` is missing'
    return m.group(1)

@pytest.mark.skipif(_stock_python_problem() is not None, reason=str(_stock_python_problem()))
def test_readme_commands_on_stock_python(tmp_path):
    repo = _copy_repo(tmp_path/'repo'); home = tmp_path/'home'; home.mkdir()
    env = _clean_env(home)
    r = subprocess.run(['bash', '-c', 'command -v python || echo "no python"'], env=env, capture_output=True, text=True)
    print('python on PATH:', r.stdout.strip())
    (tmp_path/'tiny.yaml').write_text(TINY)
    cmd = _readme_main_command()
    # the README's command verbatim, with a short training (the full default run takes many minutes)
    small = f" --sample-users 300 --config {tmp_path/'tiny.yaml'} --out {tmp_path/'model'} --quiet"
    t0 = time.time()
    r = subprocess.run(['bash', '-c', cmd + small], cwd=repo, env=env, capture_output=True, text=True, timeout=1200)
    out = r.stdout + r.stderr
    print(f'{cmd}{small}: exit {r.returncode} in {time.time() - t0:.0f} s\n{out[-3000:]}')
    assert r.returncode == 0, out[-5000:]
    assert 'externally managed' in out and (repo/'.venv'/'bin'/'twotower').exists()
    assert 'run ./twotower train' in out            # install.sh says how to run it
    assert 'recall@10' in out and (tmp_path/'model').exists()
    r = subprocess.run([str(repo/'.venv'/'bin'/'python'), '-c', 'import torch; print(torch.__version__)'], capture_output=True, text=True, env=env)
    assert '+cu' not in r.stdout, f'a CUDA build of torch was installed: {r.stdout}'
    # a second run reuses .venv (no activate needed, nothing reinstalled)
    r = subprocess.run(['bash', 'tools/install.sh'], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and 'externally managed' not in r.stdout, r.stdout + r.stderr

def _deps_venv(d:Path)->Path:
    "A fresh venv (no pip of its own) that sees this interpreter's packages except twotower_nb: an image with the dependencies."
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(d/'venv')], check=True)
    deps = d/'deps'; deps.mkdir()
    for key in ('purelib', 'platlib'):
        sp = Path(sysconfig.get_paths()[key])
        for p in sp.iterdir():
            if 'twotower' in p.name.lower() or p.suffix == '.pth' or (deps/p.name).exists(): continue
            os.symlink(p, deps/p.name)
    py = d/'venv'/'bin'/'python'
    site = subprocess.run([str(py), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], capture_output=True, text=True, check=True).stdout.strip()
    Path(site, '_deps.pth').write_text(f'{deps}\n')
    return py

def _install_cell()->str:
    "The Kaggle notebook's install cell (its first code cell)."
    nb = json.loads(KAGGLE_NB.read_text())
    src = next(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'code')
    assert '--no-index' in src and '--find-links' in src, src
    return src

def test_wheel_offline_install(tmp_path):
    "`pip wheel . --no-deps` builds the wheel; the Kaggle notebook's install cell installs it with --no-index, offline."
    wheels = tmp_path/'input'/'twotower-nb-wheel'
    src = _copy_repo(tmp_path/'repo')   # a clone's files: the build leaves nothing in the working tree
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '.', '--no-deps', '-q', '-w', str(wheels)], cwd=src, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    whl = list(wheels.glob('twotower_nb-*.whl'))
    assert len(whl) == 1, list(wheels.iterdir())
    py = _deps_venv(tmp_path)
    env = {'PATH': f'{py.parent}:/usr/bin:/bin', 'HOME': str(tmp_path), 'TWOTOWER_KAGGLE_INPUT': str(tmp_path/'input'),
           'PIP_NO_INDEX': '1', 'PIP_CONFIG_FILE': os.devnull, 'PIP_DISABLE_PIP_VERSION_CHECK': '1'}   # no network, no mirrors
    r = subprocess.run([str(py), '-c', 'import importlib.util as u; print(u.find_spec("twotower_nb"))'], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.stdout.strip() == 'None', r.stdout + r.stderr   # not installed before the cell runs
    r = subprocess.run([str(py), '-c', _install_cell()], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert 'offline' in out and str(tmp_path/'venv') in out, out   # installed from the wheel into the fresh venv
    r = subprocess.run([str(py.parent/'twotower'), '--help'], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0 and 'train' in r.stdout, r.stdout + r.stderr

def test_kaggle_files_name_real_sources():
    "The notebook installs from the repository in settings.ini (no placeholder) and its metadata asks for a card torch supports."
    cfg = ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    url = cfg['DEFAULT']['git_url']
    src = _install_cell()
    assert f"'{url}'" in src, f'the install cell does not install from {url}'
    meta = json.loads((KAGGLE_NB.parent/'kernel-metadata.json').read_text())
    assert meta['machine_shape'] == 'NvidiaTeslaT4' and meta['enable_gpu']
    assert 'P100' not in json.dumps(meta)
    assert any('wheel' in s for s in meta['dataset_sources']) and 'yelp-dataset/yelp-dataset' in meta['dataset_sources']
    assert meta['code_file'] == KAGGLE_NB.name
