"""The annual report on the bundled dataset, on both stores, downloaded over real HTTP from a real
server: its figures are the GraphQL API's answers for the same year; its PDF opens and poppler
renders every page with something drawn on it; its HTML names nothing outside itself; its
workbook holds the same numbers; it holds no personal data; bad arguments get clear errors from
the route and the CLI."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from matplotlib import image
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.app import create_app
from chanjiao.cli import app as cli
from chanjiao.neo4j_local import free_port
from chanjiao.settings import Settings
from graph.labels import Lang
from graph.store import GraphStore
from reports.figures import AnnualReport
from reports.gather import MEASURES, annual_report
from reports.sections import Percent, number_text
from tests.api.conftest import ServerThread
from tests.test_insights_parity import DATASET, loaded

YEAR = 2024
ARTEFACTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def report_store_uri(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "embedded":
        return f"embedded:{tmp_path_factory.mktemp('report') / 'store'}"
    return str(request.getfixturevalue("neo4j_uri"))


@pytest.fixture(scope="module")
def report_store(report_store_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The bundled dataset, loaded once per store; the tests only read it."""
    store = loaded(report_store_uri, tmp_path_factory.mktemp("rejects"))
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def client(report_store: GraphStore, report_store_uri: str) -> Iterator[httpx.Client]:
    # the report takes seconds on a busy 2-core machine: a generous time limit keeps the test about answers
    settings = Settings.model_validate({"CHANJIAO_STORE": report_store_uri, "CHANJIAO_EXPENSIVE_TIMEOUT": 600})
    with ServerThread(create_app(settings, store=report_store), free_port()) as server, \
            httpx.Client(base_url=server.url, timeout=600) as http:
        yield http


@pytest.fixture(scope="module")
def figures(report_store: GraphStore) -> AnnualReport:
    return annual_report(report_store, YEAR)


@pytest.fixture(scope="module")
def downloads(client: httpx.Client) -> dict[str, bytes]:
    """Each format, downloaded once by an anonymous client."""
    found = {}
    for fmt in ("pdf", "html", "xlsx"):
        response = client.get("/report", params={"year": YEAR, "format": fmt})
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"] == f'attachment; filename="chanjiao-report-{YEAR}.{fmt}"'
        found[fmt] = response.content
    return found


def graphql(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


SHARE = "synthetic { inputs syntheticInputs share }"
GAP = f"totalDemand totalSupply rowCount rows(first: 10) {{ discipline {{ code }} demand supply gap status }} {SHARE}"


def share_of(found: Any) -> dict[str, Any]:
    return {"inputs": found.inputs, "syntheticInputs": found.synthetic, "share": found.share}


def test_the_totals_and_synthetic_share_are_the_apis(client: httpx.Client, figures: AnnualReport) -> None:
    data = graphql(client, f"""{{ dataCoverage {{ nodes {{ name count synthetic }} {SHARE}
        years {{ relationship years {{ year count synthetic }} }} }} }}""")["dataCoverage"]
    assert [(k.code, k.count, k.synthetic) for k in figures.nodes] == [(n["name"], n["count"], n["synthetic"]) for n in data["nodes"]]
    assert share_of(figures.synthetic) == {key: data["synthetic"][key] for key in ("inputs", "syntheticInputs", "share")}
    assert 0 < figures.synthetic.share < 1  # the bundled data mixes real reference data and synthetic records
    yearly = {rel["relationship"]: y for rel in data["years"] for y in rel["years"] if y["year"] == YEAR}
    assert {(k.code, k.count, k.synthetic) for k in figures.yearly} == {(r, y["count"], y["synthetic"]) for r, y in yearly.items()}


def gap_of(found: dict[str, Any]) -> tuple[Any, ...]:
    rows = [(r["discipline"]["code"], r["demand"], r["supply"], r["gap"], r["status"]) for r in found["rows"]]
    return found["totalDemand"], found["totalSupply"], found["rowCount"], rows, found["synthetic"]


def test_the_talent_gaps_per_chain_are_the_apis(client: httpx.Client, figures: AnnualReport) -> None:
    expected = [gap_of(graphql(client, f"query($year: Int!) {{ talentGap(year: $year) {{ {GAP} }} }}", year=YEAR)["talentGap"])]
    for chain in figures.chains:
        query = f"query($year: Int!, $chain: String) {{ talentGap(year: $year, chain: $chain) {{ {GAP} }} }}"
        expected.append(gap_of(graphql(client, query, year=YEAR, chain=chain.chain)["talentGap"]))
    found = [(g.demand, g.supply, g.disciplines, [(t.code, t.demand, t.supply, t.gap, t.status) for t in g.top],
              {**share_of(g.synthetic)}) for g in [figures.talent, *figures.chains]]
    assert found == [(*e[:4], {key: e[4][key] for key in ("inputs", "syntheticInputs", "share")}) for e in expected]
    assert len(figures.chains) == 9 and all(g.demand > 0 and g.top for g in figures.chains)
    trend = graphql(client, "{ talentGapTrend(fromYear: 2021, toYear: 2024) { year totalDemand totalSupply } }")["talentGapTrend"]
    assert [(y.year, y.demand, y.supply) for y in figures.trend] == [(t["year"], t["totalDemand"], t["totalSupply"]) for t in trend]


def test_the_plan_targets_are_the_apis(client: httpx.Client, figures: AnnualReport) -> None:
    targets = "targets { target goal trained progress yearsMet years { year trained } }"
    data = graphql(client, f"{{ planTargets(fromYear: 2021, toYear: {YEAR}) {{ {targets} byChain {{ chain {{ code }} {targets} }} {SHARE} }} }}")
    plan = data["planTargets"]

    def rows(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(t["target"], t["goal"], t["trained"], t["progress"], t["yearsMet"], [(y["year"], y["trained"]) for y in t["years"]])
                for t in found]

    def ours(found: Any) -> list[tuple[Any, ...]]:
        return [(t.name, t.goal, t.trained, t.progress, t.years_met, t.years) for t in found]

    assert (figures.plan.from_year, figures.plan.to_year) == (2021, YEAR)
    assert ours(figures.plan.targets) == rows(plan["targets"])
    assert [(c.chain, ours(c.targets)) for c in figures.plan.by_chain] == [(c["chain"]["code"], rows(c["targets"])) for c in plan["byChain"]]
    assert share_of(figures.plan.synthetic) == {key: plan["synthetic"][key] for key in ("inputs", "syntheticInputs", "share")}
    assert sum(t.trained for t in figures.plan.targets) > 0


SECTIONS = ("disciplinesNotOffered", "areasWithoutBase", "schoolsWithoutMentor", "chainsWithoutAlliance", "enterprisesWithoutAlliance")


def test_the_coverage_gaps_are_the_apis(client: httpx.Client, figures: AnnualReport) -> None:
    counts = " ".join(f"{name} {{ count }}" for name in SECTIONS)
    query = f"query($year: Int, $chain: String) {{ coverageGaps(year: $year, chain: $chain) {{ {counts} {SHARE} }} }}"
    every = graphql(client, query, year=YEAR)["coverageGaps"]
    assert [s.count for s in figures.coverage.sections] == [every[name]["count"] for name in SECTIONS]
    assert share_of(figures.coverage.synthetic) == {key: every["synthetic"][key] for key in ("inputs", "syntheticInputs", "share")}
    for chain in figures.coverage.by_chain:
        found = graphql(client, query, year=YEAR, chain=chain.chain)["coverageGaps"]
        assert chain.counts == [found[name]["count"] for name in SECTIONS], chain.chain
    assert figures.coverage.sections[0].count > 0 and figures.coverage.sections[0].examples


def test_the_indicators_and_communities_are_the_apis(client: httpx.Client, figures: AnnualReport) -> None:
    measures = [{"of": m.of, "groupBy": list(m.group_by), "sum": m.sum} for m in MEASURES]
    found = graphql(client, "query($m: [IndicatorMeasure!]!) { indicators(measures: $m, lang: ZH) { rows { group { dimension value label } count sum } } }",
                    m=measures)["indicators"]
    for figure, answer in zip(figures.indicators, found, strict=True):
        dims = figure.measure.group_by
        rows = [row for row in answer["rows"]
                if "year" not in dims or row["group"][dims.index("year")]["value"] == str(YEAR)]
        shown = [(" / ".join(g["label"] for g in row["group"] if g["dimension"] != "year"), row["count"], row["sum"]) for row in rows]
        assert [(row.label, row.count, row.sum) for row in figure.rows] == shown
        assert figure.rows, figure.title
    kinds, rels = "[SCHOOL, ENTERPRISE, ALLIANCE, BASE]", '["COOPERATES_WITH", "MEMBER_OF", "HOSTED_BY", "PARTNERS_WITH"]'
    network = graphql(client, f"""{{ analytics(kinds: {kinds}, relationships: {rels}) {{
        communities(first: 10, members: 5) {{ count modularity run {{ nodes relationships }} communities {{ size members {{ name }} }} }}
        centrality(measure: DEGREE, first: 10) {{ rows {{ node {{ name }} score }} }} }} }}""")["analytics"]
    communities = network["communities"]
    ours = figures.network
    assert (ours.count, ours.modularity, ours.nodes, ours.relationships) == (
        communities["count"], communities["modularity"], communities["run"]["nodes"], communities["run"]["relationships"])
    assert [(c.size, [m.name for m in c.members]) for c in ours.communities] == [
        (c["size"], [m["name"] for m in c["members"]]) for c in communities["communities"]]
    assert [(c.member.name, c.score) for c in ours.central] == [(r["node"]["name"], r["score"]) for r in network["centrality"]["rows"]]


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def test_the_pdf_opens_and_every_page_renders(downloads: dict[str, bytes], figures: AnnualReport, tmp_path: Path,
                                               report_store_uri: str) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(downloads["pdf"])
    pages = pdf_pages(pdf)
    assert pages >= 6
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True, capture_output=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == pages
    for png in rendered:
        pixels = image.imread(png)
        assert pixels.std() > 0.01, f"{png.name} is blank"
    if report_store_uri.startswith("embedded:"):  # kept to look at: `make test` leaves them in var/screenshots
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        for png in rendered[:4]:
            (ARTEFACTS / f"report-{png.name}").write_bytes(png.read_bytes())
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{figures.synthetic.share:.1%}" in first and "合成数据" in first and str(YEAR) in first
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for chain in figures.chains:
        assert chain.name in text and f"{chain.demand:,}" in text and f"{chain.supply:,}" in text
    for target in figures.plan.targets:
        assert f"{target.trained:,}" in text


def test_the_html_names_nothing_outside_itself(downloads: dict[str, bytes], figures: AnnualReport) -> None:
    page = downloads["html"].decode("utf-8")
    # url(#…) and href="#…" point inside the page (clip paths, the contents); nothing else may
    assert re.findall(r"https?:|//[\w.-]+\.\w|\bsrc\s*=|url\((?!#)|href=\"(?!#)|<script|<link|@import", page, re.IGNORECASE) == []
    assert page.count("<svg") == 5  # the charts, inline
    first = page[: page.index('<section id="indicators"')]
    assert f"{figures.synthetic.share:.1%}" in first and "合成数据" in first
    for chain in figures.chains:
        assert f"<td>{chain.name}</td><td class=\"number\">{chain.demand:,}</td><td class=\"number\">{chain.supply:,}</td>" in page


def sheet_rows(book: Any, title: str) -> list[list[Any]]:
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def table_after(rows: list[list[Any]], title: str) -> list[list[Any]]:
    """The rows of the table titled `title`: below its title and header, up to the next empty row
    (row 1 is the sheet's own title)."""
    start = next(i for i, row in enumerate(rows) if i > 0 and row and row[0] == title) + 2
    found = []
    for row in rows[start:]:
        if not any(cell is not None for cell in row):
            break
        found.append(row)
    return found


def test_the_workbook_holds_the_same_numbers(downloads: dict[str, bytes], figures: AnnualReport) -> None:
    book = load_workbook(io.BytesIO(downloads["xlsx"]), read_only=True)
    assert len(book.sheetnames) == 7
    overview = sheet_rows(book, book.sheetnames[0])
    assert f"{figures.synthetic.share:.1%}" in overview[1][0]
    talent = sheet_rows(book, book.sheetnames[2])
    chains = table_after(talent, "各产业链人才缺口")
    assert [row[:4] for row in chains] == [[c.name, c.demand, c.supply, c.gap] for c in figures.chains]
    assert [row[8] for row in chains] == [c.synthetic.share for c in figures.chains]
    plan = table_after(sheet_rows(book, book.sheetnames[3]), "百千万计划目标")
    assert [row[2:6] for row in plan] == [[t.goal, t.trained, t.progress, t.years_met] for t in figures.plan.targets]
    coverage = table_after(sheet_rows(book, book.sheetnames[4]), f"覆盖缺口 · {YEAR}")
    assert [row[:2] for row in coverage] == [[s.label, s.count] for s in figures.coverage.sections]


def personal_values() -> list[str]:
    with (DATASET / "mentors.csv").open(encoding="utf-8") as mentors:
        return [row[column] for row in csv.DictReader(mentors) for column in ("email", "phone") if row[column]]


def test_the_report_holds_no_personal_data(downloads: dict[str, bytes], client: httpx.Client) -> None:
    values = personal_values()
    assert len(values) > 100
    book = load_workbook(io.BytesIO(downloads["xlsx"]), read_only=True)
    cells = "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    page = downloads["html"].decode("utf-8")
    assert [value for value in values if value in page or value in cells] == []
    assert "@chanjiao.example" not in page + cells
    refused = client.get("/report", params={"year": YEAR, "format": "html"}, headers={"X-API-Key": "not-a-key"})
    assert refused.status_code == 401  # the API's guard: credentials that do not check out


@pytest.mark.parametrize(("params", "message"), [
    ({"format": "pdf"}, "year: missing"),
    ({"year": "abc", "format": "pdf"}, "year 'abc' is not a year"),
    ({"year": "1800", "format": "pdf"}, "year 1800 is out of range"),
    ({"year": "2030", "format": "pdf"}, "no OFFERS or DEMANDS of 2030"),
    ({"year": "2024", "format": "doc"}, "format 'doc': a report is made as html, pdf, xlsx"),
    ({"year": "2024", "format": "pdf", "lang": "fr"}, "lang 'fr': a report is written in zh or en"),
])
def test_bad_arguments_get_clear_errors_from_the_route(client: httpx.Client, params: dict[str, str], message: str) -> None:
    response = client.get("/report", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_cli_writes_the_report_and_explains_bad_arguments(report_store_uri: str, report_store: GraphStore,
                                                              figures: AnnualReport, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "report.xlsx"
    done = runner.invoke(cli, ["report", "--store", report_store_uri, "--year", str(YEAR), "--format", "xlsx",
                               "--output", str(target), "--lang", "en"])
    assert done.exit_code == 0, done.output
    book = load_workbook(target, read_only=True)
    assert book.sheetnames[0] == f"Industry–education annual report · {YEAR}"[:31]
    talent = table_after(sheet_rows(book, book.sheetnames[2]), "Talent gaps by chain")
    assert [row[1:3] for row in talent] == [[c.demand, c.supply] for c in figures.chains]
    for args, message in (
        (["--year", "2030"], "no OFFERS or DEMANDS of 2030"),
        (["--year", "1800"], "year 1800 is out of range"),
        (["--year", "2024", "--output", str(tmp_path / "missing" / "r.pdf")], "does not exist"),
        (["--year", "2024", "--format", "doc"], "'doc' is not one of 'html', 'pdf', 'xlsx'"),
        (["--year", "abc"], "--year"),
    ):
        failed = runner.invoke(cli, ["report", "--store", report_store_uri, *args])
        said = " ".join(failed.output.replace("│", " ").split())  # typer boxes and wraps its own errors
        assert failed.exit_code == 2 and message in said, (args, failed.output)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.xlsx"]  # nothing half-written


def test_the_english_report_takes_the_labels_table(report_store: GraphStore) -> None:
    english = annual_report(report_store, YEAR, Lang.EN)
    assert [k.label for k in english.nodes][:3] == ["District", "Zone", "School"]
    assert english.talent.top[0].status_label == "SHORTAGE"
    assert english.coverage.sections[0].label == "Needed disciplines no school offers"


def test_figures_read_as_people_write_them() -> None:
    # Sums of whole amounts (openings, graduates) come back as floats: no ".00" on them.
    assert [number_text(value) for value in (344.0, 1342.0, 12.5, 1342.7, 7, Percent(0.25))] == [
        "344", "1,342", "12.50", "1,343", "7", "25.0%"]
