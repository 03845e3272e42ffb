"""The house rule of DEVELOPING.md: a module imports only from notebooks numbered before it.

Every import in every exported module is read from its source (lazy imports inside functions
included) and checked against the notebook order, read from the notebooks' `#| default_exp`.
"""
import ast, json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = 'twotower_nb'

def notebook_order()->dict:
    "module name -> notebook stem, from each notebook's `#| default_exp`."
    out = {}
    for nb in sorted((ROOT/'nbs').glob('[0-9]*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            m = re.search(r'#\|\s*default_exp\s+(\S+)', ''.join(c['source']))
            if m: out[m.group(1)] = nb.stem; break
    return out

def imported_modules(src:str)->list:
    "(package module, line) for every import of a module of the package in `src`."
    out = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ''
            if node.level: name = mod.split('.')[0] if mod else None
            elif mod.startswith(PKG + '.'): name = mod.split('.')[1]
            else: continue
            names = [name] if name else [a.name for a in node.names]   # `from . import x`
            out += [(n, node.lineno) for n in names]
        elif isinstance(node, ast.Import):
            out += [(a.name.split('.')[1], node.lineno) for a in node.names if a.name.startswith(PKG + '.')]
    return out

def violations(order:dict)->list:
    bad = []
    for mod, nb in order.items():
        for dep, line in imported_modules((ROOT/PKG/f'{mod}.py').read_text()):
            if dep in order and order[dep] >= nb: bad.append(f'{PKG}/{mod}.py:{line} ({nb}) imports {dep} ({order[dep]})')
    return bad

def test_order_covers_the_package():
    order = notebook_order()
    mods = {p.stem for p in (ROOT/PKG).glob('*.py')} - {'__init__', '_modidx'}
    assert mods == set(order), mods ^ set(order)

def test_no_import_of_a_later_module():
    assert violations(notebook_order()) == []

def test_the_check_can_fail():
    src = 'import os\nfrom .core import x\ndef f():\n    from twotower_nb.cli import main\n    import twotower_nb.model\n'
    assert imported_modules(src) == [('core', 2), ('cli', 4), ('model', 5)]
    order = {'core': '00_core', 'model': '05_model', 'cli': '10_cli'}
    assert [d for d, _ in imported_modules(src) if order[d] >= '05_model'] == ['cli', 'model']
