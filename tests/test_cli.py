"End-to-end tests of the `twotower` command line: real subprocesses, the bundled data, the generic file path, bad input."
import subprocess, sys, json
from pathlib import Path
import pandas as pd, pytest

from conftest import TT, tt, tiny_yaml

TINY = tiny_yaml(32, eval_users=200)

@pytest.fixture(scope='module')
def work(tmp_path_factory):
    d = tmp_path_factory.mktemp('cli')
    (d/'tiny.yaml').write_text(TINY)
    return d

@pytest.fixture(scope='module')
def model(work):
    r = tt('train', '--sample-users', 400, '--config', work/'tiny.yaml', '--out', work/'m', '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'recall@10' in r.stdout and 'test' in r.stdout
    return work/'m'

def test_train_saves_model(model):
    assert model.exists()

def test_recommend_users_and_all(model, work):
    from twotower_nb.retrieval import Recommender
    rec = Recommender.load(model)
    u = rec.users.itos[1]
    r = tt('recommend', model, '--users', u, '--k', 5)
    assert r.returncode == 0, r.stderr
    assert u in r.stdout
    out = work/'recs.csv'
    r = tt('recommend', model, '--all', '--k', 5, '--out', out)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out, dtype={'user_id': str, 'item_id': str})
    assert list(df.columns) == ['user_id', 'item_id', 'score', 'rank']
    assert df.groupby('user_id').size().eq(5).all()
    assert df.user_id.nunique() > 300
    assert (df.groupby('user_id')['score'].apply(lambda s: s.is_monotonic_decreasing)).all()

def test_evaluate_and_similar(model):
    r = tt('evaluate', model)
    assert r.returncode == 0, r.stderr
    assert 'ndcg@10' in r.stdout
    from twotower_nb.retrieval import Recommender
    item = Recommender.load(model).items.itos[5]
    r = tt('similar', model, '--items', item, '--k', 3)
    assert r.returncode == 0, r.stderr

def test_generic_interactions_file(work):
    from twotower_nb.loaders import datasets_dir
    inter = pd.read_parquet(datasets_dir()/'video_games'/'interactions.parquet')
    users = inter.user_id.cat.categories[:300]
    inter = inter[inter.user_id.isin(users)].rename(columns={'user_id': 'customer', 'item_id': 'product', 'step': 'ts'})
    inter.to_csv(work/'inter.csv', index=False)
    r = tt('train', '--interactions', work/'inter.csv', '--user-col', 'customer', '--item-col', 'product', '--time-col', 'ts',
           '--config', work/'tiny.yaml', '--out', work/'g', '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    r = tt('recommend', work/'g', '--all', '--k', 3, '--out', work/'g.csv')
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(work/'g.csv').user_id.nunique() == 300

@pytest.mark.parametrize('args,needle', [
    (['train', '--interactions', 'nope.csv'], 'nope.csv'),
    (['train', '--interactions', '{inter}', '--user-col', 'userId'], "'userId'"),
    (['train', '--config', '{bad_yaml}'], "unknown key 'training.batch_sise'"),
    (['train', '--epochs', '0'], 'must be > 0'),
    (['train', '--strategy', 'nonsense', '--sample-users', '50'], "strategy"),
    (['recommend', 'no/model', '--users', 'a'], 'no saved model there'),
    (['recommend', '{model}', '--users', 'a', '--k', '0'], '--k must be a positive integer'),
    (['similar', '{model}', '--items', 'NOT_AN_ITEM'], 'NOT_AN_ITEM'),
    (['train', '--data', 'netflix'], "unknown dataset"),
])
def test_bad_input_exit_2(args, needle, work, model):
    (work/'bad.yaml').write_text('training:\n  batch_sise: 3\n')
    if not (work/'inter.csv').exists(): pd.DataFrame({'u': ['a'], 'i': ['b']}).to_csv(work/'inter.csv', index=False)
    args = [a.format(inter=work/'inter.csv', bad_yaml=work/'bad.yaml', model=model) for a in args]
    r = tt(*args)
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert needle in r.stderr, r.stderr
    assert 'Traceback' not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr

def test_train_blend(work):
    "`--blend` tunes an EASE blend on validation and prints its rows beside the model's own."
    (work/'tiny_blend.yaml').write_text(TINY + "blend: {lambdas: [50.0], weights: [0.5]}\n")   # one candidate: always blended
    r = tt('train', '--sample-users', 400, '--config', work/'tiny_blend.yaml', '--blend', '--out', work/'blend.pt', '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'test (blend)' in r.stdout and 'valid (blend)' in r.stdout and 'blend: EASE lam' in r.stdout, r.stdout
    from twotower_nb.retrieval import Recommender
    rec = Recommender.load(work/'blend.pt')
    assert rec.meta['blend'] == {'lam': 50.0, 'weight': 0.5}, rec.meta.get('blend')
    r = tt('evaluate', work/'blend.pt')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'test (blend)' in r.stdout, r.stdout
    r = tt('recommend', work/'blend.pt', '--users', rec.users.itos[1], '--k', 3)
    assert r.returncode == 0 and rec.users.itos[1] in r.stdout, r.stderr[-3000:]

def test_train_yelp_style_config(work):
    "The shipped Yelp-style config (attention + cross user tower, InfoNCE over 1:4 negatives, grad checkpointing) trains from the CLI."
    import twotower_nb
    cfg = Path(twotower_nb.__file__).parent/'configs'/'yelp_style.yaml'
    assert cfg.exists()
    r = tt('train', '--sample-users', 300, '--config', cfg, '--epochs', 1, '--bs', 256, '--out', work/'yelp_style.pt', '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'recall@10' in r.stdout and (work/'yelp_style.pt').exists()

def test_train_steam_sample(work):
    r = tt('train', '--data', 'steam', '--sample-users', 1500, '--config', work/'tiny.yaml', '--strategy', 'also-view', '--out', work/'steam.pt', '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    assert "steam[1500 users]" in r.stdout and 'related=yes' in r.stdout
