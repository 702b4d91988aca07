"""``python -m copydesk`` runs the ``copydesk`` command."""

from copydesk.cli import main

if __name__ == "__main__":
    main(prog_name="copydesk")
