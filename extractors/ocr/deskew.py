"""Straighten a tilted scan.

The skew is the angle at which the page's ink, projected onto the vertical
axis, falls into the sharpest rows: text lines and rules are horizontal on
the page as printed, so their projection peaks when the angle is undone.
A coarse sweep finds the neighbourhood, a fine one the angle.
"""
from __future__ import annotations

import cv2
import numpy as np

MAX_DEGREES = 5.0           # scanners tilt a sheet by a few degrees at most
COARSE_STEP = 0.25
FINE_STEP = 0.02
MIN_DEGREES = 0.05          # below this a turn moves no glyph by a pixel across a page
SAMPLE = 200_000            # ink pixels sampled for the projections


def skew_degrees(ink: np.ndarray) -> float:
    """The tilt of the ink in ``ink`` (True where dark), in degrees; positive
    when lines run down to the right."""
    ys, xs = np.nonzero(ink)
    if len(ys) < 100:
        return 0.0
    if len(ys) > SAMPLE:
        keep = np.random.default_rng(0).choice(len(ys), SAMPLE, replace=False)
        ys, xs = ys[keep], xs[keep]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)
    coarse = _best(ys, xs, np.arange(-MAX_DEGREES, MAX_DEGREES + COARSE_STEP / 2, COARSE_STEP))
    steps = round(COARSE_STEP / FINE_STEP)
    return _best(ys, xs, coarse + FINE_STEP * np.arange(-steps, steps + 1))


def _best(ys: np.ndarray, xs: np.ndarray, angles: np.ndarray) -> float:
    """The middle of the angles that score best: a short line falls into the same pixel
    rows over a small range of angles, and any end of that range would bias the answer."""
    scores = np.array([_sharpness(ys - xs * np.tan(np.radians(a))) for a in angles])
    return float(np.mean(angles[scores == scores.max()]))


def _sharpness(rows: np.ndarray) -> float:
    counts = np.bincount(np.round(rows - rows.min()).astype(np.int64))
    return float(np.dot(counts, counts))


def rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    """``gray`` turned by ``degrees`` about its centre, so that lines tilted by that much
    run level; the corners uncovered are paper white."""
    if abs(degrees) < MIN_DEGREES:
        return gray
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
