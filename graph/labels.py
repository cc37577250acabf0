"""Names for people, in Chinese and English: node kinds, relationship kinds, the coded values of
properties with choices (`Prop.choices`) and the columns of the file tables. The one table of them;
`tests/test_labels.py` checks it against `graph.model` (every kind, relationship, choice and column
has both, and nothing here names what the model does not have).

A coded value means the same wherever it is used (`national` is 国家级 for a base, a course and an
enterprise's integration level), so values are keyed by code alone."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


# (zh, en) per node label
KINDS: Final[dict[str, tuple[str, str]]] = {
    "District": ("区", "District"),
    "Zone": ("功能区", "Zone"),
    "School": ("学校", "School"),
    "Discipline": ("专业学科", "Discipline"),
    "Enterprise": ("企业", "Enterprise"),
    "IndustryChain": ("产业链", "Industry chain"),
    "Mentor": ("产业导师", "Mentor"),
    "Base": ("协同育人基地", "Training base"),
    "Alliance": ("产教联盟", "Alliance"),
    "Project": ("协同育人项目", "Training project"),
    "Course": ("精品课程", "Course"),
}

# (zh, en) per relationship type
RELATIONSHIPS: Final[dict[str, tuple[str, str]]] = {
    "LOCATED_IN": ("位于", "Located in"),
    "COVERS": ("覆盖", "Covers"),
    "PART_OF": ("隶属于", "Part of"),
    "IN_CHAIN": ("属于产业链", "In chain"),
    "NEEDS": ("需要专业", "Needs"),
    "OFFERS": ("开设（供给）", "Offers (supply)"),
    "DEMANDS": ("需求（岗位）", "Demands (openings)"),
    "COOPERATES_WITH": ("校企合作", "Cooperates with"),
    "EMPLOYED_BY": ("任职于", "Employed by"),
    "MENTORS_AT": ("任教于", "Mentors at"),
    "EXPERT_IN": ("擅长专业", "Expert in"),
    "HOSTED_BY": ("依托企业", "Hosted by"),
    "PARTNERS_WITH": ("合作学校", "Partners with"),
    "TRAINS": ("培养专业", "Trains"),
    "SERVES": ("服务产业链", "Serves"),
    "MEMBER_OF": ("成员单位", "Member of"),
    "LED_BY": ("牵头学校", "Led by"),
    "WITH": ("合作企业", "With"),
    "AT_BASE": ("依托基地", "At base"),
    "OFFERED_BY": ("开课学校", "Offered by"),
    "CO_DEVELOPED_WITH": ("共建企业", "Co-developed with"),
    "TEACHES": ("讲授专业", "Teaches"),
}

# (zh, en) per coded value of any property with choices
VALUES: Final[dict[str, tuple[str, str]]] = {
    # school and discipline levels, degree levels
    "undergraduate": ("本科", "Undergraduate"),
    "higher_vocational": ("高职专科", "Higher vocational"),
    "vocational_undergraduate": ("职业本科", "Vocational undergraduate"),
    "secondary_vocational": ("中职", "Secondary vocational"),
    "technician": ("技工院校", "Technician college"),
    "open_university": ("开放大学", "Open university"),
    "graduate_academic": ("学术学位研究生", "Graduate (academic)"),
    "graduate_professional": ("专业学位研究生", "Graduate (professional)"),
    "doctoral": ("博士", "Doctoral"),
    "master": ("硕士", "Master"),
    "bachelor": ("学士", "Bachelor"),
    "vocational": ("职业教育", "Vocational"),
    "on_job": ("在职培训", "On the job"),
    # school ownership
    "public": ("公办", "Public"),
    "private": ("民办", "Private"),
    "sino_foreign": ("中外合作", "Sino-foreign"),
    # zone kinds
    "new_area": ("新区", "New area"),
    "new_town": ("新城", "New town"),
    "business_district": ("商务区", "Business district"),
    "chemical_park": ("化工区", "Chemical park"),
    "science_city": ("科学城", "Science city"),
    # levels of recognition (enterprises, bases, courses)
    "national": ("国家级", "National"),
    "municipal": ("市级", "Municipal"),
    "district": ("区级", "District"),
    "cultivating": ("培育中", "Cultivating"),
    "none": ("无", "None"),
    # chain tiers
    "leading": ("引领产业", "Leading"),
    "key_cluster": ("重点产业集群", "Key cluster"),
    "segment": ("细分领域", "Segment"),
    # mentor tiers
    "industry_professor": ("产业教授", "Industry professor"),
    "industry_mentor": ("产业导师", "Industry mentor"),
    "industry_lecturer": ("产业讲师", "Industry lecturer"),
    # base types and programmes
    "employment": ("就业基地", "Employment"),
    "teaching": ("教学基地", "Teaching"),
    "practice": ("实践基地", "Practice"),
    "joint_graduate_base": ("研究生联合培养基地", "Joint graduate base"),
    "modern_industry_college": ("现代产业学院", "Modern industry college"),
    "future_technology_college": ("未来技术学院", "Future technology college"),
    "productive_training_center": ("生产性实训基地", "Productive training centre"),
    "high_skill_base": ("高技能人才培养基地", "High-skill base"),
    "worldskills_base": ("世界技能大赛集训基地", "WorldSkills base"),
    "postdoc_workstation": ("博士后工作站", "Postdoc workstation"),
    "other": ("其他", "Other"),
    # project types and statuses
    "order_training": ("订单培养", "Order training"),
    "joint_enrollment": ("联合招生", "Joint enrolment"),
    "joint_rd": ("联合研发", "Joint R&D"),
    "training_camp": ("集训营", "Training camp"),
    "apprenticeship": ("现代学徒制", "Apprenticeship"),
    "on_job_training": ("在职培训", "On-the-job training"),
    "proposed": ("申报中", "Proposed"),
    "approved": ("已立项", "Approved"),
    "running": ("实施中", "Running"),
    "completed": ("已完成", "Completed"),
    "evaluated": ("已评估", "Evaluated"),
    # alliance roles
    "lead": ("牵头单位", "Lead"),
    "member": ("成员单位", "Member"),
    # enterprise sizes
    "large": ("大型", "Large"),
    "medium": ("中型", "Medium"),
    "small": ("小型", "Small"),
    "micro": ("微型", "Micro"),
}

# (zh, en) per column of a file table: properties, reference columns and relationship endpoints
COLUMNS: Final[dict[str, tuple[str, str]]] = {
    "code": ("代码", "Code"),
    "id": ("编号", "Identifier"),
    "uscc": ("统一社会信用代码", "Credit code"),
    "name": ("名称", "Name"),
    "name_en": ("英文名称", "English name"),
    "longitude": ("经度", "Longitude"),
    "latitude": ("纬度", "Latitude"),
    "kind": ("类别", "Kind"),
    "kinds": ("合作形式", "Kinds"),
    "level": ("层次", "Level"),
    "degree_level": ("学历层次", "Degree level"),
    "integration_level": ("产教融合型企业等级", "Integration level"),
    "tier": ("层级", "Tier"),
    "type": ("类型", "Type"),
    "program": ("项目类别", "Programme"),
    "status": ("状态", "Status"),
    "size": ("企业规模", "Size"),
    "ownership": ("性质", "Ownership"),
    "authority": ("主管部门", "Authority"),
    "double_first_class": ("双一流", "Double First-Class"),
    "benchmark": ("标杆学校", "Benchmark school"),
    "category": ("门类", "Category"),
    "major_class": ("专业类", "Major class"),
    "leading": ("龙头企业", "Leading enterprise"),
    "industry_code": ("行业代码", "Industry code"),
    "in_municipal_pool": ("入选市级师资库", "In municipal pool"),
    "email": ("电子邮箱", "E-mail"),
    "phone": ("电话", "Phone"),
    "capacity": ("年培养容量", "Capacity"),
    "founded": ("成立年份", "Founded"),
    "start_year": ("开始年份", "Start year"),
    "end_year": ("结束年份", "End year"),
    "trained": ("培养人数", "Trained"),
    "year": ("年份", "Year"),
    "since": ("起始年份", "Since"),
    "weight": ("权重", "Weight"),
    "enrollment": ("招生人数", "Enrolment"),
    "graduates": ("毕业生数", "Graduates"),
    "openings": ("岗位需求数", "Openings"),
    "role": ("角色", "Role"),
    "district": ("所在区", "District"),
    "districts": ("覆盖区", "Districts"),
    "chain": ("产业链", "Chain"),
    "chains": ("产业链", "Chains"),
    "parent": ("上级产业链", "Parent chain"),
    "employer": ("任职企业", "Employer"),
    "discipline": ("专业", "Discipline"),
    "disciplines": ("专业", "Disciplines"),
    "host": ("依托企业", "Host"),
    "school": ("学校", "School"),
    "schools": ("合作学校", "Schools"),
    "lead_school": ("牵头学校", "Lead school"),
    "base": ("基地", "Base"),
    "enterprise": ("企业", "Enterprise"),
    "enterprises": ("企业", "Enterprises"),
    "member": ("成员单位", "Member"),
    "alliance": ("联盟", "Alliance"),
    "mentor": ("导师", "Mentor"),
}

# (zh, en) per heading of the CLI's tables and the reports' answers (not model names)
HEADINGS: Final[dict[str, tuple[str, str]]] = {
    "Chanjiao Graph": ("产教图谱", "Chanjiao Graph"),
    "kind": ("类别", "kind"),
    "count": ("数量", "count"),
    "synthetic": ("其中合成", "synthetic"),
    "code": ("代码", "code"),
    "discipline": ("专业", "discipline"),
    "demand": ("需求", "demand"),
    "supply": ("供给", "supply"),
    "gap": ("缺口", "gap"),
    "ratio": ("供需比", "ratio"),
    "status": ("状态", "status"),
    "district": ("区", "district"),
    "disciplines": ("专业数", "disciplines"),
    "partner": ("合作伙伴", "partner"),
    "score": ("得分", "score"),
    "discipline fit": ("专业匹配", "discipline fit"),
    "capacity": ("容量", "capacity"),
    "proximity": ("距离", "proximity"),
    "ties": ("既有联系", "ties"),
    "existing": ("已合作", "existing"),
    "yes": ("是", "yes"),
    "(no district)": ("（无区）", "(no district)"),
    "Talent gap": ("人才缺口", "Talent gap"),
    "Talent gap by district": ("分区人才缺口", "Talent gap by district"),
    "chain": ("产业链", "chain"),
    "partners for": ("合作伙伴推荐：", "partners for"),
    "SHORTAGE": ("紧缺", "SHORTAGE"),
    "SURPLUS": ("过剩", "SURPLUS"),
    "BALANCED": ("平衡", "BALANCED"),
    "text": ("文本", "text"),
    "whole number": ("整数", "whole number"),
    "number": ("数值", "number"),
    "yes/no (是/否, true/false, 1/0)": ("是/否（是/否、true/false、1/0）", "yes/no (是/否, true/false, 1/0)"),
    "';'-separated list": ("以“;”分隔的列表", "';'-separated list"),
    "type": ("类型", "type"),
    "required": ("必填", "required"),
    "one of": ("取值", "one of"),
    # the annual report (reports/)
    "Annual report": ("产教融合协同育人年度报告", "Industry–education annual report"),
    "Generated": ("生成时间", "Generated"),
    "Data version": ("数据版本", "Data version"),
    "Synthetic share": ("合成数据占比", "Synthetic share"),
    "State of the ecosystem": ("生态概况", "State of the ecosystem"),
    "Key indicators": ("关键指标", "Key indicators"),
    "Talent gaps by chain": ("各产业链人才缺口", "Talent gaps by chain"),
    "Trend": ("供需趋势", "Trend"),
    "Largest gaps": ("缺口最大的专业", "Largest gaps"),
    "All chains": ("全部产业链", "All chains"),
    "Plan targets": ("百千万计划目标", "Plan targets (百千万)"),
    "Coverage gaps": ("覆盖缺口", "Coverage gaps"),
    "Networks and communities": ("合作网络与社群", "Networks and communities"),
    "Method and data sources": ("方法与数据来源", "Method and data sources"),
    "Sources": ("数据来源文件", "Sources"),
    "relationships": ("关系", "relationships"),
    "this year": ("当年", "this year"),
    "sum": ("合计", "sum"),
    "shortages": ("紧缺专业数", "shortages"),
    "surpluses": ("过剩专业数", "surpluses"),
    "target": ("目标", "target"),
    "basis": ("口径", "basis"),
    "goal": ("目标值", "goal"),
    "trained": ("已培养", "trained"),
    "progress": ("完成度", "progress"),
    "years met": ("达标年数", "years met"),
    "skilled": ("技能人才", "skilled"),
    "PERIOD": ("规划期合计", "plan period"),
    "YEAR": ("每年", "every year"),
    "community": ("社群", "community"),
    "size": ("规模", "size"),
    "members": ("主要成员", "best connected members"),
    "modularity": ("模块度", "modularity"),
    "degree": ("度中心性", "degree centrality"),
    "Most connected": ("联系最多的单位", "Most connected"),
    "disciplines_not_offered": ("无学校开设的所需专业", "Needed disciplines no school offers"),
    "areas_without_base": ("缺少某类基地的区和功能区", "Districts and zones without a base of a type"),
    "schools_without_mentor": ("无产业导师的学校", "Schools without an industry mentor"),
    "chains_without_alliance": ("无联盟服务的产业链", "Chains no alliance serves"),
    "enterprises_without_alliance": ("未加入联盟的企业", "Enterprises in no alliance"),
}

TABLES: Final = {"kind": KINDS, "relationship": RELATIONSHIPS, "value": VALUES, "column": COLUMNS, "heading": HEADINGS}


def _pick(table: dict[str, tuple[str, str]], code: str, lang: Lang) -> str:
    found = table.get(code)
    if found is None:
        return code
    return found[0] if lang is Lang.ZH else found[1]


def kind_label(label: str, lang: Lang) -> str:
    """A node kind's name, or the label itself when it has none."""
    return _pick(KINDS, label, lang)


def relationship_label(rel_type: str, lang: Lang) -> str:
    return _pick(RELATIONSHIPS, rel_type, lang)


def value_label(code: str, lang: Lang) -> str:
    """A coded value's name (`national` → 国家级), or the code itself for free text."""
    return _pick(VALUES, code, lang)


def column_label(column: str, lang: Lang) -> str:
    return _pick(COLUMNS, column, lang)


def heading(word: str, lang: Lang) -> str:
    """A heading of a printed table (`demand` → 需求)."""
    return _pick(HEADINGS, word, lang)


def kind_or_relationship_label(name: str, lang: Lang) -> str:
    """For tables that list node kinds and relationship types together (`chanjiao stats`)."""
    return kind_label(name, lang) if name in KINDS else relationship_label(name, lang)
