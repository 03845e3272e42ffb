"Prototype of the EASE blend (2026-12-02), kept as the record behind the tuning README: python blend.py MODEL.pth; env WS (weights), LAMS, MODE (z | raw: cosine/temperature + w * raw EASE score)."
import sys, json, time, numpy as np, torch
ROOT = __import__('pathlib').Path(__file__).resolve().parents[4]; sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'benchmarks'))
from twotower_nb.data import load_sample
from twotower_nb.learner import build_model, holdout_dataset, encode_all_items
from twotower_nb.metrics import evaluate_full
from peers import fit_ease, interactions
torch.set_num_threads(2)
path = sys.argv[1]; quick = len(sys.argv) > 2 and sys.argv[2] == 'quick'
ck = torch.load(path, weights_only=False); cfg = ck['cfg']
ds = load_sample('video_games', n_users=3000 if quick else None)
dh = holdout_dataset(ds, cfg['training']['holdout_users'], cfg['training']['seed'])
model = build_model(dh, cfg)
if not quick: model.load_state_dict(ck['state'])
model.eval()
import os
WS = json.loads(os.environ.get('WS', '[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5]')); MODE = os.environ.get('MODE', 'z'); LAMS = json.loads(os.environ.get('LAMS', '[50, 200]')); T = cfg['model']['temperature']
def z(s):
    s = s - s.mean(1, keepdim=True); return s / (s.std(1, keepdim=True) + 1e-8)
@torch.no_grad()
def run(d, split, ease, ws):
    rows = d.eval_rows(split); users = d.inter.user.to_numpy()[rows]
    L = getattr(model, 'max_len', 50)
    hist = torch.as_tensor(d.history_for(rows, L)); uid = torch.as_tensor(d.user_id[users])
    iv = encode_all_items(model, d.n_items)
    uv = torch.cat([model.encode_users((uid[i:i+4096], hist[i:i+4096])).float() for i in range(0, len(rows), 4096)])
    out = {}
    for w in ws:
        def score_fn(pos, _):
            p = pos[:, 0].long()
            if MODE == 'z':
                s = z(uv[p] @ iv.T)
                if w: s = s + w * z(torch.as_tensor(ease(users[p.numpy()])))
            else:
                s = (uv[p] @ iv.T) / T
                if w: s = s + w * torch.as_tensor(ease(users[p.numpy()]))
            return s
        t = time.time()
        m = evaluate_full(lambda sl: torch.arange(len(rows))[sl][:, None].float(), torch.zeros(d.n_items, 1), d.inter.item.to_numpy()[rows],
                          d.seen(split)[users], ks=(10, 20), user_chunk=1024, score_fn=score_fn)
        out[w] = {k: round(float(v), 4) for k, v in m.items()}
        print(split, w, out[w]['ndcg@10'], out[w]['recall@10'], out[w]['coverage@10'], f'{time.time()-t:.0f}s', flush=True)
    return out
res = {}
for lam in ([50] if quick else LAMS):
    t = time.time(); e1 = fit_ease(interactions(dh, 1), lam); print('ease fit', time.time() - t, flush=True)
    res[lam] = {'valid': run(dh, 1, e1, WS)}; del e1
best_lam, best_w = max(((l, w) for l in res for w in WS), key=lambda lw: res[lw[0]]['valid'][lw[1]]['ndcg@10'])
print('chosen on validation: lam', best_lam, 'w', best_w)
e2 = fit_ease(interactions(ds, 2), best_lam)
test = run(ds, 2, e2, sorted({0, best_w}))
json.dump({'valid': {str(l): v for l, v in res.items()}, 'lam': best_lam, 'w': best_w, 'test': {str(k): v for k, v in test.items()}},
          open(path + f'.blend-{MODE}.json', 'w'), indent=1)
