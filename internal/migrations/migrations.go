// Package migrations holds every schema migration of ebazhao, embedded.
//
// Files are named NNNN_name.sql and applied in order, each once, forward only.
// Version ranges by owner keep parallel work from colliding:
//
//	0001–0009 platform (offices, users, audit, persons, numbering)
//	0010–0019 legal engine (calendar closures)   0020–0029 documents
//	0030–0039 fees   0040–0049 rating   0050–0059 seals   0060–0069 archive
//	0070–0079 agencies   0080–0089 forms and tips   0090–0099 counter workbench
//	0100–0109 enforcement casework (fine approval, service of documents)
//
// Portable SQL only; {{ID}}, {{BLOB}}, {{BOOL}}, {{TRUE}}, {{FALSE}} are replaced per
// engine (see db.Migrate). Timestamps are TEXT in db.TimeLayout, dates TEXT ISO.
package migrations

import (
	"embed"

	"ebazhao/internal/platform/db"
)

//go:embed *.sql
var files embed.FS

// All returns every migration in version order.
func All() ([]db.Migration, error) { return db.LoadMigrations(files) }
