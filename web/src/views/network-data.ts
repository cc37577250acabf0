// The partner network read from the API, one `partnerNetwork` per request (up to the server's
// CHANJIAO_MAX_NETWORK_NODES, 500 by default), grown by expanding the nodes a person clicks.
import { gql } from "../api";

export interface NetworkNode {
  id: string;
  kind: string;
  key: string;
  name: string | null;
  hops: number | null;
}

export interface NetworkEdge {
  source: string;
  target: string;
  type: string;
}

export interface Network {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  truncated: boolean;
}

/** Nodes a click adds at most. */
export const EXPANSION_NODES = 100;

const PARTNER_NETWORK = `query PartnerNetwork($center: ID!, $depth: Int!, $relationships: [String!], $first: Int!) {
  partnerNetwork(center: $center, depth: $depth, relationships: $relationships, first: $first) {
    truncated nodes { id kind key name hops } edges { source target type }
  }
}`;

/** One relationship per pair and kind: OFFERS of several years draw as one line. */
function distinctEdges(edges: NetworkEdge[]): NetworkEdge[] {
  const seen = new Map<string, NetworkEdge>();
  for (const edge of edges) seen.set(`${edge.source}|${edge.target}|${edge.type}`, edge);
  return [...seen.values()];
}

export async function fetchNetwork(center: string, depth: number, relationships: string[] | null, first: number): Promise<Network> {
  const { partnerNetwork } = await gql<{ partnerNetwork: Network }>(PARTNER_NETWORK, { center, depth, relationships, first });
  return { ...partnerNetwork, edges: distinctEdges(partnerNetwork.edges) };
}

/** A network that grows by merging others into it; nodes keep the hops they were first seen at. */
export class GrowingNetwork {
  readonly nodes = new Map<string, NetworkNode>();
  readonly edges = new Map<string, NetworkEdge>();
  readonly expanded = new Set<string>();
  truncated = false;

  constructor(readonly relationships: string[] | null) {}

  merge(network: Network, from: string, hopsOffset: number, limit: number): void {
    this.expanded.add(from);
    this.truncated ||= network.truncated;
    for (const node of network.nodes) {
      if (this.nodes.has(node.id)) continue;
      if (this.nodes.size >= limit) {
        this.truncated = true;
        break;
      }
      this.nodes.set(node.id, { ...node, hops: (node.hops ?? 0) + hopsOffset });
    }
    for (const edge of network.edges) {
      if (this.nodes.has(edge.source) && this.nodes.has(edge.target)) this.edges.set(`${edge.source}|${edge.target}|${edge.type}`, edge);
    }
  }

  /** Adds the neighbours of `id` (one step), up to `limit` nodes in all. */
  async expand(id: string, limit: number): Promise<void> {
    const hops = this.nodes.get(id)?.hops ?? 0;
    this.merge(await fetchNetwork(id, 1, this.relationships, EXPANSION_NODES), id, hops, limit);
  }

  /** The network around `center` within `depth`, at most `size` nodes, nearest first. */
  static async around(center: string, depth: number, relationships: string[] | null, size: number): Promise<GrowingNetwork> {
    const grown = new GrowingNetwork(relationships);
    grown.merge(await fetchNetwork(center, depth, relationships, size), center, 0, size);
    return grown;
  }
}
