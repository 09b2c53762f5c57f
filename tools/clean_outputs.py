"""Make the saved outputs of the notebooks fit to read on GitHub: no progress bars, no machine paths, no noise.

`nbdev-test --save` runs the notebooks and writes their outputs back; this then edits those outputs (never a
cell's source) and reports the pictures, so that what is committed shows results, not this machine:
- fastprogress's bars are dropped from an output: text is rendered as a terminal shows it (each line as its
  last carriage return left it) and the bars' lines go; in HTML the bars go and fastai's table of epochs stays;
- the checkout's absolute path becomes `..` (the notebooks' view of it) and temporary folders become `tmp`;
- warnings known to be noise (torch's deprecation of `torch.jit.script`, which fastai 2.8.12 calls) are dropped;
- a picture over `MAX_KB` is scaled to at most `MAX_W` pixels wide and saved with a 256-colour palette.
Usage: python tools/clean_outputs.py [NOTEBOOK ...]  (default: nbs/index.ipynb and every nbs/[0-9]*.ipynb but the gauntlet)"""
import base64, io, json, re, sys, tempfile
from pathlib import Path
from PIL import Image

MAX_KB,MAX_W = 50,480

root = Path(__file__).resolve().parent.parent
TMP = re.escape(tempfile.gettempdir())
PATHS = [(re.compile(re.escape(str(root)) + r'(?=/|\b)'), '..'),
         (re.compile(TMP + r'/tmp[\w-]+'), 'tmp'), (re.compile(TMP + r'/pytest-[\w/-]+'), 'tmp')]
NOISE = [re.compile(p) for p in (r'`torch\.jit\.script` is deprecated', r'^\s*warnings\.warn\(\s*$', r'FutureWarning: `torch\.jit',
                                  r'Progress bars disabled', r'^\s*(Epoch \d+/\d+ :\s*|█+\s*)$', r'\|[█-]{10,}\|')]
SITE = re.compile(r'(\.\./)?\.venv/lib/python3\.\d+/site-packages/')
BAR = re.compile(r'<div>\s*<progress[^>]*>.*?</progress>.*?</div>|<progress[^>]*>\s*</progress>[^<]*', re.S)

def _text(s): return ''.join(s) if isinstance(s, list) else s
def _lines(s): return s.splitlines(keepends=True)
def _paths(s):
    for r,to in PATHS: s = r.sub(to, s)
    return SITE.sub('', s)
def _terminal(s:str)->list:
    "The lines of `s` as a terminal shows them: each line what its last carriage return left; a line a bar emptied goes"
    res = []
    for l in _lines(s):
        if '\r' not in l.rstrip('\n'): res.append(l); continue
        last = l.split('\r')[-1]
        if last.strip(): res.append(last)
    return res

def small_picture(b:bytes)->tuple:
    "(mime type, bytes) of the picture `b`: as it is up to `MAX_KB`; else at most `MAX_W` wide, as a palette PNG up to 1.5 `MAX_KB`, else the smaller of that and a JPEG"
    if len(b) <= MAX_KB*1000: return 'image/png', b
    im = Image.open(io.BytesIO(b))
    if im.mode == 'P' and len(b) <= 1.5*MAX_KB*1000: return 'image/png', b # made here before: keep it as it is
    im = im.convert('RGB')
    if im.width > MAX_W: im = im.resize((MAX_W, round(im.height*MAX_W/im.width)), Image.LANCZOS)
    png,jpg = io.BytesIO(),io.BytesIO()
    im.quantize(256, method=Image.Quantize.MEDIANCUT).save(png, 'PNG', optimize=True); im.save(jpg, 'JPEG', quality=75, optimize=True)
    if len(png.getvalue()) <= 1.5*MAX_KB*1000: return 'image/png', png.getvalue() # a plot stays a PNG, sharp
    return min([('image/png', b), ('image/png', png.getvalue()), ('image/jpeg', jpg.getvalue())], key=lambda o: len(o[1]))

def clean_output(o:dict):
    "`o` cleaned, or `None` to drop it"
    if o.get('output_type') == 'stream':
        keep = [l if l.endswith('\n') else l+'\n' for l in _terminal(_paths(_text(o['text']))) if not any(n.search(l) for n in NOISE)]
        return dict(o, text=keep) if ''.join(keep).strip() else None
    data = o.get('data')
    if data is None: return o
    if 'text/html' in data:
        h = BAR.sub('', _text(data['text/html']))
        if '<progress' in h or not re.sub(r'<[^>]+>|\s', '', h): return None # a bar alone
        data['text/html'] = _lines(_paths(h))
    if 'image/png' in data: # one picture per output (a PIL image comes as PNG and JPEG), and a small one
        mime,b = small_picture(base64.b64decode(_text(data.pop('image/png'))))
        data.pop('image/jpeg', None); data[mime] = base64.b64encode(b).decode()
        o.get('metadata', {}).pop('image/png', None) # its old width and height
    for k in ('text/plain', 'text/markdown'):
        if k in data: data[k] = _lines(_paths(_text(data[k])))
    if set(data) <= {'text/plain'} and not _text(data.get('text/plain', '')).strip(): return None
    return o

def clean(nb:Path)->list:
    "Clean `nb`'s outputs in place; the kind and size (kB) of each of its pictures"
    d,pics = json.loads(nb.read_text()),[]
    for c in d['cells']:
        if c['cell_type'] != 'code': continue
        c['outputs'] = [o for o in map(clean_output, c.get('outputs', [])) if o is not None]
        for o in c['outputs']:
            for k in ('image/png', 'image/jpeg'):
                if k in o.get('data', {}): pics.append(f"{k[6:]} {len(base64.b64decode(_text(o['data'][k])))//1000}")
    nb.write_text(json.dumps(d, indent=1, ensure_ascii=False) + '\n')
    return pics

if __name__ == '__main__':
    nbs = [Path(p) for p in sys.argv[1:]] or [root/'nbs'/'index.ipynb'] + sorted(p for p in (root/'nbs').glob('[0-9]*.ipynb') if 'gauntlet' not in p.name)
    for nb in nbs:
        pics = clean(nb)
        left = [m.group(0) for m in re.finditer(r'/(?:work|root|home|tmp)/[^\s"\\]*', nb.read_text())]
        print(f"{nb.name}: {len(pics)} pictures ({', '.join(f'{k} kB' for k in pics)}){'; machine paths left: ' + ', '.join(sorted(set(left))[:5]) if left else ''}")
