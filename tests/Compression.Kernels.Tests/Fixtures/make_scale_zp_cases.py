# Regenerates ScaleZeroPointCases.txt: ONNX Runtime's compute_scale_zp rule evaluated with numpy's own
# float32/float64 semantics (run with /usr/bin/python3, which has numpy).
import numpy as np

RANGE = {"Int8": (-128, 127), "UInt8": (0, 255), "Int4": (-8, 7), "UInt4": (0, 15)}
SYMMETRIC = {"Int8": (-127, 127), "UInt8": (0, 254)}
REDUCED = {"Int8": (-64, 64), "UInt8": (0, 127), "Int4": (-4, 3), "UInt4": (0, 7)}
DTYPE = {"Int8": np.int8, "UInt8": np.uint8, "Int4": np.int8, "UInt4": np.uint8}

def qrange(t, symmetric, reduce):
    if reduce:
        r = REDUCED[t]
    elif symmetric and t in SYMMETRIC:
        r = SYMMETRIC[t]
    else:
        r = RANGE[t]
    return np.array(r[0], dtype=DTYPE[t]), np.array(r[1], dtype=DTYPE[t])

def compute(rmin, rmax, qmin, qmax, symmetric):
    rmin = np.minimum(rmin, np.array(0, dtype=rmin.dtype))
    rmax = np.maximum(rmax, np.array(0, dtype=rmax.dtype))
    if symmetric:
        absmax = np.maximum(np.abs(rmin), np.abs(rmax))
        rmin = -absmax
        rmax = +absmax
    dr = np.array(rmax - rmin, dtype=np.float64)
    dq = np.array(qmax, dtype=np.float64) - np.array(qmin, dtype=np.float64)
    scale = np.array(dr / dq)
    if scale < np.finfo(rmax.dtype).tiny:
        return np.float32(1.0), 0
    if symmetric:
        zp = np.round((qmin + qmax) / np.array(2.0, dtype=np.float64))
    else:
        zp = np.round(qmin - rmin / scale)
    return scale.astype(np.float32), int(np.array(zp, dtype=qmin.dtype))

rng = np.random.default_rng(1234)
cases = [(-1.0, 1.0), (0.0, 0.0), (-1.0, 2.0), (0.3, 5.0), (-7.0, -0.25), (-1e-39, 1e-39), (1e-38, 2e-38),
         (-3.4e38, 3.4e38), (-0.5, 0.5), (-127.5, 127.5), (-1.0, 254.0 / 255.0), (0.1, 0.1)]
for _ in range(150):
    scale = 10.0 ** rng.uniform(-6, 4)
    a, b = sorted(rng.normal(size=2) * scale)
    if rng.random() < 0.2:
        a = abs(a)
    cases.append((a, b))
with open("ScaleZeroPointCases.txt", "w") as f:
    f.write("# min max type symmetric reduceRange -> scaleBits zeroPoint (float32 bits as hex)\n")
    for a, b in cases:
        a32, b32 = np.float32(a), np.float32(b)
        for t in RANGE:
            for symmetric in (False, True):
                for reduce in (False, True):
                    qmin, qmax = qrange(t, symmetric, reduce)
                    s, z = compute(np.array(a32), np.array(b32), qmin, qmax, symmetric)
                    f.write(f"{a32.view(np.uint32):08x} {b32.view(np.uint32):08x} {t} {int(symmetric)} {int(reduce)} {np.float32(s).view(np.uint32):08x} {z}\n")
