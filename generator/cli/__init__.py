"""The command line: aktivitetsplan init | check | generate | send | import | diff | paminn | serve."""

from generator.cli.group import main, run

__all__ = [
    "main", "run",
]
