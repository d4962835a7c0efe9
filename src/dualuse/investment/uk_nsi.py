"""UK National Security and Investment Act 2021: is the acquisition a notifiable acquisition?

A mandatory notice (s. 14(1)) is due when a person gains control of a qualifying entity
(s. 7) of a description in SI 2021/1264 (17 sectors; the activity carried on in the UK,
reg. 2(2), s. 6(4)) by one of the cases of s. 8(2), (5) or (6) (s. 6(2)). Material
influence (s. 8(8)) and asset acquisitions (s. 9) are trigger events but not notifiable
acquisitions under the texts here.
"""

from __future__ import annotations

from dualuse.investment import reference as ref
from dualuse.investment.logic import (
    Findings,
    RegimeResult,
    Trace,
    Tri,
    finish,
    k_and,
    k_any,
    k_or,
    unknowns,
)
from dualuse.investment.model import DealFacts

REGIME = "uk_nsi"


def crosses(before: float | None, after: float | None) -> Tri:
    """s. 8(2)/(5): from 25% or less to more than 25%, 50% or less to more than 50%, or
    from less than 75% to 75% or more."""
    if after is None:
        return None
    if after <= 25:
        return False
    if before is None:
        return None
    return (before <= 25 < after) or (before <= 50 < after) or (before < 75 <= after)


def assess(facts: DealFacts, find: Findings) -> RegimeResult:
    t = Trace()
    tgt, txn = facts.target, facts.transaction
    uk = tgt.uk
    activities = uk.activities_in_uk if uk else None
    supplies = uk.supplies_goods_to_uk if uk else None
    in_uk: Tri = None if tgt.country is None else tgt.country == "gb"
    entity: Tri = None if txn.type is None else txn.type != "asset_purchase"
    present = k_or(in_uk, activities, supplies)
    qualifying = t.ask(
        "qualifying_entity",
        "Is the target a qualifying entity?",
        k_and(entity, present),
        f"Formed in {(tgt.country or '?').upper()}; activities in the UK: {activities}; "
        f"supplies goods or services to persons in the UK: {supplies}. An asset acquisition is "
        "a trigger event under s. 9, never a notifiable acquisition under s. 6(2).",
        ref.nsi("7(2)-(3); s. 9"),
        missing=unknowns(("transaction.type", entity))
        + (
            unknowns(
                ("target.country", in_uk),
                ("target.uk.activities_in_uk", activities),
                ("target.uk.supplies_goods_to_uk", supplies),
            )
            if present is None
            else []
        ),
    )
    sectors = uk.sectors if uk else None
    sector: Tri = None if sectors is None else bool(sectors)
    for s in sectors or []:
        t.note("sector", f"Sector {s.replace('_', ' ')}.", ref.uk_sector_cite(s), level=1)
    if (
        find.items
        and any(i.eu_listed for i in find.items)
        and not (sectors and "military_and_dual_use" in sectors)
    ):
        t.note(
            "dual_use_hint",
            "The target's items have counterparts in the EU dual-use list (Annex I); researching, "
            "developing or producing restricted goods may bring it within Schedule 12 (military "
            "and dual-use). Check and state the sector.",
            ref.nars("Sch. 12 paras 1-2"),
            level=1,
        )
    specified = t.ask(
        "specified_description",
        "Does it carry on in the UK an activity of a description in SI 2021/1264?",
        k_and(sector, activities),
        f"Sectors stated: {sectors}; "
        f"activities in the UK: {activities}. Supplying goods to the UK is not enough (reg. 2(2)).",
        ref.nars("reg. 2(1)-(2); Schedules 1-17"),
        missing=unknowns(("target.uk.sectors", sector), ("target.uk.activities_in_uk", activities)),
    )
    shares = crosses(txn.stake_before, txn.stake_after)
    votes = crosses(txn.voting_before, txn.voting_after)
    resolutions: Tri = None if txn.resolutions_secured is None else bool(txn.resolutions_secured)
    trigger = k_any((shares, votes, resolutions))
    open_ = trigger is None
    t.ask(
        "shares",
        "Does the holding of shares cross 25%, 50% or 75%?",
        shares,
        f"{txn.stake_before}% -> {txn.stake_after}%.",
        ref.nsi("8(2)-(3)"),
        missing=["transaction.stake_before", "transaction.stake_after"] if open_ else [],
        level=1,
    )
    t.ask(
        "votes",
        "Do the voting rights cross 25%, 50% or 75%?",
        votes,
        f"{txn.voting_before}% -> {txn.voting_after}%.",
        ref.nsi("8(5), (7)"),
        missing=["transaction.voting_before", "transaction.voting_after"] if open_ else [],
        level=1,
    )
    t.ask(
        "resolutions",
        "Do the voting rights acquired secure or prevent the passage of a class of resolution?",
        resolutions,
        f"Classes: {txn.resolutions_secured}.",
        ref.nsi("8(6)"),
        missing=["transaction.resolutions_secured"] if open_ else [],
        level=1,
    )
    t.ask(
        "notifiable_trigger",
        "Does the investor gain control by a case of s. 8(2), (5) or (6)?",
        trigger,
        "",
        ref.nsi("6(2); s. 8"),
    )
    if txn.rights is not None and "material_influence" in txn.rights:
        t.note(
            "material_influence",
            "Material influence over policy is a trigger event (s. 8(8)) but not a notifiable "
            "acquisition: a voluntary notice may be given and the Secretary of State may call "
            "it in (provisions outside the extract held here).",
            ref.nsi("8(8)-(9); s. 6(2)"),
        )
    notifiable = k_and(qualifying, specified, trigger)
    if notifiable is True:
        return finish(
            REGIME,
            "mandatory",
            "A notifiable acquisition: a mandatory notice must be given and approval obtained "
            "before completion; completed without approval it is void.",
            t,
            gaps=_gaps(),
        )
    if notifiable is False:
        t.note(
            "void_rule",
            "Not a notifiable acquisition; s. 13 voidness does not apply.",
            ref.nsi("6(2); s. 13-14"),
        )
        return finish(
            REGIME, "not_mandatory", "No mandatory notice under s. 14(1).", t, gaps=_gaps()
        )
    return finish(
        REGIME,
        "unknown",
        "The facts given do not settle whether this is a notifiable acquisition.",
        t,
        gaps=_gaps(),
    )


def _gaps() -> tuple[str, ...]:
    return (
        "Only ss. 5-14 of the Act are held: call-in (s. 1), voluntary notice (s. 18), Schedule 1 "
        "(interests held through others) and exemptions are not applied.",
        "Schedules 1, 4, 5, 9, 11 and 14-17 of SI 2021/1264 are named only by title: the sector is "
        "taken as stated.",
        "The July 2025 consultation on amending SI 2021/1264 is not reflected.",
    )
