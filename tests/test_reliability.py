"""Reliability under a user's real day (issue #10): messy files, a killed session, a model file from someone else.

* the bad-input matrix runs the CLI in-process (`twotower_nb.cli.main`, fast): every case exits 2 with one line naming
  the file / line / column / key, no traceback, and leaves no output file (nor a temporary one) behind;
* the messy-but-readable cases (empty ids, duplicate rows, bad prices, items missing from the item table, a user with
  one interaction, k larger than the catalogue, unknown users) train and serve with a warning (documented fallbacks);
* real subprocesses: a training run killed with SIGKILL mid-epoch and resumed with `--resume` ends with the weights of
  an uninterrupted run; two runs with the same seed print identical metrics; no Kaggle key reaches output or files.
"""
import contextlib, gzip, io, json, os, signal, subprocess, sys, time, shutil, warnings
from pathlib import Path
import numpy as np, pandas as pd, pytest, torch

from twotower_nb.cli import main
from twotower_nb.loaders import datasets_dir

from fastcore.xtras import modified_env
from conftest import TT, tt, tiny_yaml
SECRET = 'kaggle-secret-0123456789abcdef'
TINY = tiny_yaml(batch_size=128, early_stopping_patience=0)

def run_cli(*args, env:dict=None):
    "Run `twotower ARGS` in this process: (exit code, stdout, stderr, warning messages)."
    out, err = io.StringIO(), io.StringIO()
    with modified_env(**(env or {})), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
         warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        try: code = main([str(a) for a in args])
        except SystemExit as e: code = e.code
    return code, out.getvalue(), err.getvalue(), [str(o.message) for o in w]

# ---- data ------------------------------------------------------------------------------------------------
@pytest.fixture(scope='module')
def work(tmp_path_factory):
    d = tmp_path_factory.mktemp('rel')
    (d/'tiny.yaml').write_text(TINY)
    inter = pd.read_parquet(datasets_dir()/'video_games'/'interactions.parquet')
    inter = inter[inter.user_id.isin(inter.user_id.cat.categories[:250])].astype({'user_id': str, 'item_id': str})
    inter.to_csv(d/'ok.csv', index=False)
    items = pd.read_parquet(datasets_dir()/'video_games'/'items.parquet')
    items = items[items.item_id.isin(inter.item_id)].reset_index(drop=True)
    items['price'] = [['$19.99', '-5', 'call us', '', '1,299.00'][i % 5] for i in range(len(items))]
    # messy but readable: empty ids, an exact duplicate row, a user with one interaction, an item absent from the item table
    messy = pd.concat([inter, inter.iloc[[3]], pd.DataFrame({'user_id': ['LONER', '', 'u_x'], 'item_id': [inter.item_id.iloc[0], 'B0', None],
                                                             'step': [1, 2, 3]}),
                       pd.DataFrame({'user_id': ['ABSENT_FAN'] * 4, 'item_id': [inter.item_id.iloc[1], 'NOT_IN_TABLE', inter.item_id.iloc[2], inter.item_id.iloc[3]],
                                     'step': [1, 2, 3, 4]})])
    messy.to_csv(d/'messy.csv', index=False)
    items.to_csv(d/'items.csv', index=False)
    # unreadable ones
    inter.rename(columns={'user_id': 'customer'}).to_csv(d/'renamed.csv', index=False)
    x = inter.astype({'step': str}); x.loc[x.index[3], 'step'] = 'yesterday'; x.to_csv(d/'badtime.csv', index=False)
    inter.assign(rating=['5'] * 5 + ['five'] + ['4'] * (len(inter) - 6)).to_csv(d/'badrating.csv', index=False)
    (d/'empty.csv').write_text('')
    (d/'header.csv').write_text('user_id,item_id\n')
    raw = gzip.compress((d/'ok.csv').read_bytes()); (d/'cut.csv.gz').write_bytes(raw[:len(raw)//2])
    lines = inter.to_json(orient='records', lines=True).splitlines(); lines[10] = lines[10][:len(lines[10])//2]
    (d/'cut.jsonl').write_text('\n'.join(lines) + '\n')
    items.assign(item_id='X' + items.item_id).to_csv(d/'items_absent.csv', index=False)
    pd.DataFrame({'user_id': list('aabbc'), 'item_id': list('12123')}).to_csv(d/'short.csv', index=False)
    (d/'unknown_key.yaml').write_text('training:\n  batch_sise: 3\n')
    (d/'wrong_type.yaml').write_text('training:\n  batch_size: lots\n')
    (d/'broken.yaml').write_text('training: [\n')
    (d/'alias_bomb.yaml').write_text('a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n'
                                     'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nblend:\n  lambdas: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n')
    (d/'nan_lr.yaml').write_text('training:\n  learning_rate: .nan\n')
    (d/'neg_epochs.yaml').write_text('training:\n  num_epochs: -1\n')
    (d/'neg_eval.yaml').write_text('training:\n  eval_users: -5\n')
    (d/'long_value.yaml').write_text('training:\n  strategy: [' + ', '.join(['x'] * 5000) + ']\n')
    x = inter.copy(); x['step'] = x.step.astype(float); x.loc[x.index[4], 'step'] = np.nan; x.to_csv(d/'time_gap.csv', index=False)
    x = inter.copy(); x['date'] = [f'{1 + i % 12:02d}/{1 + i % 11:02d}/2020' for i in range(len(x))]; x.to_csv(d/'ddmm.csv', index=False)
    return d

@pytest.fixture(scope='module')
def messy_model(work):
    "A model trained on the messy-but-readable file (and the Kaggle key in the environment)."
    code, out, err, w = run_cli('train', '--interactions', work/'messy.csv', '--time-col', 'step', '--items', work/'items.csv',
                                '--num-cols', 'price', '--title-col', 'title', '--config', work/'tiny.yaml', '--out', work/'messy.pt', '--quiet',
                                env={'KAGGLE_KEY': SECRET, 'KAGGLE_USERNAME': 'someone'})
    assert code in (0, None), err
    return work/'messy.pt', out, err, w

TRAIN = ['train', '--config', '{work}/tiny.yaml', '--quiet']
BAD = {  # id: (args, what stderr must contain)
    'missing column': (['--interactions', '{work}/renamed.csv'], "renamed.csv: missing column 'user_id' (columns are: customer, item_id, step)"),
    'wrong --item-col': (['--interactions', '{work}/ok.csv', '--item-col', 'asin'], "ok.csv: missing column 'asin'"),
    'unreadable time': (['--interactions', '{work}/badtime.csv', '--time-col', 'step'], "badtime.csv: column 'step' has an unreadable time 'yesterday' at line 5"),
    'non-numeric rating': (['--interactions', '{work}/badrating.csv', '--rating-col', 'rating'], "badrating.csv: column 'rating' has a non-numeric value 'five' at line 7"),
    'empty file': (['--interactions', '{work}/empty.csv'], 'empty.csv: the file is empty'),
    'header only': (['--interactions', '{work}/header.csv'], 'header.csv: no interactions (the table is empty)'),
    'truncated gz': (['--interactions', '{work}/cut.csv.gz'], 'cut.csv.gz: the gzip stream ends early (truncated download?)'),
    'JSON line cut': (['--interactions', '{work}/cut.jsonl'], 'cut.jsonl: line 11 is not a valid JSON object'),
    'items not in item table': (['--interactions', '{work}/ok.csv', '--items', '{work}/items_absent.csv'], 'items_absent.csv: none of the'),
    'item feature column missing': (['--interactions', '{work}/ok.csv', '--items', '{work}/items.csv', '--num-cols', 'cost'], "items.csv: missing column 'cost'"),
    'no validation rows': (['--interactions', '{work}/short.csv', '--bs', '2'], "dataset 'short' has no validation interactions"),
    'no such file': (['--interactions', '{work}/nope.csv'], 'nope.csv: no such file'),
    'config unknown key': (['--config', '{work}/unknown_key.yaml'], "unknown_key.yaml: unknown key 'training.batch_sise'"),
    'config wrong type': (['--config', '{work}/wrong_type.yaml'], "wrong_type.yaml: 'training.batch_size' must be int, got 'lots' (str)"),
    'config not YAML': (['--config', '{work}/broken.yaml'], 'broken.yaml: not valid YAML'),
    'resume without checkpoint': (['--sample-users', '50', '--resume'], '--resume needs --checkpoint DIR'),
    'epochs 0': (['--sample-users', '50', '--epochs', '0'], '--epochs must be > 0'),
    'empty numeric time cell': (['--interactions', '{work}/time_gap.csv', '--time-col', 'step'], "time_gap.csv: column 'step' is empty at line 6 (1 rows without a time)"),
    'config alias bomb': (['--config', '{work}/alias_bomb.yaml'], 'alias_bomb.yaml: line 2: YAML aliases (*a) are not accepted in a config'),
    'config NaN learning rate': (['--config', '{work}/nan_lr.yaml'], "nan_lr.yaml: 'training.learning_rate' must be a finite number, got nan"),
    'config num_epochs -1': (['--config', '{work}/neg_epochs.yaml'], "neg_epochs.yaml: 'training.num_epochs' must be at least 1, got -1"),
    'config eval_users -5': (['--config', '{work}/neg_eval.yaml'], "neg_eval.yaml: 'training.eval_users' must be 0 or more, got -5"),
    'config long value quoted short': (['--config', '{work}/long_value.yaml'], "'training.strategy' must be str, got ['x', 'x', 'x', 'x', 'x', 'x', ...] (list)"),
    '--lr negative': (['--sample-users', '50', '--lr', '-1'], "'training.learning_rate' must be > 0, got -1.0"),
    'ambiguous dd/mm dates': (['--interactions', '{work}/ddmm.csv', '--time-col', 'date'], "reads as day/month or month/day and no date here settles it: pass time_format='%d/%m/%Y' or '%m/%d/%Y' (CLI: --time-format)"),
}

def _no_output_left(work, name):
    left = [p.name for p in work.iterdir() if p.name == name or p.name.startswith(f'.{name}.')]
    assert not left, left

@pytest.mark.parametrize('case', list(BAD))
def test_bad_train_input(case, work):
    args, needle = BAD[case]
    argv = [a.format(work=work) for a in TRAIN + args] + ['--out', work/'out.pt']
    code, out, err, _ = run_cli(*argv)
    assert code == 2, (code, err[-2000:])
    assert needle in err, err
    assert 'Traceback' not in err and len(err.strip().splitlines()) == 1, err
    _no_output_left(work, 'out.pt')

def test_memory_budget_refuses(work):
    code, out, err, _ = run_cli('train', '--interactions', work/'ok.csv', '--config', work/'tiny.yaml', '--out', work/'out.pt',
                                env={'TWOTOWER_MEMORY_BUDGET': '64K'})
    assert code == 2, err
    assert 'the embedding tables for 250 users' in err and 'but only 64.0 KiB is available' in err, err
    _no_output_left(work, 'out.pt')

# ---- documented fallbacks ---------------------------------------------------------------------------------
def test_messy_file_trains_with_warnings(messy_model, work):
    path, out, err, w = messy_model
    assert path.exists()
    msgs = '\n'.join(w)
    assert "messy.csv: dropped 2 rows with an empty 'user_id' or 'item_id' (first at line" in msgs, msgs
    assert 'messy.csv: dropped 1 duplicate rows (same user, item and time; first at line' in msgs, msgs
    assert "items.csv: 1 interacted items (first 'NOT_IN_TABLE') have no row in the item table" in msgs, msgs
    assert "items.csv: column 'price' has" in msgs and "unreadable or negative values (first '" in msgs, msgs

def test_fallbacks_at_inference(messy_model, work):
    from twotower_nb.retrieval import Recommender
    path = messy_model[0]
    rec = Recommender.load(path)
    n = len(rec.items) - 1
    # a user with one interaction is served from that history; k larger than the catalogue returns every item once
    code, out, err, w = run_cli('recommend', path, '--users', 'LONER', '--k', 100_000, '--out', work/'loner.csv')
    assert code == 0, err
    assert any('larger than the' in m for m in w), w
    df = pd.read_csv(work/'loner.csv', dtype=str)
    assert 0 < len(df) <= n and df.item_id.is_unique and (df.user_id == 'LONER').all()
    # an unknown user gets the popular items (flagged), an unknown item is an error naming it
    code, out, err, _ = run_cli('recommend', path, '--users', 'NOBODY', '--k', 3)
    assert code == 0 and 'NOBODY' in out and 'popular' in out, (out, err)
    code, out, err, _ = run_cli('similar', path, '--items', 'NOT_AN_ITEM')
    assert code == 2 and "unknown item id(s): ['NOT_AN_ITEM']" in err, err
    code, out, err, _ = run_cli('recommend', path, '--users', 'LONER', '--k', 0, '--out', work/'bad_k.csv')
    assert code == 2 and '--k must be a positive integer' in err
    _no_output_left(work, 'bad_k.csv')

# ---- model files from someone else ------------------------------------------------------------------------
class _Evil:
    "Unpickling this runs os.mkdir(marker): code execution, which a safe loader must refuse."
    def __init__(self, marker): self.marker = marker
    def __reduce__(self): return (os.mkdir, (self.marker,))

def _edit_bundle(src, dst, fn):
    "An edited bundle with a matching content hash (what a careful forger, or a bug, would write)."
    from twotower_nb.retrieval import _content_hash
    obj = torch.load(src, weights_only=True)
    fn(obj)
    obj['sha256'] = _content_hash(obj['json'], obj['tensors'])
    torch.save(obj, dst)
    return dst

def _more_items(o):
    info = json.loads(o['json']); info['preprocessing']['items'].append('EXTRA_ITEM'); o['json'] = json.dumps(info)

def _nan_weight(o):
    k = next(k for k, v in o['tensors'].items() if k.startswith('model.') and v.is_floating_point() and v.numel() > 1)
    o['tensors'][k] = o['tensors'][k].clone(); o['tensors'][k].view(-1)[0] = float('nan')

def _huge_config(o):
    info = json.loads(o['json']); info['config']['schema']['cat_sizes']['item_id'] = 100_000_000; o['json'] = json.dumps(info)

def _flip_bytes(src, dst):
    "Change one byte inside the item vectors' data: torch.load does not notice (no CRC check)."
    b = bytearray(src.read_bytes()); v = torch.load(src, weights_only=True)['tensors']['item_vecs'].numpy().tobytes()
    i = bytes(b).find(v); assert i > 0
    b[i + len(v) // 2] ^= 0x40; dst.write_bytes(bytes(b))

@pytest.mark.parametrize('case', ['tampered pickle', 'vocab mismatch', 'weights mismatch', 'truncated file', 'not a model',
                                  'flipped bytes', 'NaN weights', 'config size bomb'])
def test_bad_model_files(case, messy_model, work):
    src = messy_model[0]
    bad, marker = work/f'bad_{case.replace(" ", "_")}.pt', work/'PWNED'
    if case == 'tampered pickle':
        obj = torch.load(src, weights_only=True); obj['meta_extra'] = _Evil(str(marker)); torch.save(obj, bad)
        needle = 'refused: the file holds Python objects other than tensors and plain values (posix.mkdir)'
    elif case == 'vocab mismatch': _edit_bundle(src, bad, _more_items); needle = 'inconsistent recommender: the item vocabulary has'
    elif case == 'weights mismatch':
        def _cut(o):  # drop the last row of the first embedding table (whatever the config's towers hold)
            k = next(k for k, v in o['tensors'].items() if k.endswith('weight') and 'emb' in k and v.dim() == 2)
            o['tensors'][k] = o['tensors'][k][:-1]
        _edit_bundle(src, bad, _cut)
        needle = "codes but its embedding table has"   # checked against the config before the model is built
    elif case == 'truncated file': b = src.read_bytes(); bad.write_bytes(b[:len(b)//2]); needle = 'not a twotower_nb recommender file'
    elif case == 'not a model': bad.write_text('user_id,item_id\n'); needle = 'not a twotower_nb recommender file'
    elif case == 'flipped bytes': _flip_bytes(src, bad); needle = 'its content does not match the hash saved with it'
    elif case == 'NaN weights': _edit_bundle(src, bad, _nan_weight); needle = 'the weights hold NaN or infinite values'
    else: _edit_bundle(src, bad, _huge_config); needle = "says 100,000,000 'item_id' codes but its embedding table has"
    code, out, err, _ = run_cli('recommend', bad, '--users', 'LONER')
    assert 'weights_only' not in err, err
    assert code == 2, (code, err)
    assert needle in err and str(bad) in err, err
    assert 'Traceback' not in err
    assert not marker.exists(), 'the pickle payload ran'

# ---- Kaggle credentials -----------------------------------------------------------------------------------
def test_kaggle_key_never_written(messy_model, work):
    path, out, err, w = messy_model
    assert SECRET not in out + err + '\n'.join(w)
    assert SECRET.encode() not in path.read_bytes()

def test_kaggle_key_redacted_from_errors(work, monkeypatch):
    "An error from inside the kaggle package that quotes the key reaches the terminal as '***'."
    fake = work/'fake_kaggle'; (fake/'kaggle'/'api').mkdir(parents=True, exist_ok=True)
    (fake/'kaggle'/'__init__.py').write_text(''); (fake/'kaggle'/'api'/'__init__.py').write_text('')
    (fake/'kaggle'/'api'/'kaggle_api_extended.py').write_text(
        'import os\nclass KaggleApi:\n    def authenticate(self): pass\n'
        '    def dataset_download_files(self, *a, **k): raise RuntimeError("401 Unauthorized: key=" + os.environ["KAGGLE_KEY"])\n')
    monkeypatch.syspath_prepend(str(fake))
    for m in [m for m in sys.modules if m == 'kaggle' or m.startswith('kaggle.')]: monkeypatch.delitem(sys.modules, m)
    try:
        code, out, err, _ = run_cli('download', 'owner/dataset', '--dest', work/'dl', env={'KAGGLE_KEY': SECRET, 'KAGGLE_USERNAME': 'someone'})
    finally:
        for m in [m for m in sys.modules if m == 'kaggle' or m.startswith('kaggle.')]: sys.modules.pop(m)
    assert code == 2, err
    assert '401 Unauthorized: key=***' in err and SECRET not in err + out, err
    assert not (work/'dl').exists()

# ---- a killed run, resumed; the same seed twice ------------------------------------------------------------
def _table(stdout:str)->str:
    "The printed metrics table (without timings)."
    lines = stdout.splitlines()
    i = next(i for i, l in enumerate(lines) if l.lstrip().startswith('recall@10'))
    return '\n'.join(lines[i:i+4])

def test_sigkill_resume_and_same_seed(tmp_path):
    (tmp_path/'c.yaml').write_text(tiny_yaml(batch_size=128, early_stopping_patience=0, num_epochs=3))
    env = {**os.environ, 'KAGGLE_KEY': SECRET, 'KAGGLE_USERNAME': 'someone'}
    args = ['train', '--sample-users', 1200, '--config', tmp_path/'c.yaml', '--quiet']
    a = tt(*args, '--out', tmp_path/'a.pt', '--checkpoint', tmp_path/'ck_a', env=env)
    assert a.returncode == 0, a.stderr[-3000:]
    # the same command, killed with SIGKILL once the first epoch's checkpoint exists (so during epoch 2 or 3)
    ck = tmp_path/'ck_b'/'checkpoint.pt'
    p = subprocess.Popen([TT, *map(str, args), '--out', tmp_path/'b.pt', '--checkpoint', tmp_path/'ck_b'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    t0 = time.time()
    while not ck.exists() and p.poll() is None and time.time() - t0 < 600: time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.communicate()
    assert p.returncode == -signal.SIGKILL, 'the run ended before it could be killed'
    from twotower_nb.learner import read_checkpoint
    done = read_checkpoint(ck)['epoch']
    assert 1 <= done < 3, done
    assert not (tmp_path/'b.pt').exists()
    b = tt(*args, '--out', tmp_path/'b.pt', '--checkpoint', tmp_path/'ck_b', '--resume', env=env)
    assert b.returncode == 0, b.stderr[-3000:]
    assert f'resuming from {ck}' in b.stdout
    from twotower_nb.retrieval import Recommender
    assert Recommender.load(tmp_path/'b.pt').meta['metrics']['resumed_from_epoch'] == done   # the completed epochs were not redone
    wa, wb = Recommender.load(tmp_path/'a.pt').model.state_dict(), Recommender.load(tmp_path/'b.pt').model.state_dict()
    assert wa.keys() == wb.keys()
    for k in wa: assert torch.equal(wa[k], wb[k]), k     # exact on the CPU: same batches, negatives, dropout masks and schedule
    assert _table(a.stdout) == _table(b.stdout)
    # reproducibility: the same seed and data, without checkpoints, print the same metrics to the last digit
    c = tt(*args, '--out', tmp_path/'c.pt', env=env)
    assert c.returncode == 0, c.stderr[-3000:]
    assert _table(c.stdout) == _table(a.stdout), (c.stdout, a.stdout)
    # no Kaggle key in any output or file
    assert all(SECRET not in r.stdout + r.stderr for r in (a, b, c))
    for f in tmp_path.rglob('*'):
        if f.is_file(): assert SECRET.encode() not in f.read_bytes(), f

# ---- issue #24: nothing silently wrong ---------------------------------------------------------------------
@pytest.fixture(scope='module')
def ids_model(work):
    "A model trained on ids that only survive when read as text: '00001' vs '0001' vs '01' vs '1', 17-digit items, one empty cell."
    rng = np.random.default_rng(0)
    users = [f'{i:05d}' for i in range(1, 31)] + [str(i) for i in range(1, 31)] + ['01', '001', '0001']
    items = [str(10**16 + 7*i) for i in range(60)]
    rows = [(u, items[j], t) for u in users for t, j in enumerate(rng.choice(60, 6, replace=False))]
    df = pd.DataFrame(rows + [('00001', '', 99)], columns=['user_id', 'item_id', 'step'])
    df.to_csv(work/'ids.csv', index=False)
    code, out, err, w = run_cli('train', '--interactions', work/'ids.csv', '--time-col', 'step', '--config', work/'tiny.yaml',
                                '--out', work/'ids.pt', '--quiet')
    assert code in (0, None), err
    return work/'ids.pt', users, items

def test_ids_round_trip_exactly(ids_model, work):
    from twotower_nb.retrieval import Recommender
    path, users, items = ids_model
    rec = Recommender.load(path)
    assert sorted(rec.users.itos[1:]) == sorted(users) and sorted(rec.items.itos[1:]) == sorted(items)
    code, out, err, _ = run_cli('recommend', path, '--all', '--k', 3, '--out', work/'ids_recs.csv')
    assert code == 0, err
    df = pd.read_csv(work/'ids_recs.csv', dtype=str, keep_default_na=False)
    assert set(df.user_id) <= set(users) and set(df.item_id) <= set(items), (set(df.user_id) - set(users), set(df.item_id) - set(items))
    assert {'00001', '0001', '001', '01', '1'} <= set(df.user_id)
    code, out, err, _ = run_cli('recommend', path, '--users', '0001', '--k', 3)
    assert code == 0 and 'popular' not in out, out

def test_time_order_exact(work):
    "A shuffled file with fractional times (step/1000) or day-first dates: the held-out rows are each user's truly latest."
    from twotower_nb.loaders import load_interactions
    rng = np.random.default_rng(1)
    rows = pd.DataFrame([(f'u{u}', f'i{u}_{t}', (t + 1) / 1000, f'{t + 10:02d}/03/2020') for u in range(40) for t in range(6)],
                        columns=['user', 'item', 't', 'date']).sample(frac=1, random_state=0)
    rows.to_csv(work/'shuffled.csv', index=False)
    for col in ('t', 'date'):
        ds = load_interactions(work/'shuffled.csv', 'user', 'item', col)
        inter = ds.inter
        last = ds.items.decode(inter.item[inter.split == 2])
        assert all(o.endswith('_5') for o in last), (col, last[:5])
        assert all(o.endswith('_4') for o in ds.items.decode(inter.item[inter.split == 1]))
    code, out, err, _ = run_cli('train', '--interactions', work/'ddmm.csv', '--time-col', 'date', '--time-format', '%d/%m/%Y',
                                '--config', work/'tiny.yaml', '--out', work/'ddmm.pt', '--quiet')
    assert code in (0, None), err

def test_evaluation_agrees_with_serving_on_repeats(work):
    "Half the users' test item is one they had before: evaluation scores exactly the lists `recommend --all` serves, both rules."
    from twotower_nb.retrieval import Recommender
    from twotower_nb.learner import evaluate_model
    from twotower_nb.cli import load_data
    inter = pd.read_csv(work/'ok.csv', dtype={'user_id': str, 'item_id': str})
    last = inter.sort_values('step').groupby('user_id').head(1).iloc[::2]          # every other user comes back to an item
    inter = pd.concat([inter, last.assign(step=inter.step.max() + 1)]).reset_index(drop=True)
    inter.to_csv(work/'repeats.csv', index=False)
    code, out, err, _ = run_cli('train', '--interactions', work/'repeats.csv', '--time-col', 'step', '--config', work/'tiny.yaml',
                                '--out', work/'repeats.pt', '--quiet')
    assert code in (0, None), err
    assert 'repeat targets (held-out items the user had before' in out, out
    rec = Recommender.load(work/'repeats.pt'); ds = load_data(rec.meta['data'])
    rows = ds.eval_rows(2)
    truth = pd.DataFrame({'user_id': ds.users.itos[ds.inter.user.to_numpy()[rows]], 'item_id': ds.items.itos[ds.inter.item.to_numpy()[rows]]})
    for allow in (False, True):
        ds.allow_repeats = allow
        res = evaluate_model(rec.model, ds, 2, ks=(10,))
        served = rec.recommend_split(ds, 2, k=10, exclude_seen=not allow)
        assert res['repeat_targets'] == len(last), res
        assert res['recall@10'] == pytest.approx(len(served.merge(truth)) / len(truth), abs=1e-12), (allow, res)
    code, out, err, _ = run_cli('evaluate', work/'repeats.pt', '--allow-repeats')
    assert code in (0, None) and 'repeat targets' in out, err

def test_recommend_fallbacks_visible(messy_model, work):
    path = messy_model[0]
    code, out, err, _ = run_cli('recommend', path, '--users', 'LONER,NOBODY', '--k', 3, '--out', work/'fb.csv')
    assert code == 0, err
    assert '1 of 2 users are unknown and got the most popular items (path=popular in the output)' in err, err
    df = pd.read_csv(work/'fb.csv', dtype=str)
    assert list(df.columns) == ['user_id', 'item_id', 'score', 'rank', 'path']
    assert (df[df.user_id == 'NOBODY'].path == 'popular').all() and (df[df.user_id == 'LONER'].path == 'user').all()
    code, out, err, _ = run_cli('recommend', path, '--users', 'LONER,NOBODY', '--strict', '--out', work/'strict.csv')
    assert code == 2 and "unknown user id(s): ['NOBODY']" in err, err
    _no_output_left(work, 'strict.csv')
    (work/'ids.txt').write_text('LONER\nA,B\n')
    code, out, err, _ = run_cli('recommend', path, '--users-file', work/'ids.txt', '--k', 2, '--out', work/'uf.csv')
    assert code == 0, err
    assert set(pd.read_csv(work/'uf.csv', dtype=str).user_id) == {'LONER', 'A,B'}
    for args, needle in [(['--users', ',,'], "--users ',,': no user ids"), (['--all', '--users', 'LONER'], 'give either --all or --users'),
                         (['--users', 'LONER', '--out', work], 'is a folder; give a file path')]:
        code, out, err, _ = run_cli('recommend', path, *args)
        assert code == 2 and needle in err and len(err.strip().splitlines()) == 1, (args, err)

def test_out_checked_before_training(work):
    (work/'a_folder').mkdir(exist_ok=True)
    for args, needle in [(['--out', work/'a_folder'], 'is a folder; give a file path'),
                         (['--out', work/'tiny.yaml'/'m.pt'], 'is a file, not a folder'),
                         (['--out', work/'x.pt', '--checkpoint', work/'tiny.yaml'], '--checkpoint'),]:
        t0 = time.time()
        code, out, err, _ = run_cli('train', '--interactions', work/'ok.csv', '--config', work/'tiny.yaml', '--quiet', *args)
        assert code == 2 and needle in err, (args, err)
        assert 'loaded in' not in out, out    # refused before the data was even loaded

def test_no_temporary_files_left(work, tmp_path, monkeypatch):
    "Training leaves nothing in the temp folder; a resumed run removes the partial files of the killed one; outputs are not 0600."
    import tempfile
    sys_tmp = tmp_path/'sys_tmp'; sys_tmp.mkdir(); monkeypatch.setattr(tempfile, 'tempdir', str(sys_tmp))
    code, out, err, _ = run_cli('train', '--interactions', work/'ok.csv', '--config', work/'tiny.yaml', '--out', tmp_path/'m.pt', '--quiet')
    assert code in (0, None), err
    assert list(sys_tmp.iterdir()) == [], list(sys_tmp.iterdir())
    umask = os.umask(0); os.umask(umask)
    assert (tmp_path/'m.pt').stat().st_mode & 0o777 == 0o666 & ~umask
    ck = tmp_path/'ck'; ck.mkdir()
    p = subprocess.Popen(['true']); p.wait()   # a process that has ended: the killed run
    (ck/f'.checkpoint.pt.pid{p.pid}.abcd1234.tmp').write_bytes(b'half a checkpoint')
    (ck/f'.best.pth.pid{p.pid}.abcd1234').mkdir()
    code, out, err, _ = run_cli('train', '--interactions', work/'ok.csv', '--config', work/'tiny.yaml', '--out', tmp_path/'m2.pt',
                                '--checkpoint', ck, '--resume', '--quiet')
    assert code in (0, None), err
    assert sorted(o.name for o in ck.iterdir() if o.name.startswith('.')) == [], list(ck.iterdir())
    assert list(sys_tmp.iterdir()) == []

def test_smaller_items(messy_model, work):
    "latin-1 input with --encoding; a gzip named .csv; k above the catalogue says 'at most'; NA ids said."
    inter = pd.read_csv(work/'ok.csv', dtype=str)
    inter.assign(user_id=inter.user_id + 'é').to_csv(work/'latin1.csv', index=False, encoding='latin-1')
    code, out, err, _ = run_cli('train', '--interactions', work/'latin1.csv', '--config', work/'tiny.yaml', '--out', work/'l1.pt', '--quiet')
    assert code == 2 and 'not UTF-8 text' in err and '--encoding latin-1' in err, err
    code, out, err, _ = run_cli('train', '--interactions', work/'latin1.csv', '--encoding', 'latin-1', '--config', work/'tiny.yaml',
                                '--out', work/'l1.pt', '--quiet')
    assert code in (0, None), err
    from twotower_nb.retrieval import Recommender
    assert all(u.endswith('é') for u in Recommender.load(work/'l1.pt').users.itos[1:])
    (work/'gz_named.csv').write_bytes(gzip.compress((work/'ok.csv').read_bytes()))
    from twotower_nb.loaders import load_interactions
    assert len(load_interactions(work/'gz_named.csv', 'user_id', 'item_id').inter) > 0
    code, out, err, w = run_cli('recommend', messy_model[0], '--users', 'LONER', '--k', 100_000)
    assert any('returning at most' in m for m in w), w
    pd.concat([inter, pd.DataFrame({'user_id': ['NA', 'null'], 'item_id': [inter.item_id.iloc[0]] * 2})]).to_csv(work/'na_ids.csv', index=False)
    code, out, err, w = run_cli('train', '--interactions', work/'na_ids.csv', '--config', work/'tiny.yaml', '--out', work/'na.pt', '--quiet')
    assert code in (0, None), err
    assert any("2 of them hold a missing-value word like 'NA' or 'null'" in m for m in w), w

def test_memory_guard_counts_the_whole_run(work):
    "The guard's estimate follows measured peaks (benchmarks/results/memory_guard.json): a 300 MiB machine is refused up front."
    code, out, err, _ = run_cli('train', '--interactions', work/'ok.csv', '--config', work/'tiny.yaml', '--out', work/'mem.pt', '--quiet',
                                env={'TWOTOWER_MEMORY_BUDGET': '300M'})
    assert code == 2 and 'but only 300.0 MiB is available' in err, err
    _no_output_left(work, 'mem.pt')
    from twotower_nb.learner import epoch_seconds, load_config
    from twotower_nb.data import RecDataset
    rng = np.random.default_rng(0); n = 2_000_000
    big = RecDataset.from_interactions(pd.DataFrame({'u': rng.integers(0, 40, n), 'i': np.arange(n)}), 'u', 'i')
    assert epoch_seconds(big, load_config(**{'training.strategy': 'in-batch'}), threads=1) > 600   # the 2M-item case (per-row): warned
    assert 0 < epoch_seconds(big, load_config(**{'training.strategy': 'sequence'}), threads=1) < epoch_seconds(big, load_config(**{'training.strategy': 'in-batch'}), threads=1)
