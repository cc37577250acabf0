"""The matching half of `ProtocolInsights`: subject and candidate facts for `partnerMatches`,
read with batched `neighbours` calls of the `GraphStore` protocol."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from graph.filters import Compare, Op
from graph.insights import (
    AMOUNTS,
    NO_FLOWS,
    ORGANISATION_RELS,
    PROFILE_RELS,
    SCHOOL_LINK_RELS,
    TIE_PATHS,
    Counted,
    MatchCandidate,
    MatchFacts,
    MatchSubject,
    Named,
    Place,
    Ties,
)
from graph.records import Direction, Neighbour, Node, NodeRef
from graph.store import GraphStore

OUT, IN = Direction.OUT, Direction.IN


def named(node: Node) -> Named:
    return Named(node.label, node.key, str(node.props.get("name", node.key)))


def place(node: Node) -> Place:
    props = node.props
    return Place(node.key, str(props.get("name", node.key)), props.get("longitude"), props.get("latitude"))


def latest_year(hits: Iterable[Neighbour], year: int | None) -> int | None:
    """`year`, or the latest year among these yearly relationships (None when there are none)."""
    if year is not None:
        return year
    return max((int(hit.rel.props["year"]) for hit in hits), default=None)


def in_year(hits: Iterable[Neighbour], year: int | None) -> list[Neighbour]:
    return [hit for hit in hits if year is None or hit.rel.props.get("year") == year]


def amount(hit: Neighbour) -> int:
    return int(hit.rel.props.get(AMOUNTS.get(hit.rel.rel_type, ""), 0) or 0)


def flows_of(hits: Iterable[Neighbour]) -> Counted:
    """How many relationships these are, and how many of them synthetic."""
    found = [hit.rel.props.get("synthetic") is True for hit in hits]
    return Counted(len(found), sum(found))


class ProtocolMatching:
    store: GraphStore

    def hits(self, label: str, keys: Iterable[str], rel_type: str, direction: Direction, year: int | None = None) -> dict[str, list[Neighbour]]:
        where = None if year is None else Compare("year", Op.EQ, year)
        found = self.store.neighbours([NodeRef(label, key) for key in sorted(set(keys))], rel_type, direction, where)
        return {ref.key: hits for ref, hits in found.items()}

    # -- the subject -------------------------------------------------------------------------

    def match_facts(self, ref: NodeRef, partner_label: str, year: int | None) -> MatchFacts | None:
        subject = self.match_subject(ref, year)
        return None if subject is None else MatchFacts(subject, self.match_candidates(subject, partner_label))

    def match_subject(self, ref: NodeRef, year: int | None) -> MatchSubject | None:
        node = self.store.get_nodes(ref.label, [ref.key]).get(ref.key)
        if node is None:
            return None
        if ref.label in ("School", "Enterprise"):
            rel = PROFILE_RELS[ref.label].rel_type
            flows = self.hits(ref.label, [ref.key], rel, OUT)[ref.key]
            schools = frozenset([ref.key]) if ref.label == "School" else frozenset()
            where = self.places(ref.label, [ref.key]).get(ref.key)
        elif ref.label == "Discipline":
            flows = self.hits("Discipline", [ref.key], "OFFERS", IN)[ref.key]
            where = None
        else:
            located = self.hits("District", [ref.key], "LOCATED_IN", IN)[ref.key]
            schools = frozenset(hit.node.key for hit in located if hit.node.label == "School")
            flows = [hit for hits in self.hits("School", schools, "OFFERS", OUT).values() for hit in hits]
            where = place(node)
        year = latest_year(flows, year)
        flows = in_year(flows, year)
        if ref.label == "Discipline":
            schools = frozenset(hit.rel.source.key for hit in flows)
        return self.subject(node, year, flows, where, schools)

    def subject(
        self, node: Node, year: int | None, flows: list[Neighbour], where: Place | None, schools: frozenset[str]
    ) -> MatchSubject:
        profile: dict[str, int] = defaultdict(int)
        names: dict[str, str] = {}
        for hit in flows:
            discipline = hit.node if hit.node.label == "Discipline" else node
            profile[discipline.key] += amount(hit)
            names[discipline.key] = named(discipline).name
        enterprise = node.key if node.label == "Enterprise" else None
        ties = self.ties("Enterprise", [enterprise]) if enterprise else self.ties("School", schools)
        return MatchSubject(node, year, dict(profile), names, where, schools, enterprise, ties, flows_of(flows))

    def ties(self, side: str, keys: Iterable[str]) -> dict[str, Ties]:
        """Counterpart key → its ties with these schools (side School) or this enterprise."""
        starts = self.store.get_nodes(side, sorted(set(keys)))
        found: dict[str, Ties] = defaultdict(Ties)
        for kind, hops in TIE_PATHS[side].items():
            for start, via, other in self.walk(side, starts, hops):
                school, enterprise = (start, other) if side == "School" else (other, start)
                found[other.key].add(kind, named(via), named(school), named(enterprise))
        return dict(found)

    def walk(self, side: str, starts: Mapping[str, Node], hops: Sequence[tuple[str, Direction]]) -> list[tuple[Node, Node, Node]]:
        """`(start, middle, end)` along one or two hops; the middle is the start for one hop."""
        other = "Enterprise" if side == "School" else "School"
        (rel, direction), *rest = hops
        first = self.hits(side, starts, rel, direction)
        pairs = [(starts[key], hit.node) for key, hits in first.items() for hit in hits]
        if not rest:
            return [(start, start, end) for start, end in pairs if end.label == other]
        (rel2, direction2), = rest
        middles = {middle.key: middle for _, middle in pairs}
        label = next(iter(middles.values())).label if middles else side
        second = self.hits(label, middles, rel2, direction2)
        return [
            (start, middle, hit.node)
            for start, middle in pairs
            for hit in second.get(middle.key, [])
            if hit.node.label == other
        ]

    # -- the candidates ----------------------------------------------------------------------

    def match_candidates(self, subject: MatchSubject, partner_label: str) -> list[MatchCandidate]:
        profile = PROFILE_RELS[partner_label]
        year = subject.year if profile.yearly else None
        matched, flows = self.shared(subject, partner_label, year)
        keys = (set(matched) | self.tied(subject, partner_label)) - ({subject.node.key} if subject.node.label == partner_label else set())
        nodes = self.store.get_nodes(partner_label, sorted(keys))
        refs = [node.ref for _, node in sorted(nodes.items())]
        where = None if year is None else Compare("year", Op.EQ, year)
        # A school's own count is never the fit's denominator (see MatchCandidate).
        sizes = {} if partner_label == "School" else self.store.count_neighbours(refs, profile.rel_type, OUT, where)
        organisations = self.organisations(partner_label, nodes)
        places = self.places(partner_label, nodes, organisations)
        links = self.school_links(partner_label, nodes)
        return [
            MatchCandidate(
                nodes[ref.key], matched.get(ref.key, {}), sizes.get(ref, 0), places.get(ref.key),
                organisations.get(ref.key), frozenset(links.get(ref.key, [])) & subject.schools,
                nodes[ref.key].props.get("capacity") if partner_label == "Base" else None,
                len(links.get(ref.key, [])) if partner_label == "Mentor" else 0, flows.get(ref.key, NO_FLOWS),
            )
            for ref in refs
        ]

    def shared(self, subject: MatchSubject, label: str, year: int | None) -> tuple[dict[str, dict[str, int]], dict[str, Counted]]:
        """Partner key → its amount of each discipline of the subject's profile it also has, and
        partner key → the relationships summed for it."""
        found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        summed: dict[str, list[Neighbour]] = defaultdict(list)
        by_discipline = self.hits("Discipline", subject.profile, PROFILE_RELS[label].rel_type, IN, year)
        for code, hits in by_discipline.items():
            for hit in hits:
                if hit.node.label == label:
                    found[hit.node.key][code] += amount(hit)
                    summed[hit.node.key].append(hit)
        return {key: dict(amounts) for key, amounts in found.items()}, {key: flows_of(hits) for key, hits in summed.items()}

    def tied(self, subject: MatchSubject, label: str) -> set[str]:
        """Partners tied to the subject: its counterparts, or the mentors and bases of tied
        enterprises and of its schools."""
        if label in ("School", "Enterprise"):
            return set(subject.ties)
        employed = self.hits("Enterprise", subject.ties, ORGANISATION_RELS[label], IN)
        linked = self.hits("School", subject.schools, SCHOOL_LINK_RELS[label], IN)
        return {hit.node.key for found in (employed, linked) for hits in found.values() for hit in hits}

    def organisations(self, label: str, keys: Iterable[str]) -> dict[str, str]:
        if label not in ORGANISATION_RELS:
            return {key: key for key in keys}
        found = self.hits(label, keys, ORGANISATION_RELS[label], OUT)
        return {key: hits[0].node.key for key, hits in found.items() if hits}

    def places(self, label: str, keys: Iterable[str], organisations: Mapping[str, str] | None = None) -> dict[str, Place]:
        """Each node's district; a mentor's is its employer's."""
        if label == "Mentor":
            employers = self.places("Enterprise", set((organisations or {}).values()))
            return {key: employers[org] for key, org in (organisations or {}).items() if org in employers}
        found = self.hits(label, keys, "LOCATED_IN", OUT)
        return {key: place(hits[0].node) for key, hits in found.items() if hits}

    def school_links(self, label: str, keys: Iterable[str]) -> dict[str, list[str]]:
        if label not in SCHOOL_LINK_RELS:
            return {}
        found = self.hits(label, keys, SCHOOL_LINK_RELS[label], OUT)
        return {key: [hit.node.key for hit in hits] for key, hits in found.items()}
