"""numpy baseline for bench/pretext: the same pretext transforms as pretext-service, on one core.

Usage: numpy_pretext.py frames.npy [seconds]. Prints one "task samples_per_second" line per task.
Each task follows the Java implementation (same parameter ranges and sample counts per instance);
the random streams differ, the work per sample does not.
"""
import itertools
import math
import sys
import time

import numpy as np

# A pixel array as ingest-service stores it: uint16, intensity x 65535 (float32 in [0, 1] before).
stored = np.load(sys.argv[1])
frames = (stored / 65535.0 if stored.dtype == np.uint16 else stored).astype(np.float32)
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
S = frames.shape[1]
instances = [frames[i:i + 3] for i in range(0, frames.shape[0] - 2, 3)]
CELL = S // 3
TILE = max(2, round(CELL * 0.75))
NEIGHBOURS = [0, 1, 2, 3, 5, 6, 7, 8]


def maximal_hamming(k):
    allp = np.array(list(itertools.permutations(range(9))), dtype=np.int8)
    min_d = np.full(len(allp), 1 << 30)
    chosen, nxt = [], 0
    for _ in range(k):
        pick = allp[nxt]
        chosen.append(pick)
        min_d = np.minimum(min_d, (allp != pick).sum(axis=1))
        nxt = int(np.argmax(min_d))
    return np.array(chosen)


PERMS = maximal_hamming(100)


def tile(f, cell, rng):
    slack = CELL - TILE
    oy, ox = rng.integers(0, slack + 1, size=2)
    top, left = (cell // 3) * CELL + oy, (cell % 3) * CELL + ox
    return f[top:top + TILE, left:left + TILE]


def rotation(fr, rng):
    return [(np.rot90(f, k).copy(), k) for f in fr for k in range(4)]


def jigsaw(fr, rng):
    out = []
    for f in fr:
        for _ in range(2):
            label = int(rng.integers(len(PERMS)))
            out.append((np.stack([tile(f, c, rng) for c in PERMS[label]]), label))
    return out


def relative_position(fr, rng):
    out = []
    for f in fr:
        for _ in range(2):
            label = int(rng.integers(8))
            out.append((np.stack([tile(f, 4, rng), tile(f, NEIGHBOURS[label], rng)]), label))
    return out


def intensity_restoration(fr, rng):
    out = []
    for f in fr:
        gamma = math.exp(math.log(0.4) + rng.random() * (math.log(2.5) - math.log(0.4)))
        low, high = rng.random() * 0.25, 0.75 + rng.random() * 0.25
        levels = 4 + int(rng.integers(13))
        v = np.clip((np.power(f, gamma) - low) / (high - low), 0, 1)
        out.append((np.round(v * (levels - 1)) / (levels - 1), f.copy()))
    return out


def inpainting(fr, rng):
    out = []
    for f in fr:
        masked, mask = f.copy(), np.zeros_like(f)
        for _ in range(1 + int(rng.integers(3))):
            h = S // 8 + int(rng.integers(S // 8 + 1))
            w = S // 8 + int(rng.integers(S // 8 + 1))
            t, l = int(rng.integers(S - h + 1)), int(rng.integers(S - w + 1))
            masked[t:t + h, l:l + w] = 0
            mask[t:t + h, l:l + w] = 1
        out.append((np.stack([masked, mask]), f.copy()))
    return out


def box(p, r, axis):
    pad = [(0, 0), (0, 0)]
    pad[axis] = (r, r)
    q = np.pad(p, pad, mode="edge")
    c = np.cumsum(q, axis=axis, dtype=np.float64)
    c = np.concatenate([np.zeros_like(np.take(c, [0], axis=axis)), c], axis=axis)
    n = p.shape[axis]
    return ((np.take(c, np.arange(2 * r + 1, n + 2 * r + 1), axis=axis)
             - np.take(c, np.arange(0, n), axis=axis)) / (2 * r + 1)).astype(np.float32)


def blur(p, r):
    for _ in range(2):
        p = box(box(p, r, 1), r, 0)
    return p


YY, XX = np.meshgrid((2 * (np.arange(S) + 0.5) / S - 1), (2 * (np.arange(S) + 0.5) / S - 1), indexing="ij")


def corruption(fr, rng):
    out = []
    for f in fr:
        out.append((f.copy(), 0))
        sigma = 0.04 + rng.random() * 0.08
        out.append((np.clip(f + sigma * rng.standard_normal(f.shape), 0, 1).astype(np.float32), 1))
        out.append((blur(f, 1 + int(rng.integers(2))), 2))
        side = S // 8 + int(rng.integers(S // 8 + 1))
        while True:
            ay, ax, by, bx = (int(v) for v in rng.integers(0, S - side + 1, size=4))
            if not (abs(ay - by) < side and abs(ax - bx) < side):
                break
        g = f.copy()
        g[ay:ay + side, ax:ax + side], g[by:by + side, bx:bx + side] = f[by:by + side, bx:bx + side], f[ay:ay + side, ax:ax + side]
        out.append((g, 3))
        alpha = 0.25 + rng.random() * 0.2
        shift = S // 6 + int(rng.integers(S // 6 + 1))
        axis = 0 if rng.random() < 0.5 else 1
        out.append((np.clip((1 - alpha) * f + alpha * np.roll(f, shift, axis=axis), 0, 1), 4))
        strength, angle = 0.25 + rng.random() * 0.15, rng.random() * 2 * math.pi
        field = 1 + strength * (math.sin(angle) * YY + math.cos(angle) * XX) / math.sqrt(2)
        out.append((np.clip(f * field, 0, 1).astype(np.float32), 5))
    return out


def frame_order(fr, rng):
    out = []
    for i, j, k in itertools.combinations(range(len(fr)), 3):
        out.append((np.stack([fr[i], fr[j], fr[k]]), 1))
        order = (j, i, k) if rng.random() < 0.5 else (i, k, j)
        out.append((np.stack([fr[o] for o in order]), 0))
    return out


GRID = (np.arange(S) + 0.5) / S - 0.5


def view(f, rng):
    scale = 0.5 + rng.random() * 0.5
    aspect = math.exp((rng.random() * 2 - 1) * math.log(4 / 3))
    h, w = min(S, S * math.sqrt(scale / aspect)), min(S, S * math.sqrt(scale * aspect))
    cy, cx = h / 2 + rng.random() * (S - h), w / 2 + rng.random() * (S - w)
    flip = rng.random() < 0.5
    theta = math.radians((rng.random() * 2 - 1) * 10)
    gamma = math.exp((rng.random() * 2 - 1) * math.log(1.4))
    contrast, brightness = 1 + (rng.random() * 2 - 1) * 0.2, (rng.random() * 2 - 1) * 0.1
    sigma, do_blur = rng.random() * 0.03, rng.random() < 0.3
    yn, xn = np.meshgrid(GRID, -GRID if flip else GRID, indexing="ij")
    y = np.clip(cy + (yn * math.cos(theta) - xn * math.sin(theta)) * h - 0.5, 0, S - 1)
    x = np.clip(cx + (yn * math.sin(theta) + xn * math.cos(theta)) * w - 0.5, 0, S - 1)
    y0, x0 = y.astype(np.int64), x.astype(np.int64)
    y1, x1 = np.minimum(y0 + 1, S - 1), np.minimum(x0 + 1, S - 1)
    fy, fx = y - y0, x - x0
    v = (f[y0, x0] * (1 - fx) + f[y0, x1] * fx) * (1 - fy) + (f[y1, x0] * (1 - fx) + f[y1, x1] * fx) * fy
    if do_blur:
        v = box(box(v, 1, 1), 1, 0)
    v = (np.power(v, gamma) - 0.5) * contrast + 0.5 + brightness
    if sigma > 0:
        v = v + sigma * rng.standard_normal(v.shape)
    return np.clip(v, 0, 1).astype(np.float32)


def consistency_views(fr, rng):
    return [(view(f, rng), view(f, rng)) for f in fr]


TASKS = [("rotation", rotation), ("jigsaw", jigsaw), ("relative-position", relative_position),
         ("intensity-restoration", intensity_restoration), ("inpainting", inpainting),
         ("corruption", corruption), ("frame-order", frame_order), ("consistency-views", consistency_views)]


def run(fn, duration):
    samples, i = 0, 0
    start = time.perf_counter()
    while time.perf_counter() - start < duration:
        samples += len(fn(instances[i % len(instances)], np.random.default_rng(i)))
        i += 1
    return samples / (time.perf_counter() - start)


for name, fn in TASKS:
    run(fn, seconds / 2)
    print(f"{name} {run(fn, seconds):.1f}", flush=True)
