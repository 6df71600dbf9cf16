"""Renders text-like stroke images (48x192, grayscale PGM) for the PaddleOCR direction classifier tests.

Each image is a row of glyph-like marks (stems, bowls, crossbars, descenders) in dark ink on a light, slightly
noisy background; *_rot180.pgm is the same image turned upside down. Deterministic (seeded).
Run: /usr/bin/python3 render_strokes.py
"""
import numpy as np

H, W = 48, 192


def glyph(img, x, rng):
    kind = rng.integers(0, 5)
    ink = rng.uniform(0.0, 0.25)
    stem = slice(14, 36)
    if kind == 0:  # stem with a descender
        img[14:44, x:x + 3] = ink
    elif kind == 1:  # bowl
        yy, xx = np.mgrid[0:H, 0:W]
        r = np.hypot((yy - 29) / 7.0, (xx - (x + 6)) / 6.0)
        img[(r > 0.75) & (r < 1.15)] = ink
    elif kind == 2:  # stem with crossbar (like t)
        img[8:36, x + 4:x + 7] = ink
        img[16:19, x:x + 11] = ink
    elif kind == 3:  # tall stem (like l, d)
        img[6:36, x:x + 3] = ink
        img[stem, x + 8:x + 11] = ink
        img[33:36, x:x + 11] = ink
    else:  # arch (like n)
        img[stem, x:x + 3] = ink
        img[stem, x + 9:x + 12] = ink
        img[14:17, x:x + 12] = ink


def render(seed):
    rng = np.random.default_rng(seed)
    img = np.clip(0.92 + rng.normal(0, 0.03, (H, W)), 0, 1)
    x = int(rng.integers(4, 16))
    while x < W - 16:
        glyph(img, x, rng)
        x += int(rng.integers(13, 19))
    return (img * 255).astype(np.uint8)


def save(path, a):
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (a.shape[1], a.shape[0]))
        f.write(a.tobytes())


for i in range(4):
    a = render(100 + i)
    save(f"strokes_{i}.pgm", a)
    save(f"strokes_{i}_rot180.pgm", a[::-1, ::-1].copy())
