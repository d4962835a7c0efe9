"""Typed values shared by every capability: parties on lists, screening queries and results."""
