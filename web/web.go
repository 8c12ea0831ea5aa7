// Package web holds ebazhao's page templates, static assets and OpenAPI fragments,
// embedded in the binary (offices have no internet: nothing comes from a CDN).
package web

import "embed"

// FS holds templates/, static/ and openapi/.
//
//go:embed templates static openapi
var FS embed.FS
