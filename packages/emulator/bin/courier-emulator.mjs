#!/usr/bin/env node
// Committed (not built) so that `pnpm install` can link the bin before the package is built: a bin
// pointing into dist/ would make every install in a fresh clone warn with ENOENT.
import "../dist/cli.mjs";
