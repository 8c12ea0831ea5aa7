package web

import "testing"

func TestRedactPath(t *testing.T) {
	cases := map[string]string{
		"/persons/A123456789":        "/persons/A*********",
		"/persons/a123456789/edit":   "/persons/a*********/edit",
		"/api/v1/persons/AC01234567": "/api/v1/persons/A*********",
		"/admin/users/12":            "/admin/users/12",
		"/receipts/115000123":        "/receipts/115000123",
	}
	for in, want := range cases {
		if got := RedactPath(in); got != want {
			t.Errorf("RedactPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	cases := map[string]string{"": "/", "/persons?q=王": "/persons?q=王", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "/a/../b": "/b"}
	for in, want := range cases {
		if got := SafeNext(in); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
