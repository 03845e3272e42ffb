"""Build the compact datasets bundled in twotower_nb/datasets from ../shared/data (run once; outputs are committed).

video_games: Amazon Review Data 2018 (Ni, Li & McAuley, EMNLP 2019), Video_Games 5-core, as preprocessed in
WncFht/GenRec data/Games (interactions, ids) with titles from RUCAIBox/LLMRank and platform/kind from
nickgreenquist/Amazon-Video-Game-Recommender-System-PyTorch-Transformer-Model item_metadata.parquet (joined on title).
magazines: Amazon Review Data 2018 raw format, Magazine_Subscriptions 5-core reviews + metadata (byte-identical copies).
steam: Steam (Kang & McAuley, ICDM 2018; Pathak, Gupta & McAuley, SIGIR 2017): every review of the cleaned
user_reviews.csv (gzip'd, bytes unchanged), the steam_games.json.gz lines of the reviewed games and of their bundle-mates,
and the bundle_data.json.gz lines of the bundles holding a reviewed game (lines copied unchanged, file order kept).
"""
import ast, gzip, json, html, shutil, sys
from pathlib import Path
import numpy as np, pandas as pd

src = Path(sys.argv[1] if len(sys.argv) > 1 else '../shared/data')   # usage: build_bundled.py [SRC [name ...]]
dst = Path(__file__).resolve().parent.parent/'twotower_nb'/'datasets'

def video_games():
    d = src/'amazon-videogames-2018'
    inter = json.loads((d/'Games.inter.json').read_text())
    users = pd.read_csv(d/'Games.user2id', sep='\t', header=None, names=['user', 'idx'], dtype={'user': str})
    items = pd.read_csv(d/'Games.item2id', sep='\t', header=None, names=['asin', 'idx'], dtype={'asin': str})
    u2id = dict(zip(users.idx, users.user)); i2asin = items.set_index('idx').asin.to_numpy()
    uidx = np.concatenate([np.full(len(v), int(k)) for k, v in inter.items()])
    iidx = np.concatenate([np.asarray(v) for v in inter.values()])
    pos = np.concatenate([np.arange(len(v)) for v in inter.values()])
    df = pd.DataFrame({'user_id': pd.Categorical([u2id[u] for u in uidx]),
                       'item_id': pd.Categorical(i2asin[iidx]), 'step': pos.astype('int16')})
    titles = pd.read_csv(d/'games_asin_title.tsv', sep='\t', dtype=str, quoting=3)
    meta = pd.read_parquet(d/'item_metadata.parquet')
    meta['key'] = meta.title.map(lambda t: html.unescape(t).strip().lower() if isinstance(t, str) else None)
    meta = meta.dropna(subset=['key']).drop_duplicates('key')
    it = pd.DataFrame({'item_id': i2asin}).merge(titles.rename(columns={'asin': 'item_id'}), on='item_id', how='left')
    it['key'] = it.title.map(lambda t: html.unescape(t).strip().lower() if isinstance(t, str) else None)
    it = it.merge(meta[['key', 'platform', 'kind']], on='key', how='left').drop(columns='key')
    it['platform'] = it.platform.replace('', None)
    it['kind'] = it.kind.replace({'unknown': None, '': None})
    out = dst/'video_games'; out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out/'interactions.parquet', index=False, compression='zstd')
    it.to_parquet(out/'items.parquet', index=False, compression='zstd')
    print('video_games', len(df), df.user_id.nunique(), df.item_id.nunique(), 'titles', it.title.notna().sum(),
          'platform', it.platform.notna().sum(), 'kind', it.kind.notna().sum())

def magazines():
    d = src/'amazon-magazine-2018'; out = dst/'magazines'; out.mkdir(parents=True, exist_ok=True)
    for f in ['Magazine_Subscriptions_5.json.gz', 'meta_Magazine_Subscriptions.json.gz']: shutil.copyfile(d/f, out/f)

def _gz(path, data:bytes):
    "Write bytes to a gzip file with a fixed header time (reproducible output)."
    with open(path, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0, filename='') as f: f.write(data)

def _gz_lines(path, lines): _gz(path, ''.join(l + '\n' for l in lines).encode('utf-8'))

def steam():
    d = src/'steam'; out = dst/'steam'; out.mkdir(parents=True, exist_ok=True)
    rev = set(pd.read_csv(d/'user_reviews.csv', dtype=str).item_id)
    bundles, mates = [], set()
    for l in gzip.open(d/'bundle_data.json.gz', 'rt', encoding='utf-8').read().splitlines():
        ids = {str(i['item_id']) for i in ast.literal_eval(l)['items']}
        if ids & rev: bundles.append(l); mates |= ids
    games = [l for l in gzip.open(d/'steam_games.json.gz', 'rt', encoding='utf-8').read().splitlines()
             if str(ast.literal_eval(l).get('id')) in rev | mates]
    _gz(out/'user_reviews.csv.gz', (d/'user_reviews.csv').read_bytes())   # all reviews, bytes unchanged (CRLF)
    _gz_lines(out/'steam_games.json.gz', games)
    _gz_lines(out/'bundle_data.json.gz', bundles)
    print('steam', len(rev), 'reviewed items', len(games), 'games', len(bundles), 'bundles',
          sum((out/f).stat().st_size for f in ('user_reviews.csv.gz', 'steam_games.json.gz', 'bundle_data.json.gz')), 'bytes')

if __name__ == '__main__':
    todo = sys.argv[2:] or ['video_games', 'magazines', 'steam']
    for name in todo: globals()[name]()
