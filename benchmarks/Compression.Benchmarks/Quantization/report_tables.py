"""Turns the BenchmarkDotNet CSV of InferenceBenchmarks into the speed-up table of docs/reports/passes.md.

Usage: python3 report_tables.py <artifacts>/results/Compression.Benchmarks.Quantization.InferenceBenchmarks-report.csv
"""
import csv
import sys


def ms(text):
    value, unit = text.replace(",", "").split()
    return float(value) * {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
table = {}
for r in rows:
    # BenchmarkDotNet shortens long parameter values in the CSV ("Int8W(...)inear [30]").
    variant = "Int8WeightOnlyDequantizeLinear" if r["Variant"].startswith("Int8W(") else r["Variant"]
    table[(r["Model"], r["Batch"], r["Threads"], variant)] = ms(r["Mean"])
variants = ["Fp32", "Int8Plain", "Int8Fused", "Int8WeightOnly", "Int8WeightOnlyDequantizeLinear", "Float16WeightOnly"]
variants = [v for v in variants if any(k[3] == v for k in table)]
print("| model | batch | threads | " + " | ".join(variants) + " |")
print("|---|---|---|" + "---|" * len(variants))
for key in sorted({k[:3] for k in table}, key=lambda k: (k[0], int(k[1]), int(k[2]))):
    base = table.get(key + ("Fp32",))
    cells = []
    for v in variants:
        t = table.get(key + (v,))
        cells.append("" if t is None else (f"{t:.2f} ms" if v == "Fp32" else f"{t:.2f} ms ({base / t:.1f}x)"))
    print(f"| {key[0]} | {key[1]} | {key[2]} | " + " | ".join(cells) + " |")
