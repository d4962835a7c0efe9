"""Use cases that combine pure algorithms with storage (screen a file, load a list, renew a
lease). Interfaces (CLI, API) call these; algorithms never import them."""
