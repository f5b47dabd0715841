'use strict';
// Preloaded (`node -r`) into `node-red-dev validate`: its flow catalogue
// (https://catalogue.nodered.org/catalogue.json, checks P08 and N01) answers as an empty list,
// since the test machine cannot reach it. Every other request (the npm registry's node-red
// metadata for P06/P07) goes out as usual.
const path = require('node:path');

const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';
const dir = path.dirname(require.resolve('node-red-dev/package.json', { paths: [process.cwd(), __dirname] }));
const axios = require(require.resolve('axios', { paths: [dir] }));
const get = axios.get.bind(axios);
axios.get = (url, ...rest) => (url === CATALOGUE ? Promise.resolve({ status: 200, data: { modules: [] } }) : get(url, ...rest));
