"""The `analytics` part of the root `Query` (DESIGN §4): graph analyses for researchers on the
subgraph chosen by `analytics(kinds:, relationships:, chain:, districts:)`. Every result carries
`run`: which algorithm and engine, on which data version, when, and whether it came from the cache."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import Info
from strawberry.scalars import JSON

from api.arguments import given
from api.entities.pages import wrap
from api.entities.types import Kind, Node
from api.errors import UserInputError
from api.network import global_id_of, run_query
from api.provenance_types import SyntheticShare, synthetic_share
from api.relay import from_global_id
from graph import records
from graph.projection import Selection
from queries import analytics


@strawberry.enum(description="A centrality measure")
class CentralityMeasure(Enum):
    DEGREE = "degree"
    BETWEENNESS = "betweenness"
    PAGERANK = "pagerank"


@strawberry.enum(description="A community detection method (both maximise modularity)")
class CommunityMethod(Enum):
    LOUVAIN = "louvain"
    LEIDEN = "leiden"


@strawberry.enum(description="A link prediction score over shared neighbours")
class LinkPredictionMethod(Enum):
    ADAMIC_ADAR = "adamic_adar"
    RESOURCE_ALLOCATION = "resource_allocation"
    COMMON_NEIGHBOURS = "common_neighbours"


@strawberry.type(description="How an analysis was computed")
class AnalysisRun:
    algorithm: str
    engine: str = strawberry.field(description="igraph or scipy")
    parameters: JSON
    selection: str = strawberry.field(description="The subgraph analysed")
    data_version: str = strawberry.field(description="The store's data version the result holds for")
    computed_at: datetime
    nodes: int = strawberry.field(description="Nodes in the analysed subgraph")
    relationships: int = strawberry.field(description="Relationships in the analysed subgraph")
    cached: bool = strawberry.field(description="Answered from the cache (the data has not changed since)")
    synthetic: SyntheticShare = strawberry.field(description="How many of the analysed nodes and relationships are synthetic")


@strawberry.type(description="A node of an analysis result")
class AnalysedNode:
    id: strawberry.ID
    kind: str
    key: str
    name: str | None

    @strawberry.field(description="The node itself, with all its fields and relationships (null if it was deleted since)")
    async def node(self, info: Info) -> Node | None:
        found = await info.context.loaders.nodes.load(records.NodeRef(self.kind, self.key))
        return wrap(found) if found is not None else None


@strawberry.type(description="A node and its score")
class ScoredNode:
    node: AnalysedNode
    score: float


@strawberry.type(description="Nodes by centrality, highest first")
class CentralityResult:
    run: AnalysisRun
    rows: list[ScoredNode]


@strawberry.type(description="The k-core: nodes with at least k neighbours inside it; `score` is the core number")
class KCoreResult:
    run: AnalysisRun
    k: int
    max_core: int
    size: int
    rows: list[ScoredNode]


@strawberry.type(description="A community: its size and its best connected members")
class Community:
    id: int
    size: int
    members: list[AnalysedNode]


@strawberry.type(description="Communities, largest first")
class CommunitiesResult:
    run: AnalysisRun
    modularity: float
    count: int
    communities: list[Community]


@strawberry.type(description="A pair of nodes and its score")
class ScoredPair:
    source: AnalysedNode
    target: AnalysedNode
    score: float
    shared: int = strawberry.field(description="Neighbours (or, for the projection, disciplines and alliances) they share")
    parts: JSON = strawberry.field(description="The projection's weight by part: disciplines, alliances")


@strawberry.type(description="Pairs by score, best first")
class PairResult:
    run: AnalysisRun
    rows: list[ScoredPair]


def _run(computed: analytics.Computed) -> AnalysisRun:
    return AnalysisRun(
        algorithm=computed.algorithm, engine=computed.engine, parameters=JSON(computed.parameters),
        selection=computed.selection, data_version=computed.data_version,
        computed_at=datetime.fromisoformat(computed.computed_at), nodes=computed.nodes,
        relationships=computed.relationships, cached=computed.cached, synthetic=synthetic_share(computed.synthetic),
    )


def _node(node: analytics.NodeInfo) -> AnalysedNode:
    return AnalysedNode(id=global_id_of(node.id), kind=node.label, key=node.key, name=node.name)


def _scored(rows: list[analytics.NodeScore]) -> list[ScoredNode]:
    return [ScoredNode(node=_node(row.node), score=row.score) for row in rows]


def _pairs(result: analytics.PairRanking) -> PairResult:
    rows = [
        ScoredPair(source=_node(r.source), target=_node(r.target), score=r.score, shared=r.shared, parts=JSON(r.parts))
        for r in result.rows
    ]
    return PairResult(run=_run(result.computed), rows=rows)


def _between(kinds: list[Kind] | None) -> tuple[str, str]:
    labels = [kind.value for kind in kinds or ()] or ["School", "Enterprise"]
    if len(labels) != 2:
        raise UserInputError(f"between takes two kinds, e.g. [SCHOOL, ENTERPRISE], not {len(labels)}")
    return labels[0], labels[1]


FirstArgument = Annotated[int, strawberry.argument(description="How many rows")]
BetweenArgument = Annotated[list[Kind] | None, strawberry.argument(description="The two kinds paired; SCHOOL and ENTERPRISE when omitted")]


@strawberry.type(description="Analyses of the selected subgraph; each field computes (or recalls) one")
class Analytics:
    selection: strawberry.Private[Selection]

    @strawberry.field(description="Selection of the subgraph, as text")
    def subgraph(self) -> str:
        return self.selection.describe()

    @strawberry.field(description="Degree, betweenness or PageRank centrality, highest first")
    async def centrality(
        self, info: Info, measure: CentralityMeasure = CentralityMeasure.PAGERANK, first: FirstArgument = 20,
        cutoff: Annotated[int | None, strawberry.argument(description="Betweenness over paths of at most this many hops")] = strawberry.UNSET,
        sample: Annotated[int | None, strawberry.argument(description="Betweenness estimated from this many random sources")] = strawberry.UNSET,
    ) -> CentralityResult:
        limit = info.context.settings.analysis_max_elements
        found = await run_query(
            info, analytics.centrality, self.selection, measure.value, first, given(cutoff), limit, given(sample)
        )
        return CentralityResult(run=_run(found.computed), rows=_scored(found.rows))

    @strawberry.field(description="Louvain or Leiden communities, largest first")
    async def communities(
        self, info: Info, method: CommunityMethod = CommunityMethod.LEIDEN, resolution: float = 1.0, seed: int = 0,
        first: FirstArgument = 20,
        members: Annotated[int, strawberry.argument(description="Members listed per community")] = 20,
    ) -> CommunitiesResult:
        limit = info.context.settings.analysis_max_elements
        found = await run_query(
            info, analytics.communities, self.selection, method.value, resolution, seed, first, members, limit
        )
        communities = [Community(id=c.id, size=c.size, members=[_node(m) for m in c.members]) for c in found.communities]
        return CommunitiesResult(run=_run(found.computed), modularity=found.modularity, count=found.count, communities=communities)

    @strawberry.field(description="The k-core (the largest k when omitted)")
    async def k_core(self, info: Info, k: int | None = strawberry.UNSET, first: FirstArgument = 100) -> KCoreResult:
        limit = info.context.settings.analysis_max_elements
        found = await run_query(info, analytics.k_core, self.selection, given(k), first, limit)
        return KCoreResult(run=_run(found.computed), k=found.k, max_core=found.max_core, size=found.size, rows=_scored(found.rows))

    @strawberry.field(description="Partner recommendations: pairs not linked yet, ranked by what they share")
    async def link_prediction(
        self, info: Info, method: LinkPredictionMethod = LinkPredictionMethod.ADAMIC_ADAR,
        between: BetweenArgument = strawberry.UNSET, first: FirstArgument = 20,
    ) -> PairResult:
        limit = info.context.settings.analysis_max_elements
        found = await run_query(info, analytics.link_prediction, self.selection, method.value, _between(given(between)), first, limit)
        return _pairs(found)

    @strawberry.field(description="Jaccard similarity of neighbours: nodes most like `node`, or the most alike pairs of `kind`")
    async def similarity(
        self, info: Info, node: strawberry.ID | None = strawberry.UNSET, kind: Kind | None = strawberry.UNSET,
        first: FirstArgument = 20,
    ) -> PairResult:
        center, chosen = given(node), given(kind)
        ref = from_global_id(center) if center else None
        label = chosen.value if chosen is not None else None
        limit = info.context.settings.analysis_max_elements
        return _pairs(await run_query(info, analytics.similarity, self.selection, ref, label, first, limit))

    @strawberry.field(description="School–enterprise pairs weighted by shared disciplines and alliances")
    async def projection(self, info: Info, between: BetweenArgument = strawberry.UNSET, first: FirstArgument = 20) -> PairResult:
        limit = info.context.settings.analysis_max_elements
        found = await run_query(info, analytics.school_enterprise_projection, self.selection, _between(given(between)), first, limit)
        return _pairs(found)


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="Graph analyses of the whole graph or of the subgraph these arguments select")
    def analytics(
        self,
        kinds: Annotated[list[Kind] | None, strawberry.argument(description="Node kinds kept (all when omitted)")] = strawberry.UNSET,
        relationships: Annotated[list[str] | None, strawberry.argument(description="Relationship kinds kept (all when omitted)")] = strawberry.UNSET,
        chain: Annotated[str | None, strawberry.argument(description="Only the chain's enterprises (segments included) and their neighbours")] = strawberry.UNSET,
        districts: Annotated[list[str] | None, strawberry.argument(description="Only schools, enterprises and bases in these districts")] = strawberry.UNSET,
    ) -> Analytics:
        try:
            selection = Selection.of(
                [kind.value for kind in given(kinds) or ()], given(relationships), given(chain), given(districts)
            )
        except ValueError as error:
            raise UserInputError(str(error)) from None
        return Analytics(selection=selection)
