import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "fixtures" / "vectors"


def load_vectors(name: str):
	return json.loads((VECTORS / name).read_text(encoding="utf8"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
	return REPO
