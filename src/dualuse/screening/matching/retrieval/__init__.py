"""Retrieval: the persisted screening index (built, stored, loaded) and the lookups
that find, without scanning the lists, the few listed names worth scoring."""
