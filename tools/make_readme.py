"README.md from nbs/index.ipynb (with its outputs), offline: nbdev_readme needs Quarto, which these machines cannot install."
import json, re, sys
from pathlib import Path
root = Path(__file__).resolve().parent.parent
nb = json.loads((root/'nbs'/'index.ipynb').read_text())
out = []
for c in nb['cells']:
    src = ''.join(c['source'])
    if c['cell_type'] == 'markdown':
        src = re.sub(r'\]\((?!http)([^)]+?)\.ipynb\)', r'](nbs/\1.ipynb)', src)
        out.append(src)
        continue
    lines = src.splitlines()
    opts = [l for l in lines if l.startswith('#|')]
    if any('hide' in o for o in opts): continue
    code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
    if code and not any('echo: false' in o for o in opts): out.append(f'```python\n{code}\n```')
    for o in c.get('outputs', []):
        d = o.get('data', {})
        if 'text/markdown' in d: out.append(''.join(d['text/markdown']))
        elif 'text' in o: out.append('```\n' + ''.join(o['text']).rstrip() + '\n```')
        elif 'text/plain' in d: out.append('```\n' + ''.join(d['text/plain']).rstrip() + '\n```')
text = '\n\n'.join(out) + '\n'
text = '<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n' + text
(root/'README.md').write_text(text)
print(f'wrote README.md ({len(text)} chars)')
