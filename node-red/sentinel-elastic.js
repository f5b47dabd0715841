module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');

    // One Elasticsearch cluster: where sentinel-bulk sends its documents.
    function SentinelElastic(config) {
        RED.nodes.createNode(this, config);
        this.name = config.name;
        this.host = (config.host || '').trim();
        this.index = (config.index || '').trim() || core.DEFAULTS.index;
        this.pipeline = (config.pipeline || '').trim() || core.DEFAULTS.pipeline;
    }

    RED.nodes.registerType('sentinel-elastic', SentinelElastic, {
        credentials: {
            apiKey: { type: 'password' }
        }
    });
};
