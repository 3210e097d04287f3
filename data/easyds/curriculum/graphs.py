from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="graphs",
    name=("Graphs", "图"),
    keywords=(
        ("graph", "vertex", "vertices", "edge", "BFS", "DFS", "neighbour", "visited", "Dijkstra", "distance", "path",
         "cycle", "topological", "in-degree", "component", "adjacency", "search", "grid", "cell"),
        ("图", "顶点", "边", "邻居", "访问", "距离", "路径", "环", "拓扑", "入度", "BFS", "DFS", "Dijkstra", "连通",
         "邻接", "搜索", "网格", "格子"),
    ),
    points={
        "bfs": Point(
            ("breadth-first search", "广度优先搜索"),
            ("DFS finds shortest paths in an unweighted graph just as well as BFS, because it also reaches every reachable vertex.",
             "在无权图中，DFS 和 BFS 一样能找到最短路径，因为它也会到达每一个可达的顶点。"),
        ),
        "dfs": Point(
            ("depth-first search", "深度优先搜索"),
            ("DFS on a connected graph doesn't need a visited set, because every vertex is reached exactly once anyway.",
             "在连通图上做 DFS 不需要 visited 集合，因为每个顶点反正只会被访问一次。"),
        ),
        "shortest_paths": Point(
            ("weighted shortest paths", "带权最短路径"),
            ("Dijkstra's algorithm works with negative edge weights as long as the graph contains no negative cycle.",
             "只要图中没有负环，Dijkstra 算法就能处理负权边。"),
        ),
        "topo": Point(
            ("topological order", "拓扑排序"),
            ("Every directed graph has a topological order; a cycle only makes the order non-unique.",
             "每个有向图都有拓扑序，环只会让拓扑序不唯一。"),
        ),
        "representation": Point(
            ("graph representations", "图的表示"),
            ("An adjacency matrix is always the better choice, because edge checks are O(1) and it uses O(V + E) memory just like adjacency lists.",
             "邻接矩阵永远是更好的选择，因为查边是 O(1)，而且它和邻接表一样只占 O(V + E) 的内存。"),
        ),
    },
    facts=(
        ("BFS visits vertices in order of their distance in edges, so it finds shortest paths in unweighted graphs in O(V + E).",
         "BFS 按边数距离从近到远访问顶点，所以能在 O(V + E) 内求出无权图的最短路径。"),
        ("Dijkstra's algorithm settles vertices in order of distance and is correct only when every edge weight is non-negative.",
         "Dijkstra 算法按距离从小到大确定顶点，只有在所有边权都非负时才正确。"),
        ("A directed graph has a topological order exactly when it has no cycle.",
         "有向图存在拓扑序，当且仅当它没有环。"),
    ),
    exercises=(
        Exercise(
            "bfs",
            ("Find the fewest number of edges on a path from s to t in an unweighted graph.",
             "在无权图中，求从 s 到 t 的路径最少经过多少条边。"),
            ("Run BFS from s with `dist = {s: 0}` and a queue; when a neighbour v of u is first discovered set `dist[v] = dist[u] + 1` and enqueue it; `dist[t]` is the answer (missing means unreachable).",
             "从 s 出发做 BFS，`dist = {s: 0}` 并使用队列；当 u 的邻居 v 第一次被发现时，令 `dist[v] = dist[u] + 1` 并入队；`dist[t]` 就是答案（不存在表示不可达）。"),
            (
                Mistake(
                    attempt=("uses DFS and returns the depth at which t is first reached.",
                             "用 DFS，返回第一次到达 t 时的深度。"),
                    alt=("“My DFS finds a path, but sometimes it's longer than the shortest one.”",
                         "“我的 DFS 能找到路径，但有时比最短路径长。”"),
                    diag=("DFS follows one branch as deep as it can, so the first path it finds to t need not be the shortest.",
                          "DFS 会沿一条分支尽可能往深处走，所以它第一次找到的到 t 的路径不一定最短。"),
                    ask=("Which search explores all vertices at distance 1 before any vertex at distance 2?",
                         "哪种搜索会先访问所有距离为 1 的顶点，再访问距离为 2 的顶点？"),
                    step=("Run both searches on the square a–b–c–d–a plus the edge a–c, and compare the distances to c.",
                          "在正方形 a–b–c–d–a 加上边 a–c 的图上分别运行两种搜索，比较到 c 的距离。"),
                ),
                Mistake(
                    attempt=("uses BFS but marks a vertex visited only when it is dequeued, so it is enqueued several times.",
                             "用 BFS，但顶点出队时才标记为已访问，结果同一顶点被多次入队。"),
                    alt=("“My queue gets huge and some distances are overwritten with larger values.”",
                         "“我的队列变得很大，有些距离还被更大的值覆盖了。”"),
                    diag=("Marking late lets several neighbours enqueue the same vertex before it is processed.",
                          "标记得太晚，会让多个邻居在这个顶点被处理之前都把它放进队列。"),
                    ask=("At what moment should a vertex be marked as discovered?",
                         "顶点应该在什么时候被标记为已发现？"),
                    step=("Trace BFS on a graph in which two vertices share a neighbour.",
                          "在一个两个顶点有共同邻居的图上追踪 BFS。"),
                ),
                Mistake(
                    attempt=("increments one global distance counter for every vertex it dequeues.",
                             "每出队一个顶点，就把一个全局距离计数器加一。"),
                    alt=("“The distance to t equals the number of vertices dequeued before it.”",
                         "“到 t 的距离等于它之前出队的顶点个数。”"),
                    diag=("Distance is a property of each vertex, derived from the vertex that discovered it.",
                          "距离是每个顶点自己的属性，由发现它的那个顶点推出来。"),
                    ask=("How is the distance of a newly discovered neighbour related to the distance of the current vertex?",
                         "新发现的邻居的距离，和当前顶点的距离有什么关系？"),
                    step=("Store a distance for each vertex when it is enqueued and trace a small graph.",
                          "在每个顶点入队时为它记录距离，在一个小图上追踪一遍。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "def fewest_edges(adj, s, t):\n"
                "    dist = {s: 0}\n"
                "    queue = deque([s])\n"
                "    while queue:\n"
                "        u = queue.popleft()\n"
                "        for v in adj[u]:\n"
                "            if v not in dist:\n"
                "                dist[v] = dist[u] + 1\n"
                "                queue.append(v)\n"
                "    return dist.get(t)"
            ),
            key=(
                "dist[v]=dist[u]+1 | dist[u]+1",
                "bfs | breadth-first | 广度优先 & dist | distance | 距离 & +1 | plus 1 | 加 1 | 加一 | 1 more | add 1",
                "use bfs | run bfs | run a bfs | switch to bfs | bfs from s | bfs starting at s | 改用 bfs | "
                "应该用 bfs | 换成 bfs | 从 s 出发做 bfs | 从 s 开始 bfs | 从 s 做 bfs | 从 s 开始做 bfs | 改用广度优先 | 应该用广度优先",
            ),
        ),
        Exercise(
            "dfs",
            ("Count the connected components of an undirected graph given as adjacency lists.",
             "统计一个以邻接表给出的无向图的连通分量个数。"),
            ("Keep a visited set; for every vertex that is not yet visited, increase the count and run a DFS (or BFS) from it that marks its whole component.",
             "维护一个 visited 集合；对每个尚未访问的顶点，计数加一，并从它出发做一次 DFS（或 BFS）把整个分量都标记上。"),
            (
                Mistake(
                    attempt=("runs a single DFS from vertex 0 and counts 1.",
                             "只从顶点 0 做一次 DFS，然后计数为 1。"),
                    alt=("“My answer is always 1, whatever graph I give it.”",
                         "“不管给什么图，我的答案总是 1。”"),
                    diag=("One search only reaches the component that contains its start vertex.",
                          "一次搜索只能到达包含起点的那个连通分量。"),
                    ask=("How can you find the vertices that the first search never reached?",
                         "怎样找出第一次搜索从未到达的那些顶点？"),
                    step=("Draw a graph with two separate pieces and mark what one DFS from vertex 0 visits.",
                          "画一个由两个独立部分组成的图，标出从顶点 0 出发的一次 DFS 访问了哪些顶点。"),
                ),
                Mistake(
                    attempt=("writes a recursive DFS without a visited set, which recurses forever on a cycle.",
                             "写了一个没有 visited 集合的递归 DFS，遇到环就无限递归。"),
                    alt=("“I get RecursionError: maximum recursion depth exceeded.”",
                         "“报错 RecursionError: maximum recursion depth exceeded。”"),
                    diag=("Without remembering which vertices were visited, a cycle sends the search round and round.",
                          "不记住哪些顶点已访问过，环就会让搜索一圈又一圈地转下去。"),
                    ask=("What should the search check before it recurses into a neighbour?",
                         "在递归进入一个邻居之前，搜索应该检查什么？"),
                    step=("Trace DFS on the triangle 0–1–2–0.",
                          "在三角形 0–1–2–0 上追踪 DFS。"),
                ),
                Mistake(
                    attempt=("stores each undirected edge in only one direction of the adjacency lists.",
                             "在邻接表中，每条无向边只按一个方向存储。"),
                    alt=("“Two vertices joined by an edge end up in different components.”",
                         "“由一条边相连的两个顶点被算到了不同的分量里。”"),
                    diag=("An undirected edge has to be reachable from both of its endpoints in the adjacency lists.",
                          "一条无向边必须能从它的两个端点的邻接表中都访问到。"),
                    ask=("From which endpoint can your search currently cross the edge (u, v)?",
                         "现在你的搜索能从哪个端点越过边 (u, v)？"),
                    step=("Print the adjacency lists right after reading the edges.",
                          "读完边之后立刻打印邻接表。"),
                ),
            ),
            code=(
                "def count_components(adj):\n"
                "    seen, count = set(), 0\n"
                "    for s in adj:\n"
                "        if s in seen:\n"
                "            continue\n"
                "        count += 1\n"
                "        seen.add(s)\n"
                "        stack = [s]\n"
                "        while stack:\n"
                "            u = stack.pop()\n"
                "            for v in adj[u]:\n"
                "                if v not in seen:\n"
                "                    seen.add(v)\n"
                "                    stack.append(v)\n"
                "    return count"
            ),
            key=(
                "every unvisited | each unvisited | every vertex not yet visited | every vertex that is not | "
                "each vertex that is not | every vertex not visited | 每个未访问 | 每个尚未访问 | 每个没访问 | 所有未访问 | "
                "每个还没访问 & count | 计数 | +1 | += 1 | increment | 加一 | 加 1 | 数加",
                "count+=1 | components+=1 | count=count+1",
            ),
        ),
        Exercise(
            "shortest_paths",
            ("Compute the shortest distances from s in a graph with non-negative edge weights using Dijkstra's algorithm.",
             "用 Dijkstra 算法计算非负权图中从 s 出发的最短距离。"),
            ("Use a min-heap of (distance, vertex) starting with (0, s); pop (d, u), skip it if d is larger than the best known `dist[u]`, otherwise relax each edge u→v with weight w: if `d + w < dist[v]`, update it and push (d + w, v).",
             "使用以 (0, s) 开始、元素为 (距离, 顶点) 的最小堆；弹出 (d, u)，若 d 大于已知的 `dist[u]` 就跳过，否则对每条权为 w 的边 u→v 做松弛：若 `d + w < dist[v]`，就更新它并压入 (d + w, v)。"),
            (
                Mistake(
                    attempt=("processes vertices in plain BFS order with a FIFO queue instead of a priority queue.",
                             "用普通的先进先出队列按 BFS 顺序处理顶点，而不是用优先队列。"),
                    alt=("“Some of my distances come out too large.”",
                         "“我算出的一些距离偏大。”"),
                    diag=("BFS order treats every edge as length 1; with weights, the closest unsettled vertex must be processed next.",
                          "BFS 的顺序把每条边都当作长度 1；有权重时，必须先处理距离最近的未确定顶点。"),
                    ask=("Which vertex should be settled next when edges have different weights?",
                         "当边的权重各不相同时，接下来应该确定哪个顶点？"),
                    step=("Trace the graph s→a (5), s→b (1), b→a (1) with your code.",
                          "用你的代码追踪图 s→a (5)、s→b (1)、b→a (1)。"),
                ),
                Mistake(
                    attempt=("treats a vertex's distance as final the first time it is pushed.",
                             "顶点第一次被压入时就把它的距离当作最终结果。"),
                    alt=("“a keeps distance 5 even though s→b→a has length 2.”",
                         "“a 的距离一直是 5，可 s→b→a 的长度只有 2。”"),
                    diag=("A vertex's distance is only final when it is the smallest one popped from the priority queue.",
                          "只有当一个顶点作为最小者从优先队列中弹出时，它的距离才是最终的。"),
                    ask=("Could a shorter path to a still be discovered after a was first reached?",
                         "在第一次到达 a 之后，还有可能发现一条更短的到 a 的路径吗？"),
                    step=("Trace s→a (5), s→b (1), b→a (1) and record when each distance stops changing.",
                          "追踪 s→a (5)、s→b (1)、b→a (1)，记下每个距离何时不再变化。"),
                ),
                Mistake(
                    attempt=("never skips outdated heap entries and reprocesses vertices with old, larger distances.",
                             "从不跳过过时的堆条目，用旧的较大距离重复处理顶点。"),
                    alt=("“It's correct, but much slower than expected on dense graphs.”",
                         "“结果正确，但在稠密图上比预期慢得多。”"),
                    diag=("Old heap entries with larger distances are processed again, relaxing the same edges for nothing.",
                          "带着较大距离的旧堆条目被再次处理，白白地重复松弛同样的边。"),
                    ask=("When you pop (d, v), how can you tell whether d is outdated?",
                         "弹出 (d, v) 时，你怎样判断 d 是否已经过时？"),
                    step=("Count how many times each vertex is popped on a small dense graph.",
                          "在一个小的稠密图上，数一数每个顶点被弹出了多少次。"),
                ),
            ),
            code=(
                "import heapq\n\n"
                "def dijkstra(adj, s):\n"
                "    dist = {s: 0}\n"
                "    heap = [(0, s)]\n"
                "    while heap:\n"
                "        d, u = heapq.heappop(heap)\n"
                "        if d > dist[u]:\n"
                "            continue\n"
                "        for v, w in adj[u]:\n"
                "            if d + w < dist.get(v, float('inf')):\n"
                "                dist[v] = d + w\n"
                "                heapq.heappush(heap, (d + w, v))\n"
                "    return dist"
            ),
            key=(
                "if d>dist[u] | d>dist[u] | d 大于已知 | d大于dist | skip it if d | skip the entry if | 就跳过 | 则跳过 | "
                "skip it when",
                "d+w<dist[v] | dist[u]+w<dist[v] | dist[v]=d+w | dist[v]=dist[u]+w",
                "min-heap | priority queue | 最小堆 | 优先队列 | heap | 堆 & (0,s) | (distance,vertex) | (距离,顶点) | "
                "(dist,vertex)",
            ),
        ),
        Exercise(
            "shortest_paths",
            ("Can Dijkstra's algorithm be used on a graph with some negative edge weights but no negative cycle? Justify your answer.",
             "在有一些负权边但没有负环的图上，能使用 Dijkstra 算法吗？请说明理由。"),
            ("No: Dijkstra assumes a popped vertex can never get a shorter path later, which fails with any negative edge (e.g. s→a (2), s→b (3), b→a (−2): a is settled at 2 but the true distance is 1); use Bellman–Ford instead, or shortest paths in topological order for a DAG.",
             "不能：Dijkstra 假设已弹出的顶点以后不会再有更短的路径，而只要有负权边这一假设就可能失效（例如 s→a (2)、s→b (3)、b→a (−2)：a 以距离 2 被确定，但真实距离是 1）；应改用 Bellman–Ford，若是 DAG 则可按拓扑序求最短路。"),
            (
                Mistake(
                    attempt=("says yes, as long as there is no negative cycle.",
                             "回答可以，只要没有负环就行。"),
                    alt=("“No negative cycles, so Dijkstra is fine.”",
                         "“没有负环，所以 Dijkstra 没问题。”"),
                    diag=("Dijkstra's argument that a popped vertex is final breaks with any negative edge, cycle or not.",
                          "Dijkstra 关于“弹出的顶点距离已确定”的论证，只要有负权边就会失效，和有没有环无关。"),
                    ask=("In s→a (2), s→b (3), b→a (−2), which distance does Dijkstra fix for a, and what is the true distance?",
                         "在 s→a (2)、s→b (3)、b→a (−2) 中，Dijkstra 给 a 确定的距离是多少？真实距离又是多少？"),
                    step=("Run Dijkstra by hand on that graph and note when a is settled.",
                          "在这个图上手工运行 Dijkstra，记下 a 是什么时候被确定的。"),
                ),
                Mistake(
                    attempt=("suggests adding a constant to every edge weight to make them non-negative.",
                             "建议给每条边的权重都加上一个常数，让它们变成非负。"),
                    alt=("“Just add 10 to every edge and run Dijkstra.”",
                         "“给每条边都加 10，然后运行 Dijkstra 就行。”"),
                    diag=("Adding a constant to each edge penalises paths with more edges, which can change which path is shortest.",
                          "给每条边加常数会惩罚边数更多的路径，可能改变哪条路径最短。"),
                    ask=("How does the length of a one-edge path change compared with a three-edge path?",
                         "一条边的路径和三条边的路径，长度的变化有什么不同？"),
                    step=("Compare the edge s→a (1) with the path s→b→a (weights 0 and 0) before and after adding 10.",
                          "比较边 s→a (1) 和路径 s→b→a（权重 0 和 0）在加 10 之前和之后的长度。"),
                ),
                Mistake(
                    attempt=("argues Dijkstra still works because it relaxes every edge eventually.",
                             "认为 Dijkstra 仍然可行，因为它最终会松弛每一条边。"),
                    alt=("“It relaxes all edges, so the negative ones get used too.”",
                         "“它会松弛所有的边，所以负权边也会被用上。”"),
                    diag=("Edges leaving a settled vertex are relaxed only once, and a settled vertex's own distance is never revised.",
                          "从已确定顶点出发的边只会松弛一次，而已确定顶点自己的距离永远不会再被修正。"),
                    ask=("What happens to the vertices after a whose distance improves after a was settled?",
                         "a 被确定之后它的距离又变小了，那么 a 后面的顶点会怎样？"),
                    step=("Trace s→a (2), s→b (3), b→a (−2), a→c (1) and look at the distance of c.",
                          "追踪 s→a (2)、s→b (3)、b→a (−2)、a→c (1)，看看 c 的距离。"),
                ),
            ),
            key=(
                "bellman-ford | bellman–ford | bellman ford | bellmanford | spfa",
                "dijkstra & cannot | can't | can not | doesn't work | does not work | fails | is not correct | "
                "isn't correct | won't work | will not work | no: | no, | not safe | 不能 | 不可以 | 不行 | 不适用 | 会出错 | 不正确",
                "true distance is 1 | true distance of a is 1 | real distance is 1 | actual distance is 1 | "
                "真实距离是 1 | 真实距离为 1 | 实际距离是 1 | 实际距离为 1 | 真正的距离是 1",
            ),
        ),
        Exercise(
            "topo",
            ("Produce a topological order of a directed graph with Kahn's algorithm, and report if there is a cycle.",
             "用 Kahn 算法求一个有向图的拓扑序，若有环则报告。"),
            ("Compute every in-degree, enqueue the vertices with in-degree 0, repeatedly dequeue u, output it and decrement the in-degree of each successor, enqueuing any that reach 0; if fewer than V vertices were output, the graph has a cycle.",
             "计算每个顶点的入度，把入度为 0 的顶点入队；反复出队 u 并输出，把它每个后继的入度减一，减到 0 的就入队；若输出的顶点少于 V 个，说明图中有环。"),
            (
                Mistake(
                    attempt=("sorts the vertices by in-degree once and outputs them in that order.",
                             "只计算一次入度，按入度从小到大输出顶点。"),
                    alt=("“Some vertices come out before their prerequisites.”",
                         "“有些顶点排在了它们的前置顶点前面。”"),
                    diag=("In-degrees change as vertices are output, and a one-time sort never sees those changes.",
                          "随着顶点被输出，入度会不断变化，而一次性排序看不到这些变化。"),
                    ask=("What happens to the in-degrees of v's successors when v is output?",
                         "当 v 被输出时，它的后继的入度会怎样变化？"),
                    step=("Trace the edges a → b, b → c, a → c and update the in-degrees after each output.",
                          "追踪边 a → b、b → c、a → c，每输出一个顶点就更新入度。"),
                ),
                Mistake(
                    attempt=("never checks for a cycle and returns a partial order without complaint.",
                             "从不检查环，直接返回一个不完整的顺序。"),
                    alt=("“For a graph with a cycle I just get fewer vertices back.”",
                         "“对于有环的图，我只是得到更少的顶点。”"),
                    diag=("If the graph has a cycle, the vertices on it never reach in-degree 0.",
                          "如果图中有环，环上的顶点的入度永远不会降到 0。"),
                    ask=("How can you tell at the end whether every vertex was output?",
                         "最后怎样判断是否每个顶点都被输出了？"),
                    step=("Run it on a → b → a and compare the output length with the number of vertices.",
                          "在 a → b → a 上运行，比较输出的长度和顶点数。"),
                ),
                Mistake(
                    attempt=("starts from the vertices with out-degree 0 instead of in-degree 0.",
                             "从出度为 0 的顶点开始，而不是入度为 0 的顶点。"),
                    alt=("“My order comes out exactly reversed.”",
                         "“我得到的顺序正好反了。”"),
                    diag=("Vertices with no outgoing edges are the ones that must come last in a topological order.",
                          "没有出边的顶点，在拓扑序中必须排在最后。"),
                    ask=("Which vertices may safely be done first?",
                         "哪些顶点可以放心地最先完成？"),
                    step=("Label each vertex of the chain a → b → c with its in-degree and out-degree.",
                          "给链 a → b → c 的每个顶点标上入度和出度。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "def kahn(vertices, adj):\n"
                "    indeg = {v: 0 for v in vertices}\n"
                "    for u in vertices:\n"
                "        for v in adj[u]:\n"
                "            indeg[v] += 1\n"
                "    queue = deque(v for v in vertices if indeg[v] == 0)\n"
                "    order = []\n"
                "    while queue:\n"
                "        u = queue.popleft()\n"
                "        order.append(u)\n"
                "        for v in adj[u]:\n"
                "            indeg[v] -= 1\n"
                "            if indeg[v] == 0:\n"
                "                queue.append(v)\n"
                "    if len(order) < len(vertices):\n"
                "        raise ValueError('graph has a cycle')\n"
                "    return order"
            ),
            key=(
                "in-degree 0 | indegree 0 | in-degree of 0 | 入度为 0 & decrement | decrease | reduce | 减一 | 减 1 | "
                "-=1 | subtract | 减少",
                "fewer than v | less than v | fewer than all | 少于 v | 少于顶点数 | 小于 v | len(order)<len(vertices) | "
                "not all vertices | 不是所有顶点 & cycle | 环",
            ),
        ),
        Exercise(
            "topo",
            ("Produce a topological order of a DAG with depth-first search.",
             "用深度优先搜索求一个 DAG 的拓扑序。"),
            ("Run DFS from every unvisited vertex and append each vertex to a list when it finishes (after all its successors); the reversed finishing order is a topological order. Tracking 'in progress' vertices detects cycles.",
             "从每个未访问的顶点出发做 DFS，在每个顶点结束时（所有后继都处理完之后）把它追加到列表；把结束顺序反转就是拓扑序。记录“正在访问”的顶点还能检测环。"),
            (
                Mistake(
                    attempt=("outputs the vertices in the order they are first visited (preorder).",
                             "按第一次访问的顺序（先序）输出顶点。"),
                    alt=("“With edges c → a → b, starting the DFS at a puts c after a.”",
                         "“对于边 c → a → b，从 a 开始 DFS 会把 c 排在 a 后面。”"),
                    diag=("Preorder records a vertex as soon as the search reaches it, even if an unvisited vertex must come before it.",
                          "先序在搜索一到达某顶点时就记录它，即使还有未访问的顶点必须排在它前面。"),
                    ask=("At what moment in DFS are all of a vertex's descendants guaranteed to be finished?",
                         "在 DFS 的什么时刻，可以保证一个顶点的所有后代都已经处理完？"),
                    step=("Record the finishing times on c → a → b with the search started at a.",
                          "在 c → a → b 上从 a 开始搜索，记录每个顶点的结束时间。"),
                ),
                Mistake(
                    attempt=("appends vertices at finishing time but forgets to reverse the list.",
                             "在结束时追加顶点，但忘了把列表反转。"),
                    alt=("“My order is exactly backwards.”",
                         "“我的顺序正好是反的。”"),
                    diag=("Finishing order lists a vertex after every vertex it points to.",
                          "结束顺序会把一个顶点排在它所指向的所有顶点之后。"),
                    ask=("In finishing order, does a vertex come before or after its successors?",
                         "在结束顺序中，一个顶点排在它的后继之前还是之后？"),
                    step=("Trace a → b → c and write down the finishing order.",
                          "追踪 a → b → c，写出结束顺序。"),
                ),
                Mistake(
                    attempt=("uses a single visited set, so the search cannot notice an edge back into the current path.",
                             "只用一个 visited 集合，所以搜索察觉不到指回当前路径的边。"),
                    alt=("“A graph with a cycle still produces an ‘order’.”",
                         "“有环的图照样产生了一个‘顺序’。”"),
                    diag=("Detecting a cycle requires knowing which vertices are on the current DFS path, not just which were visited.",
                          "检测环需要知道哪些顶点在当前的 DFS 路径上，而不只是哪些被访问过。"),
                    ask=("What distinguishes a vertex that is still in progress from one that is finished?",
                         "正在访问中的顶点和已经结束的顶点有什么区别？"),
                    step=("Trace a → b → a, tracking for each vertex whether it is unvisited, in progress or done.",
                          "追踪 a → b → a，记录每个顶点是未访问、访问中还是已完成。"),
                ),
            ),
            code=(
                "def topo_dfs(vertices, adj):\n"
                "    state, order = {}, []  # state: 1 = in progress, 2 = done\n"
                "    def visit(u):\n"
                "        state[u] = 1\n"
                "        for v in adj[u]:\n"
                "            if state.get(v) == 1:\n"
                "                raise ValueError('graph has a cycle')\n"
                "            if v not in state:\n"
                "                visit(v)\n"
                "        state[u] = 2\n"
                "        order.append(u)\n"
                "    for u in vertices:\n"
                "        if u not in state:\n"
                "            visit(u)\n"
                "    return order[::-1]"
            ),
            key=(
                "reversed finishing order | reverse the finishing order | reverse of the finishing order | "
                "reverse postorder | reversed postorder | reverse post-order | decreasing finishing time | 结束顺序反转 | "
                "把结束顺序反转 | 反转结束顺序 | 逆后序 | 后序的逆序 | 结束顺序的逆序 | 结束时间降序 | 结束时间从大到小 | 按结束时间从晚到早",
                "order[::-1] | reversed(order) | order.reverse()",
            ),
        ),
        Exercise(
            "representation",
            ("Choose a representation for a road network with 1,000,000 intersections and 3,000,000 roads, to be searched with BFS.",
             "为一个有 1,000,000 个路口、3,000,000 条道路、需要用 BFS 搜索的路网选择一种图的表示。"),
            ("Adjacency lists: they use O(V + E) ≈ 7·10⁶ entries (each undirected road stored twice) and list a vertex's neighbours directly, so BFS runs in O(V + E); a matrix would need V² = 10¹² cells.",
             "用邻接表：占用 O(V + E) ≈ 7·10⁶ 个条目（每条无向道路存两次），并且能直接列出顶点的邻居，所以 BFS 是 O(V + E)；而邻接矩阵需要 V² = 10¹² 个单元。"),
            (
                Mistake(
                    attempt=("chooses an adjacency matrix for the road network.",
                             "为路网选择了邻接矩阵。"),
                    alt=("“A matrix gives O(1) edge checks, so it's the best.”",
                         "“矩阵查边是 O(1)，所以它最好。”"),
                    diag=("A V × V matrix needs 10¹² cells here, although the graph has only a few million edges.",
                          "这里 V × V 的矩阵需要 10¹² 个单元，而图中只有几百万条边。"),
                    ask=("How much memory does each representation need for V = 10⁶ and E = 3·10⁶?",
                         "当 V = 10⁶、E = 3·10⁶ 时，每种表示分别需要多少内存？"),
                    step=("Compute V² and V + E and compare them.",
                          "分别算出 V² 和 V + E，比较一下。"),
                ),
                Mistake(
                    attempt=("keeps a plain edge list and scans all of it to find a vertex's neighbours.",
                             "只保存一个边列表，每次都扫描整个列表来找顶点的邻居。"),
                    alt=("“Finding the neighbours of one intersection takes forever.”",
                         "“找一个路口的邻居要花很长时间。”"),
                    diag=("An edge list has no index from a vertex to its own edges, so every neighbour lookup scans the whole graph.",
                          "边列表没有从顶点到其边的索引，所以每次查邻居都要扫描整个图。"),
                    ask=("Which representation lists a vertex's neighbours directly?",
                         "哪种表示能直接列出一个顶点的邻居？"),
                    step=("Estimate the work of one BFS with an edge list and with adjacency lists.",
                          "分别估算用边列表和用邻接表做一次 BFS 的工作量。"),
                ),
                Mistake(
                    attempt=("uses adjacency sets but adds each two-way road to only one endpoint's set.",
                             "用邻接集合，但每条双向道路只加到一个端点的集合里。"),
                    alt=("“Roads only seem to work in one direction in my graph.”",
                         "“在我的图里，道路好像只能单向通行。”"),
                    diag=("A two-way road must appear in the adjacency of both of its endpoints.",
                          "一条双向道路必须同时出现在两个端点的邻接表中。"),
                    ask=("From which endpoint can a search currently cross a road?",
                         "现在搜索能从哪个端点通过一条道路？"),
                    step=("Add one road and print the adjacency of both endpoints.",
                          "加入一条道路，然后打印两个端点的邻接。"),
                ),
            ),
            key=(
                "use adjacency lists | choose adjacency lists | adjacency lists: | adjacency lists are | "
                "adjacency list is the | pick adjacency lists | go with adjacency lists | 用邻接表: | 选邻接表 | 选择邻接表 | "
                "应该用邻接表 | 采用邻接表 | 用邻接表存 | 邻接表更好 | 邻接表更合适 | 用邻接表,",
                "adjacency list | adjacency lists | 邻接表 & o(v+e)",
            ),
        ),
        Exercise(
            "bfs",
            ("Find the length of the shortest path from S to E in a grid maze, moving up, down, left or right and never through '#'.",
             "在网格迷宫中求从 S 到 E 的最短路径长度，只能上下左右移动，不能穿过 '#'。"),
            ("BFS from S over cells, with neighbours (r ± 1, c) and (r, c ± 1) that are inside the grid and not '#'; record `dist[neighbour] = dist[cell] + 1` when first discovered, and return `dist[E]`.",
             "从 S 开始按格子做 BFS，邻居为网格内且不是 '#' 的 (r ± 1, c) 和 (r, c ± 1)；第一次发现时记录 `dist[邻居] = dist[当前格子] + 1`，最后返回 `dist[E]`。"),
            (
                Mistake(
                    attempt=("also generates the four diagonal neighbours.",
                             "还生成了四个对角方向的邻居。"),
                    alt=("“My path is shorter than the expected answer.”",
                         "“我的路径比标准答案还短。”"),
                    diag=("Your neighbour list for a cell includes moves that the maze doesn't allow.",
                          "你为格子生成的邻居里包含了迷宫不允许的移动。"),
                    ask=("Which four offsets are the allowed moves?",
                         "允许的移动对应哪四个偏移量？"),
                    step=("Print the neighbours your code generates for one cell.",
                          "打印你的代码为某一个格子生成的邻居。"),
                ),
                Mistake(
                    attempt=("doesn't check the grid bounds, so negative indices wrap around.",
                             "没有检查网格边界，负数下标绕到了另一边。"),
                    alt=("“My path goes out through one edge of the maze and comes back in at the opposite edge.”",
                         "“我的路径从迷宫一边出去，又从对面一边进来。”"),
                    diag=("Python's negative indices silently wrap a neighbour to the other side of the grid.",
                          "Python 的负数下标悄悄地把邻居绕到了网格的另一边。"),
                    ask=("What should happen to a neighbour in row −1?",
                         "行号为 −1 的邻居应该怎么处理？"),
                    step=("Print the neighbours generated for the top-left cell.",
                          "打印左上角格子生成的邻居。"),
                ),
                Mistake(
                    attempt=("returns as soon as E is discovered, but returns the distance of the current cell.",
                             "一发现 E 就返回，但返回的是当前格子的距离。"),
                    alt=("“My answer is always one less than expected.”",
                         "“我的答案总是比预期少一。”"),
                    diag=("E's distance is the distance of the cell that discovered it plus one.",
                          "E 的距离等于发现它的那个格子的距离加一。"),
                    ask=("How is the distance of the newly discovered E computed?",
                         "新发现的 E 的距离应该怎么计算？"),
                    step=("Trace the corridor 'S.E' of width one.",
                          "追踪宽度为一的走廊 'S.E'。"),
                ),
            ),
            key=(
                "bfs & +1 | plus 1 | 加一 | 加 1 | 1 more | dist[cell]+1 | dist[当前格子]+1",
                "inside the grid | within the grid | in bounds | in the grid | 0<=r<rows | 网格内 | 边界内 & not '#' | "
                "not # | isn't '#' | not a wall | 不是 '#' | 不是 # | 不是墙 | !='#'",
                "bfs from s | use bfs | run bfs from | a bfs from s | 从 s 开始按格子做 bfs | 从 s 出发做 bfs | 从 s 开始做 bfs | "
                "从 s 开始 bfs | 用 bfs 求 | 应该用 bfs | 改用 bfs",
            ),
        ),
        Exercise(
            "dfs",
            ("Detect whether an undirected graph contains a cycle.",
             "判断一个无向图中是否有环。"),
            ("DFS from every unvisited vertex, passing the parent; if a neighbour other than the parent is already visited, there is a cycle (for multigraphs, track the parent edge instead).",
             "从每个未访问的顶点出发做 DFS 并传入父顶点；若某个邻居不是父顶点却已被访问，就说明有环（对多重图应记录父边而不是父顶点）。"),
            (
                Mistake(
                    attempt=("reports a cycle whenever any visited neighbour is seen, including the parent.",
                             "只要看到已访问的邻居就报告有环，包括父顶点。"),
                    alt=("“According to my code, every graph with an edge has a cycle.”",
                         "“按我的代码，只要有一条边的图就有环。”"),
                    diag=("In an undirected graph, the edge back to the vertex you just came from is not a cycle.",
                          "在无向图中，回到刚刚来的那个顶点的边并不构成环。"),
                    ask=("Which visited neighbour should the search ignore?",
                         "搜索应该忽略哪个已访问的邻居？"),
                    step=("Trace the graph with the single edge 0–1.",
                          "追踪只有一条边 0–1 的图。"),
                ),
                Mistake(
                    attempt=("reuses the directed-graph three-colour method unchanged.",
                             "原封不动地沿用有向图的三色法。"),
                    alt=("“Every undirected edge looks like a back edge to my code.”",
                         "“在我的代码看来，每条无向边都像一条回边。”"),
                    diag=("Each undirected edge is stored in both directions, so the parent always looks like a vertex still in progress.",
                          "每条无向边都按两个方向存储，所以父顶点看起来总像是一个仍在访问中的顶点。"),
                    ask=("How does the undirected case differ from the directed one?",
                         "无向的情况和有向的情况有什么不同？"),
                    step=("Trace the path 0–1–2 with your code.",
                          "用你的代码追踪路径 0–1–2。"),
                ),
                Mistake(
                    attempt=("only searches from vertex 0 and misses cycles in other components.",
                             "只从顶点 0 开始搜索，漏掉了其他连通分量里的环。"),
                    alt=("“A cycle in a separate component isn't found.”",
                         "“另一个分量里的环没有被找到。”"),
                    diag=("One search covers only the component of its start vertex.",
                          "一次搜索只覆盖起点所在的那个分量。"),
                    ask=("How can every component of the graph be examined?",
                         "怎样才能检查图的每一个连通分量？"),
                    step=("Test a graph made of one edge plus a separate triangle.",
                          "用一个由一条边加一个独立三角形组成的图测试。"),
                ),
            ),
            code=(
                "def has_cycle(adj):\n"
                "    seen = set()\n"
                "    for s in adj:\n"
                "        if s in seen:\n"
                "            continue\n"
                "        seen.add(s)\n"
                "        stack = [(s, None)]\n"
                "        while stack:\n"
                "            u, parent = stack.pop()\n"
                "            for v in adj[u]:\n"
                "                if v == parent:\n"
                "                    continue\n"
                "                if v in seen:\n"
                "                    return True\n"
                "                seen.add(v)\n"
                "                stack.append((v, u))\n"
                "    return False"
            ),
            key=(
                "other than the parent | not the parent | except the parent | besides the parent | "
                "isn't the parent | is not the parent | 不是父顶点 | 除了父顶点 | 除父顶点 | 非父顶点 | v!=parent & visited | seen | "
                "已访问 | 被访问 | 访问过",
                "ignore the parent | skip the parent | ignore its parent | skip its parent | 忽略父顶点 | 跳过父顶点 | "
                "排除父顶点 | v==parent",
                "from every unvisited | from each unvisited | 从每个未访问 | 从每个尚未访问 | for every unvisited | "
                "for each unvisited",
            ),
        ),
        Exercise(
            "shortest_paths",
            ("Compute shortest distances from s in a DAG whose edges may have negative weights, in O(V + E).",
             "在边权可能为负的 DAG 中，以 O(V + E) 计算从 s 出发的最短距离。"),
            ("Topologically sort the DAG, set every distance to infinity except `dist[s] = 0`, then process vertices in topological order and relax all their outgoing edges; each distance is final when its vertex is reached.",
             "先对 DAG 做拓扑排序，除 `dist[s] = 0` 外所有距离设为无穷大，然后按拓扑序处理顶点并松弛它们的所有出边；处理到某个顶点时它的距离已经是最终的。"),
            (
                Mistake(
                    attempt=("runs Dijkstra's algorithm on the DAG.",
                             "在 DAG 上运行 Dijkstra 算法。"),
                    alt=("“Dijkstra gives a wrong distance on my DAG with a negative edge.”",
                         "“在我这个有负权边的 DAG 上，Dijkstra 给出了错误的距离。”"),
                    diag=("Dijkstra needs non-negative weights, but a DAG lets you use its topological order instead.",
                          "Dijkstra 需要非负权重，而 DAG 让你可以改用它的拓扑序。"),
                    ask=("If you process vertices in topological order, have all paths into v been considered when you reach v?",
                         "如果按拓扑序处理顶点，到达 v 时所有进入 v 的路径都已考虑过了吗？"),
                    step=("Trace s→a (2), s→b (3), b→a (−2) in topological order.",
                          "按拓扑序追踪 s→a (2)、s→b (3)、b→a (−2)。"),
                ),
                Mistake(
                    attempt=("relaxes the edges once, visiting vertices in arbitrary order.",
                             "按任意顺序访问顶点，把边松弛一遍。"),
                    alt=("“Some distances are still too large at the end.”",
                         "“最后还有一些距离偏大。”"),
                    diag=("Relaxing the edges out of a vertex before its own distance is final passes a wrong value along the path.",
                          "在一个顶点的距离还没确定时就松弛它的出边，会把错误的值沿路径传下去。"),
                    ask=("In what order must the vertices be processed so each distance is final when it is used?",
                         "顶点应该按什么顺序处理，才能保证每个距离在被使用时已经确定？"),
                    step=("Relax the edges of s → a → b in the order b, a, s and then in the order s, a, b.",
                          "分别按 b、a、s 和 s、a、b 的顺序松弛 s → a → b 的边。"),
                ),
                Mistake(
                    attempt=("initialises every distance to 0 instead of infinity.",
                             "把所有距离初始化为 0，而不是无穷大。"),
                    alt=("“All my distances come out as 0 or negative.”",
                         "“我的距离全都是 0 或负数。”"),
                    diag=("Starting every vertex at distance 0 claims it can be reached from s for free.",
                          "把每个顶点的初始距离设为 0，等于声称从 s 可以免费到达它。"),
                    ask=("What should a vertex's distance be before any path to it is known?",
                         "在还不知道任何到达它的路径时，一个顶点的距离应该是多少？"),
                    step=("Trace a graph that contains a vertex unreachable from s.",
                          "追踪一个含有从 s 不可达顶点的图。"),
                ),
            ),
            key=(
                "topological order | topological sort | topologically sort | 拓扑序 | 拓扑排序 & relax | 松弛",
                "infinity | inf | 无穷 & dist[s]=0 | except s | 除了 s | 除 s",
            ),
        ),
        Exercise(
            "bfs",
            ("Decide whether an undirected graph is bipartite.",
             "判断一个无向图是否为二分图。"),
            ("BFS from every uncoloured vertex, giving it colour 0 and each newly discovered neighbour the opposite colour of its discoverer; if an edge ever joins two vertices of the same colour, the graph is not bipartite.",
             "从每个未着色的顶点出发做 BFS，给它着色 0，给每个新发现的邻居着与发现者相反的颜色；一旦有边连接两个同色顶点，图就不是二分图。"),
            (
                Mistake(
                    attempt=("concludes the graph is bipartite as long as it contains no triangle.",
                             "只要图中没有三角形，就判定它是二分图。"),
                    alt=("“The 5-cycle is reported as bipartite.”",
                         "“5 个顶点的环被判定为二分图。”"),
                    diag=("Any odd cycle in the graph, not only a triangle, makes a 2-colouring impossible.",
                          "图中任何奇数长度的环（不只是三角形）都会让二着色无法实现。"),
                    ask=("Can you 2-colour a cycle of length 5?",
                         "长度为 5 的环能用两种颜色着色吗？"),
                    step=("Colour the 5-cycle with a BFS, giving every neighbour the opposite colour, and check each edge.",
                          "用 BFS 给 5 个顶点的环着色，每个邻居着相反的颜色，然后检查每条边。"),
                ),
                Mistake(
                    attempt=("colours vertices during BFS but never checks an edge whose endpoints are both already coloured.",
                             "在 BFS 中给顶点着色，但从不检查两端都已着色的边。"),
                    alt=("“My code says the triangle is bipartite.”",
                         "“我的代码说三角形是二分图。”"),
                    diag=("A conflict only shows up on an edge whose two endpoints both already have a colour.",
                          "冲突只会出现在两个端点都已经着色的边上。"),
                    ask=("What should you check when a neighbour already has a colour?",
                         "当一个邻居已经有颜色时，你应该检查什么？"),
                    step=("Trace BFS on the triangle and check the colours at both ends of every edge.",
                          "在三角形上追踪 BFS，检查每条边两端的颜色。"),
                ),
                Mistake(
                    attempt=("starts the BFS from vertex 0 only, leaving other components uncoloured.",
                             "只从顶点 0 开始 BFS，其他连通分量都没有着色。"),
                    alt=("“An odd cycle in another component is missed.”",
                         "“另一个分量里的奇环被漏掉了。”"),
                    diag=("The BFS from vertex 0 only colours the component that vertex 0 belongs to.",
                          "从顶点 0 开始的 BFS 只会给顶点 0 所在的分量着色。"),
                    ask=("How do you make sure every component of the graph gets coloured?",
                         "怎样保证图的每个连通分量都被着色？"),
                    step=("Test a graph made of one edge plus a separate triangle.",
                          "用一个由一条边加一个独立三角形组成的图测试。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "def is_bipartite(adj):\n"
                "    colour = {}\n"
                "    for s in adj:\n"
                "        if s in colour:\n"
                "            continue\n"
                "        colour[s] = 0\n"
                "        queue = deque([s])\n"
                "        while queue:\n"
                "            u = queue.popleft()\n"
                "            for v in adj[u]:\n"
                "                if v not in colour:\n"
                "                    colour[v] = 1 - colour[u]\n"
                "                    queue.append(v)\n"
                "                elif colour[v] == colour[u]:\n"
                "                    return False\n"
                "    return True"
            ),
            key=(
                "opposite colour | different colour | other colour | opposite color | different color | "
                "other color | 相反的颜色 | 相反颜色 | 不同的颜色 | 另一种颜色 | 1-colour[u] | 1-color[u] & same colour | same color | "
                "同色 | 颜色相同 | 相同颜色 | 同一种颜色",
                "colour[v]==colour[u] | color[v]==color[u] | colour[u]==colour[v] | color[u]==color[v]",
            ),
        ),
        Exercise(
            "dfs",
            ("Count the islands in a grid of '1' (land) and '0' (water), where land cells connect up, down, left and right.",
             "统计由 '1'（陆地）和 '0'（水）组成的网格中岛屿的个数，陆地格子上下左右相连。"),
            ("Scan every cell; when an unvisited '1' is found, count an island and flood-fill its whole island with DFS or BFS over the four neighbours, marking cells as visited (e.g. setting them to '0').",
             "扫描每个格子；遇到未访问的 '1' 时岛屿数加一，并通过上下左右四个邻居用 DFS 或 BFS 把整座岛填充标记为已访问（例如置为 '0'）。"),
            (
                Mistake(
                    attempt=("counts every '1' cell as an island.",
                             "把每个 '1' 格子都算作一座岛。"),
                    alt=("“A 2 × 2 block of land is counted as 4 islands.”",
                         "“一块 2 × 2 的陆地被算成了 4 座岛。”"),
                    diag=("Cells that touch belong to one island, so each connected component should be counted once.",
                          "相邻的格子属于同一座岛，所以每个连通分量只应计数一次。"),
                    ask=("After finding one land cell, how do you mark the rest of its island?",
                         "找到一个陆地格子之后，怎样标记它所在岛屿的其余部分？"),
                    step=("Flood-fill by hand from one '1' in a small 3 × 3 grid.",
                          "在一个 3 × 3 的小网格中，从一个 '1' 出发手工做一次填充。"),
                ),
                Mistake(
                    attempt=("flood-fills recursively without marking cells, and recurses forever.",
                             "递归填充时不标记格子，结果无限递归。"),
                    alt=("“I get a RecursionError on any island bigger than one cell.”",
                         "“只要岛屿大于一个格子就报 RecursionError。”"),
                    diag=("Neighbouring land cells keep calling the search on each other because none of them is marked visited.",
                          "相邻的陆地格子互相不停地调用搜索，因为没有一个被标记为已访问。"),
                    ask=("What should a cell become once it has been visited?",
                         "一个格子被访问之后应该变成什么？"),
                    step=("Trace the search on two adjacent '1' cells.",
                          "在两个相邻的 '1' 格子上追踪搜索。"),
                ),
                Mistake(
                    attempt=("treats diagonal cells as neighbours too.",
                             "把对角线上的格子也当作邻居。"),
                    alt=("“Two islands that only touch at a corner are counted as one.”",
                         "“两座只在角上接触的岛被算成了一座。”"),
                    diag=("This problem uses four-directional connectivity, so diagonal cells are not neighbours in the search.",
                          "这道题采用四方向连通，所以在搜索中对角线格子不算邻居。"),
                    ask=("Which neighbours count as connected here?",
                         "在这里哪些邻居算作相连？"),
                    step=("Test the grid [[1, 0], [0, 1]].",
                          "用网格 [[1, 0], [0, 1]] 测试。"),
                ),
            ),
            code=(
                "def count_islands(grid):\n"
                "    rows, cols, count = len(grid), len(grid[0]), 0\n"
                "    for r in range(rows):\n"
                "        for c in range(cols):\n"
                "            if grid[r][c] != '1':\n"
                "                continue\n"
                "            count += 1\n"
                "            grid[r][c] = '0'\n"
                "            stack = [(r, c)]\n"
                "            while stack:\n"
                "                i, j = stack.pop()\n"
                "                for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1)):\n"
                "                    a, b = i + di, j + dj\n"
                "                    if 0 <= a < rows and 0 <= b < cols and grid[a][b] == '1':\n"
                "                        grid[a][b] = '0'\n"
                "                        stack.append((a, b))\n"
                "    return count"
            ),
            key=(
                "count an island | count the island | count+=1 | islands+=1 | increment the count | "
                "increment the island count | 岛屿数加一 | 计数加一 | 数量加一 & flood-fill | flood fill | floodfill | 填充 | dfs | "
                "bfs & mark | visited | 已访问 | 标记",
                "set them to '0' | set it to '0' | setting them to '0' | to '0' | set them to 0 | set it to 0 | "
                "置为 '0' | 改成 '0' | 设为 '0' | 变成 '0' | 改为 '0' | 置为 0 | 设为 0 | grid[a][b]='0' | grid[r][c]='0'",
            ),
        ),
    ),
)
