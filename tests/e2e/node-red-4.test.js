'use strict';
// End to end on Node-RED 4.1 (devDependency) on the Node running the tests (Node 20).
const { runtimeSuite } = require('./lib/runtime-suite');
const { nodeRed4 } = require('./lib/runtimes');

runtimeSuite(nodeRed4);
