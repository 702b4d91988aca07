"""copydesk: an editorial-quality linter for news copy."""

__version__ = "0.1.0"
