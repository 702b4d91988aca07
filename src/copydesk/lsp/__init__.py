"""The copydesk language server (``copydesk lsp``); needs the ``lsp`` extra."""

from __future__ import annotations


def serve(tcp: str | None = None) -> None:
    """Run the language server over stdio, or on ``HOST:PORT``."""
    from copydesk.lsp.server import serve as _serve

    _serve(tcp)
