"""Post-export location verification: signed evidence, latency geolocation, geofences,
leases. Pure algorithms (no database, no network) used by the tracking service.

``sphere`` exact distance bounds on the sphere; ``region`` the feasible region as a sound
quadtree cover of intersecting discs; ``world`` Natural Earth countries and a memoised
cell index; ``locate`` the latency locator (secure, fibre and calibrated bounds);
``calibration`` per-landmark bounds; ``landmarks`` the speed-of-light audit of landmarks;
``policy`` verdicts (proven_outside, consistent, violation, inconsistent); ``keys``,
``cose``, ``claims`` and ``evidence`` the COSE_Sign1 / EAT protocol and its appraisal;
``signals`` tamper and diversion signals; ``lease`` operating leases; ``simulator`` a
device and landmarks for demos and tests; ``wondernetwork`` and ``evaluation`` the
leave-one-out evaluation on a real RTT matrix; ``report`` JSON views.
"""
