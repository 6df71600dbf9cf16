#!/usr/bin/env python3
"""Turns the BenchmarkDotNet CSV reports of the kernel benchmarks into the markdown table of docs/reports/kernels.md.

GB/s counts the float32 side of every kernel (4 bytes per element; 8 for the two-input metrics), so kernels and
their baselines are compared on the same bytes. "of bandwidth" is the kernel's GB/s over the baseline's in the same
run (read-only kernels: a vectorised sum; writing kernels: Span.CopyTo of the input; all-core variants: the
all-core baseline). "x TP" and "x scalar" are time ratios against the TensorPrimitives composition and the scalar
reference of the same result.

Usage: python3 kernel_report.py <BenchmarkDotNet.Artifacts/results>
"""
import csv
import glob
import os
import sys

UNITS = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0}
BASELINE = {"RangeBenchmarks": "ReadSum", "QuantizeBenchmarks": "CopyFloats", "FloatConversionBenchmarks": "CopyFloats",
            "Block4BitBenchmarks": "CopyFloats", "MetricsBenchmarks": "ReadSumBoth", "SlowBenchmarks": None}
ALL_CORES_BASELINE = {"RangeBenchmarks": "ReadSumAllCores", "QuantizeBenchmarks": "CopyFloatsAllCores",
                      "FloatConversionBenchmarks": "CopyFloatsAllCores", "Block4BitBenchmarks": "CopyFloatsAllCores"}
TWO_INPUTS = {"ReadSumBoth", "Compare", "CompareAllCores", "CompareTensorPrimitives", "CompareScalar"}


def seconds(text):
    value, unit = text.replace(",", "").split()
    return float(value) * UNITS[unit]


def main(folder):
    for path in sorted(glob.glob(os.path.join(folder, "*Kernels*-report.csv"))):
        cls = os.path.basename(path).replace("-report.csv", "").split(".")[-1]
        rows = list(csv.DictReader(open(path, encoding="utf-8")))
        lengths = sorted({int(r["Length"]) for r in rows})
        print(f"\n### {cls}\n")
        print("| kernel | floats | mean | GB/s | of bandwidth | x TP | x scalar |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for length in lengths:
            times = {r["Method"]: seconds(r["Mean"]) for r in rows if int(r["Length"]) == length and r["Mean"] not in ("NA", "")}

            def gbps(method):
                return (8 if method in TWO_INPUTS else 4) * length / times[method] / 1e9

            for method, t in times.items():
                base = ALL_CORES_BASELINE.get(cls) if method.endswith("AllCores") else BASELINE.get(cls)
                of_bandwidth = f"{100 * gbps(method) / gbps(base):.0f}%" if base in times and method != base else ""
                tp = method + "TensorPrimitives"
                scalar = method + "Scalar"
                x_tp = f"{times[tp] / t:.2f}" if tp in times else ""
                x_scalar = f"{times[scalar] / t:.1f}" if scalar in times else ""
                mean = f"{t * 1e3:.2f} ms"
                print(f"| {method} | {length // (1 << 20)} M | {mean} | {gbps(method):.2f} | {of_bandwidth} | {x_tp} | {x_scalar} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "BenchmarkDotNet.Artifacts/results")
