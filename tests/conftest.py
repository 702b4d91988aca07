from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def seed_text() -> str:
    return (EXAMPLES / "article.txt").read_text(encoding="utf-8")
