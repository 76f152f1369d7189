"""The tables the app decides by, as JSON data: the Python app reads them here, and the
TypeScript packages get them through `@gigafibre/rules` (generated from these files by
`npm run codegen`), so both sides follow one source. No Frappe import: plain pytest loads them."""

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def load(name: str):
	return json.loads((HERE / f"{name}.json").read_text(encoding="utf8"))
