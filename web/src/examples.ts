// Example operations preloaded as GraphiQL tabs: one per question the API answers best.
// Variables carry their example values as defaults, so each tab runs as it opens (上海交通大学's
// global ID is base64 of "School:4131010248").
export const EXAMPLE_OPERATIONS: string[] = [
  `# 全文检索：中文、英文名
query Search($text: String! = "交通大学") {
  search(text: $text, first: 5) {
    score
    node { id __typename ... on School { name nameEn level } ... on Enterprise { name } }
  }
}`,
  `# 人才缺口：集成电路产业链 2024 年
query TalentGap($year: Int! = 2024, $chain: String = "IC") {
  talentGap(year: $year, chain: $chain) {
    totalDemand totalSupply totalGap method
    rows(first: 10) { discipline { code name } demand supply gap ratio status }
  }
}`,
  `# 合作伙伴推荐：各分项得分与依据
query PartnerMatches($id: ID! = "U2Nob29sOjQxMzEwMTAyNDg=") {
  partnerMatches(id: $id, kind: ENTERPRISE, first: 5) {
    score existingPartner
    partner { id ... on Enterprise { name } }
    components { name weight value evidence }
  }
}`,
  `# 合作网络：上海交通大学周边两跳
query PartnerNetwork($center: ID! = "U2Nob29sOjQxMzEwMTAyNDg=") {
  partnerNetwork(center: $center, depth: 2, first: 50) {
    truncated
    nodes { id kind name hops }
    edges { source target type }
  }
}`,
];
