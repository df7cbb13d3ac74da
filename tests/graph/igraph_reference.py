"""Reference answers from python-igraph for graph_igraph_test.

Usage: igraph_reference.py EDGES
EDGES: first line the node count, then one "a b" line per undirected edge.
Prints one line per measure: name followed by space-separated values.
"""
import random
import sys

import igraph


def main():
    with open(sys.argv[1]) as f:
        n = int(f.readline())
        edges = [tuple(map(int, line.split())) for line in f if line.strip()]
    # Leiden is randomised: a fixed seed makes the reference, and so the
    # test, deterministic.
    random.seed(20240601)
    igraph.set_random_number_generator(random)
    g = igraph.Graph(n=n, edges=edges, directed=False)
    print("degree", *g.degree())
    print("pagerank", *("%.17g" % x for x in g.pagerank(damping=0.85)))
    print("betweenness", *("%.17g" % x for x in g.betweenness(directed=False)))
    best = max(
        g.community_leiden(objective_function="modularity", n_iterations=-1).modularity
        if g.ecount() else 0.0
        for _ in range(1))
    print("modularity", "%.17g" % best)


if __name__ == "__main__":
    main()
