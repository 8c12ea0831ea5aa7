package app_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// multipartBody is a form with one file of size bytes (and the client's token).
func multipartBody(t *testing.T, csrf string, size int) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf_token", csrf)
	}
	mw.WriteField("item", "出生登記")
	fw, _ := mw.CreateFormFile("file", "scan.png")
	fw.Write(bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, size/4))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func multipartTemps(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "multipart-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// An upload is read only after login and permission, and its temporary files
// never outlive the request (issue 17, item 5): an anonymous 24 MB post leaves
// nothing in the temp folder, a scanner's upload of a broken scan leaves nothing
// either, and a post another site's page makes is refused before any handler.
func TestUploadsLeaveNoTempFilesAndCrossSiteIsRefused(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newEnv(t)

	body, ctype := multipartBody(t, "", 24<<20)
	resp, err := e.client().http.Post(e.Srv.URL+"/archive/docs", ctype, body) // no redirects followed
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode < 300 || resp.StatusCode >= 500 {
		t.Errorf("anonymous upload: %d", resp.StatusCode)
	}
	if m := multipartTemps(t, tmp); len(m) != 0 {
		t.Errorf("an anonymous upload left %d temp files: %v", len(m), m)
	}

	scanner := e.loggedIn("scanner")
	scanner.get("/archive/docs/new")
	body, ctype = multipartBody(t, scanner.csrf, 20<<20) // past the 16 MB kept in memory: spilled to disk while parsed
	req, _ := http.NewRequest("POST", e.Srv.URL+"/archive/docs", body)
	req.Header.Set("Content-Type", ctype)
	resp, err = scanner.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusSeeOther || resp.StatusCode >= 500 {
		t.Errorf("a broken 20 MB scan: %d, want a refusal", resp.StatusCode)
	}
	if m := multipartTemps(t, tmp); len(m) != 0 {
		t.Errorf("a scanner's upload left %d temp files: %v", len(m), m)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		var names []string
		for _, en := range entries {
			names = append(names, en.Name())
		}
		t.Logf("other files in the temp folder: %s", strings.Join(names, ", "))
	}

	// A form another site submits in the clerk's browser.
	req, _ = http.NewRequest("POST", e.Srv.URL+"/logout", strings.NewReader("csrf_token="+scanner.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err = scanner.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", resp.StatusCode)
	}
	if st, _ := scanner.get("/"); st != http.StatusOK {
		t.Errorf("the cross-site post ended the session: %d", st)
	}
}
