"""`chanjiao gap` and `chanjiao match`: the talent gap (with its trend, district breakdown and the
empty cells of coverage) and ranked partners, as tables or, with `--json`, as the same report in
JSON (DESIGN §5). Bad arguments print `error: …` and exit with status 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from chanjiao.commands.lookup import resolve
from chanjiao.commands.options import JsonOption, LangOption, StoreOption, fail, opened_store
from graph.labels import Lang, heading, kind_label
from graph.projection import split_values
from graph.records import Node
from graph.store import GraphStore
from queries import coverage, gaps, matching
from queries.synthetic import combined

GAP_HELP = """Demand (openings) against supply (graduates) per discipline for a year, as DESIGN §4
defines talentGap. With --to-year, one report per year; with --by-district, the split by the
district of each enterprise and school; with --coverage, the five kinds of empty cells instead."""

MATCH_HELP = """Ranked partners for SUBJECT, written Label:key (Enterprise:<credit code>, School:<code>,
Discipline:<code>, District:<adcode>) or by name or alias (上海交通大学, SJTU): schools for an enterprise, enterprises, mentors or bases for a
school, mentors or bases for a discipline, bases for a district. Each score is the weighted mean of
discipline_fit, capacity, proximity and ties (defaults 0.4/0.2/0.2/0.2)."""


def register(app: typer.Typer) -> None:
    app.command("gap", help=GAP_HELP)(gap_command)
    app.command("match", help=MATCH_HELP)(match_command)


def as_json(value: Any) -> Any:
    """A report as plain JSON: nodes as {kind, key, name}, dataclasses and named tuples as objects."""
    if isinstance(value, Node):
        return {"kind": value.label, "key": value.key, "name": value.props.get("name")}
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: as_json(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {name: as_json(item) for name, item in value._asdict().items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [as_json(item) for item in value]
    return value


def _echo_json(report: Any) -> None:
    typer.echo(json.dumps(as_json(report), ensure_ascii=False))


def gap_command(
    year: Annotated[int, typer.Option("--year", "-y", help="The year (the first year with --to-year)")],
    chain: Annotated[str | None, typer.Option("--chain", help="Industry chain code or name (IC, 集成电路); its parts count too")] = None,
    districts: Annotated[list[str] | None, typer.Option("--districts", help="District adcodes, comma-separated or repeated")] = None,
    level: Annotated[str | None, typer.Option("--level", help="Only disciplines of this level, e.g. undergraduate")] = None,
    shortage_below: Annotated[float, typer.Option(help="SHORTAGE below this supply/demand ratio")] = gaps.DEFAULT_SHORTAGE_BELOW,
    surplus_above: Annotated[float, typer.Option(help="SURPLUS above this supply/demand ratio")] = gaps.DEFAULT_SURPLUS_ABOVE,
    to_year: Annotated[int | None, typer.Option("--to-year", help="A trend: one report per year up to this one")] = None,
    by_district: Annotated[bool, typer.Option("--by-district", help="Split by the district of each enterprise and school")] = False,
    show_coverage: Annotated[bool, typer.Option("--coverage", help="The empty cells of DESIGN §4 instead (year: offers of that year)")] = False,
    first: Annotated[int, typer.Option("--first", "-n", help="Rows (or entities per kind) to print")] = 50,
    store: StoreOption = None,
    as_json_output: JsonOption = False,
    lang: LangOption = Lang.EN,
) -> None:
    with opened_store(store) as graph, Console(stderr=True).status("computing the talent gap…"):
        try:
            report = _gap_report(graph, year, chain, split_values(districts) or None, level, shortage_below, surplus_above,
                                 to_year, by_district, show_coverage, first)
        except ValueError as error:
            fail(str(error))
    if as_json_output:
        _echo_json(report)
    elif isinstance(report, coverage.CoverageGaps):
        _print_coverage(report)
    elif isinstance(report, gaps.TalentGap):
        _print_gap(report, first, lang)
    elif report and isinstance(report[0], gaps.DistrictGap):
        _print_districts(report, lang)
    else:
        for item in report:
            _print_gap(item, first, lang)


def _gap_report(graph: GraphStore, year: int, chain: str | None, districts: list[str] | None, level: str | None,
                shortage_below: float, surplus_above: float, to_year: int | None, by_district: bool,
                show_coverage: bool, first: int) -> Any:
    if chain is not None:
        chain = resolve(graph, chain, ("IndustryChain",), f"chain: no industry chain has the code {chain!r} or that name").key
    if show_coverage:
        return coverage.coverage_gaps(graph, chain, districts, year, first)
    request = gaps.gap_request(graph, chain, districts, level, shortage_below, surplus_above)
    if to_year is not None:
        return gaps.talent_gap_trend(graph, year, to_year, request)
    if by_district:
        return gaps.talent_gap_by_district(graph, year, request)
    return gaps.talent_gap(graph, year, request)


def _ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}"


def _print_gap(report: gaps.TalentGap, first: int, lang: Lang) -> None:
    chain = f", {heading('chain', lang)} {report.chain.key}" if report.chain else ""
    table = Table(*(heading(word, lang) for word in ("code", "discipline", "demand", "supply", "gap", "ratio", "status")),
                  title=f"{heading('Talent gap', lang)} {report.year}{chain}")
    for row in report.rows[:first]:
        table.add_row(row.discipline.key, str(row.discipline.props.get("name", "")), str(row.demand), str(row.supply),
                      str(row.gap), _ratio(row.ratio), heading(row.status.value, lang))
    console = Console()
    console.print(table)
    shown = f" (first {first} of {len(report.rows)} rows)" if len(report.rows) > first else ""
    console.print(f"total demand {report.total_demand}, total supply {report.total_supply}{shown}", markup=False)
    console.print(report.method, markup=False)
    console.print(report.synthetic.describe(), markup=False)
    for note in report.notes:
        console.print(f"note: {note}", markup=False)


def _print_districts(parts: list[gaps.DistrictGap], lang: Lang) -> None:
    words = ("district", "demand", "supply", "gap", "ratio", "status", "disciplines", "synthetic")
    table = Table(*(heading(word, lang) for word in words), title=heading("Talent gap by district", lang))
    for part in parts:
        name = heading("(no district)", lang) if part.code is None else f"{part.code} {part.district.props.get('name', '') if part.district else ''}"
        table.add_row(name, str(part.total_demand), str(part.total_supply), str(part.gap), _ratio(part.ratio),
                      heading(part.status.value, lang), str(len(part.rows)), f"{part.synthetic.share:.1%}")
    console = Console()
    console.print(table)
    console.print(combined((part.synthetic for part in parts), gaps.SUMMED).describe(), markup=False)


def _print_coverage(report: coverage.CoverageGaps) -> None:
    def label(node: Node) -> str:
        return f"{node.key} {node.props.get('name', '')}".strip()

    sections: list[tuple[str, coverage.Section[Any], Callable[[Any], str]]] = [
        ("disciplines no school in scope offers", report.disciplines_not_offered,
         lambda c: f"{label(c.discipline)} (needed by {', '.join(n.key for n in c.chains)})"),
        ("areas without a base of a type", report.areas_without_base,
         lambda c: f"{c.chain.key}: {c.area.label} {label(c.area)} has no {c.base_type} base"),
        ("schools offering chain disciplines with no mentor", report.schools_without_mentor,
         lambda c: f"{label(c.school)} ({', '.join(n.key for n in c.disciplines)})"),
        ("chains without an alliance", report.chains_without_alliance, label),
        ("enterprises of the chain in no alliance", report.enterprises_without_alliance,
         lambda c: f"{label(c.enterprise)} ({', '.join(n.key for n in c.chains)})"),
    ]
    console = Console()
    for title, section, describe in sections:
        console.print(f"{title}: {section.count}", markup=False)
        for item in section.items:
            console.print(f"  {describe(item)}", markup=False)
    console.print(report.synthetic.describe(), markup=False)


def _weights(text: str | None) -> matching.Weights | None:
    """`discipline_fit=0.5,ties=0.5` (unnamed components keep their defaults)."""
    if not text:
        return None
    values: dict[str, float] = {}
    names = [item.name for item in fields(matching.Weights)]
    for part in text.split(","):
        name, _, number = part.partition("=")
        if name.strip() not in names:
            raise ValueError(f"--weights: unknown component {name.strip()!r}; expected one of {', '.join(names)}")
        try:
            values[name.strip()] = float(number)
        except ValueError:
            raise ValueError(f"--weights: {part.strip()!r} is not name=number") from None
    return matching.Weights(**values)


MATCH_SUBJECTS = ("School", "Enterprise", "Discipline", "District")


def match_command(
    subject: Annotated[str, typer.Argument(help="The node to find partners for: Label:key, or a name or alias "
                                                "(上海交通大学, SJTU)", show_default=False)],
    kind: Annotated[str, typer.Option("--kind", "-k", help="SCHOOL, ENTERPRISE, MENTOR or BASE")],
    first: Annotated[int, typer.Option("--first", "-n", help="How many partners")] = 10,
    weights: Annotated[str | None, typer.Option("--weights", help="e.g. discipline_fit=0.5,capacity=0.1,proximity=0.2,ties=0.2")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Year of offers and demands (the subject's latest by default)")] = None,
    exclude_existing: Annotated[bool, typer.Option("--exclude-existing", help="Leave out existing partners")] = False,
    store: StoreOption = None,
    as_json_output: JsonOption = False,
    lang: LangOption = Lang.EN,
) -> None:
    with opened_store(store) as graph, Console(stderr=True).status("scoring partners…"):
        try:
            subject_ref = resolve(graph, subject, MATCH_SUBJECTS)
            report = matching.partner_matches(graph, subject_ref, kind.upper(), first, _weights(weights),
                                              year, exclude_existing)
        except ValueError as error:
            fail(str(error))
    if as_json_output:
        _echo_json(report)
        return
    words = ("partner", "score", "discipline fit", "capacity", "proximity", "ties", "existing")
    title = (f"{kind_label(report.kind.label, lang)} {heading('partners for', lang)} "
             f"{kind_label(report.subject.label, lang)} {report.subject.key}")
    table = Table("#", *(heading(word, lang) for word in words), title=title)
    for rank, match in enumerate(report.matches, 1):
        parts = [f"{part.value:.2f}" for part in match.components]
        partner = f"{match.partner.key} {match.partner.props.get('name', '')}"
        table.add_row(str(rank), partner, f"{match.score:.3f}", *parts, heading("yes", lang) if match.existing else "")
    console = Console()
    console.print(table)
    for rank, match in enumerate(report.matches[:3], 1):
        console.print(f"#{rank}: " + "; ".join(f"{part.name}: {part.evidence}" for part in match.components), markup=False)
    console.print(report.method, markup=False)
    console.print(report.synthetic.describe(), markup=False)
