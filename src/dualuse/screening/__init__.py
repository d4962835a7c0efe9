"""Party screening against restricted-party lists.

``screening.lists`` parses the publishers' own formats into :class:`dualuse.model.party.Party`
values with provenance; ``screening.matching`` normalises names, builds a persisted index,
retrieves bounded candidates and scores them with pluggable, explained algorithms.
"""
