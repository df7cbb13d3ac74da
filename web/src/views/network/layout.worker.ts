// ForceAtlas2 off the main thread. The page posts the nodes' positions
// (x0,y0,x1,y1,...), which are fixed (pinned by the user), and the ties as
// pairs of node indices with weights; the worker answers with the new
// positions. A module worker bundled by Vite (a file under /assets/, as
// the Content-Security-Policy requires: no blob: script).
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';

export interface LayoutRequest {
  id: number;
  positions: Float64Array;
  fixed: Uint8Array;
  edges: Uint32Array;
  weights: Float64Array;
  iterations: number;
}
export interface LayoutReply {
  id: number;
  positions: Float64Array;
  ms: number;
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const started = performance.now();
  const { id, positions, fixed, edges, weights, iterations } = event.data;
  const n = positions.length / 2;
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (let i = 0; i < n; i++) {
    graph.addNode(i, { x: positions[2 * i], y: positions[2 * i + 1], fixed: fixed[i] === 1 });
  }
  for (let e = 0; e < edges.length / 2; e++) {
    const a = edges[2 * e] as number;
    const b = edges[2 * e + 1] as number;
    if (a === b || graph.hasEdge(a, b)) continue;
    graph.addEdge(a, b, { weight: weights[e] ?? 1 });
  }
  const settings = { ...forceAtlas2.inferSettings(graph), edgeWeightInfluence: 0.5 };
  if (n > 0) forceAtlas2.assign(graph, { iterations, settings, getEdgeWeight: 'weight' });
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = graph.getNodeAttribute(i, 'x') as number;
    out[2 * i + 1] = graph.getNodeAttribute(i, 'y') as number;
  }
  const reply: LayoutReply = { id, positions: out, ms: performance.now() - started };
  (self as unknown as Worker).postMessage(reply, [out.buffer]);
};
