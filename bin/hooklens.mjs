#!/usr/bin/env node
// The `hooklens` command of the package: the server built into dist/server (npm pack builds it).
import '../dist/server/index.js';
