"""A tiny hand-written graph the API tests query; expected answers in the tests are worked out
by hand from these rows."""

from __future__ import annotations

from graph.records import NodeRef, Provenance, RelRow
from graph.store import GraphStore

SJTU, FUDAN, USST, SEIT = "1024810248", "1024610246", "1025210252", "4131012345"
SMIC, UNITED = "913100006073349865", "91310115MA1HB61118"
PROVENANCE = Provenance(source="tests/api/dataset.py", loaded_at="2025-01-01T00:00:00Z")

NODES: dict[str, list[dict[str, object]]] = {
    "District": [
        {"code": "310104", "name": "徐汇区"},
        {"code": "310110", "name": "杨浦区"},
        {"code": "310112", "name": "闵行区"},
    ],
    "School": [
        {"code": SJTU, "name": "上海交通大学", "name_en": "Shanghai Jiao Tong University", "level": "undergraduate",
         "double_first_class": True},
        {"code": FUDAN, "name": "复旦大学", "name_en": "Fudan University", "level": "undergraduate", "double_first_class": True},
        {"code": USST, "name": "上海理工大学", "level": "undergraduate", "double_first_class": False},
        {"code": SEIT, "name": "上海电子信息职业技术学院", "level": "higher_vocational", "double_first_class": False},
    ],
    "Discipline": [
        {"code": "080901", "name": "计算机科学与技术", "level": "undergraduate"},
        {"code": "080704", "name": "微电子科学与工程", "level": "undergraduate"},
        {"code": "100201", "name": "临床医学", "level": "undergraduate"},
        {"code": "510201", "name": "计算机应用技术", "level": "higher_vocational"},
    ],
    "IndustryChain": [
        {"code": "IC", "name": "集成电路", "tier": "leading"},
        {"code": "BIO", "name": "生物医药", "tier": "leading"},
        {"code": "AI", "name": "人工智能", "tier": "leading"},
        {"code": "IC-DESIGN", "name": "芯片设计", "tier": "segment"},
    ],
    "Enterprise": [
        {"uscc": SMIC, "name": "中芯国际集成电路制造(上海)有限公司", "size": "large", "leading": True},
        {"uscc": UNITED, "name": "上海联影医疗科技股份有限公司", "size": "large", "leading": True},
    ],
    "Mentor": [
        {"id": "M001", "name": "张伟", "tier": "industry_professor", "email": "zhang.wei@example.com", "phone": "13800000001"},
        {"id": "M002", "name": "李娜", "tier": "industry_mentor"},
    ],
    "Alliance": [
        {"id": "A-IC", "name": "上海集成电路产教融合联盟", "founded": 2021},
        {"id": "A-BIO", "name": "上海生物医药产教融合联盟", "founded": 2019},
    ],
}


def _rel(rel_type: str, source: tuple[str, str], target: tuple[str, str], key: dict[str, object] | None = None,
         **props: object) -> RelRow:
    return RelRow(rel_type, NodeRef(*source), NodeRef(*target), key or {}, props)


def _offers(school: str, discipline: str, year: int, enrollment: int, graduates: int) -> RelRow:
    return _rel("OFFERS", ("School", school), ("Discipline", discipline), {"year": year},
                enrollment=enrollment, graduates=graduates)


RELATIONSHIPS: list[RelRow] = [
    _rel("LOCATED_IN", ("School", SJTU), ("District", "310112")),
    _rel("LOCATED_IN", ("School", FUDAN), ("District", "310110")),
    _rel("LOCATED_IN", ("School", USST), ("District", "310110")),
    _rel("LOCATED_IN", ("School", SEIT), ("District", "310112")),
    _rel("LOCATED_IN", ("Enterprise", SMIC), ("District", "310112")),
    _rel("PART_OF", ("IndustryChain", "IC-DESIGN"), ("IndustryChain", "IC")),
    _rel("NEEDS", ("IndustryChain", "IC"), ("Discipline", "080704"), weight=1.0),
    _rel("NEEDS", ("IndustryChain", "IC"), ("Discipline", "080901"), weight=0.5),
    _rel("NEEDS", ("IndustryChain", "AI"), ("Discipline", "080901"), weight=1.0),
    _rel("NEEDS", ("IndustryChain", "BIO"), ("Discipline", "100201"), weight=1.0),
    _offers(SJTU, "080901", 2023, 200, 180),
    _offers(SJTU, "080901", 2022, 190, 175),
    _offers(SJTU, "080704", 2023, 100, 90),
    _offers(SJTU, "100201", 2023, 150, 140),
    _offers(FUDAN, "080901", 2023, 180, 170),
    _offers(FUDAN, "100201", 2023, 200, 190),
    _offers(USST, "080901", 2023, 300, 280),
    _offers(SEIT, "510201", 2023, 400, 380),
    _rel("IN_CHAIN", ("Enterprise", SMIC), ("IndustryChain", "IC")),
    _rel("IN_CHAIN", ("Enterprise", UNITED), ("IndustryChain", "BIO")),
    _rel("DEMANDS", ("Enterprise", SMIC), ("Discipline", "080704"), {"year": 2023}, openings=120, level="undergraduate"),
    _rel("DEMANDS", ("Enterprise", SMIC), ("Discipline", "080901"), {"year": 2023}, openings=60),
    _rel("EMPLOYED_BY", ("Mentor", "M001"), ("Enterprise", SMIC)),
    _rel("EMPLOYED_BY", ("Mentor", "M002"), ("Enterprise", SMIC)),
    _rel("MENTORS_AT", ("Mentor", "M001"), ("School", SJTU), since=2020, role="产业教授"),
    _rel("MEMBER_OF", ("School", SJTU), ("Alliance", "A-IC"), role="lead"),
    _rel("MEMBER_OF", ("Enterprise", SMIC), ("Alliance", "A-IC"), role="member"),
    _rel("MEMBER_OF", ("School", FUDAN), ("Alliance", "A-BIO"), role="lead"),
    _rel("SERVES", ("Alliance", "A-IC"), ("IndustryChain", "IC")),
]


def load(store: GraphStore) -> None:
    for label, rows in NODES.items():
        store.upsert_nodes(label, rows, PROVENANCE)
    store.upsert_relationships(RELATIONSHIPS, PROVENANCE)
