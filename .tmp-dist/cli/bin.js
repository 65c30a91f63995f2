#!/usr/bin/env node
import { main } from './main.js';
main(process.argv).then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
//# sourceMappingURL=bin.js.map