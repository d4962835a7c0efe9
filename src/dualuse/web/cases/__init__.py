"""Reviewers' web pages: sessions, forms, templates and charts for the case queue."""
