"""Acoustic measurements behind `stages/measure_acoustics.py`: decoding, VAD, pitch, levels, binning.

Each module is a set of pure functions (or one small model class) over float32 numpy arrays, so every
measure can be tested on audio with known truth without a table or a stage around it.
"""
