"""Transaction decisions: orders in, one cited verdict out."""
