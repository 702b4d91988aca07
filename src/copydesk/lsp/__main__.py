"""``python -m copydesk.lsp [--tcp HOST:PORT]``: the same server as ``copydesk lsp``."""

from __future__ import annotations

import argparse

from copydesk.lsp import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m copydesk.lsp", description=__doc__)
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead of stdio")
    serve(parser.parse_args(argv).tcp)


if __name__ == "__main__":
    main()
