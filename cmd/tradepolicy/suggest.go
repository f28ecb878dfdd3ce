package main

// didYouMean returns the candidate closest to name when it is close
// enough to be a likely typo (an edit distance of at most a third of its
// length, and at least 1), or "".
func didYouMean(name string, candidates []string) string {
	best, bestD := "", len(name)/3+1
	for _, c := range candidates {
		if d := editDistance(name, c); d > 0 && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// hint is "; did you mean X?" for a likely typo, else "".
func hint(name string, candidates []string) string {
	if s := didYouMean(name, candidates); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}
