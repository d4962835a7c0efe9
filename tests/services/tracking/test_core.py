"""The lease key that every server process of one deployment signs with."""

from __future__ import annotations

import threading

from dualuse.services.tracking import TrackingService
from dualuse.settings import Settings
from dualuse.storage.db import make_engine


def test_servers_starting_together_sign_with_one_lease_key(settings: Settings) -> None:
    services = [TrackingService(make_engine(settings.db_url), settings) for _ in range(8)]
    barrier = threading.Barrier(len(services))
    keys: list[bytes] = []

    def first_use(service: TrackingService) -> None:
        barrier.wait()
        keys.append(service.lease_signer().public.pem().encode())

    threads = [threading.Thread(target=first_use, args=(s,)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    path = settings.home / "tracking" / "lease-key.pem"
    assert path.stat().st_mode & 0o777 == 0o600
    assert services[0].lease_signer().public.pem().encode() == keys[0]
    assert [p.name for p in path.parent.iterdir()] == ["lease-key.pem"]  # no temp files left
