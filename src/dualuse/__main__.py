"""``python -m dualuse`` runs the command-line interface."""

from dualuse.cli.main import main

main()
