"""Command-line interface (Typer). Each capability registers its commands in its own module."""
