"""Transaction decisions: orders in, one cited verdict out (issue 12)."""
