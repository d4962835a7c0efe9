"""What the end-user review band of a licence determination costs and buys (issue 15 §2).

A hit under the screening threshold but within ``controls.end_user_review_band`` of it
makes a determination "unknown" (naming the hit) instead of "no". For several bands this
measures, through the real screening service and its bundled lists, with queries as a
determination makes them (the end user's name and the destination country, no type or
date of birth):

* buys: listed organisations of the Consolidated Screening List queried by one
  distinctive word of their name (the way "Rostec" names "STATE CORPORATION ROSTEC"),
  the share that would otherwise have been cleared (best hit for the right entry under
  the threshold) and is now caught by the band;
* costs: real person names that are on no list (yente_negatives_global.csv), the share
  whose determination turns from "no" to "unknown".

Run: ``python -m bench.controls_review_band [--n 1500] [--seed 15]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Sequence

from bench.matching_data import eval_dir, read_csv, sanctions
from dualuse.model.screening import MatchResult, ScreeningQuery
from dualuse.reference.countries import normalize_country
from dualuse.services.screening import ScreeningService
from dualuse.settings import Settings

BANDS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30)
# Words that name the kind of organisation, not the organisation (never the query word).
GENERIC = re.compile(
    r"^(state|corporation|company|limited|group|holding|holdings|international|industries|"
    r"industrial|technology|technologies|trading|import|export|enterprise|research|"
    r"institute|university|science|scientific|engineering|electronics|federal|unitary|"
    r"joint|stock|public|private|open|closed|society|association|center|centre|plant|"
    r"factory|academy|national|limited|liability|branch|office|services|general)$",
    re.I,
)


def short_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(query word, listed name) for CSL organisations with one distinctive word."""
    out = []
    for row in read_csv(sanctions() / "csl" / "csl_2026-07-31_converted.csv"):
        if row["type"] != "Entity":
            continue
        words = [w for w in re.findall(r"[A-Za-z]{6,}", row["name"]) if not GENERIC.match(w)]
        if len(words) == 1 and len(row["name"].split()) >= 3:
            out.append((words[0], row["name"]))
    rng.shuffle(out)
    return out[:n]


def best_for(hits: Sequence[MatchResult], listed: str) -> float | None:
    scores = [h.score for h in hits if h.name.casefold() == listed.casefold()]
    return max(scores) if scores else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    service = ScreeningService(Settings.from_env())
    threshold = service.threshold
    started = time.perf_counter()
    positives = short_names(rng, args.n)
    pos_scores: list[float | None] = []
    for word, listed in positives:
        response = service.screen(ScreeningQuery(name=word), limit=25)
        pos_scores.append(best_for(response.matches, listed))
    negatives = list(read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv"))
    rng.shuffle(negatives)
    neg_best: list[float | None] = []
    for row in negatives[: args.n]:
        # as a determination screens its end user: the name and the destination country
        query = ScreeningQuery(name=row["full_name"], country=normalize_country(row["nationality"]))
        response = service.screen(query, limit=1)
        top = response.matches[0] if response.matches else None
        neg_best.append(None if top is None or top.match else top.score)
    seconds = time.perf_counter() - started
    rows = []
    for band in BANDS:
        floor = threshold - band
        found = sum(s is not None and s >= threshold for s in pos_scores)
        banded = sum(s is not None and floor <= s < threshold for s in pos_scores)
        unknown = sum(s is not None and s >= floor for s in neg_best)
        rows.append(
            {
                "band": band,
                "floor": round(floor, 3),
                "short_names_matched": found,
                "short_names_in_band": banded,
                "short_names_cleared": len(pos_scores) - found - banded,
                "short_names_caught_share": round((found + banded) / len(pos_scores), 4),
                "negatives_turned_unknown": unknown,
                "negatives_unknown_share": round(unknown / len(neg_best), 4),
            }
        )
    print(
        json.dumps(
            {
                "threshold": threshold,
                "short_names": len(pos_scores),
                "negatives": len(neg_best),
                "seconds": round(seconds, 1),
                "rows": rows,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
