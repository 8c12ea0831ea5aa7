package form

import (
	"context"
	"sort"

	"ebazhao/internal/form/match"
)

// Hit is a form found by Search with its rank.
type Hit struct {
	Form  *Form
	Score int
}

// Search ranks the active forms visible to officeID against q: the name counts
// most, then other names (keywords), the category and the description.
func (s *Store) Search(ctx context.Context, q string, officeID int64, limit int) ([]Hit, error) {
	terms := match.Terms(q)
	if len(terms) == 0 {
		return nil, nil
	}
	forms, err := s.List(ctx, Filter{OfficeID: officeID})
	if err != nil {
		return nil, err
	}
	return Rank(terms, forms, limit), nil
}

// Rank orders forms by how well they match the normalized terms.
func Rank(terms []string, forms []*Form, limit int) []Hit {
	var hits []Hit
	for _, f := range forms {
		sc := match.Score(terms,
			match.Field{Text: match.Normalize(f.Name), Weight: 4},
			match.Field{Text: match.Normalize(f.Keywords), Weight: 3},
			match.Field{Text: match.Normalize(f.CategoryName), Weight: 2},
			match.Field{Text: match.Normalize(f.Description), Weight: 1})
		if sc > 0 {
			hits = append(hits, Hit{Form: f, Score: sc})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return len([]rune(hits[i].Form.Name)) < len([]rune(hits[j].Form.Name))
	})
	// Drop the long tail of weak matches (characters scattered in a description).
	for i, h := range hits {
		if h.Score*4 < hits[0].Score {
			hits = hits[:i]
			break
		}
	}
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}
