"""``python -m peelwatch`` runs the command line."""

from peelwatch.cli import main

main()
