package web

import (
	"context"
	"fmt"
	"log/slog"
)

// RedactingHandler masks national ID numbers (and residence-permit numbers) in
// every log record — its message and every string, error or Stringer attribute —
// before h writes it: a user-facing message may quote what the clerk typed
// (「A123456789」), and logs are read by more people than the register is.
func RedactingHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(*redacting); ok {
		return h
	}
	return &redacting{h}
}

type redacting struct{ h slog.Handler }

func (r *redacting) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

func (r *redacting) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, RedactText(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r *redacting) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a)
	}
	return &redacting{r.h.WithAttrs(red)}
}

func (r *redacting) WithGroup(name string) slog.Handler { return &redacting{r.h.WithGroup(name)} }

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, RedactText(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = redactAttr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case nil:
			return a
		case error:
			return slog.String(a.Key, RedactText(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, RedactText(x.String()))
		}
	}
	return a
}

// RedactText masks ID-number-like words in s (A123456789 → A*********).
func RedactText(s string) string { return idLike.ReplaceAllString(s, "${1}*********") }
