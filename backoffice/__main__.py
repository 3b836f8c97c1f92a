"""``python -m backoffice`` is the ``bots`` command."""

from backoffice.cli import main

main()
