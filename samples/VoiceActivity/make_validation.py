#!/usr/bin/python3
"""Writes validation/: eight 16 kHz windows of audio/speech.wav in the ONNX test-data layout
(test_data_set_N/input_K.pb, TensorProto), so the build validates the compressed VAD on real audio
instead of synthesised inputs. Needs Debian's python3-onnx (numpy_helper). Run from this folder."""
import os
import wave

import numpy as np
from onnx import numpy_helper

with wave.open("audio/speech.wav") as clip:
    audio = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2").astype(np.float32) / 32768.0

# Windows over speech, silence and noise, each with the 64 samples of context Silero VAD v5 expects,
# from a fresh (zero) state.
for index, seconds in enumerate((0.5, 2.0, 3.1, 5.0, 6.5, 8.2, 10.4, 14.0)):
    start = int(seconds * 16000)
    folder = f"validation/test_data_set_{index}"
    os.makedirs(folder, exist_ok=True)
    inputs = [
        ("input", audio[start - 64 : start + 512].reshape(1, 576)),
        ("state", np.zeros((2, 1, 128), np.float32)),
        ("sr", np.array(16000, dtype=np.int64)),
    ]
    for k, (name, value) in enumerate(inputs):
        with open(f"{folder}/input_{k}.pb", "wb") as f:
            f.write(numpy_helper.from_array(value, name).SerializeToString())
