"""proselint's checks as copydesk rules (being written)."""
from copydesk.plugin import hookimpl


@hookimpl
def copydesk_rules():
    return []
