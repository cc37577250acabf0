"""A dataset's provenance manifest: `provenance.csv` beside the tables, one row per table saying
whether the table is synthetic and what its real source is.

    table,synthetic,source
    schools,false,"MoE list of higher-education institutions (data/reference/shanghai_schools.csv)"
    offers,true,"synthetic (chanjiao generate, seed 2021, scale 1)"

`chanjiao generate` writes it; `chanjiao load` reads it from the folder of each table it loads and
stamps every row of the table with `synthetic` and with the manifest's `source`. A table the
manifest does not name (or a folder without a manifest) is real: `synthetic` false, `source` the
file's name. A `synthetic` column in a table overrides the manifest row by row. The manifest is no
table of the model: `discover` skips it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.model import PROVENANCE_PROPS
from graph.validation import coerce
from loaders.readers import InputError
from loaders.tables import MANIFEST

COLUMNS = ("table", "synthetic", "source")
SYNTHETIC_PROP = next(prop for prop in PROVENANCE_PROPS if prop.name == "synthetic")


@dataclass(frozen=True)
class TableOrigin:
    """What the manifest says of one table."""

    synthetic: bool
    source: str


def synthetic_source(seed: int, scale: int) -> str:
    """The `source` of everything the generator makes up."""
    return f"synthetic (chanjiao generate, seed {seed}, scale {scale})"


def write_manifest(folder: Path, origins: Mapping[str, TableOrigin]) -> Path:
    """Writes the manifest of `folder` (tables in the order given)."""
    path = folder / MANIFEST
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for table, origin in origins.items():
            writer.writerow([table, "true" if origin.synthetic else "false", origin.source])
    return path


def read_manifest(folder: Path) -> dict[str, TableOrigin]:
    """The manifest of `folder` ({} when it has none); InputError names a bad cell as
    `FILE:ROW:COLUMN: message`."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"{path}:1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                             f"a provenance manifest has the header {','.join(COLUMNS)}")
        return dict(_origin(path, number, row) for number, row in enumerate(reader, start=2))


def _origin(path: Path, number: int, row: Mapping[str, str | None]) -> tuple[str, TableOrigin]:
    table, source = (row.get("table") or "").strip(), (row.get("source") or "").strip()
    if not table:
        raise InputError(f"{path}:{number}:table: the table name is missing")
    try:
        synthetic = coerce(SYNTHETIC_PROP, row.get("synthetic"))
    except ValueError as error:
        raise InputError(f"{path}:{number}:synthetic: {error}") from None
    if synthetic is None:
        raise InputError(f"{path}:{number}:synthetic: say true or false")
    return table, TableOrigin(bool(synthetic), source or table)


class Origins:
    """The origin of each table of a load, from the manifests of the folders holding them."""

    def __init__(self) -> None:
        self._manifests: dict[Path, dict[str, TableOrigin]] = {}

    def of(self, path: Path, table: str, source_name: str) -> TableOrigin:
        folder = path.resolve().parent
        if folder not in self._manifests:
            self._manifests[folder] = read_manifest(folder)
        return self._manifests[folder].get(table) or TableOrigin(False, source_name)
