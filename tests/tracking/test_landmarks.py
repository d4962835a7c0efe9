from dualuse.tracking.evaluation import landmark_conflicts
from dualuse.tracking.landmarks import Conflict, Place, audit_landmarks, cover_conflicts
from dualuse.tracking.wondernetwork import Matrix


def test_matrix_reading_follows_the_sources_notes(matrix: Matrix) -> None:
    assert len(matrix.servers) == 216
    assert matrix.self_pings == 215
    assert all(a < b for a, b in matrix.rtt_ms)
    assert not {292, 293, 294, 295} & set(matrix.servers)
    assert matrix.dropped_rows > 1700  # the rows of ids 292-295 (and a few more, see SOURCES)


def test_audit_names_the_mislabelled_servers(matrix: Matrix) -> None:
    """The speed of light alone, between the servers themselves, finds the liars."""
    names = {s.id: s.name for s in matrix.servers.values()}
    conflicts = landmark_conflicts(matrix)
    assert len(conflicts) == 26  # 52 directional pairs, as location.md counts
    audit = cover_conflicts(conflicts)
    excluded = {names[k] for k in audit.excluded}
    assert {"LaCeiba", "Prague", "Belfast", "Rome"} <= excluded
    assert {names[a] for pair in audit.unresolved_pairs for a in pair} == {"Auckland", "Wellington"}
    assert "Bratislava" not in excluded  # Prague, not Bratislava, contradicts Vienna too


def test_cover_drops_ties_together() -> None:
    places = [Place("a", 0, 0), Place("b", 0, 1), Place("c", 0, 2)]
    audit = audit_landmarks(places, {("a", "b"): 0.1})  # 111 km in 0.1 ms: impossible
    assert audit.excluded == {"a", "b"} and audit.unresolved_pairs == (("a", "b"),)
    star = [Conflict("hub", x, 500.0, 1.0) for x in "xyz"]
    assert cover_conflicts(star).excluded == {"hub"}
