// Every string the explorer shows, Chinese first, English second: one table, one lookup.
export type Lang = "zh" | "en";

const STRINGS = {
  title: ["产教图谱", "Chanjiao Graph"],
  subtitle: ["上海产教融合协同育人知识图谱", "Shanghai industry–education knowledge graph"],
  navSearch: ["检索", "Search"],
  navGaps: ["人才缺口", "Talent gaps"],
  navPlan: ["百千万计划", "百千万 plan"],
  navReport: ["年度报告", "Annual report"],
  reportTitle: ["产教融合协同育人年度报告", "Industry–education annual report"],
  reportIntro: ["所选年份的生态概况、各产业链人才缺口、百千万计划目标、覆盖缺口、合作网络与社群、方法与数据来源；首页注明合成数据占比。", "The ecosystem that year, talent gaps per chain, 百千万 plan targets, coverage gaps, networks and communities, method and sources; the first page states the synthetic share."],
  download: ["下载", "Download"],
  language: ["语言", "Language"],
  navGraphiql: ["GraphQL 控制台", "GraphQL console"],
  switchLang: ["English", "中文"],
  searchPlaceholder: ["输入中文名、英文名或简称，如 交通大学", "Chinese or English name or abbreviation, e.g. 交通大学"],
  searchButton: ["搜索", "Search"],
  noHits: ["没有找到匹配项", "Nothing matches"],
  loading: ["加载中…", "Loading…"],
  error: ["出错了", "Something went wrong"],
  kind: ["类型", "Kind"],
  name: ["名称", "Name"],
  score: ["匹配度", "Score"],
  facts: ["基本信息", "Facts"],
  provenance: ["数据来源", "Provenance"],
  source: ["来源", "Source"],
  loadedAt: ["载入时间", "Loaded at"],
  synthetic: ["【示例】合成数据，非真实信息", "【示例】 synthetic data, not fact"],
  real: ["真实参考数据", "Real reference data"],
  syntheticShare: ["计入的项目中【示例】合成数据占比", "Share of 【示例】 synthetic records counted"],
  relationships: ["关系", "Relationships"],
  relationship: ["关系类型", "Relationship"],
  direction: ["方向", "Direction"],
  outgoing: ["指向", "to"],
  incoming: ["来自", "from"],
  count: ["数量", "Count"],
  network: ["合作网络", "Partner network"],
  recommendations: ["合作伙伴推荐", "Partner recommendations"],
  depth: ["深度", "Depth"],
  size: ["节点上限", "Nodes at most"],
  relationshipKinds: ["关系类型", "Relationship kinds"],
  allKinds: ["（未选时为全部，不含{kinds}）", " (none chosen: all but {kinds})"],
  listSeparator: ["、", ", "],
  yes: ["是", "Yes"],
  no: ["否", "No"],
  nature: ["数据性质", "Nature of data"],
  draw: ["绘制", "Draw"],
  expandHint: ["点击节点：展开其邻居，并可打开其详情", "Click a node to add its neighbours and to open it"],
  nodes: ["节点", "Nodes"],
  edges: ["连线", "Edges"],
  truncated: ["（已截断）", "(truncated)"],
  partnerKind: ["推荐类型", "Partners of kind"],
  existing: ["已有合作", "Existing partner"],
  components: ["分项得分", "Components"],
  weight: ["权重", "Weight"],
  value: ["得分", "Value"],
  evidence: ["依据", "Evidence"],
  open: ["打开", "Open"],
  chain: ["产业链", "Industry chain"],
  allChains: ["全部产业链", "All chains"],
  year: ["年份", "Year"],
  show: ["查询", "Show"],
  gapByDiscipline: ["各专业人才供需（缺口最大的 20 个）", "Demand and supply by discipline (20 largest gaps)"],
  gapTrend: ["供需趋势", "Trend"],
  gapByDistrict: ["各区人才缺口", "Gap by district"],
  coverageGaps: ["覆盖缺口", "Coverage gaps"],
  discipline: ["专业", "Discipline"],
  code: ["代码", "Code"],
  demand: ["需求", "Demand"],
  supply: ["供给", "Supply"],
  gap: ["缺口", "Gap"],
  ratio: ["供需比", "Supply/demand"],
  status: ["状态", "Status"],
  district: ["区", "District"],
  method: ["计算方法", "Method"],
  disciplinesNotOffered: ["无学校开设的所需专业", "Needed disciplines no school offers"],
  areasWithoutBase: ["缺少基地的区域", "Areas without a base"],
  schoolsWithoutMentor: ["无产业导师的学校", "Schools without a mentor"],
  chainsWithoutAlliance: ["无联盟的产业链", "Chains without an alliance"],
  enterprisesWithoutAlliance: ["未加入联盟的企业", "Enterprises in no alliance"],
  planTitle: ["百千万计划目标进度", "百千万 plan-target progress"],
  target: ["目标", "Target"],
  goal: ["目标人数", "Goal"],
  basis: ["口径", "Basis"],
  yearsMet: ["达标年数", "Years met"],
  counts: ["计入项目", "Projects counted"],
  trainedByYear: ["各年培养人数", "Trained each year"],
  trained: ["培养人数", "Trained"],
  progress: ["完成率", "Progress"],
  fromYear: ["起始年", "From"],
  toYear: ["截止年", "To"],
  downloadCsv: ["下载 CSV", "Download CSV"],
  downloadXlsx: ["下载 XLSX", "Download XLSX"],
  none: ["无", "none"],
  partner: ["合作方", "Partner"],
  area: ["区域", "Area"],
  baseType: ["基地类型", "Base type"],
  chains: ["产业链", "Chains"],
  disciplines: ["专业", "Disciplines"],
} as const satisfies Record<string, readonly [string, string]>;

export type Key = keyof typeof STRINGS;

const STATUS_NAMES: Record<string, readonly [string, string]> = {
  NO_DATA: ["无数据", "No data"],
  doctoral: ["博士（百）", "Doctoral (100)"],
  master: ["硕士（千）", "Master's (1,000)"],
  skilled: ["技能人才（万）", "Skilled (10,000)"],
  PERIOD: ["2021–2025 合计", "2021–2025 in all"],
  YEAR: ["每年", "Every year"],
  discipline_fit: ["专业匹配", "Discipline fit"],
  capacity: ["培养能力", "Capacity"],
  proximity: ["地理邻近", "Proximity"],
  ties: ["已有联系", "Existing ties"],
};

let current: Lang = (localStorage.getItem("chanjiao.lang") as Lang | null) ?? "zh";

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem("chanjiao.lang", next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
}

function pick(entry: readonly [string, string]): string {
  return current === "zh" ? entry[0] : entry[1];
}

export function t(key: Key): string {
  return pick(STRINGS[key]);
}

/** A code only the explorer names (NO_DATA → 无数据, discipline_fit → 专业匹配; the model's kinds,
 * relationships and values are named by labels.ts); unknown codes as they are. */
export function codeName(code: string): string {
  const entry = STATUS_NAMES[code];
  return entry ? pick(entry) : code;
}
