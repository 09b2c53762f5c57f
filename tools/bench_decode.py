"""How much a large JPEG scan costs to read, with and without reduced-scale decoding (PIL's `draft`).

Writes a 10000x10000 JPEG (100 megapixels, a real painting of the bundled sample scaled up) and a
small one (the painting as it is), then times `load_rgb` on each, `--n` times, with the default
`draft=DRAFT_PX` and with `draft=None` (full decode). The decoded image's buffer is width x height x 3
bytes. Run:

    .venv/bin/python tools/bench_decode.py
"""
import tempfile, time
from pathlib import Path
from PIL import Image
from fastcore.script import call_parse
from art_predict.data import art_sample, load_rgb, DRAFT_PX

def _time(f, n):
    ts = []
    for _ in range(n): t = time.perf_counter(); im = f(); ts.append(time.perf_counter()-t)
    return min(ts), im

@call_parse
def main(side:int=10000, n:int=3): # Side of the large scan in pixels; repeats (the best time is reported)
    "Print the time and decoded size of a small and a large JPEG, with and without reduced-scale decoding"
    d = Path(tempfile.mkdtemp())
    src = Image.open((art_sample()/'training_set'/'painting').ls().sorted()[0]).convert('RGB')
    src.save(d/'small.jpg', quality=90)
    src.resize((side, side)).save(d/'large.jpg', quality=90)
    print(f"| image | decode | ms (best of {n}) | decoded size | decoded MB |\n|---|---|---|---|---|")
    for name in ('small.jpg', 'large.jpg'):
        fn = d/name
        w,h = Image.open(fn).size
        for draft in (DRAFT_PX, None):
            t,im = _time(lambda: load_rgb(fn, draft=draft), n)
            print(f"| {name} ({w}x{h}, {fn.stat().st_size/1e6:.1f} MB file) | {'draft' if draft else 'full'} | {t*1000:.0f} | "
                  f"{im.size[0]}x{im.size[1]} | {im.size[0]*im.size[1]*3/1e6:.1f} |")
