'use strict';
// End to end on Node-RED 5 on Node 22; both are installed from the npm registry into .cache/ on
// first use (about 30 MB for Node, plus Node-RED 5's dependencies). When that install fails the
// test fails with the reason: it is not skipped.
const { runtimeSuite } = require('./lib/runtime-suite');
const { nodeRed5 } = require('./lib/runtimes');

runtimeSuite(nodeRed5);
