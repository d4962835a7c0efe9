"""The listed entry behind an alert, for the case page's side-by-side view.

An alert carries the listed name and programmes; a reviewer comparing it with the party
on the order also wants the entry's countries, dates, identifiers and addresses. Those are
read from the live list version (the same one screening used, unless the list changed
since: then the page says the entry now reads differently). Loaded lists are kept per
(list, version), a few at a time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from dualuse.model.party import Party
from dualuse.services.lists import current_lists
from dualuse.settings import Settings

KEEP = 4
"""Lists kept loaded (the bundled SDN takes about 0.2 s to load)."""


class Entries:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._loaded: OrderedDict[tuple[str, str], dict[str, Party]] = OrderedDict()

    def _parties(self, list_id: str) -> tuple[str, dict[str, Party]] | None:
        lists = current_lists(self.settings)
        meta = next((v for v in lists.versions if v.list_id == list_id), None)
        if meta is None:
            return None
        key = (list_id, meta.version)
        with self._lock:
            found = self._loaded.get(key)
            if found is not None:
                self._loaded.move_to_end(key)
                return meta.version, found
        (version,) = lists.load([list_id])
        by_id = {p.id: p for p in version.parties}
        with self._lock:
            self._loaded[key] = by_id
            while len(self._loaded) > KEEP:
                self._loaded.popitem(last=False)
        return meta.version, by_id

    def details(self, list_id: str, entry_id: str) -> list[tuple[str, str]]:
        """``(label, text)`` rows describing the live entry; empty when it is not found."""
        found = self._parties(list_id)
        if found is None:
            return []
        version, by_id = found
        party = by_id.get(entry_id) or by_id.get(f"{list_id}:{entry_id}")
        if party is None:
            return [("live version", f"{version}: this entry is no longer on the list")]
        rows = [("live version", version), ("type", party.type.value)]
        names = [n.value for n in party.names]
        if len(names) > 1:
            rows.append(("other names", "; ".join(names[1:20])))
        for label, values in (
            ("countries", party.countries),
            ("nationalities", party.nationalities),
            ("born", party.birth_dates),
            ("birth places", party.birth_places),
        ):
            if values:
                rows.append((label, ", ".join(values)))
        if party.identifiers:
            rows.append(
                ("identifiers", "; ".join(f"{i.scheme} {i.value}" for i in party.identifiers[:20]))
            )
        if party.addresses:
            rows.append(("addresses", " | ".join(a.full for a in party.addresses[:5])))
        for label, value in (
            ("listed on", party.listed_on),
            ("sublist", party.sublist),
            ("licence requirement", party.license_requirement),
            ("licence policy", party.license_policy),
            ("remarks", party.remarks),
        ):
            if value:
                rows.append((label, value))
        return rows
