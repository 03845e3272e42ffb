"Prototype (2026-12-02): train one config on the bundled Video Games data and save the model: python train_save.py JSON_OVERRIDES OUT.pth THREADS."
import sys, json, time, torch
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[4]))
from twotower_nb.data import load_sample
from twotower_nb.learner import DEFAULT_CONFIG, train, _merge
over = json.loads(sys.argv[1]); out = sys.argv[2]
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
cfg = _merge(DEFAULT_CONFIG, over)
ds = load_sample('video_games'); t0 = time.time()
learn, res = train(ds, cfg, show_progress=False)
torch.save({'cfg': cfg, 'state': learn.model.state_dict()}, out)
r = lambda d: {k: round(v, 4) for k, v in d.items()}
json.dump({'valid': r(res['valid']), 'test': r(res['test']), 'history': [r(h) for h in res['history']], 'best_epoch': res['best_epoch'], 'seconds': time.time()-t0}, open(out + '.json', 'w'), indent=1)
print('valid', r(res['valid'])); print('test', r(res['test'])); print('time', time.time()-t0)
