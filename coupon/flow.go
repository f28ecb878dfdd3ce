package coupon

// The targeted coupons of one order share lines: how much they can take
// together is a maximum flow (source → coupon, capacity its face → each
// line it covers → sink, capacity the line's amount). With integer
// capacities in fen the flow on each coupon→line edge is an exact
// allocation. See the package documentation, "Best combination".

type edge struct {
	to   int32
	rev  int32
	capa int64
}

type flowNet struct {
	adj   [][]edge
	level []int32
	iter  []int32
	queue []int32
}

func newFlowNet(n int) *flowNet {
	return &flowNet{adj: make([][]edge, n), level: make([]int32, n), iter: make([]int32, n), queue: make([]int32, 0, n)}
}

func (f *flowNet) add(u, v int, c int64) {
	f.adj[u] = append(f.adj[u], edge{to: int32(v), rev: int32(len(f.adj[v])), capa: c})
	f.adj[v] = append(f.adj[v], edge{to: int32(u), rev: int32(len(f.adj[u]) - 1), capa: 0})
}

func (f *flowNet) bfs(s, t int) bool {
	for i := range f.level {
		f.level[i] = -1
	}
	f.level[s] = 0
	f.queue = append(f.queue[:0], int32(s))
	for h := 0; h < len(f.queue); h++ {
		u := f.queue[h]
		for _, e := range f.adj[u] {
			if e.capa > 0 && f.level[e.to] < 0 {
				f.level[e.to] = f.level[u] + 1
				f.queue = append(f.queue, e.to)
			}
		}
	}
	return f.level[t] >= 0
}

func (f *flowNet) dfs(u, t int, push int64) int64 {
	if u == t {
		return push
	}
	for ; f.iter[u] < int32(len(f.adj[u])); f.iter[u]++ {
		e := &f.adj[u][f.iter[u]]
		if e.capa <= 0 || f.level[e.to] != f.level[u]+1 {
			continue
		}
		if d := f.dfs(int(e.to), t, min(push, e.capa)); d > 0 {
			e.capa -= d
			f.adj[e.to][e.rev].capa += d
			return d
		}
	}
	return 0
}

// maxFlow runs Dinic's algorithm from s to t.
func (f *flowNet) maxFlow(s, t int) int64 {
	var total int64
	for f.bfs(s, t) {
		for i := range f.iter {
			f.iter[i] = 0
		}
		for {
			d := f.dfs(s, t, 1<<62)
			if d == 0 {
				break
			}
			total += d
		}
	}
	return total
}

// targetedFlow computes the largest discount the targeted coupons cs can
// take together from lines with amounts amt, and each coupon's share of
// each line (share[i][j] is coupon cs[i]'s amount on line m.coupons[cs[i]].lines[j]).
// Coupons come first in the network in the order given, so with ties the
// flow tends to use the earlier ones: callers pass them soonest-expiring
// first.
func (m *model) targetedFlow(cs []int, amt []int64, wantShares bool) (int64, [][]int64) {
	if len(cs) == 0 {
		return 0, nil
	}
	node := map[int]int{} // line → node
	n := 2 + len(cs)
	for _, c := range cs {
		for _, l := range m.coupons[c].lines {
			if _, ok := node[l]; !ok {
				node[l] = n
				n++
			}
		}
	}
	f := newFlowNet(n)
	const src, sink = 0, 1
	for i, c := range cs {
		f.add(src, 2+i, m.coupons[c].face)
		for _, l := range m.coupons[c].lines {
			f.add(2+i, node[l], 1<<62)
		}
	}
	// Lines in increasing index order, for determinism.
	for l := range m.lines {
		if v, ok := node[l]; ok {
			f.add(v, sink, amt[l])
		}
	}
	total := f.maxFlow(src, sink)
	if !wantShares {
		return total, nil
	}
	shares := make([][]int64, len(cs))
	for i, c := range cs {
		lines := m.coupons[c].lines
		shares[i] = make([]int64, len(lines))
		// Edges of coupon node 2+i: the first is the reverse of the source
		// edge, then one forward edge per line in order.
		k := 0
		for _, e := range f.adj[2+i] {
			if int(e.to) == src {
				continue
			}
			// flow on a forward edge = reverse edge's capacity
			shares[i][k] = f.adj[e.to][e.rev].capa
			k++
		}
	}
	return total, shares
}

// lexCost is a cost compared lexicographically: first v, then n. The
// assignment of general coupons minimises (−discount gained, change in
// the number of coupons): the largest total, then the fewest coupons.
type lexCost struct{ v, n int64 }

func (a lexCost) add(b lexCost) lexCost { return lexCost{a.v + b.v, a.n + b.n} }
func (a lexCost) neg() lexCost          { return lexCost{-a.v, -a.n} }
func (a lexCost) less(b lexCost) bool   { return a.v < b.v || (a.v == b.v && a.n < b.n) }

// assignMin solves the assignment problem for an n×m cost matrix with
// n <= m by the Hungarian method (shortest augmenting paths with
// potentials, O(n²m)): it returns, for each row, the column it is
// assigned, every row to a distinct column, with the least total cost.
// Costs are lexicographic; their sums must not overflow (the callers'
// are bounded by money.MaxFen).
func assignMin(n, m int, cost func(i, j int) lexCost) []int {
	inf := lexCost{v: 1 << 62}
	u := make([]lexCost, n+1) // row potentials, 1-based
	v := make([]lexCost, m+1) // column potentials; column 0 is a sentinel
	p := make([]int, m+1)     // p[j]: the row assigned to column j, 0 for none
	way := make([]int, m+1)
	minv := make([]lexCost, m+1)
	used := make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = inf, false
		}
		for {
			used[j0] = true
			i0, j1, delta := p[j0], 0, inf
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				cur := cost(i0-1, j-1).add(u[i0].neg()).add(v[j].neg())
				if cur.less(minv[j]) {
					minv[j], way[j] = cur, j0
				}
				if minv[j].less(delta) {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] = u[p[j]].add(delta)
					v[j] = v[j].add(delta.neg())
				} else {
					minv[j] = minv[j].add(delta.neg())
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	rows := make([]int, n)
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			rows[p[j]-1] = j - 1
		}
	}
	return rows
}
