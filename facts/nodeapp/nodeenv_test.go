package nodeapp

import "testing"

func TestScriptSetsProduction(t *testing.T) {
	for text, want := range map[string]bool{
		"NODE_ENV=production node .":                                                  true,
		"cross-env NODE_ENV=production node dist/main.js":                             true,
		"env NODE_ENV=production node server.js":                                      true,
		"export NODE_ENV=production && node server.js":                                true,
		"NODE_ENV=development node .":                                                 false,
		"node . --env=production":                                                     false,
		"echo NODE_ENV=production && node .":                                          false,
		"npm run with:env -- cross-env NODE_ENV=production node build/server/main.js": true, // documenso
		"dotenv -e .env -- cross-env NODE_ENV=production node .":                      true,
		"npm run with:env -- node build/server/main.js NODE_ENV=production":           false,
	} {
		if got := scriptSetsProduction(text); got != want {
			t.Errorf("scriptSetsProduction(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestExportsProduction: a start script file sets NODE_ENV for what it
// starts only by exporting it (formbricks' next-start.sh).
func TestExportsProduction(t *testing.T) {
	for text, want := range map[string]bool{
		"#!/bin/sh\nset -eu\nexport NODE_ENV=production\nexec node apps/web/server.js\n": true,
		"if [ -z \"$NODE_ENV\" ]; then\n  export NODE_ENV=production\nfi\nexec node .":   true,
		"export PORT=3000 NODE_ENV=\"production\"\nexec node .":                          true,
		"NODE_ENV=production node migrate.js\nexec node server.js":                       false,
		"f() { local NODE_ENV=production; }\nexec node server.js":                        false,
		"export NODE_ENV=development\nexec node server.js":                               false,
		"echo export NODE_ENV=production\nexec node server.js":                           false,
	} {
		if got := exportsProduction(text); got != want {
			t.Errorf("exportsProduction(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestCodeSetsProduction(t *testing.T) {
	for src, want := range map[string]bool{
		"process.env.NODE_ENV = 'production';\nconst express = require('express');":                  true,
		"process.env['NODE_ENV'] ??= \"production\"\nrequire('express')":                             true,
		"const path = require('path');\nprocess.env.NODE_ENV = process.env.NODE_ENV || 'production'": true,
		"const express = require('express');\nprocess.env.NODE_ENV = 'production';":                  false,
		"import express from 'express';\nprocess.env.NODE_ENV = 'production';":                       false,
		"if (prod) process.env.NODE_ENV = 'production';":                                             false,
		"process.env.NODE_ENV = 'development';":                                                      false,
		"process.env.NODE_ENV = mode || 'production' + suffix;":                                      false,
	} {
		if got := codeSetsProduction([]byte(src), "server.js"); got != want {
			t.Errorf("codeSetsProduction(%q) = %v, want %v", src, got, want)
		}
	}
}
