"""The names that tie plugins to copydesk, importable without pluggy."""

PROJECT_NAME = "copydesk"
ENTRY_POINT_GROUP = "copydesk.plugins"
