#!/usr/bin/env python
"""Check the offline docs in `_docs/` (from tools/build_docs.py) in headless Chromium.

    python tools/check_docs.py [--docs _docs] [--shot ci_artifacts/docs-home.png]

Serves `_docs/` on 127.0.0.1 (a free port), loads pages with `chromium --headless --dump-dom`
and checks, one line per check:
  * the home page and every page of the sidebar load (HTTP 200) and show their title;
  * every page built from a notebook that exports a module shows at least one `show_doc`
    signature (`.doc-sig`) and one docments parameter table (`table.doc-params`);
  * every internal link (href to a local page, with optional #anchor) of every page resolves
    to a file of `_docs/`, and the anchor to an element id of that page;
  * a screenshot of the home page is saved (default `ci_artifacts/docs-home.png`).
Also reports the notebooks build_docs.py could not process (from `_docs/site.json`).
Writes the counts to `<shot dir>/docs-checks.json`; exit status 1 when a check failed.
"""
from __future__ import annotations
import argparse, concurrent.futures as cf, functools, html.parser, http.server, json, os, shutil, subprocess
import sys, tempfile, threading, time, urllib.parse, urllib.request
from pathlib import Path

BROWSERS = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome')

def find_browser():
    env = os.environ.get('CHROMIUM')
    if env: return shutil.which(env) or env
    for b in BROWSERS:
        if shutil.which(b): return shutil.which(b)
    return None

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    def handle_error(self, request, client_address):   # Chromium drops connections it no longer needs
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)): super().handle_error(request, client_address)

def serve(root:Path):
    handler = functools.partial(_Quiet, directory=str(root))
    srv = _Server(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

class Chromium:
    def __init__(self, exe:str):
        self.exe, self.profiles = exe, []
    def _args(self):
        prof = tempfile.mkdtemp(prefix='chromium-profile-')
        self.profiles.append(prof)
        return [self.exe, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-dev-shm-usage',
                '--hide-scrollbars', '--mute-audio', f'--user-data-dir={prof}']
    def dump_dom(self, url:str, timeout:int=60) -> str:
        r = subprocess.run(self._args() + ['--virtual-time-budget=3000', '--dump-dom', url],
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0: raise RuntimeError(f'chromium exit {r.returncode}: {r.stderr.strip()[-300:]}')
        return r.stdout
    def screenshot(self, url:str, path:Path, size='1280,1600', timeout:int=90):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists(): path.unlink()
        r = subprocess.run(self._args() + [f'--screenshot={path.resolve()}', f'--window-size={size}', '--virtual-time-budget=3000', url],
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0 or not path.exists(): raise RuntimeError(f'chromium exit {r.returncode}: {r.stderr.strip()[-300:]}')
    def close(self):
        for p in self.profiles: shutil.rmtree(p, ignore_errors=True)

class DomInfo(html.parser.HTMLParser):
    "What the checks need from a page: <title>, h1.title, ids, links, sidebar links, API markup."
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.h1, self.ids, self.links, self.sidebar = '', '', set(), [], []
        self.n_sig = self.n_params = 0
        self._in, self._nav_depth, self._stack = None, 0, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if a.get('name') and tag == 'a': self.ids.add(a['name'])
        cls = (a.get('class') or '').split()
        if tag == 'title': self._in = 'title'
        elif tag == 'h1' and 'title' in cls: self._in = 'h1'
        if tag == 'nav':
            self._stack.append('sidebar' if a.get('id') == 'sidebar' or 'sidebar' in cls else 'nav')
        if 'doc-sig' in cls: self.n_sig += 1
        if tag == 'table' and 'doc-params' in cls: self.n_params += 1
        if tag == 'a' and a.get('href') is not None:
            self.links.append(a['href'])
            if 'sidebar' in self._stack: self.sidebar.append(a['href'])
    def handle_endtag(self, tag):
        if tag in ('title', 'h1'): self._in = None
        if tag == 'nav' and self._stack: self._stack.pop()
    def handle_data(self, data):
        if self._in == 'title': self.title += data
        elif self._in == 'h1': self.h1 += data

def parse(text:str) -> DomInfo:
    d = DomInfo(); d.feed(text); d.close()
    d.title, d.h1 = ' '.join(d.title.split()), ' '.join(d.h1.split())
    return d

class Report:
    def __init__(self): self.passed, self.failed = 0, 0
    def check(self, ok:bool, what:str, detail:str='', fail:str|None=None):
        "Count and print one check; `fail` (when given) replaces `detail` on failure."
        if ok: self.passed += 1
        else: self.failed += 1
        if not ok and fail is not None: detail = fail
        print(f"{'PASS' if ok else 'FAIL'}  {what}" + (f'  -- {detail}' if detail else ''), flush=True)
        return ok

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--docs', default='_docs')
    ap.add_argument('--shot', default='ci_artifacts/docs-home.png')
    ap.add_argument('--workers', type=int, default=2, help='Chromium instances at once')
    a = ap.parse_args()
    docs, shot, rep = Path(a.docs).resolve(), Path(a.shot), Report()
    t0 = time.time()
    out_json = shot.parent/'docs-checks.json'
    def finish():
        shot.parent.mkdir(parents=True, exist_ok=True)
        out_json.write_text(json.dumps({'passed': rep.passed, 'failed': rep.failed}))
        print(f'docs checks: {rep.passed} passed, {rep.failed} failed ({time.time()-t0:.1f} s)')
        return 1 if rep.failed else 0

    man_p = docs/'site.json'
    if not rep.check(man_p.exists(), f'{docs.name}/site.json exists', fail='run python tools/build_docs.py first'): return finish()
    man = json.loads(man_p.read_text())
    for src, err in man.get('errors', {}).items():
        lines = err.strip().splitlines()
        causes = [l for l in lines if l.split(':')[0].strip().replace('.', '').isidentifier()
                  and l.split(':')[0].strip().endswith(('Error', 'Exception')) and ':' in l]
        rep.check(False, f'build: {src} processed and rendered', ' / '.join(list(dict.fromkeys(causes))[:3]) or (lines[-1] if lines else ''))
    for p in man.get('problems', []): rep.check(False, f'build: sidebar', p)
    exe = find_browser()
    if not rep.check(bool(exe), 'headless Chromium available', exe or 'install it: apt-get install -y chromium'): return finish()
    pages = {p['href']: p for p in man['pages']}
    srv, base = serve(docs)
    br = Chromium(exe)
    try:
        home = man.get('home', 'index.html')
        # sidebar pages as a reader sees them: the links of the home page's sidebar
        doms = {}
        def load(href):
            url = urllib.parse.urljoin(base, href)
            try:
                with urllib.request.urlopen(url, timeout=30) as r: status = r.status
            except Exception as e: return href, None, f'HTTP: {e}'
            try: return href, parse(br.dump_dom(url)), status
            except Exception as e: return href, None, str(e)
        href, dom, status = load(home)
        ok = dom is not None and bool(dom.h1)
        rep.check(ok, f'home page {home} loads and has a title', repr(dom.h1) if ok else status)
        home_missing = not (docs/home).is_file()
        side = []
        if dom is not None:
            doms[home] = dom
            for h in dom.sidebar:
                p = urllib.parse.urlparse(h)
                if p.scheme or p.netloc: continue
                path = urllib.parse.unquote(p.path)
                if path and path not in side: side.append(path)
            rep.check(len(side) > 0, 'home page has a sidebar', f'{len(side)} pages')
        else:   # no home page: still check the pages of the sidebar build_docs.py wrote
            def walk(its):
                for it in its:
                    if 'page' in it: side.append(it['page'])
                    else: walk(it.get('contents', []))
            walk(man.get('sidebar', []))
        todo = sorted(set(side) | set(pages)) 
        todo = [h for h in todo if h not in doms]
        with cf.ThreadPoolExecutor(max(1, a.workers)) as ex:
            for href, d, status in ex.map(load, todo): doms[href] = (d, status)
        for href in side:
            if href == home: continue
            d, status = doms.get(href, (None, 'not loaded'))
            want = pages.get(href, {}).get('title')
            ok = d is not None and bool(d.h1) and (want is None or d.h1 == want) and bool(d.title)
            rep.check(ok, f'sidebar page {href} loads and has its title',
                      (repr(d.h1) if ok else (f'h1 {d.h1!r}, expected {want!r}' if d is not None else str(status))))
        for href, p in sorted(pages.items()):
            if not p.get('in_sidebar') and href != home: print(f'note  {href} ({p["src"]}) is not in the sidebar')
        doms = {k: (v if isinstance(v, DomInfo) else v[0]) for k, v in doms.items()}
        for href, p in sorted(pages.items()):
            if not p.get('module'): continue
            d = doms.get(href)
            ok = d is not None and d.n_sig > 0 and d.n_params > 0
            rep.check(ok, f'API page {href} (module {p["module"]}) shows show_doc signatures and parameter tables',
                      f'{d.n_sig} signatures, {d.n_params} tables' if d is not None else 'not loaded')
        # internal links, on every loaded page
        id_cache = {}
        def ids_of(f:Path):
            if f not in id_cache: id_cache[f] = parse(f.read_text(encoding='utf-8', errors='replace')).ids if f.suffix == '.html' else set()
            return id_cache[f]
        for href, d in sorted(doms.items()):
            if d is None: continue
            bad, n = [], 0
            for link in dict.fromkeys(d.links):   # each distinct link once
                if home_missing and link.split('#')[0].rsplit('/', 1)[-1] == home: continue  # reported once above
                p = urllib.parse.urlparse(link)
                if p.scheme in ('http', 'https') and not link.startswith(base): continue
                if p.scheme in ('mailto', 'data', 'javascript') or (p.scheme and not link.startswith(base)): continue
                if p.netloc and not link.startswith(base): continue
                n += 1
                target = urllib.parse.urljoin(urllib.parse.urljoin(base, href), link)
                tp = urllib.parse.urlparse(target)
                rel = urllib.parse.unquote(tp.path)[len(urllib.parse.urlparse(base).path):]
                f = docs/rel if rel else docs/'index.html'
                if f.is_dir(): f = f/'index.html'
                if not f.is_file(): bad.append(f'{link} (no file {rel})'); continue
                if tp.fragment and urllib.parse.unquote(tp.fragment) not in ids_of(f): bad.append(f'{link} (no anchor #{tp.fragment} in {rel})')
            rep.check(not bad, f'internal links of {href} resolve', f'{n} links' if not bad else f'{len(bad)} of {n} distinct links broken: ' + '; '.join(bad[:8]))
        try:
            if dom is None: raise RuntimeError(f'no home page {home}')
            br.screenshot(urllib.parse.urljoin(base, home), shot)
            rep.check(shot.stat().st_size > 5000, f'screenshot of the home page saved to {shot}', f'{shot.stat().st_size} bytes')
        except Exception as e: rep.check(False, f'screenshot of the home page saved to {shot}', str(e))
    finally:
        srv.shutdown(); br.close()
    return finish()

if __name__ == '__main__': sys.exit(main())
