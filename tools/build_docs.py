#!/usr/bin/env python
"""Build the documentation site offline, without Quarto.

    python tools/build_docs.py                 # nbs/*.ipynb -> _proc/ -> _docs/*.html
    python tools/build_docs.py --n_workers 2   # processes notebooks two at a time

nbdev (2.4.x) processes every notebook exactly as `nbdev_docs` does before it calls Quarto
(`nbdev.serve` + `nbdev.processors.FilterDefaults`: frontmatter from the title cell, `show_doc`
for every exported symbol, `#| hide` / `#| export` cells dropped, doc links added) into `_proc/`.
This script then turns each processed notebook into one HTML page of `_docs/` (the `doc_path` of
settings.ini), with the navigation of `nbs/sidebar.yml` (the file Quarto reads too), page titles
from the notebook's title cell, `show_doc` blocks as a signature plus a parameter table built from
the docments comments, links to the package's own docs and to other notebooks rewritten to the
local pages, and math as MathML when `latex2mathml` is installed. It writes `_docs/site.json`,
which `tools/check_docs.py` reads. Exit status 1 when a notebook failed to process or render, or
a sidebar entry names a missing notebook.
"""
from __future__ import annotations
import argparse, base64, concurrent.futures as cf, fnmatch, html, json, multiprocessing as mp, os, re
import shutil, sys, time, traceback
from pathlib import Path

import yaml, mistune
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, TextLexer, get_lexer_by_name
from nbdev.config import get_config

try: from latex2mathml.converter import convert as _tex2mathml
except ImportError: _tex2mathml = None

_re_ansi = re.compile(r'\x1B(?:[@-Z\\-_]|\[[0-?]*[ -/]*[@-~])')
_re_numprefix = re.compile(r'^\d+[a-zA-Z0-9]*_')

def nb_html_name(p:Path) -> str:
    "The page name nbdev's doc links use for notebook `p` (`01a_loaders.ipynb` -> `loaders.html`)."
    return _re_numprefix.sub('', p.name.lower()).rsplit('.', 1)[0] + '.html'

# ---------------------------------------------------------------------------------------------
# 1. nbdev processing: nbs/ -> _proc/
# ---------------------------------------------------------------------------------------------
def _proc_one(task):
    "Worker: nbdev's docs processing of one file; returns its time (submitted as `build_docs._proc_one`)."
    import nbdev.serve_drv
    t0 = time.time()
    nbdev.serve_drv.main(task)
    return time.time() - t0

def process_notebooks(cfg, n_workers:int, incremental:bool=False):
    "Copy and process `nbs/` into `_proc/` like `nbdev_proc_nbs`, one notebook per task; returns errors."
    from nbdev.serve import _proc_file
    from nbdev.doclinks import nbglob
    nbs, cache = cfg.nbs_path, cfg.config_path/'_proc'
    if cache.exists() and not incremental: shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    files = list(nbglob(nbs, func=Path, file_glob='', file_re=''))
    for extra in ('_quarto.yml', '_brand.yml'):
        if (nbs/extra).exists(): files.append(nbs/extra)
    tasks = [t for t in (_proc_file(f, cache, nbs) for f in files) if t]
    errors = {}
    if not tasks: return errors
    # like nbdev's proc_nbs: 'spawn' workers running nbdev.serve_drv.main. The function is submitted
    # from this file imported as the module `build_docs` (tools/ is on the workers' sys.path): IPython
    # replaces __main__ in a worker, so a function pickled as __main__._proc_one could not be found.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import build_docs as _bd
    # workers import the package from the repo even when it is not pip-installed (as nbdev_test does),
    # and keep quiet about nbdev's 'imports and other code in one cell' style warning
    os.environ['PYTHONPATH'] = os.pathsep.join([str(cfg.config_path)] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p])
    os.environ['PYTHONWARNINGS'] = 'ignore:Found cells containing imports'
    if str(cfg.config_path) not in sys.path: sys.path.insert(0, str(cfg.config_path))  # spawn copies sys.path
    t0 = time.time()
    with cf.ProcessPoolExecutor(max_workers=max(1, n_workers), mp_context=mp.get_context('spawn')) as ex:
        futs = {ex.submit(_bd._proc_one, t): t[0] for t in tasks}
        for fut in cf.as_completed(futs):
            rel = os.path.relpath(futs[fut], cfg.config_path)
            e = fut.exception()
            if e is not None:
                err = ''.join(traceback.format_exception_only(type(e), e))
                if e.__cause__ is not None: err = str(e.__cause__) + '\n' + err
                if 'NameError' in err:
                    err += ('hint: to render show_doc, nbdev runs only exported cells, show_doc cells and cells with '
                            'imports; a cell that mixes imports with other code runs too, without the cells before '
                            'it: move its imports to their own cell\n')
                errors[rel] = err
                lines = err.rstrip().splitlines()
                causes = [l for l in lines if re.match(r'^[\w.]+(Error|Exception|Exit|Interrupt)\b', l)]
                print(f'  ERROR processing {rel} (at {time.time()-t0:.1f} s):\n' + '\n'.join('    '+l for l in [l for l in lines if not l.startswith('hint:')][-10:] + ['caused by:'] + causes + [l for l in lines if l.startswith('hint:')]))
            else:
                dt = fut.result()
                print(f'  processed {rel} ({dt:.1f} s)' + ('  SLOW: see the warnings below' if dt > 30 else ''))
    return errors

def mixed_import_cells(src_nb:Path):
    "Cells nbdev runs whole while building docs because they mix imports with other code (its FAQ warning)."
    import ast
    try: nb = json.loads(src_nb.read_text(encoding='utf-8'))
    except Exception: return []
    res = []
    for i, c in enumerate(nb.get('cells', [])):
        if c.get('cell_type') != 'code': continue
        opts, code = cell_options(_src(c.get('source')))
        if opts.keys() & {'export', 'exports', 'exporti', 'exec_doc'} or str(opts.get('eval', '')).lower() == 'false': continue
        code = '\n'.join(l for l in code.splitlines() if not l.lstrip().startswith(('%', '!')))
        try: tree = ast.parse(code)
        except SyntaxError: continue
        nodes = list(ast.walk(tree))
        if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in nodes) and any(isinstance(n, (ast.Expr, ast.Assign)) for n in nodes):
            res.append((i, code.strip().splitlines()[0][:60], bool(opts.keys() & {'slow', 'gpu', 'multiproc'})))
    return res

# ---------------------------------------------------------------------------------------------
# 2. Markdown -> HTML
# ---------------------------------------------------------------------------------------------
_fmt = HtmlFormatter(cssclass='highlight', nowrap=False)

def highlight_code(code:str, lang:str|None='python') -> str:
    try: lexer = get_lexer_by_name((lang or 'text').strip().split()[0])
    except Exception: lexer = TextLexer()
    return highlight(code, lexer, _fmt)

def tex_html(tex:str, display:bool) -> str:
    "LaTeX as MathML (Chromium/Firefox/Safari render it offline), or as code when that fails."
    if _tex2mathml is not None:
        try: return _tex2mathml(tex.strip(), display='block' if display else 'inline')
        except Exception: pass
    esc = html.escape(tex.strip())
    return f'<div class="math tex">{esc}</div>' if display else f'<code class="math tex">{esc}</code>'

def strip_tags(s:str) -> str: return html.unescape(re.sub(r'<[^>]+>', '', s))

def pandoc_slug(text:str) -> str:
    "Heading id the way pandoc/Quarto make it (`Vocab.fit` -> `vocab.fit`, `Reproducible runs` -> `reproducible-runs`)."
    s = strip_tags(text).strip().lower()
    s = re.sub(r'[^\w\s.\-]', '', s)
    s = re.sub(r'\s+', '-', s)
    s = re.sub(r'^[^a-z_]+', '', s)
    return s or 'section'

class Page:
    "One output page: its source, target, title and the state its renderer needs (ids, toc)."
    def __init__(self, src:Path, rel:Path, href:str, title:str, description:str, module:str|None):
        self.src, self.rel, self.href, self.title, self.description, self.module = src, rel, href, title, description, module
        self.ids, self.toc, self.n_showdoc, self.n_params = set(), [], 0, 0

    def uid(self, base:str) -> str:
        i, res = 0, base
        while res in self.ids: i += 1; res = f'{base}-{i}'
        self.ids.add(res)
        return res

class _Renderer(mistune.HTMLRenderer):
    def __init__(self, page:Page, toc:bool=True):
        super().__init__(escape=False)
        self.page, self.want_toc = page, toc

    def heading(self, text, level, **attrs):
        m = re.search(r'\s*\{([^}]*)\}\s*$', text)   # pandoc attributes: ## Title {#id .unnumbered}
        hid = None
        if m:
            text = text[:m.start()]
            idm = re.search(r'#([\w.\-:]+)', m.group(1))
            if idm: hid = idm.group(1)
        hid = self.page.uid(hid or pandoc_slug(text))
        if self.want_toc and level in (2, 3): self.page.toc.append((level, hid, strip_tags(text)))
        return f'<h{level} id="{hid}" class="anchored">{text}<a class="anchor-link" href="#{hid}" aria-hidden="true">#</a></h{level}>\n'

    def block_code(self, code, info=None):
        return f'<div class="sourceCode">{highlight_code(code, info or "text")}</div>\n'

    def block_math(self, text): return f'<div class="math display">{tex_html(text, True)}</div>\n'
    def inline_math(self, text): return tex_html(text, False)

def _md(page:Page, toc:bool=True):
    return mistune.create_markdown(renderer=_Renderer(page, toc),
                                   plugins=['table', 'strikethrough', 'footnotes', 'url', 'math', 'def_list', 'task_lists'])

_re_fdiv = re.compile(r'^(:{3,})\s*(.*?)\s*$')
_re_linkattr = re.compile(r'(\]\([^)\s]*(?:\s+"[^"]*")?\))\{[^}]*\}')

def _prep_md(src:str) -> str:
    "Pandoc-isms Python's markdown parsers don't know: `[x](u){attrs}`, one-line `$$..$$` blocks."
    src = _re_linkattr.sub(r'\1', src)
    src = re.sub(r'^[ ]{0,3}\$\$(.+?)\$\$[ \t]*$', lambda m: f'$$\n{m.group(1).strip()}\n$$', src, flags=re.M)
    return src

def render_md(src:str, page:Page, toc:bool=True) -> str:
    "Markdown (with pandoc fenced divs `::: {.callout-note}`) to HTML."
    out, buf, stack = [], [], []
    def flush():
        if buf: out.append(_md(page, toc)(_prep_md('\n'.join(buf)))); buf.clear()
    in_fence = False
    for line in src.splitlines():
        if line.lstrip().startswith(('```', '~~~')): in_fence = not in_fence
        m = None if in_fence else _re_fdiv.match(line)
        if m and m.group(2):                       # opening ::: {.class} / ::: name
            flush()
            attrs = m.group(2).strip('{} ')
            classes = [c.lstrip('.') for c in attrs.split() if c.startswith('.')] or [attrs.split()[0]] if attrs else []
            cls = ' '.join(['fdiv'] + [('callout ' + c) if c.startswith('callout') else c for c in classes])
            out.append(f'<div class="{html.escape(cls)}">'); stack.append(m.group(1))
        elif m and stack:                          # closing :::
            flush(); out.append('</div>'); stack.pop()
        else: buf.append(line)
    flush()
    out.extend('</div>' for _ in stack)
    return '\n'.join(out)

def render_inline(src:str, page:Page) -> str:
    res = _md(page, False)(_prep_md(src)).strip()
    return res[3:-4] if res.startswith('<p>') and res.endswith('</p>') and res.count('<p>') == 1 else res

# ---------------------------------------------------------------------------------------------
# 3. show_doc blocks: signature + docments parameter table
# ---------------------------------------------------------------------------------------------
_re_showdoc = re.compile(r'^\s*---\s*\n(?P<pre>.*?)^(?P<h>#{2,6})\s+(?P<name>[^\n]+?)\s*\n+```python\n(?P<sig>.*?)\n```\s*(?P<rest>.*)\Z', re.S|re.M)
_re_srclink = re.compile(r'\[source\]\(([^)\s]+)\)')

def _split_top(s:str, seps:str):
    "Split `s` at characters of `seps` that are outside brackets and quotes; returns (parts, comment)."
    parts, cur, depth, q, i = [], [], 0, None, 0
    while i < len(s):
        c = s[i]
        if q:
            cur.append(c)
            if c == '\\' and i+1 < len(s): cur.append(s[i+1]); i += 1
            elif c == q: q = None
        elif c in '\'"': q = c; cur.append(c)
        elif c in '([{': depth += 1; cur.append(c)
        elif c in ')]}': depth -= 1; cur.append(c)
        elif c == '#' and depth <= 0: return parts + [''.join(cur)], s[i+1:].strip()
        elif c in seps and depth == 0: parts.append(''.join(cur)); cur = []
        else: cur.append(c)
        i += 1
    return parts + [''.join(cur)], None

def _first_top(s:str, ch:str) -> int:
    depth, q = 0, None
    for i, c in enumerate(s):
        if q:
            if c == q: q = None
        elif c in '\'"': q = c
        elif c in '([{': depth += 1
        elif c in ')]}': depth -= 1
        elif c == ch and depth == 0: return i
    return -1

def parse_signature(sig:str):
    "fastcore's `def f(\\n    a:int=1, # doc\\n)->T:` -> (prefix, [(name, type, default, doc)], return type) or None."
    lines = sig.strip().splitlines()
    m = re.match(r'^\s*(async\s+def|def|class)\s+([\w.]+)\s*\((.*)$', lines[0])
    if not m: return None
    prefix, first = m.group(1), m.group(3)
    body = [first] + lines[1:]
    (last,), ret_doc = _split_top(body[-1], '')   # `)->T: # doc of the return value`
    mr = re.match(r'^(.*)\)\s*(?:->\s*(.+?))?\s*:\s*$', last)
    if not mr: return None
    body[-1], ret = mr.group(1), mr.group(2)
    params = []
    for line in body:
        if not line.strip(): continue
        items, doc = _split_top(line, ',')
        names = []
        for it in items:
            it = it.strip()
            if not it or it in ('*', '/'): continue
            eq = _first_top(it, '='); default = None
            if eq >= 0: it, default = it[:eq].strip(), it[eq+1:].strip()
            co = _first_top(it, ':'); typ = None
            if co >= 0: it, typ = it[:co].strip(), it[co+1:].strip()
            names.append([it, typ, default, None])
        if names and doc: names[-1][3] = doc
        params += names
    return prefix, [tuple(p) for p in params if p[0] not in ('self', 'cls')], ret, ret_doc

def render_showdoc(md_text:str, page:Page):
    "HTML for one `show_doc` markdown output, or None when it is not in the expected shape."
    m = _re_showdoc.match(md_text)
    if not m: return None
    parsed = parse_signature(m.group('sig'))
    if parsed is None: return None
    prefix, params, ret, ret_doc = parsed
    level, name = len(m.group('h')), strip_tags(m.group('name')).strip()
    src = _re_srclink.search(m.group('pre'))
    hid = page.uid(pandoc_slug(name))
    if level in (2, 3): page.toc.append((3, hid, name))
    page.n_showdoc += 1
    def one(p):
        n, t, d, _ = p
        return n + (f':{t}' if t else '') + (f'={d}' if d is not None else '')
    args = ', '.join(one(p) for p in params)
    head = f'{name}({args})' + (f'->{ret}' if ret else '')
    if len(head) > 90 and params:
        head = f'{name}(\n' + ''.join(f'    {one(p)},\n' for p in params) + ')' + (f'->{ret}' if ret else '')
    if prefix.startswith('async'): head = 'async ' + head
    res = [f'<div class="doc-item" id="{hid}-doc">',
           f'<h{level} id="{hid}" class="doc-name anchored"><code>{html.escape(name)}</code>'
           + (f'<a class="doc-source" href="{html.escape(src.group(1))}" target="_blank" rel="noopener">source</a>' if src else '')
           + f'<a class="anchor-link" href="#{hid}" aria-hidden="true">#</a></h{level}>',
           f'<div class="doc-sig">{highlight_code(head, "python")}</div>']
    rest = m.group('rest').strip()
    if rest: res.append(f'<div class="doc-docstring">{render_md(rest, page, toc=False)}</div>')
    if ret or any(t or d is not None or doc for _, t, d, doc in params):
        page.n_params += 1
        rows = ['<table class="doc-params"><thead><tr><th></th><th>Type</th><th>Default</th><th>Details</th></tr></thead><tbody>']
        for n, t, d, doc in params:
            rows.append(f'<tr><td class="doc-pname"><code>{html.escape(n)}</code></td>'
                        f'<td>{"<code>"+html.escape(t)+"</code>" if t else ""}</td>'
                        f'<td>{"<code>"+html.escape(d)+"</code>" if d is not None else ""}</td>'
                        f'<td>{render_inline(doc, page) if doc else ""}</td></tr>')
        if ret: rows.append(f'<tr class="doc-returns"><td><strong>Returns</strong></td><td><code>{html.escape(ret)}</code></td><td></td>'
                            f'<td>{render_inline(ret_doc, page) if ret_doc else ""}</td></tr>')
        rows.append('</tbody></table>')
        res += rows
    res.append('</div>')
    return '\n'.join(res)

# ---------------------------------------------------------------------------------------------
# 4. Notebook cells -> HTML
# ---------------------------------------------------------------------------------------------
def _src(x): return ''.join(x) if isinstance(x, list) else (x or '')

_re_opt = re.compile(r'^\s*#\|\s?(.*)$')

def cell_options(source:str):
    "Quarto/nbdev `#|` lines at the top of a code cell -> (options dict, source without them)."
    lines, opts, i = source.splitlines(), {}, 0
    while i < len(lines):
        m = _re_opt.match(lines[i])
        if not m:
            if lines[i].strip() == '': i += 1; continue
            break
        body = m.group(1).strip()
        if ':' in body:
            k, v = body.split(':', 1)
            try: v = yaml.safe_load(v.strip()) if v.strip() else True
            except Exception: v = v.strip()
            opts[k.strip()] = v
        else:
            for w in body.split(): opts[w] = True
        i += 1
    return opts, '\n'.join(lines[i:]).strip('\n')

def _false(v): return v is False or str(v).lower() == 'false'

def render_output(o, page:Page, asis:bool) -> str:
    t = o.get('output_type')
    if t == 'stream':
        txt = _re_ansi.sub('', _src(o.get('text')))
        if not txt.strip(): return ''
        cls = 'cell-output-stderr' if o.get('name') == 'stderr' else 'cell-output-stdout'
        return f'<div class="cell-output {cls}"><pre><code>{html.escape(txt)}</code></pre></div>'
    if t == 'error':
        tb = _re_ansi.sub('', '\n'.join(o.get('traceback') or [f"{o.get('ename')}: {o.get('evalue')}"]))
        return f'<div class="cell-output cell-output-error"><pre><code>{html.escape(tb)}</code></pre></div>'
    data = o.get('data', {})
    if 'text/markdown' in data:
        md_text = _src(data['text/markdown'])
        sd = render_showdoc(md_text, page)
        if sd is not None: return sd
        body = render_md(md_text, page, toc=asis)
        return body if asis else f'<div class="cell-output cell-output-markdown">{body}</div>'
    for mime in ('image/svg+xml',):
        if mime in data: return f'<div class="cell-output cell-output-display">{_src(data[mime])}</div>'
    for mime in ('image/png', 'image/jpeg', 'image/gif'):
        if mime in data:
            b64 = _src(data[mime]).replace('\n', '')
            return f'<div class="cell-output cell-output-display"><img src="data:{mime};base64,{b64}" alt="output"></div>'
    if 'text/html' in data: return f'<div class="cell-output cell-output-display">{_src(data["text/html"])}</div>'
    if 'text/latex' in data:
        tex = _src(data['text/latex']).strip().strip('$')
        return f'<div class="cell-output cell-output-display">{tex_html(tex, True)}</div>'
    if 'text/plain' in data:
        txt = _re_ansi.sub('', _src(data['text/plain']))
        return f'<div class="cell-output cell-output-display"><pre><code>{html.escape(txt)}</code></pre></div>'
    return ''

def render_cell(cell, page:Page, lang:str) -> str:
    ct, source = cell.get('cell_type'), _src(cell.get('source'))
    if ct == 'markdown':
        if not source.strip() or source.strip().startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'): return ''
        return f'<div class="cell-md">{render_md(source, page)}</div>'
    if ct == 'raw':
        fmt = (cell.get('metadata') or {}).get('format', '') or (cell.get('metadata') or {}).get('raw_mimetype', '')
        return source if 'html' in str(fmt) else ''
    if ct != 'code' or 'source' not in cell: return ''
    opts, code = cell_options(source)
    if _false(opts.get('include', True)): return ''
    asis = str(opts.get('output', '')).lower() == 'asis'
    parts = []
    if not _false(opts.get('echo', True)) and code.strip():
        clang = (cell.get('metadata') or {}).get('language') or lang
        block = f'<div class="sourceCode cell-code">{highlight_code(code, clang)}</div>'
        fold = opts.get('code-fold')
        if fold and not _false(fold):
            summary = html.escape(str(opts.get('code-summary', 'Code')))
            block = f'<details class="code-fold"{" open" if str(fold).lower()=="show" else ""}><summary>{summary}</summary>{block}</details>'
        parts.append(block)
    if not _false(opts.get('output', True)):
        parts += [r for r in (render_output(o, page, asis) for o in cell.get('outputs', [])) if r]
    if not parts: return ''
    if asis and all(p.startswith('<div class="doc-item"') for p in parts): return '\n'.join(parts)
    return '<div class="cell">' + '\n'.join(parts) + '</div>'

def read_frontmatter(nb) -> dict:
    for c in nb.get('cells', []):
        if c.get('cell_type') == 'raw':
            s = _src(c.get('source')).strip()
            if s.startswith('---'):
                try: return yaml.safe_load(s.strip('-\n ')) or {}
                except Exception: return {}
    return {}

def _title_from_cells(nb):
    for c in nb.get('cells', []):
        if c.get('cell_type') == 'markdown':
            m = re.search(r'^#\s+(.+)$', _src(c.get('source')), re.M)
            if m: return m.group(1).strip()
    return None

_re_default_exp = re.compile(r'^\s*#\|\s*default_exp\s+(\S+)', re.M)
_re_export = re.compile(r'^\s*#\|\s*exports?\b', re.M)

def exported_module(src_nb:Path):
    "Module a source notebook exports to (`#| default_exp` plus at least one `#| export` cell), else None."
    try: nb = json.loads(src_nb.read_text(encoding='utf-8'))
    except Exception: return None
    code = [_src(c.get('source')) for c in nb.get('cells', []) if c.get('cell_type') == 'code']
    mod = next((m.group(1) for s in code for m in [_re_default_exp.search(s)] if m), None)
    return mod if mod and any(_re_export.search(s) for s in code) else None

# ---------------------------------------------------------------------------------------------
# 5. Sidebar (nbs/sidebar.yml, Quarto's format)
# ---------------------------------------------------------------------------------------------
def _glob_entries(proc:Path, pat:str):
    "Quarto's sidebar globs: relative to the project (here _proc/), recursive unless they start with '/'."
    rooted, pat = pat.startswith('/'), pat.lstrip('/')
    if not any(ch in pat for ch in '*?['):
        p = proc/pat
        if p.is_dir(): pat, rooted = pat.rstrip('/') + '/*', True
        else: return [pat] if p.is_file() else []
    found = set(proc.glob(pat)) | (set() if rooted else set(proc.glob('**/' + pat)))
    hits = [p for p in found if p.is_file() and p.suffix in ('.ipynb', '.qmd', '.md')
            and not any(part.startswith(('_', '.')) for part in p.relative_to(proc).parts)]
    return [p.relative_to(proc).as_posix() for p in sorted(hits)]

def load_sidebar(yml:Path, proc:Path, problems:list):
    "Sidebar items: ('page', relpath, text|None) and ('section', title, href|None, children)."
    if not yml.exists():
        problems.append(f'{yml} is missing'); return [('page', p, None) for p in _glob_entries(proc, '**/*.ipynb')]
    d = yaml.safe_load(yml.read_text()) or {}
    sb = (d.get('website') or {}).get('sidebar') or {}
    if isinstance(sb, list): sb = sb[0] if sb else {}
    def conv(items):
        res = []
        for it in items or []:
            if isinstance(it, str):
                hits = _glob_entries(proc, it)
                if not hits: problems.append(f'sidebar entry {it!r}: no such page')
                res += [('page', h, None) for h in hits]
            elif isinstance(it, dict) and 'auto' in it:
                pats = it['auto'] if isinstance(it['auto'], list) else [it['auto']]
                for pat in pats:
                    if pat is True: pat = '**/*'
                    res += [('page', h, None) for h in _glob_entries(proc, str(pat))]
            elif isinstance(it, dict) and 'section' in it:
                cont = it.get('contents', [])
                kids = conv([{'auto': cont}] if isinstance(cont, str) else cont)
                res.append(('section', str(it['section']), it.get('href'), kids))
            elif isinstance(it, dict) and 'href' in it:
                hits = _glob_entries(proc, it['href'])
                if not hits: problems.append(f"sidebar entry {it['href']!r}: no such page")
                res += [('page', h, it.get('text')) for h in hits]
        return res
    return conv(sb.get('contents', []))

# ---------------------------------------------------------------------------------------------
# 6. Pages
# ---------------------------------------------------------------------------------------------
CSS = r"""
:root { --fg:#1f2328; --muted:#59636e; --accent:#2763c4; --line:#d8dee4; --code:#f6f8fa; --side:#f7f8fa; }
* { box-sizing: border-box; }
html { scroll-padding-top: 4.2rem; }
body { margin:0; color:var(--fg); font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
header.site { position:sticky; top:0; z-index:10; display:flex; align-items:baseline; gap:1rem; padding:.7rem 1.5rem;
  background:#24476b; color:#fff; box-shadow:0 1px 3px rgba(0,0,0,.2); }
header.site a.brand { color:#fff; font-weight:650; font-size:1.15rem; }
header.site span { color:#cfdcea; font-size:.9rem; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
.layout { display:grid; grid-template-columns:260px minmax(0,1fr) 220px; max-width:1440px; margin:0 auto; }
nav.sidebar { position:sticky; top:3.2rem; align-self:start; height:calc(100vh - 3.2rem); overflow-y:auto;
  padding:1.2rem .8rem 2rem 1.2rem; background:var(--side); border-right:1px solid var(--line); font-size:.93rem; }
nav.sidebar ul { list-style:none; margin:0; padding:0; }
nav.sidebar li a { display:block; padding:.22rem .6rem; border-radius:6px; color:var(--fg); }
nav.sidebar li a:hover { background:#e9edf2; text-decoration:none; }
nav.sidebar li a.active { background:#dbe7f7; color:#123f80; font-weight:600; }
nav.sidebar .section-title { margin:1rem 0 .25rem; padding:0 .6rem; font-size:.78rem; font-weight:700;
  letter-spacing:.05em; text-transform:uppercase; color:var(--muted); }
nav.sidebar ul ul { margin-left:.4rem; }
main { padding:1.6rem 2.4rem 4rem; min-width:0; }
main h1.title { font-size:2.1rem; margin:.2rem 0 .3rem; line-height:1.2; }
main p.subtitle, div.description { font-size:1.15rem; color:var(--muted); margin:0 0 1.6rem; font-style:normal; }
main h2 { margin-top:2.2rem; padding-bottom:.3rem; border-bottom:1px solid var(--line); font-size:1.5rem; }
main h3 { margin-top:1.6rem; font-size:1.2rem; }
.anchor-link { visibility:hidden; margin-left:.4rem; color:var(--muted); font-weight:400; }
h1:hover .anchor-link, h2:hover .anchor-link, h3:hover .anchor-link, h4:hover .anchor-link { visibility:visible; }
code { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace; font-size:.88em; }
:not(pre) > code { background:var(--code); padding:.1em .35em; border-radius:4px; }
a > code { color:var(--accent); }
pre { margin:0; padding:.75rem 1rem; overflow-x:auto; line-height:1.45; }
.highlight, .sourceCode .highlight { background:var(--code); border-radius:6px; }
.highlight pre { background:transparent; }
.cell { margin:0 0 1.1rem; }
.cell-code { border:1px solid #e4e8ec; border-radius:6px; }
.cell-output pre { margin-left:.8rem; padding:.5rem .9rem; border-left:2px solid lightsalmon; background:none; font-size:.88rem; }
.cell-output-stderr pre { border-left-color:#d0a000; }
.cell-output-error pre { border-left-color:#c00; background:#fff5f5; }
.cell-output-display { margin:.4rem 0 0 .8rem; overflow-x:auto; } .cell-output-display > pre { margin-left:0; }
a > code { padding:0 .15em !important; }
.cell-output img { max-width:100%; }
details.code-fold > summary { cursor:pointer; color:var(--muted); font-size:.9rem; margin-bottom:.3rem; }
table { border-collapse:collapse; margin:.8rem 0 1.2rem; font-size:.92rem; }
th, td { border:1px solid var(--line); padding:.35rem .65rem; text-align:left; vertical-align:top; }
thead th { background:#f1f4f7; }
.dataframe { font-size:.85rem; }
.doc-item { margin:1.6rem 0 2rem; padding:1rem 1.2rem .4rem; border:1px solid var(--line); border-radius:8px; box-shadow:0 1px 2px rgba(0,0,0,.04); }
.doc-item h2.doc-name, .doc-item h3.doc-name, .doc-item h4.doc-name { margin:0 0 .6rem; border:0; padding:0; font-size:1.15rem; }
.doc-item h3.doc-name code, .doc-item h2.doc-name code, .doc-item h4.doc-name code { background:none; padding:0; font-size:1.05rem; }
.doc-source { float:right; font-size:.8rem; font-weight:400; }
.doc-sig .highlight { background:#eef3fa; }
.doc-docstring { margin:.6rem 0 .2rem; } .doc-docstring p:first-child { margin-top:0; }
table.doc-params { width:100%; }
table.doc-params td.doc-pname code { font-weight:600; }
tr.doc-returns td { background:#fafbfc; }
.callout { border-left:4px solid var(--accent); background:#f3f7fd; padding:.6rem 1rem; margin:1rem 0; border-radius:4px; }
.callout-warning, .callout-caution { border-left-color:#d0a000; background:#fffbea; }
.callout-important { border-left-color:#c33; background:#fff4f4; }
.callout-tip { border-left-color:#2a9d55; background:#f2fbf5; }
math[display="block"] { margin:.8rem 0; font-size:1.1em; } .math.tex { color:#444; }
blockquote { margin:1rem 0; padding:.2rem 1rem; border-left:4px solid var(--line); color:var(--muted); }
img { max-width:100%; }
nav.toc { position:sticky; top:3.2rem; align-self:start; max-height:calc(100vh - 3.2rem); overflow-y:auto; padding:1.8rem 1rem; font-size:.85rem; }
nav.toc .toc-title { font-weight:700; color:var(--muted); margin-bottom:.4rem; }
nav.toc ul { list-style:none; margin:0; padding:0; } nav.toc li { margin:.15rem 0; }
nav.toc li.toc-3 { padding-left:.8rem; } nav.toc a { color:var(--muted); } nav.toc a:hover { color:var(--accent); }
footer.site { border-top:1px solid var(--line); margin-top:3rem; padding-top:1rem; color:var(--muted); font-size:.85rem; }
@media (max-width:1100px) { .layout { grid-template-columns:230px minmax(0,1fr); } nav.toc { display:none; } }
@media (max-width:720px) { .layout { display:block; } nav.sidebar { position:static; height:auto; border-right:0; border-bottom:1px solid var(--line); } main { padding:1rem; } }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page_title}</title>
<meta name="description" content="{meta_desc}">
<link rel="stylesheet" href="{root}site.css">
<link rel="stylesheet" href="{root}pygments.css">
{styles}
</head>
<body>
<header class="site"><a class="brand" href="{root}index.html">{site_title}</a><span>{site_desc}</span></header>
<div class="layout">
<nav class="sidebar" id="sidebar" aria-label="Site navigation">
{sidebar}
</nav>
<main id="content">
<header class="page-header">
<h1 class="title">{title}</h1>
{subtitle}
</header>
{body}
<footer class="site">{site_title} {version} &middot; built from <code>{src}</code> by <code>tools/build_docs.py</code></footer>
</main>
<nav class="toc" aria-label="On this page">{toc}</nav>
</div>
</body>
</html>
"""

_re_attr = re.compile(r'''(\s(?:href|src)=)(["'])(.*?)\2''')

class Site:
    def __init__(self, cfg, out:Path):
        self.cfg, self.out = cfg, out
        self.proc = cfg.config_path/'_proc'
        host, base = cfg.get('doc_host', '').rstrip('/'), cfg.get('doc_baseurl', '').strip('/')
        self.site_url = f'{host}/{base}/' if base else f'{host}/'
        self.baseurl = f'/{base}/' if base else '/'
        self.pages = {}     # relpath in _proc (posix) -> Page

    def href_for(self, rel:str):
        "Output path (relative to _docs, posix) of the page built from notebook `rel` (relative to nbs)."
        if rel in self.pages: return self.pages[rel].href
        p = Path(rel)
        return (p.parent/nb_html_name(p)).as_posix() if p.suffix in ('.ipynb', '.qmd', '.md') else rel

    def fix_links(self, body:str, page:Page) -> str:
        page_dir = Path(page.href).parent
        src_dir = Path(page.rel).parent
        def fix(m):
            pre, q, url = m.groups()
            u = html.unescape(url)
            if u.startswith(('data:', 'mailto:', 'javascript:', '#')): return m.group(0)
            target = None
            if self.site_url != '/' and u.startswith(self.site_url): target = u[len(self.site_url):] or 'index.html'
            elif u.startswith(self.baseurl) and self.baseurl != '/': target = u[len(self.baseurl):] or 'index.html'
            elif re.match(r'^[a-z][a-z0-9+.\-]*:', u, re.I) or u.startswith('//'): return m.group(0)
            else:
                path, _, anchor = u.partition('#')
                if not path: return m.group(0)
                rel = os.path.normpath((src_dir/path).as_posix()).replace(os.sep, '/')
                if Path(path).suffix in ('.ipynb', '.qmd', '.md') and not rel.startswith('..'):
                    rel = self.href_for(rel)
                target = rel + (f'#{anchor}' if anchor else '')
            path, _, anchor = target.partition('#')
            if path.endswith('/'): path += 'index.html'
            path = Path(path)
            if path.suffix in ('.ipynb', '.qmd', '.md'): path = path.parent/nb_html_name(path)
            new = os.path.relpath(path.as_posix(), page_dir.as_posix()) + (f'#{anchor}' if anchor else '')
            return f'{pre}{q}{html.escape(new, quote=True)}{q}'
        return _re_attr.sub(fix, body)

    def sidebar_html(self, items, page:Page) -> str:
        root = os.path.relpath('.', Path(page.href).parent.as_posix())
        root = '' if root == '.' else root + '/'
        def link(rel, text=None):
            tp = self.pages.get(rel)
            href, title = (tp.href, tp.title) if tp else (self.href_for(rel), Path(rel).stem)
            active = ' class="active" aria-current="page"' if tp is page else ''
            return f'<li><a href="{root}{href}"{active}>{html.escape(text or title)}</a></li>'
        def walk(its):
            out = []
            for it in its:
                if it[0] == 'page': out.append(link(it[1], it[2]))
                else:
                    _, title, href, kids = it
                    inner = walk(kids)
                    if not kids and not href: continue
                    head = f'<a href="{root}{self.href_for(href.lstrip("/"))}">{html.escape(title)}</a>' if href else html.escape(title)
                    out.append(f'<li class="section"><div class="section-title">{head}</div><ul>{inner}</ul></li>')
            return ''.join(out)
        return f'<ul>{walk(items)}</ul>'

def render_page(site:Site, page:Page, nb) -> str:
    lang = ((nb.get('metadata') or {}).get('kernelspec') or {}).get('language') or 'python'
    parts = []
    for cell in nb.get('cells', []):
        if cell.get('cell_type') == 'raw' and _src(cell.get('source')).strip().startswith('---'): continue
        r = render_cell(cell, page, lang)
        if r: parts.append(r)
    return '\n'.join(parts)

def build(out:Path, n_workers:int, incremental:bool=False) -> int:
    cfg = get_config()
    t0 = time.time()
    print(f'build_docs: processing notebooks with nbdev {__import__("nbdev").__version__} into _proc/')
    errors = process_notebooks(cfg, n_workers, incremental)
    site = Site(cfg, out)
    proc, problems = site.proc, []
    if not _own_lib_linked(cfg): print(f'  note: {cfg.lib_name} is not installed in this environment (pip install -e .), '
                                       'so nbdev adds no links to its own API; links are added here from _modidx.py instead')
    nb_files = sorted(p for p in proc.rglob('*.ipynb') if not any(x.startswith(('_', '.')) for x in p.relative_to(proc).parts))
    loaded = {}
    for p in nb_files:
        rel = p.relative_to(proc).as_posix()
        try: nb = json.loads(p.read_text(encoding='utf-8'))
        except Exception as e: errors[f'{cfg.nbs_path.name}/{rel}'] = f'unreadable processed notebook: {e}'; continue
        fm = read_frontmatter(nb)
        title = str(fm.get('title') or _title_from_cells(nb) or p.stem)
        outname = fm.get('output-file') or nb_html_name(p)
        href = (Path(rel).parent/outname).as_posix()
        src = cfg.nbs_path/rel
        page = Page(src, Path(rel), href, title, str(fm.get('description') or ''), exported_module(src))
        site.pages[rel], loaded[rel] = page, nb
    items = load_sidebar(cfg.nbs_path/'sidebar.yml', proc, problems)
    for src in sorted(cfg.nbs_path.rglob('*.ipynb')):
        if any(x.startswith(('_', '.')) for x in src.relative_to(cfg.nbs_path).parts): continue
        for i, first, flagged in mixed_import_cells(src):
            print(f'  warning {src.relative_to(cfg.config_path)} cell {i}{" (a #| slow/gpu cell!)" if flagged else ""}: '
                  f'imports + other code, so the docs build runs it (slow, or NameError): give the imports their own cell  [{first}]')

    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    # assets nbdev copied into _proc (images, data files, styles.css); notebooks and Quarto config are not pages' assets
    for f in proc.rglob('*'):
        if f.is_file() and f.suffix not in ('.ipynb',) and f.name not in ('_quarto.yml', 'nbdev.yml', 'sidebar.yml'):
            dst = out/f.relative_to(proc); dst.parent.mkdir(parents=True, exist_ok=True); shutil.copy2(f, dst)
    (out/'site.css').write_text(CSS)
    (out/'pygments.css').write_text(HtmlFormatter(style='friendly').get_style_defs('.highlight') + '\n')
    (out/'.nojekyll').write_text('')
    own_links = None if _own_lib_linked(cfg) else _own_symbols(cfg)

    version = cfg.get('version', '')
    in_sidebar = set()
    def _collect(its):
        for it in its:
            if it[0] == 'page': in_sidebar.add(it[1])
            else: _collect(it[3])
    _collect(items)
    for rel, page in site.pages.items():
        nb = loaded[rel]
        try:
            if own_links: _link_own(nb, own_links, site)
            body = site.fix_links(render_page(site, page, nb), page)
            root = os.path.relpath('.', Path(page.href).parent.as_posix()); root = '' if root == '.' else root + '/'
            styles = f'<link rel="stylesheet" href="{root}styles.css">' if (out/'styles.css').exists() else ''
            toc = ''
            if len(page.toc) > 1:
                toc = '<div class="toc-title">On this page</div><ul>' + ''.join(
                    f'<li class="toc-{lv}"><a href="#{hid}">{html.escape(txt)}</a></li>' for lv, hid, txt in page.toc) + '</ul>'
            doc = TEMPLATE.format(
                page_title=html.escape(page.title if page.title == cfg.get('title') else f"{page.title} – {cfg.get('title', cfg.lib_name)}"),
                meta_desc=html.escape(page.description or cfg.get('description', '')), root=root, styles=styles,
                site_title=html.escape(cfg.get('title', cfg.lib_name)), site_desc=html.escape(cfg.get('description', '')),
                sidebar=site.sidebar_html(items, page), title=html.escape(page.title),
                subtitle=f'<p class="subtitle description">{render_inline(page.description, page)}</p>' if page.description else '',
                body=body, version=html.escape(version), src=html.escape(f'{cfg.nbs_path.name}/{rel}'), toc=toc)
            dst = out/page.href; dst.parent.mkdir(parents=True, exist_ok=True); dst.write_text(doc, encoding='utf-8')
            extra = f', {page.n_showdoc} show_doc, {page.n_params} parameter tables' if page.module else ''
            print(f'  wrote {out.name}/{page.href}  "{page.title}"{extra}' + ('' if rel in in_sidebar else '  (not in sidebar)'))
        except Exception:
            errors[f'{cfg.nbs_path.name}/{rel}'] = traceback.format_exc(limit=8)
            print(f'  ERROR rendering {rel}:\n' + errors[f'{cfg.nbs_path.name}/{rel}'])

    def _items_json(its):
        res = []
        for it in its:
            if it[0] == 'page': res.append({'page': site.href_for(it[1]), 'src': it[1]})
            else: res.append({'section': it[1], 'contents': _items_json(it[3])})
        return res
    manifest = {'title': cfg.get('title', cfg.lib_name), 'home': 'index.html', 'sidebar': _items_json(items),
                'pages': [{'src': f'{cfg.nbs_path.name}/{rel}', 'href': p.href, 'title': p.title, 'module': p.module,
                           'in_sidebar': rel in in_sidebar, 'show_doc': p.n_showdoc, 'param_tables': p.n_params}
                          for rel, p in sorted(site.pages.items())],
                'errors': errors, 'problems': problems}
    (out/'site.json').write_text(json.dumps(manifest, indent=1))
    for p in problems: print(f'  PROBLEM {p}')
    n_bad = len(errors) + len(problems)
    print(f'build_docs: {len(site.pages)} pages in {out}/ in {time.time()-t0:.1f} s; '
          f'{len(errors)} notebook errors, {len(problems)} sidebar problems; math: {"MathML" if _tex2mathml else "TeX source (pip install latex2mathml for MathML)"}')
    return 1 if n_bad else 0

# ---------------------------------------------------------------------------------------------
# 7. Links to the package's own API when it is not installed (nbdev finds it by entry point)
# ---------------------------------------------------------------------------------------------
def _own_lib_linked(cfg) -> bool:
    from importlib.metadata import entry_points
    try: eps = entry_points(group='nbdev')
    except TypeError: eps = entry_points().get('nbdev', [])
    return any(o.name == cfg.lib_path.name for o in eps)

def _own_symbols(cfg):
    p = cfg.lib_path/'_modidx.py'
    if not p.exists(): return {}
    g = {}; exec(compile(p.read_text(), str(p), 'exec'), g)
    res = {}
    for mod, syms in g['d'].get('syms', {}).items():
        for k, (url, _) in syms.items():
            res.setdefault(k[len(mod)+1:] if k.startswith(mod+'.') else k, url)
            res.setdefault(k, url)
    return res

_re_bt = re.compile(r'(?<!\[)`([^`\s]+?)(?:\(\))?`(?!\])')

def _link_own(nb, syms, site):
    def sub(m):
        url = syms.get(m.group(1))
        return f'[{m.group(0)}]({site.site_url}{url})' if url else m.group(0)
    def linkify(md):
        lines, fence = md.splitlines(), False
        for i, l in enumerate(lines):
            if l.startswith('```'): fence = not fence
            elif not fence and not l.startswith('    '): lines[i] = _re_bt.sub(sub, l)
        return '\n'.join(lines)
    for c in nb.get('cells', []):
        if c.get('cell_type') == 'markdown': c['source'] = linkify(_src(c.get('source')))
        for o in c.get('outputs', []) or []:
            d = o.get('data') or {}
            if 'text/markdown' in d: d['text/markdown'] = linkify(_src(d['text/markdown']))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=None, help='output folder (default: doc_path of settings.ini, _docs)')
    ap.add_argument('--n_workers', type=int, default=min(2, os.cpu_count() or 1), help='notebooks processed at once')
    ap.add_argument('--incremental', action='store_true', help="keep _proc/ and reprocess only changed notebooks")
    a = ap.parse_args()
    cfg = get_config()
    os.chdir(cfg.config_path)
    out = Path(a.out).resolve() if a.out else cfg.doc_path
    sys.exit(build(out, a.n_workers, a.incremental))
