"""Words and proportions the synthetic generator draws from: plausible, never real records.

Everything here shapes how the made-up ecosystem looks (names, sizes, where each industry
clusters); nothing here is a fact about a real organisation or person.
"""

from __future__ import annotations

from typing import Final

SYNTHETIC_MARK: Final = "【示例】"  # prefixes the name of every synthetic record
YEARS: Final = (2021, 2022, 2023, 2024, 2025)  # the action plan's period

# Two-character brands are built from these syllables (80 of them, all distinct).
BRAND_SYLLABLES: Final = (
    "华芯澜瑞晟睿联鼎峰源宏嘉恒泰博创领航舜翔璟昊元正信达凯腾远拓岚汇新力安康"
    "优德智诚美合盛云帆禾景明道至臻卓越启星辰海川宸峻奕琪朗微科宁灏铭晨致同弘"
)
SURNAMES: Final = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
GIVEN_CHARS: Final = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红鹏辉建文斌宇浩凯健俊帆旭宁龙林欣晨颖倩琳雪慧婷佳博睿思怡嘉子梓轩航晓海亮峰云飞"

# Per top-level chain (segments inherit): GB/T 4754-2017 division, words for company names, and
# the districts where such firms cluster in Shanghai (weighted up when placing an enterprise).
CHAIN_PROFILES: Final[dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]] = {
    "IC": ("39", ("集成电路", "微电子", "半导体"), ("310115", "310114", "310117", "310112")),
    "IC-DESIGN": ("65", ("芯片设计", "微电子"), ("310115", "310104", "310112")),
    "IC-EQUIP": ("35", ("半导体设备", "精密装备"), ("310115", "310114")),
    "IC-MAT": ("39", ("电子材料", "半导体材料"), ("310115", "310116")),
    "BIO": ("27", ("生物医药", "医药科技", "药业"), ("310115", "310120", "310112", "310116")),
    "BIO-DEVICE": ("35", ("医疗器械", "医疗科技"), ("310115", "310112", "310114")),
    "BIO-CXO": ("73", ("医药研发", "生物技术"), ("310115", "310120")),
    "BIO-CGT": ("27", ("基因科技", "细胞科技"), ("310115", "310112")),
    "AI": ("65", ("智能科技", "人工智能"), ("310104", "310115", "310112", "310110")),
    "AI-CHIP": ("39", ("智能芯片", "智芯科技"), ("310115", "310104")),
    "AI-ROBOT": ("34", ("机器人", "智能装备"), ("310115", "310114", "310112", "310117")),
    "AI-DATA": ("65", ("数据科技", "智算科技"), ("310115", "310118", "310117")),
    "EI": ("39", ("电子", "电子科技"), ("310115", "310117", "310114", "310112")),
    "EI-COMM": ("63", ("通信", "通信技术"), ("310115", "310105", "310107")),
    "EI-SOFT": ("65", ("软件", "信息技术"), ("310104", "310107", "310110", "310115")),
    "LH": ("84", ("健康科技", "健康管理"), ("310104", "310115", "310112", "310120")),
    "LH-ELDER": ("85", ("养老服务", "康复科技"), ("310113", "310112", "310107")),
    "LH-NUTRI": ("14", ("营养科技", "食品"), ("310120", "310116", "310117")),
    "AUTO": ("36", ("汽车", "汽车科技"), ("310114", "310115", "310117")),
    "AUTO-POWER": ("38", ("动力电池", "电驱动"), ("310114", "310115")),
    "AUTO-ICV": ("36", ("智能网联", "智行科技"), ("310114", "310115")),
    "AUTO-H2": ("38", ("氢能科技", "燃料电池"), ("310114", "310115", "310116")),
    "EQUIP": ("34", ("装备", "机械"), ("310115", "310112", "310113", "310114")),
    "EQUIP-AERO": ("37", ("航空科技", "航空装备"), ("310115", "310112")),
    "EQUIP-SHIP": ("37", ("船舶", "海洋工程"), ("310115", "310151", "310113")),
    "EQUIP-ENERGY": ("38", ("能源装备", "电气"), ("310112", "310115", "310116")),
    "EQUIP-RAIL": ("37", ("轨道交通", "轨交装备"), ("310112", "310114")),
    "MAT": ("26", ("新材料", "材料科技"), ("310116", "310120", "310113")),
    "MAT-METAL": ("31", ("特种金属", "金属材料"), ("310113", "310116")),
    "MAT-COMP": ("29", ("复合材料", "碳纤维"), ("310116", "310117", "310115")),
    "FASHION": ("18", ("时尚", "品牌管理"), ("310106", "310101", "310105", "310118")),
    "FASHION-BEAUTY": ("26", ("化妆品", "美妆"), ("310120", "310118")),
    "FASHION-FOOD": ("14", ("食品", "饮品"), ("310120", "310116", "310118")),
    "FASHION-DESIGN": ("24", ("设计", "工艺品"), ("310106", "310101", "310104")),
}
# A firm's second chain is its own or one of these (an IC firm may also serve AI or electronics;
# a cosmetics firm never serves IC).
CHAIN_AFFINITY: Final[dict[str, tuple[str, ...]]] = {
    "IC": ("EI", "AI"), "AI": ("IC", "EI"), "EI": ("IC", "AI", "AUTO"), "BIO": ("LH",), "LH": ("BIO",),
    "AUTO": ("EQUIP", "MAT", "EI", "AI"), "EQUIP": ("AUTO", "MAT", "AI"), "MAT": ("IC", "AUTO", "EQUIP"),
    "FASHION": (),
}
CLUSTER_WEIGHT: Final = 4.0  # how much likelier a firm sits in one of its chain's districts
TIER_WEIGHTS: Final = {"leading": 1.2, "key_cluster": 1.0}  # the plan puts the 3 leading industries first
IN_SEGMENT: Final = 0.85  # share of enterprises placed in a segment rather than a whole chain
SECOND_CHAIN: Final = 0.25  # share of enterprises also working in a second chain

SIZES: Final = (("large", 0.06), ("medium", 0.22), ("small", 0.44), ("micro", 0.28))
OWNERSHIPS: Final = (("state", 0.12), ("private", 0.63), ("foreign", 0.17), ("mixed", 0.08))
INTEGRATION_LARGE: Final = (("national", 0.1), ("municipal", 0.3), ("cultivating", 0.2), ("none", 0.4))
INTEGRATION_OTHER: Final = (("national", 0.01), ("municipal", 0.05), ("cultivating", 0.1), ("none", 0.84))
# Per size: disciplines demanded (min, max), openings a year (min, max), schools cooperated with (min, max).
DEMAND_SHAPE: Final = {
    "large": ((4, 8), (30, 150), (2, 5)),
    "medium": ((3, 5), (8, 40), (1, 3)),
    "small": ((2, 3), (2, 12), (0, 2)),
    "micro": ((1, 2), (1, 4), (0, 1)),
}
COOPERATION_KINDS: Final = ("internship", "joint_lab", "order_training", "joint_rd", "apprenticeship",
                            "employment", "curriculum")

MENTOR_TIERS: Final = (("industry_professor", 0.1), ("industry_mentor", 0.35), ("industry_lecturer", 0.55))
MENTOR_POOL_SHARE: Final = {"industry_professor": 0.7, "industry_mentor": 0.35, "industry_lecturer": 0.15}
MENTOR_ROLES: Final = {"industry_professor": "产业教授", "industry_mentor": "校外导师", "industry_lecturer": "兼职讲师"}

BASE_TYPES: Final = (("employment", 0.3), ("teaching", 0.3), ("practice", 0.4))
BASE_TYPE_WORDS: Final = {"employment": "就业型基地", "teaching": "教学型基地", "practice": "践习型基地"}
BASE_LEVELS: Final = (("national", 0.08), ("municipal", 0.5), ("district", 0.42))
# Programmes by partner-school level, with their share; "other" takes the rest.
BASE_PROGRAMS: Final = {
    "undergraduate": (("joint_graduate_base", 0.2), ("modern_industry_college", 0.15),
                      ("future_technology_college", 0.03), ("postdoc_workstation", 0.05)),
    "vocational_undergraduate": (("modern_industry_college", 0.15), ("productive_training_center", 0.2),
                                 ("high_skill_base", 0.1)),
    "higher_vocational": (("productive_training_center", 0.25), ("high_skill_base", 0.1),
                          ("worldskills_base", 0.03), ("modern_industry_college", 0.05)),
}
PROGRAM_WORDS: Final = {
    "joint_graduate_base": "研究生联合培养基地", "modern_industry_college": "现代产业学院",
    "future_technology_college": "未来技术学院", "productive_training_center": "生产性实训中心",
    "high_skill_base": "高技能人才培养基地", "worldskills_base": "世界技能大赛集训基地",
    "postdoc_workstation": "博士后科研工作站",
}

# Projects: degree levels with their share, then per level the project types, trained per project
# (the plan's 百千万: 100 doctoral, 1,000 master's, 10,000 a year in training camps) and duration.
DEGREE_LEVELS: Final = (("doctoral", 0.08), ("master", 0.2), ("bachelor", 0.22), ("vocational", 0.32),
                        ("on_job", 0.18))
PROJECT_SHAPE: Final = {
    "doctoral": ((("joint_enrollment", 0.5), ("joint_rd", 0.5)), (2, 8), (3, 4)),
    "master": ((("joint_enrollment", 0.4), ("joint_rd", 0.3), ("order_training", 0.3)), (8, 40), (2, 3)),
    "bachelor": ((("order_training", 0.5), ("apprenticeship", 0.2), ("joint_enrollment", 0.2), ("other", 0.1)),
                 (20, 120), (1, 4)),
    "vocational": ((("training_camp", 0.6), ("apprenticeship", 0.2), ("order_training", 0.2)), (100, 600), (0, 1)),
    "on_job": ((("on_job_training", 0.85), ("other", 0.15)), (30, 300), (0, 1)),
}
DEGREE_WORDS: Final = {"doctoral": "博士层次", "master": "硕士层次", "bachelor": "本科",
                       "vocational": "技术技能", "on_job": "在岗职工"}
PROJECT_TYPE_WORDS: Final = {
    "joint_enrollment": "校企联合招生培养项目", "joint_rd": "产教联合攻关育人项目", "order_training": "订单培养项目",
    "training_camp": "产教融合职业训练营", "apprenticeship": "现代学徒制项目", "on_job_training": "双元制培训项目",
    "other": "协同育人项目",
}
# Which disciplines (by level) and schools (by level) suit a project of each degree level.
DEGREE_DISCIPLINES: Final = {
    "doctoral": ("undergraduate",), "master": ("undergraduate",), "bachelor": ("undergraduate",),
    "vocational": ("higher_vocational", "vocational_undergraduate"),
    "on_job": ("undergraduate", "higher_vocational", "vocational_undergraduate"),
}
DEGREE_SCHOOLS: Final = {
    "doctoral": ("undergraduate",), "master": ("undergraduate",), "bachelor": ("undergraduate",),
    "vocational": ("higher_vocational", "vocational_undergraduate"),
    "on_job": ("undergraduate", "higher_vocational", "vocational_undergraduate"),
}

COURSE_TOPICS: Final = ("产业前沿技术", "工程实践", "新技术新标准新工艺", "项目实训", "企业案例", "虚拟仿真实验",
                        "真实项目实战")
COURSE_LEVELS: Final = (("national", 0.2), ("municipal", 0.8))

# Schools' offerings come from their profiles (data/plan/school_profiles.csv); within a profile a
# basic major is this much likelier to be offered than a 特设 one (code with T: few schools run them).
BASIC_MAJOR_WEIGHT: Final = 4.0
GRADUATES: Final = {"undergraduate": (30, 120), "higher_vocational": (30, 100), "vocational_undergraduate": (30, 80)}
# Discipline levels a school of each level offers (a 职业本科 university also runs 专科 programmes).
SCHOOL_DISCIPLINE_LEVELS: Final = {
    "undergraduate": ("undergraduate",),
    "higher_vocational": ("higher_vocational",),
    "vocational_undergraduate": ("vocational_undergraduate", "higher_vocational"),
}
