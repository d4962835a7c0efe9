"""What every section of ``bench.screening_quality`` measures with: our algorithm and
its threshold, the anchors' threshold, and F1 at a threshold or at the best one."""

from __future__ import annotations

from dualuse.screening.matching import DEFAULT_ALGORITHM

OURS = DEFAULT_ALGORITHM.NAME
THRESHOLD = DEFAULT_ALGORITHM.THRESHOLD
ANCHOR_THRESHOLD = 0.7  # yente's default match threshold


def f1(scores: list[tuple[float, bool]], threshold: float) -> dict[str, float]:
    tp = sum(1 for s, m in scores if s >= threshold and m)
    fp = sum(1 for s, m in scores if s >= threshold and not m)
    fn = sum(1 for s, m in scores if s < threshold and m)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "precision": p,
        "recall": r,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def best_threshold(scores: list[tuple[float, bool]]) -> float:
    grid = [x / 100 for x in range(30, 100)]
    return max(grid, key=lambda t: (f1(scores, t)["f1"], -abs(t - 0.75)))
