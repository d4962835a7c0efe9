"""Item classification and licence determination (US EAR, EU dual-use list, CHPL)."""
