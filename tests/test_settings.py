from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.settings import Settings


def test_from_env_reads_top_level_and_sections() -> None:
    s = Settings.from_env(
        {
            "DUALUSE_HOME": "/tmp/x",
            "DUALUSE_SCREENING_THRESHOLD": "0.85",
            "DUALUSE_SCREENING_LIMIT": "5",
            "DUALUSE_WORKERS": "3",
        }
    )
    assert s.home == Path("/tmp/x")
    assert s.screening.threshold == 0.85
    assert s.screening.limit == 5
    assert s.workers == 3
    assert s.db_url == "sqlite:////tmp/x/dualuse.db"


def test_bad_value_names_the_variable() -> None:
    with pytest.raises(InputError, match="DUALUSE_SCREENING_LIMIT"):
        Settings.from_env({"DUALUSE_SCREENING_LIMIT": "many"})


def test_settings_are_frozen() -> None:
    s = Settings()
    with pytest.raises(AttributeError):
        s.workers = 2  # type: ignore[misc]
